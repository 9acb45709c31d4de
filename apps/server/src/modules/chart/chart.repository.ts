import { and, desc, eq, getTableColumns, sql, type SQL } from 'drizzle-orm';
import { vitals } from '../../db/schema/chart.ts';
import { users } from '../../db/schema/identity.ts';
import { patients } from '../../db/schema/patients.ts';
import type { Executor } from '../../platform/db/database.ts';
import { timelineWindow, type TimelineEntry, type TimelineQuery } from '../../platform/timeline.ts';
import { linkedToClinic } from '../../platform/patient-access.ts';

export type VitalsRow = typeof vitals.$inferSelect & { recordedByName: string };
export type NewVitalsRow = typeof vitals.$inferInsert;

/**
 * The patient a chart is about: their status and birth date, and whether they are registered at
 * `clinicId` (by the one linkage fragment of the patient-access path); undefined when no such record.
 */
export async function patientForChart(
  db: Executor,
  patientId: string,
  clinicId: string | null,
): Promise<{ status: string; birthDate: string; linked: boolean } | undefined> {
  const [row] = await db
    .select({
      status: patients.status,
      birthDate: patients.birthDate,
      linked: sql<boolean>`${linkedToClinic(patients.id, clinicId)}`,
    })
    .from(patients)
    .where(eq(patients.id, patientId))
    .limit(1);
  return row;
}

const columns = { ...getTableColumns(vitals), recordedByName: users.displayName };

/** Records a set; returns it as stored, with the name of who recorded it (`recordedByName`). */
export async function insertVitals(db: Executor, row: NewVitalsRow, recordedByName: string): Promise<VitalsRow> {
  const [stored] = await db.insert(vitals).values(row).returning();
  return { ...stored!, recordedByName };
}

/**
 * A patient's sets, newest first (by when they were taken, then id), `limit` of them, after the set
 * `afterId` when given (the cursor of the previous page: the last set it showed).
 */
export function listVitals(db: Executor, patientId: string, limit: number, afterId: string | null): Promise<VitalsRow[]> {
  const after = afterId
    ? sql`(${vitals.takenAt}, ${vitals.id}) < (SELECT c.taken_at, c.id FROM vitals c WHERE c.id = ${afterId} AND c.patient_id = ${patientId})`
    : undefined;
  return selectVitals(db, and(eq(vitals.patientId, patientId), after)!, limit);
}

function selectVitals(db: Executor, where: SQL, limit: number): Promise<VitalsRow[]> {
  return db
    .select(columns)
    .from(vitals)
    .innerJoin(users, eq(users.id, vitals.recordedBy))
    .where(where)
    .orderBy(desc(vitals.takenAt), desc(vitals.id))
    .limit(limit);
}

/** A merge moves the duplicate's sets to the surviving record. */
export async function moveVitals(db: Executor, fromId: string, toId: string): Promise<void> {
  await db.update(vitals).set({ patientId: toId }).where(eq(vitals.patientId, fromId));
}

/** The patient's sets as timeline entries (newest first by when they were taken, after the cursor, within the dates). */
export async function timelineOf(db: Executor, q: TimelineQuery): Promise<TimelineEntry[]> {
  const rows = await db
    .select({
      id: vitals.id,
      at: vitals.takenAt,
      clinicId: vitals.clinicId,
      by: users.displayName,
      news2: vitals.news2Total,
      risk: vitals.news2Risk,
      systolic: vitals.systolic,
      diastolic: vitals.diastolic,
      heartRate: vitals.heartRate,
      respiratoryRate: vitals.respiratoryRate,
      temperature: vitals.temperature,
      spo2: vitals.spo2,
    })
    .from(vitals)
    .innerJoin(users, eq(users.id, vitals.recordedBy))
    .where(and(eq(vitals.patientId, q.patientId), ...timelineWindow(vitals.takenAt, vitals.id, q)))
    .orderBy(desc(vitals.takenAt), desc(vitals.id))
    .limit(q.limit);
  return rows.map(({ id, at, clinicId, by, temperature, ...data }) => ({
    kind: 'vitals',
    id,
    at,
    clinicId,
    by,
    data: { ...data, temperature: temperature === null ? null : Number(temperature) },
  }));
}
