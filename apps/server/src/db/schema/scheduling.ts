import { APPOINTMENT_STATUSES } from '@sanita/contracts/scheduling/appointments';
import { sql } from 'drizzle-orm';
import {
  boolean,
  date,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  primaryKey,
  real,
  smallint,
  text,
  time,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { clinics, users } from './identity.ts';
import { patients } from './patients.ts';

const ts = (name: string) => timestamp(name, { withTimezone: true });

/** Master data: medical specialties (cardiology, paediatrics…). */
export const specialties = pgTable('specialties', {
  id: uuid('id').primaryKey().defaultRandom(),
  code: text('code').notNull().unique(),
  name: text('name').notNull(),
  nameFr: text('name_fr').notNull(),
  active: boolean('active').notNull().default(true),
});

/** Master data: what a visit is for, and how long it takes by default. */
export const visitTypes = pgTable('visit_types', {
  id: uuid('id').primaryKey().defaultRandom(),
  code: text('code').notNull().unique(),
  name: text('name').notNull(),
  nameFr: text('name_fr').notNull(),
  durationMinutes: integer('duration_minutes').notNull(),
  /** a Mantine colour name for the calendar */
  color: text('color').notNull().default('blue'),
  active: boolean('active').notNull().default(true),
});

/** Where patients queue inside a clinic: triage, a consultation room, the lab, the pharmacy, the cashier. */
export const servicePoints = pgTable(
  'service_points',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    clinicId: uuid('clinic_id')
      .notNull()
      .references(() => clinics.id),
    code: text('code').notNull(),
    name: text('name').notNull(),
    kind: text('kind', { enum: ['triage', 'consultation', 'lab', 'pharmacy', 'cashier', 'imaging', 'other'] }).notNull(),
    /** the letter(s) of its tickets: A-042 */
    ticketPrefix: text('ticket_prefix').notNull(),
    /** what the display board says: "room 3" */
    room: text('room'),
    active: boolean('active').notNull().default(true),
  },
  (t) => [uniqueIndex('service_points_clinic_code').on(t.clinicId, t.code)],
);

/** A person who sees patients; usually a staff user (doctor, nurse, optician). */
export const practitioners = pgTable('practitioners', {
  id: uuid('id').primaryKey().defaultRandom(),
  userId: uuid('user_id')
    .unique()
    .references(() => users.id),
  displayName: text('display_name').notNull(),
  licenceNumber: text('licence_number'),
  bio: text('bio'),
  /** ISO 639-1 codes */
  languages: text('languages')
    .array()
    .notNull()
    .default(sql`'{}'::text[]`),
  feeAmount: numeric('fee_amount', { precision: 12, scale: 2 }),
  feeCurrency: text('fee_currency'),
  /** bookings start as "requested" until the practitioner confirms them */
  requiresConfirmation: boolean('requires_confirmation').notNull().default(false),
  /** SHA-256 of the secret in the practitioner's iCalendar feed URL */
  icalTokenHash: text('ical_token_hash').unique(),
  active: boolean('active').notNull().default(true),
  createdAt: ts('created_at').notNull().defaultNow(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});

export const practitionerSpecialties = pgTable(
  'practitioner_specialties',
  {
    practitionerId: uuid('practitioner_id')
      .notNull()
      .references(() => practitioners.id, { onDelete: 'cascade' }),
    specialtyId: uuid('specialty_id')
      .notNull()
      .references(() => specialties.id),
  },
  (t) => [
    primaryKey({ columns: [t.practitionerId, t.specialtyId] }),
    index('practitioner_specialties_specialty').on(t.specialtyId),
  ],
);

export const practitionerClinics = pgTable(
  'practitioner_clinics',
  {
    practitionerId: uuid('practitioner_id')
      .notNull()
      .references(() => practitioners.id, { onDelete: 'cascade' }),
    clinicId: uuid('clinic_id')
      .notNull()
      .references(() => clinics.id),
  },
  (t) => [primaryKey({ columns: [t.practitionerId, t.clinicId] }), index('practitioner_clinics_clinic').on(t.clinicId)],
);

/** Weekly recurring availability of a practitioner at a clinic, in the clinic's local time. */
export const availabilityTemplates = pgTable(
  'availability_templates',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    practitionerId: uuid('practitioner_id')
      .notNull()
      .references(() => practitioners.id, { onDelete: 'cascade' }),
    clinicId: uuid('clinic_id')
      .notNull()
      .references(() => clinics.id),
    /** ISO weekday: 1 = Monday … 7 = Sunday */
    weekday: smallint('weekday').notNull(),
    startTime: time('start_time').notNull(),
    endTime: time('end_time').notNull(),
    slotMinutes: integer('slot_minutes').notNull(),
    /** free time kept after each visit */
    bufferMinutes: integer('buffer_minutes').notNull().default(0),
    /** visit types bookable in these hours; empty = any */
    visitTypeIds: uuid('visit_type_ids')
      .array()
      .notNull()
      .default(sql`'{}'::uuid[]`),
    validFrom: date('valid_from', { mode: 'string' }),
    validTo: date('valid_to', { mode: 'string' }),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [index('availability_templates_practitioner').on(t.practitionerId, t.clinicId)],
);

/** Time when nobody can be booked: a practitioner's leave, or a clinic's holiday or closure. */
export const availabilityExceptions = pgTable(
  'availability_exceptions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** null: the whole clinic */
    practitionerId: uuid('practitioner_id').references(() => practitioners.id, { onDelete: 'cascade' }),
    /** null: every clinic of the practitioner */
    clinicId: uuid('clinic_id').references(() => clinics.id),
    kind: text('kind', { enum: ['leave', 'holiday', 'closure', 'other'] }).notNull(),
    startsAt: ts('starts_at').notNull(),
    endsAt: ts('ends_at').notNull(),
    reason: text('reason'),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    index('availability_exceptions_practitioner').on(t.practitionerId, t.startsAt),
    index('availability_exceptions_clinic').on(t.clinicId, t.startsAt),
  ],
);

/**
 * Appointments. Two exclusion constraints in the migration (btree_gist) make double booking
 * impossible: one practitioner's [starts_at, block_ends_at) ranges never overlap, nor one
 * patient's [starts_at, ends_at), among appointments that still hold their time. A "held" row is a
 * freed slot offered to a waitlisted patient until hold_expires_at.
 */
export const appointments = pgTable(
  'appointments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    clinicId: uuid('clinic_id')
      .notNull()
      .references(() => clinics.id),
    practitionerId: uuid('practitioner_id')
      .notNull()
      .references(() => practitioners.id),
    patientId: uuid('patient_id')
      .notNull()
      .references(() => patients.id),
    visitTypeId: uuid('visit_type_id')
      .notNull()
      .references(() => visitTypes.id),
    startsAt: ts('starts_at').notNull(),
    endsAt: ts('ends_at').notNull(),
    /** ends_at plus the template's buffer: the practitioner's time this booking takes */
    blockEndsAt: ts('block_ends_at').notNull(),
    status: text('status', { enum: APPOINTMENT_STATUSES }).notNull(),
    reason: text('reason'),
    notes: text('notes'),
    source: text('source', { enum: ['staff', 'portal', 'waitlist'] }).notNull(),
    /** the appointment this one replaced when it was rescheduled */
    rescheduledFromId: uuid('rescheduled_from_id'),
    cancelReason: text('cancel_reason'),
    cancelledAt: ts('cancelled_at'),
    cancelledBy: uuid('cancelled_by').references(() => users.id),
    holdExpiresAt: ts('hold_expires_at'),
    bookedBy: uuid('booked_by').references(() => users.id),
    confirmedAt: ts('confirmed_at'),
    checkedInAt: ts('checked_in_at'),
    completedAt: ts('completed_at'),
    /** 0–1, computed at booking from the patient's history; explained by no_show_factors */
    noShowRisk: real('no_show_risk'),
    /** what made the risk: [{ code, weight, value }], so the calendar can explain it */
    noShowFactors: jsonb('no_show_factors'),
    version: integer('version').notNull().default(1),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    index('appointments_practitioner_time').on(t.practitionerId, t.startsAt),
    index('appointments_clinic_time').on(t.clinicId, t.startsAt),
    index('appointments_patient_time').on(t.patientId, t.startsAt),
    index('appointments_rescheduled_from').on(t.rescheduledFromId),
  ],
);

/** Patients waiting for an earlier or any slot; offered freed slots in order of creation. */
export const waitlistEntries = pgTable(
  'waitlist_entries',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    clinicId: uuid('clinic_id')
      .notNull()
      .references(() => clinics.id),
    patientId: uuid('patient_id')
      .notNull()
      .references(() => patients.id),
    /** null: any practitioner of the specialty (or of the clinic) */
    practitionerId: uuid('practitioner_id').references(() => practitioners.id),
    specialtyId: uuid('specialty_id').references(() => specialties.id),
    visitTypeId: uuid('visit_type_id')
      .notNull()
      .references(() => visitTypes.id),
    earliest: date('earliest', { mode: 'string' }).notNull(),
    latest: date('latest', { mode: 'string' }).notNull(),
    status: text('status', { enum: ['waiting', 'offered', 'booked', 'cancelled'] }).notNull(),
    /** the held appointment currently offered to this patient */
    offerAppointmentId: uuid('offer_appointment_id').references(() => appointments.id),
    notes: text('notes'),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [index('waitlist_entries_clinic_status').on(t.clinicId, t.status, t.createdAt)],
);

/**
 * Who was offered which freed slot (practitioner and start), so that a declined or expired offer
 * moves on to the next waiting patient instead of coming back to the same one.
 */
export const waitlistOffers = pgTable(
  'waitlist_offers',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    entryId: uuid('entry_id')
      .notNull()
      .references(() => waitlistEntries.id, { onDelete: 'cascade' }),
    appointmentId: uuid('appointment_id')
      .notNull()
      .references(() => appointments.id),
    practitionerId: uuid('practitioner_id')
      .notNull()
      .references(() => practitioners.id),
    startsAt: ts('starts_at').notNull(),
    outcome: text('outcome', { enum: ['pending', 'accepted', 'declined', 'expired', 'cancelled'] })
      .notNull()
      .default('pending'),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('waitlist_offers_entry_slot').on(t.entryId, t.practitionerId, t.startsAt),
    index('waitlist_offers_appointment').on(t.appointmentId),
  ],
);

/** One reminder of one appointment on one channel; its status makes sending idempotent. */
export const appointmentReminders = pgTable(
  'appointment_reminders',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    appointmentId: uuid('appointment_id')
      .notNull()
      .references(() => appointments.id, { onDelete: 'cascade' }),
    channel: text('channel', { enum: ['email', 'sms'] }).notNull(),
    leadMinutes: integer('lead_minutes').notNull(),
    dueAt: ts('due_at').notNull(),
    status: text('status', { enum: ['scheduled', 'sent', 'cancelled', 'failed', 'skipped'] }).notNull(),
    sentAt: ts('sent_at'),
    error: text('error'),
  },
  (t) => [uniqueIndex('appointment_reminders_unique').on(t.appointmentId, t.channel, t.leadMinutes)],
);

/** Scheduling rules of a clinic. */
export const clinicSchedulingSettings = pgTable('clinic_scheduling_settings', {
  clinicId: uuid('clinic_id')
    .primaryKey()
    .references(() => clinics.id),
  /** a patient cannot cancel or reschedule closer than this to the start */
  patientCancelNoticeHours: integer('patient_cancel_notice_hours').notNull().default(24),
  /** how far ahead patients may book in the portal */
  patientBookingHorizonDays: integer('patient_booking_horizon_days').notNull().default(60),
  /** reminders this many minutes before the start */
  reminderLeadMinutes: integer('reminder_lead_minutes')
    .array()
    .notNull()
    .default(sql`'{1440,120}'::integer[]`),
  reminderChannels: text('reminder_channels')
    .array()
    .notNull()
    .default(sql`'{email,sms}'::text[]`),
  /** how long a freed slot is held for a waitlisted patient */
  waitlistHoldMinutes: integer('waitlist_hold_minutes').notNull().default(30),
});
