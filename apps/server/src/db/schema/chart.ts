import { sql } from 'drizzle-orm';
import {
  CONSCIOUSNESS,
  NEWS2_ALERT_STATUSES,
  NEWS2_ALERT_TRIGGERS,
  NEWS2_DEFAULT_ESCALATION_MINUTES,
  NEWS2_RISKS,
  type News2,
} from '@sanita/contracts/chart';
import { boolean, check, index, integer, jsonb, numeric, pgTable, smallint, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { clinics, users } from './identity.ts';
import { patients } from './patients.ts';

const ts = (name: string) => timestamp(name, { withTimezone: true });
const decimal = (name: string, precision: number, scale: number) => numeric(name, { precision, scale, mode: 'number' });

/**
 * One set of vitals of a patient, recorded at a clinic. Every measure may be absent; NEWS2 is the
 * server's computation (`news2()` of @sanita/clinical) when the seven parameters it needs are there.
 */
export const vitals = pgTable(
  'vitals',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    patientId: uuid('patient_id')
      .notNull()
      .references(() => patients.id),
    clinicId: uuid('clinic_id')
      .notNull()
      .references(() => clinics.id),
    recordedBy: uuid('recorded_by')
      .notNull()
      .references(() => users.id),
    /** when the measures were taken */
    takenAt: ts('taken_at').notNull(),
    /** when they were entered */
    recordedAt: ts('recorded_at').notNull().defaultNow(),
    systolic: integer('systolic'),
    diastolic: integer('diastolic'),
    heartRate: integer('heart_rate'),
    respiratoryRate: integer('respiratory_rate'),
    /** °C */
    temperature: decimal('temperature', 4, 1),
    spo2: integer('spo2'),
    onOxygen: boolean('on_oxygen'),
    spo2Scale: smallint('spo2_scale').notNull().default(1),
    consciousness: text('consciousness', { enum: CONSCIOUSNESS }),
    weightKg: decimal('weight_kg', 5, 2),
    heightCm: decimal('height_cm', 5, 1),
    bmi: decimal('bmi', 4, 1),
    pain: smallint('pain'),
    /** mmol/L */
    glucose: decimal('glucose', 4, 1),
    note: text('note'),
    news2Total: smallint('news2_total'),
    news2Risk: text('news2_risk', { enum: NEWS2_RISKS }),
    /** the whole NEWS2 (scale, per-parameter scores, risk, alert) as computed when recorded */
    news2: jsonb('news2').$type<News2>(),
  },
  (t) => [
    // the chart lists a patient's sets newest first and pages on (taken_at, id)
    // newest first: DESC NULLS FIRST, the order of `ORDER BY … DESC` (drizzle's desc() alone gives NULLS LAST, which that order cannot scan)
    index('vitals_patient_taken').on(t.patientId, t.takenAt.desc().nullsFirst(), t.id.desc().nullsFirst()),
    check('vitals_spo2_scale', sql`${t.spo2Scale} IN (1, 2)`),
  ],
);

/**
 * A NEWS2 alert, raised in the transaction that records the set scoring a total of 5 or more or 3 in
 * one parameter (one alert per set). Open until acknowledged; while open, the `news2.escalate` job
 * raises its escalation level every `escalation_minutes` of its clinic.
 */
export const news2Alerts = pgTable(
  'news2_alerts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    clinicId: uuid('clinic_id')
      .notNull()
      .references(() => clinics.id),
    patientId: uuid('patient_id')
      .notNull()
      .references(() => patients.id),
    vitalsId: uuid('vitals_id')
      .notNull()
      .unique()
      .references(() => vitals.id),
    total: smallint('total').notNull(),
    risk: text('risk', { enum: NEWS2_RISKS }).notNull(),
    trigger: text('trigger', { enum: NEWS2_ALERT_TRIGGERS }).notNull(),
    raisedAt: ts('raised_at').notNull().defaultNow(),
    status: text('status', { enum: NEWS2_ALERT_STATUSES }).notNull().default('open'),
    acknowledgedBy: uuid('acknowledged_by').references(() => users.id),
    acknowledgedAt: ts('acknowledged_at'),
    note: text('note'),
    escalationLevel: smallint('escalation_level').notNull().default(0),
    escalatedAt: ts('escalated_at'),
  },
  (t) => [
    // the clinic's open alerts (the header's bell, the home panel) and a patient's alerts
    index('news2_alerts_clinic_open')
      .on(t.clinicId, t.raisedAt.desc().nullsFirst())
      .where(sql`${t.status} = 'open'`),
    index('news2_alerts_patient').on(t.patientId, t.raisedAt.desc().nullsFirst()),
    check(
      'news2_alerts_acknowledged',
      sql`(${t.status} = 'open') = (${t.acknowledgedBy} IS NULL AND ${t.acknowledgedAt} IS NULL)`,
    ),
  ],
);

/** A clinic's NEWS2 alert settings (a clinic without a row uses the defaults). */
export const news2Settings = pgTable(
  'news2_settings',
  {
    clinicId: uuid('clinic_id')
      .primaryKey()
      .references(() => clinics.id),
    escalationMinutes: integer('escalation_minutes').notNull().default(NEWS2_DEFAULT_ESCALATION_MINUTES),
    updatedBy: uuid('updated_by').references(() => users.id),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [check('news2_settings_minutes', sql`${t.escalationMinutes} BETWEEN 1 AND 1440`)],
);
