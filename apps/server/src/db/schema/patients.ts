import { sql } from 'drizzle-orm';
import { date, index, integer, jsonb, pgSequence, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { clinics, users } from './identity.ts';

const ts = (name: string) => timestamp(name, { withTimezone: true });

export const mrnSequence = pgSequence('patient_mrn_seq', { startWith: 1 });

export const patients = pgTable(
  'patients',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    mrn: text('mrn').notNull().unique(),
    givenName: text('given_name').notNull(),
    middleName: text('middle_name'),
    familyName: text('family_name').notNull(),
    /** lower-case, accent-free "given middle family" kept by the service for trigram search */
    searchName: text('search_name').notNull(),
    /** Double Metaphone code of each word of search_name, set by a trigger: catches swapped or misheard letters */
    /** the words of search_name, set by a trigger: exact-word matches come first and are index-only */
    nameWords: text('name_words')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    searchPhonetic: text('search_phonetic')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    sex: text('sex', { enum: ['female', 'male', 'other', 'unknown'] }).notNull(),
    birthDate: date('birth_date', { mode: 'string' }).notNull(),
    /** digits only, with country code when given */
    phones: text('phones')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    /** the last 9 digits of each phone, so local and international forms of a number match */
    phoneKeys: text('phone_keys')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    email: text('email'),
    address: jsonb('address'),
    preferredLanguage: text('preferred_language'),
    nationalIdEnc: text('national_id_enc'),
    nationalIdHash: text('national_id_hash'),
    emergencyContacts: jsonb('emergency_contacts')
      .notNull()
      .default(sql`'[]'::jsonb`),
    bloodType: text('blood_type'),
    primaryClinicId: uuid('primary_clinic_id')
      .notNull()
      .references(() => clinics.id),
    status: text('status', { enum: ['active', 'deceased', 'merged'] })
      .notNull()
      .default('active'),
    mergedIntoId: uuid('merged_into_id'),
    deceasedAt: date('deceased_at', { mode: 'string' }),
    version: integer('version').notNull().default(1),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    index('patients_search_name_trgm').using('gin', sql`${t.searchName} gin_trgm_ops`),
    index('patients_search_phonetic_idx').using('gin', t.searchPhonetic),
    index('patients_name_words_idx').using('gin', t.nameWords),
    index('patients_birth_date_idx').on(t.birthDate),
    index('patients_phone_keys_idx').using('gin', t.phoneKeys),
    index('patients_national_id_idx').on(t.nationalIdHash),
  ],
);

/**
 * Every distinct word of the patients' names (`patients.name_words`), with its Double Metaphone
 * code; filled by statement-level triggers on patients (migration 0012). Fuzzy name search looks
 * each typed word up here, then finds the patients by exact words (GIN on name_words). Words are
 * never deleted: a stale one only costs a lookup.
 */
export const patientNameWords = pgTable(
  'patient_name_words',
  {
    word: text('word').primaryKey(),
    /** dmetaphone(word); '' when it gives no code (digits, letters outside the Latin alphabet) */
    phonetic: text('phonetic').notNull(),
  },
  (t) => [
    index('patient_name_words_trgm').using('gin', sql`${t.word} gin_trgm_ops`),
    index('patient_name_words_phonetic_idx').on(t.phonetic),
  ],
);

/**
 * Name search's ordered index: one row per word of a patient's name and per pair of its words
 * (`"grace kabamba"`, the two words in code-point order), with the name to sort by. Kept by
 * statement-level triggers on patients (migration 0013). An exact-word search reads the first page
 * of matches in name order from the primary key and stops there, where the GIN index on name_words
 * has to collect every patient with the word (thousands for a common family name) before any is
 * returned.
 */
export const patientNameKeys = pgTable(
  'patient_name_keys',
  {
    key: text('key').notNull(),
    familyName: text('family_name').notNull(),
    givenName: text('given_name').notNull(),
    patientId: uuid('patient_id')
      .notNull()
      .references(() => patients.id, { onDelete: 'cascade' }),
  },
  (t) => [
    primaryKey({ columns: [t.key, t.familyName, t.givenName, t.patientId] }),
    index('patient_name_keys_patient_idx').on(t.patientId),
  ],
);

export const patientClinics = pgTable(
  'patient_clinics',
  {
    patientId: uuid('patient_id')
      .notNull()
      .references(() => patients.id),
    clinicId: uuid('clinic_id')
      .notNull()
      .references(() => clinics.id),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.patientId, t.clinicId] }), index('patient_clinics_clinic_idx').on(t.clinicId)],
);
