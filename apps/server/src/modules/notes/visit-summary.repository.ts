import { sql } from 'drizzle-orm';
import type { VisitSummaryContent } from '@sanita/contracts/letters';
import type { Executor } from '../../platform/db/database.ts';

/** A visit summary prints at most this many sets of vitals (the latest of a long stay). */
export const VISIT_SUMMARY_VITALS = 10;

/**
 * The vitals taken during the encounter, in time order: the patient's sets recorded at its clinic from
 * the visit's check-in (the encounter's start for a patient seen without a visit) until the encounter
 * ended (while it is in progress: until the note was signed); the latest `VISIT_SUMMARY_VITALS`.
 */
export async function vitalsDuring(db: Executor, encounterId: string): Promise<VisitSummaryContent['vitals']> {
  const { rows } = await db.execute<{
    taken_at: string | Date;
    systolic: number | null;
    diastolic: number | null;
    heart_rate: number | null;
    respiratory_rate: number | null;
    temperature: string | null;
    spo2: number | null;
    weight_kg: string | null;
    height_cm: string | null;
    bmi: string | null;
    glucose: string | null;
  }>(sql`
    SELECT * FROM (
      SELECT vt.taken_at, vt.systolic, vt.diastolic, vt.heart_rate, vt.respiratory_rate, vt.temperature, vt.spo2,
             vt.weight_kg, vt.height_cm, vt.bmi, vt.glucose
        FROM encounters e
        JOIN notes n ON n.encounter_id = e.id
        LEFT JOIN visits v ON v.id = e.visit_id
        JOIN vitals vt ON vt.patient_id = e.patient_id AND vt.clinic_id = e.clinic_id
                      AND vt.taken_at >= coalesce(v.started_at, e.started_at)
                      AND vt.taken_at <= coalesce(e.ended_at, n.signed_at, now())
       WHERE e.id = ${encounterId}
       ORDER BY vt.taken_at DESC, vt.id DESC
       LIMIT ${VISIT_SUMMARY_VITALS}
    ) latest ORDER BY taken_at`);
  const decimal = (v: string | null) => (v === null ? null : Number(v));
  return rows.map((r) => ({
    takenAt: new Date(r.taken_at).toISOString(),
    systolic: r.systolic,
    diastolic: r.diastolic,
    heartRate: r.heart_rate,
    respiratoryRate: r.respiratory_rate,
    temperature: decimal(r.temperature),
    spo2: r.spo2,
    weightKg: decimal(r.weight_kg),
    heightCm: decimal(r.height_cm),
    bmi: decimal(r.bmi),
    glucose: decimal(r.glucose),
  }));
}
