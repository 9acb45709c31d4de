import { sql } from 'drizzle-orm';
import { CONSCIOUSNESS, NEWS2_RISKS, type News2 } from '@sanita/contracts/chart';
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
    index('vitals_patient_taken').on(t.patientId, t.takenAt.desc(), t.id.desc()),
    check('vitals_spo2_scale', sql`${t.spo2Scale} IN (1, 2)`),
  ],
);
