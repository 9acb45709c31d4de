import { sql } from 'drizzle-orm';
import { ENCOUNTER_STATUSES, ENCOUNTER_TYPES } from '@sanita/contracts/encounters';
import { index, integer, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { clinics, users } from './identity.ts';
import { patients } from './patients.ts';
import { queueTickets, visits } from './queue.ts';
import { appointments, practitioners } from './scheduling.ts';

const ts = (name: string) => timestamp(name, { withTimezone: true });

/**
 * A consultation of a patient at a clinic: started from a called queue ticket, a checked-in appointment or
 * a walk-in, by a practitioner; finishing it completes its visit, appointment and ticket. Notes, diagnoses
 * and (later) orders belong to it.
 */
export const encounters = pgTable(
  'encounters',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    clinicId: uuid('clinic_id')
      .notNull()
      .references(() => clinics.id),
    patientId: uuid('patient_id')
      .notNull()
      .references(() => patients.id),
    /** the visit (check-in to discharge) it belongs to, when the patient was checked in */
    visitId: uuid('visit_id').references(() => visits.id),
    appointmentId: uuid('appointment_id').references(() => appointments.id),
    ticketId: uuid('ticket_id').references(() => queueTickets.id),
    /** the practitioner responsible; null for a user with no practitioner record (a nurse's encounter) */
    practitionerId: uuid('practitioner_id').references(() => practitioners.id),
    type: text('type', { enum: ENCOUNTER_TYPES }).notNull(),
    status: text('status', { enum: ENCOUNTER_STATUSES }).notNull(),
    reason: text('reason'),
    startedAt: ts('started_at').notNull().defaultNow(),
    endedAt: ts('ended_at'),
    startedBy: uuid('started_by')
      .notNull()
      .references(() => users.id),
    endedBy: uuid('ended_by').references(() => users.id),
    version: integer('version').notNull().default(1),
  },
  (t) => [
    // the chart's timeline and summary: a patient's encounters newest first, paged on (started_at, id)
    // newest first: DESC NULLS FIRST, the order of `ORDER BY … DESC` (drizzle's desc() alone gives NULLS LAST, which that order cannot scan)
    index('encounters_patient_started').on(t.patientId, t.startedAt.desc().nullsFirst(), t.id.desc().nullsFirst()),
    // a practitioner's day, a clinic's day
    index('encounters_practitioner_started').on(t.practitionerId, t.startedAt),
    index('encounters_clinic_started').on(t.clinicId, t.startedAt),
    // one consultation in progress per visit: starting twice (two clicks, two tabs) opens the same one
    uniqueIndex('encounters_visit_in_progress')
      .on(t.visitId)
      .where(sql`${t.status} = 'in_progress'`),
  ],
);
