import { sql } from 'drizzle-orm';
import {
  IMMUNIZATION_ACTIONS,
  IMMUNIZATION_ROUTES,
  IMMUNIZATION_SITES,
  IMMUNIZATION_SOURCES,
  IMMUNIZATION_STATUSES,
} from '@sanita/contracts/immunizations';
import { check, date, index, integer, jsonb, pgTable, smallint, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { clinics, users } from './identity.ts';
import { patients } from './patients.ts';
import { cvxCodes } from './terminology.ts';

const ts = (name: string) => timestamp(name, { withTimezone: true });

/**
 * A vaccine a patient received (CVX coded), given at the recording clinic or reported. Never
 * deleted: corrected (a new version) or marked entered in error; `immunization_revisions` keeps
 * every change.
 */
export const immunizations = pgTable(
  'immunizations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    patientId: uuid('patient_id')
      .notNull()
      .references(() => patients.id),
    /** the clinic it was recorded at */
    clinicId: uuid('clinic_id')
      .notNull()
      .references(() => clinics.id),
    cvxCode: text('cvx_code')
      .notNull()
      .references(() => cvxCodes.code),
    occurredOn: date('occurred_on').notNull(),
    lotNumber: text('lot_number'),
    site: text('site', { enum: IMMUNIZATION_SITES }),
    route: text('route', { enum: IMMUNIZATION_ROUTES }),
    doseNumber: smallint('dose_number'),
    source: text('source', { enum: IMMUNIZATION_SOURCES }).notNull(),
    /** the user who gave it here */
    performerId: uuid('performer_id').references(() => users.id),
    /** who gave it otherwise (a name, a health centre) */
    performerName: text('performer_name'),
    note: text('note'),
    status: text('status', { enum: IMMUNIZATION_STATUSES }).notNull().default('completed'),
    version: integer('version').notNull().default(1),
    createdBy: uuid('created_by')
      .notNull()
      .references(() => users.id),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedBy: uuid('updated_by')
      .notNull()
      .references(() => users.id),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    // newest first: DESC NULLS FIRST, the order of `ORDER BY … DESC` (drizzle's desc() alone gives NULLS LAST, which that order cannot scan)
    index('immunizations_patient').on(t.patientId, t.occurredOn.desc().nullsFirst()),
    // the chart's timeline: a patient's vaccines newest first, paged on (the day at 00:00 UTC, id); the
    // expression is immunizationAt's (repository), so that the planner matches it
    index('immunizations_patient_timeline').on(
      t.patientId,
      sql`(${t.occurredOn}::timestamp AT TIME ZONE 'UTC') DESC`,
      t.id.desc().nullsFirst(),
    ),
    check('immunizations_dose', sql`${t.doseNumber} IS NULL OR ${t.doseNumber} BETWEEN 1 AND 20`),
  ],
);

/** Every change of an immunization: the action, the fields before and after, by whom and when. */
export const immunizationRevisions = pgTable(
  'immunization_revisions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    immunizationId: uuid('immunization_id')
      .notNull()
      .references(() => immunizations.id),
    /** the version this change produced */
    version: integer('version').notNull(),
    action: text('action', { enum: IMMUNIZATION_ACTIONS }).notNull(),
    /** field → what it was and what it became */
    changes: jsonb('changes').$type<Record<string, { from: unknown; to: unknown }>>().notNull(),
    reason: text('reason'),
    changedBy: uuid('changed_by')
      .notNull()
      .references(() => users.id),
    changedAt: ts('changed_at').notNull().defaultNow(),
  },
  (t) => [index('immunization_revisions_immunization').on(t.immunizationId, t.version)],
);
