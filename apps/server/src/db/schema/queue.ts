import { TICKET_PRIORITIES, TICKET_STATUSES } from '@sanita/contracts/queue';
import { date, index, integer, pgTable, primaryKey, smallint, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { clinics, users } from './identity.ts';
import { patients } from './patients.ts';
import { appointments, practitioners, servicePoints } from './scheduling.ts';

const ts = (name: string) => timestamp(name, { withTimezone: true });

/** A patient's presence at a clinic, from check-in (appointment or walk-in) to discharge. */
export const visits = pgTable(
  'visits',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    clinicId: uuid('clinic_id')
      .notNull()
      .references(() => clinics.id),
    patientId: uuid('patient_id')
      .notNull()
      .references(() => patients.id),
    appointmentId: uuid('appointment_id')
      .unique()
      .references(() => appointments.id),
    practitionerId: uuid('practitioner_id').references(() => practitioners.id),
    kind: text('kind', { enum: ['appointment', 'walk_in'] }).notNull(),
    status: text('status', { enum: ['open', 'closed'] }).notNull(),
    reason: text('reason'),
    startedAt: ts('started_at').notNull().defaultNow(),
    closedAt: ts('closed_at'),
    createdBy: uuid('created_by').references(() => users.id),
  },
  (t) => [
    index('visits_clinic_started').on(t.clinicId, t.startedAt),
    index('visits_patient_started').on(t.patientId, t.startedAt),
  ],
);

/** A place in the queue of one service point on one local day. */
export const queueTickets = pgTable(
  'queue_tickets',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    clinicId: uuid('clinic_id')
      .notNull()
      .references(() => clinics.id),
    servicePointId: uuid('service_point_id')
      .notNull()
      .references(() => servicePoints.id),
    visitId: uuid('visit_id')
      .notNull()
      .references(() => visits.id),
    patientId: uuid('patient_id')
      .notNull()
      .references(() => patients.id),
    /** the clinic's local date the number belongs to */
    serviceDate: date('service_date', { mode: 'string' }).notNull(),
    number: integer('number').notNull(),
    /** prefix and number as called out: A-042 */
    code: text('code').notNull(),
    priority: text('priority', { enum: TICKET_PRIORITIES }).notNull(),
    /** 0 = emergency … 3 = normal: the queue order before arrival time */
    priorityRank: smallint('priority_rank').notNull(),
    status: text('status', { enum: TICKET_STATUSES }).notNull(),
    arrivedAt: ts('arrived_at').notNull().defaultNow(),
    calledAt: ts('called_at'),
    serviceStartedAt: ts('service_started_at'),
    finishedAt: ts('finished_at'),
    calledBy: uuid('called_by').references(() => users.id),
    /** the ticket this one continues after a transfer, and the one it was transferred to */
    transferredFromId: uuid('transferred_from_id'),
    transferredToId: uuid('transferred_to_id'),
    /** where the patient is called to, when not the service point's room */
    room: text('room'),
    /** what the sending service point tells the receiving one on a transfer (e.g. triage findings) */
    note: text('note'),
    version: integer('version').notNull().default(1),
  },
  (t) => [
    uniqueIndex('queue_tickets_number').on(t.servicePointId, t.serviceDate, t.number),
    index('queue_tickets_open').on(t.servicePointId, t.serviceDate, t.status, t.priorityRank, t.arrivedAt),
    index('queue_tickets_clinic_date').on(t.clinicId, t.serviceDate),
    index('queue_tickets_visit').on(t.visitId),
  ],
);

/** The last ticket number given at a service point on a day: numbering without gaps or races. */
export const queueCounters = pgTable(
  'queue_counters',
  {
    servicePointId: uuid('service_point_id')
      .notNull()
      .references(() => servicePoints.id),
    serviceDate: date('service_date', { mode: 'string' }).notNull(),
    lastNumber: integer('last_number').notNull(),
  },
  (t) => [primaryKey({ columns: [t.servicePointId, t.serviceDate] })],
);

/** A waiting-room screen: opened with a secret token instead of a staff login. */
export const displayTokens = pgTable(
  'display_tokens',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    clinicId: uuid('clinic_id')
      .notNull()
      .references(() => clinics.id),
    name: text('name').notNull(),
    /** SHA-256 of the token */
    tokenHash: text('token_hash').notNull().unique(),
    /** the service points shown; empty = all of the clinic */
    servicePointIds: uuid('service_point_ids').array().notNull().default([]),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: ts('created_at').notNull().defaultNow(),
    revokedAt: ts('revoked_at'),
    lastSeenAt: ts('last_seen_at'),
  },
  (t) => [index('display_tokens_clinic').on(t.clinicId)],
);
