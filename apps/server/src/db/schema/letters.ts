import { sql } from 'drizzle-orm';
import { LETTER_KINDS, REFERRAL_URGENCIES, type VisitSummaryContent } from '@sanita/contracts/letters';
import { date, index, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { encounters } from './encounters.ts';
import { clinics, users } from './identity.ts';
import { patients } from './patients.ts';

const ts = (name: string) => timestamp(name, { withTimezone: true });

/** Who and where a letter was about and from, as they were when it was issued (it never changes). */
export interface LetterSnapshot {
  patient: { name: string; birthDate: string; sex: string; mrn: string };
  clinic: { name: string; address: string | null; timezone: string };
  organisation: string;
  practitioner: { name: string; licenceNumber: string | null; specialties: string[] };
}

/**
 * A letter issued about a patient (certificate, sick note, referral, visit summary). Immutable once issued: the PDF is
 * rendered from this row every time, identically; a letter issued in error is revoked (with a reason),
 * which the public verification page then says.
 */
export const letters = pgTable(
  'letters',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    patientId: uuid('patient_id')
      .notNull()
      .references(() => patients.id),
    clinicId: uuid('clinic_id')
      .notNull()
      .references(() => clinics.id),
    encounterId: uuid('encounter_id').references(() => encounters.id),
    kind: text('kind', { enum: LETTER_KINDS }).notNull(),
    language: text('language', { enum: ['en', 'fr'] }).notNull(),
    body: text('body'),
    reason: text('reason'),
    recipient: text('recipient'),
    urgency: text('urgency', { enum: REFERRAL_URGENCIES }),
    restFrom: date('rest_from', { mode: 'string' }),
    restTo: date('rest_to', { mode: 'string' }),
    snapshot: jsonb('snapshot').$type<LetterSnapshot>().notNull(),
    /** a visit summary's content, copied from the encounter's signed note at issue (null for the other kinds) */
    visit: jsonb('visit').$type<VisitSummaryContent>(),
    issuedAt: ts('issued_at').notNull().defaultNow(),
    issuedBy: uuid('issued_by')
      .notNull()
      .references(() => users.id),
    /** 12 characters of Crockford base32, without dashes, upper case */
    verificationCode: text('verification_code').notNull().unique(),
    revokedAt: ts('revoked_at'),
    revokedBy: uuid('revoked_by').references(() => users.id),
    revokedReason: text('revoked_reason'),
  },
  (t) => [
    // newest first: DESC NULLS FIRST, the order of `ORDER BY … DESC` (drizzle's desc() alone gives NULLS LAST, which that order cannot scan)
    index('letters_patient_issued').on(t.patientId, t.issuedAt.desc().nullsFirst()),
    // one visit summary per encounter and language: asking again gives the same letter (and code)
    uniqueIndex('letters_visit_summary')
      .on(t.encounterId, t.language)
      .where(sql`${t.kind} = 'visit_summary' AND ${t.revokedAt} IS NULL`),
  ],
);
