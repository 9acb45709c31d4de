import { sql } from 'drizzle-orm';
import {
  ALCOHOL_USE,
  ALLERGY_CATEGORIES,
  ALLERGY_STATUSES,
  ALLERGY_TYPES,
  CRITICALITIES,
  HISTORY_KINDS,
  HISTORY_STATUSES,
  PROBLEM_STATUSES,
  RELATIONS,
  REVISION_ACTIONS,
  SEVERITIES,
  TOBACCO_USE,
  VERIFICATION_STATUSES,
  type Manifestation,
  type SubstanceCode,
} from '@sanita/contracts/history';
import {
  boolean,
  check,
  date,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  text,
  timestamp,
  uuid,
  primaryKey,
} from 'drizzle-orm/pg-core';
import { clinics, users } from './identity.ts';
import { patients } from './patients.ts';

const ts = (name: string) => timestamp(name, { withTimezone: true });

/** Who recorded an item and who changed it last, when, and the version an update must name. */
const stamps = () => ({
  version: integer('version').notNull().default(1),
  createdBy: uuid('created_by')
    .notNull()
    .references(() => users.id),
  createdAt: ts('created_at').notNull().defaultNow(),
  updatedBy: uuid('updated_by')
    .notNull()
    .references(() => users.id),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});
const owner = () => ({
  id: uuid('id').primaryKey().defaultRandom(),
  patientId: uuid('patient_id')
    .notNull()
    .references(() => patients.id),
  /** the clinic it was recorded at */
  clinicId: uuid('clinic_id')
    .notNull()
    .references(() => clinics.id),
});

/** The problem list: ICD-10-CM coded, or the clinician's words when no code fits. */
export const problems = pgTable(
  'problems',
  {
    ...owner(),
    code: text('code'),
    description: text('description').notNull(),
    status: text('status', { enum: PROBLEM_STATUSES }).notNull().default('active'),
    onsetDate: date('onset_date'),
    resolutionDate: date('resolution_date'),
    note: text('note'),
    ...stamps(),
  },
  (t) => [
    index('problems_patient').on(t.patientId),
    check(
      'problems_resolution_after_onset',
      sql`${t.resolutionDate} IS NULL OR ${t.onsetDate} IS NULL OR ${t.resolutionDate} >= ${t.onsetDate}`,
    ),
  ],
);

/** Allergies and intolerances (FHIR AllergyIntolerance, simplified). */
export const allergies = pgTable(
  'allergies',
  {
    ...owner(),
    substanceCode: text('substance_code').$type<SubstanceCode>(),
    substance: text('substance').notNull(),
    type: text('type', { enum: ALLERGY_TYPES }).notNull().default('allergy'),
    category: text('category', { enum: ALLERGY_CATEGORIES }).notNull(),
    reaction: text('reaction'),
    manifestations: text('manifestations')
      .array()
      .$type<Manifestation[]>()
      .notNull()
      .default(sql`'{}'::text[]`),
    severity: text('severity', { enum: SEVERITIES }),
    criticality: text('criticality', { enum: CRITICALITIES }).notNull().default('unable_to_assess'),
    verificationStatus: text('verification_status', { enum: VERIFICATION_STATUSES }).notNull().default('unconfirmed'),
    status: text('status', { enum: ALLERGY_STATUSES }).notNull().default('active'),
    onsetDate: date('onset_date'),
    note: text('note'),
    ...stamps(),
  },
  (t) => [index('allergies_patient').on(t.patientId)],
);

/**
 * A patient's allergy statement: "no known allergies" as a clinician stated it (by whom, when), and
 * when it was cleared (by recording an allergy). No row: allergies never asked about.
 */
export const allergyStatements = pgTable('allergy_statements', {
  patientId: uuid('patient_id')
    .primaryKey()
    .references(() => patients.id),
  noKnownAllergies: boolean('no_known_allergies').notNull(),
  clinicId: uuid('clinic_id')
    .notNull()
    .references(() => clinics.id),
  statedBy: uuid('stated_by')
    .notNull()
    .references(() => users.id),
  statedAt: ts('stated_at').notNull().defaultNow(),
  clearedBy: uuid('cleared_by').references(() => users.id),
  clearedAt: ts('cleared_at'),
});

/** Medical, surgical, family and social history. */
export const historyEntries = pgTable(
  'history_entries',
  {
    ...owner(),
    kind: text('kind', { enum: HISTORY_KINDS }).notNull(),
    condition: text('condition'),
    relation: text('relation', { enum: RELATIONS }),
    date: date('date'),
    tobacco: text('tobacco', { enum: TOBACCO_USE }),
    packYears: numeric('pack_years', { precision: 5, scale: 1, mode: 'number' }),
    alcohol: text('alcohol', { enum: ALCOHOL_USE }),
    unitsPerWeek: integer('units_per_week'),
    occupation: text('occupation'),
    note: text('note'),
    status: text('status', { enum: HISTORY_STATUSES }).notNull().default('recorded'),
    ...stamps(),
  },
  (t) => [index('history_entries_patient').on(t.patientId)],
);

/** Every version of every problem, allergy and history entry: who changed which fields, from what to what, when. */
export const historyRevisions = pgTable(
  'history_revisions',
  {
    entity: text('entity', { enum: ['problem', 'allergy', 'history'] }).notNull(),
    entityId: uuid('entity_id').notNull(),
    version: integer('version').notNull(),
    patientId: uuid('patient_id')
      .notNull()
      .references(() => patients.id),
    action: text('action', { enum: REVISION_ACTIONS }).notNull(),
    changedBy: uuid('changed_by')
      .notNull()
      .references(() => users.id),
    changedAt: ts('changed_at').notNull().defaultNow(),
    changes: jsonb('changes').$type<Record<string, { from: unknown; to: unknown }>>().notNull(),
  },
  (t) => [primaryKey({ columns: [t.entityId, t.version] }), index('history_revisions_patient').on(t.patientId)],
);
