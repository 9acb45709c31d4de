import { sql } from 'drizzle-orm';
import {
  LAB_CRITICAL_DEFAULT_MINUTES,
  LAB_CRITICAL_MAX_ESCALATION,
  type LabAlertStatus,
  type LabFlag,
} from '@sanita/contracts/lab';
import type { Executor } from '../../platform/db/database.ts';

const iso = (col: string) => sql.raw(`to_char(${col} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`);

export type AlertRow = {
  id: string;
  resultId: string;
  orderId: string;
  orderNumber: string;
  patientId: string;
  patientName: string;
  mrn: string;
  clinicId: string;
  orderedBy: string | null;
  orderedByName: string | null;
  status: LabAlertStatus;
  level: number;
  raisedAt: string;
  escalatedAt: string | null;
  acknowledgedAt: string | null;
  acknowledgedBy: string | null;
  acknowledgedByName: string | null;
  note: string | null;
  testName: string;
  testNameFr: string | null;
  valueNumeric: string | null;
  valueCode: string | null;
  valueText: string | null;
  decimals: number;
  unit: string | null;
  flag: LabFlag | null;
  range: { low: number | null; high: number | null } | null;
};

const columns = sql`a.id, a.result_id AS "resultId", a.order_id AS "orderId", o.number AS "orderNumber", a.patient_id AS "patientId",
  p.given_name || ' ' || p.family_name AS "patientName", p.mrn, a.clinic_id AS "clinicId", a.ordered_by AS "orderedBy",
  ob.display_name AS "orderedByName", a.status, a.level, ${iso('a.raised_at')} AS "raisedAt", ${iso('a.escalated_at')} AS "escalatedAt",
  ${iso('a.acknowledged_at')} AS "acknowledgedAt", a.acknowledged_by AS "acknowledgedBy", ab.display_name AS "acknowledgedByName",
  a.note, t.name AS "testName", t.name_fr AS "testNameFr", r.value_numeric::text AS "valueNumeric", r.value_code AS "valueCode", r.value_text AS "valueText",
  t.decimals, r.unit, r.flag, r.range`;
const from = sql`lab_critical_alerts a JOIN lab_orders o ON o.id = a.order_id JOIN patients p ON p.id = a.patient_id
  JOIN lab_results r ON r.id = a.result_id JOIN lab_tests t ON t.id = r.test_id
  LEFT JOIN users ob ON ob.id = a.ordered_by LEFT JOIN users ab ON ab.id = a.acknowledged_by`;

export async function insertAlerts(
  db: Executor,
  rows: { resultId: string; orderId: string; patientId: string; clinicId: string; orderedBy: string | null }[],
): Promise<string[]> {
  const ids: string[] = [];
  for (const r of rows) {
    const res = await db.execute<{ id: string }>(sql`
      INSERT INTO lab_critical_alerts (result_id, order_id, patient_id, clinic_id, ordered_by)
      VALUES (${r.resultId}, ${r.orderId}, ${r.patientId}, ${r.clinicId}, ${r.orderedBy})
      ON CONFLICT (result_id) DO NOTHING RETURNING id`);
    if (res.rows[0]) ids.push(res.rows[0].id);
  }
  return ids;
}

export async function alertById(db: Executor, id: string, lock = false): Promise<AlertRow | undefined> {
  if (lock) await db.execute(sql`SELECT 1 FROM lab_critical_alerts WHERE id = ${id} FOR UPDATE`);
  const { rows } = await db.execute<AlertRow>(sql`SELECT ${columns} FROM ${from} WHERE a.id = ${id}`);
  return rows[0];
}

export async function clinicAlerts(
  db: Executor,
  clinicId: string,
  f: { status?: LabAlertStatus; orderedBy?: string; limit: number },
): Promise<AlertRow[]> {
  const { rows } = await db.execute<AlertRow>(sql`
    SELECT ${columns} FROM ${from} WHERE a.clinic_id = ${clinicId}
      ${f.status ? sql`AND a.status = ${f.status}` : sql``}
      ${f.orderedBy ? sql`AND a.ordered_by = ${f.orderedBy}` : sql``}
     ORDER BY a.raised_at DESC, a.id LIMIT ${f.limit}`);
  return rows;
}

export async function acknowledge(db: Executor, id: string, userId: string, note: string | null): Promise<void> {
  await db.execute(sql`UPDATE lab_critical_alerts SET status = 'acknowledged', acknowledged_at = now(), acknowledged_by = ${userId},
                        note = ${note} WHERE id = ${id}`);
}

export async function escalate(db: Executor, id: string, level: number, at: Date): Promise<void> {
  await db.execute(sql`UPDATE lab_critical_alerts SET level = ${level}, escalated_at = ${at.toISOString()} WHERE id = ${id}`);
}

/** Minutes a critical alert of the clinic waits before each escalation. */
export async function escalationMinutes(db: Executor, clinicId: string): Promise<number> {
  const { rows } = await db.execute<{ m: number }>(
    sql`SELECT critical_escalation_minutes AS m FROM lab_settings WHERE clinic_id = ${clinicId}`,
  );
  return rows[0]?.m ?? LAB_CRITICAL_DEFAULT_MINUTES;
}

export type Recipient = {
  id: string;
  email: string;
  locale: string;
};

export async function usersByIds(db: Executor, ids: string[]): Promise<Recipient[]> {
  if (!ids.length) return [];
  const { rows } = await db.execute<Recipient>(
    sql`SELECT id, email, locale FROM users WHERE id = ANY(${sql.param(ids)}::uuid[]) AND active`,
  );
  return rows;
}

/** Every active doctor of the clinic. */
export async function clinicDoctors(db: Executor, clinicId: string): Promise<Recipient[]> {
  const { rows } = await db.execute<Recipient>(sql`
    SELECT DISTINCT u.id, u.email, u.locale FROM memberships m JOIN users u ON u.id = m.user_id
     WHERE m.clinic_id = ${clinicId} AND m.role_id = 'doctor' AND u.active ORDER BY u.email`);
  return rows;
}

/**
 * The clinic's doctors on duty at `at`: those whose weekly availability at the clinic (its local
 * time) holds that moment, not on leave nor with the clinic closed.
 */
export async function doctorsOnDuty(db: Executor, clinicId: string, at: Date): Promise<Recipient[]> {
  const { rows } = await db.execute<Recipient>(sql`
    WITH c AS (SELECT timezone FROM clinics WHERE id = ${clinicId}),
         local AS (SELECT (${at.toISOString()}::timestamptz AT TIME ZONE c.timezone) AS t FROM c)
    SELECT DISTINCT u.id, u.email, u.locale
      FROM memberships m JOIN users u ON u.id = m.user_id
      JOIN practitioners pr ON pr.user_id = u.id AND pr.active
      JOIN availability_templates at ON at.practitioner_id = pr.id AND at.clinic_id = ${clinicId}
      CROSS JOIN local
     WHERE m.clinic_id = ${clinicId} AND m.role_id = 'doctor' AND u.active
       AND at.weekday = extract(isodow FROM local.t)
       AND local.t::time >= at.start_time AND local.t::time < at.end_time
       AND (at.valid_from IS NULL OR at.valid_from <= local.t::date)
       AND (at.valid_to IS NULL OR at.valid_to >= local.t::date)
       AND NOT EXISTS (
         SELECT 1 FROM availability_exceptions e
          WHERE (e.practitioner_id = pr.id OR e.practitioner_id IS NULL)
            AND (e.clinic_id = ${clinicId} OR e.clinic_id IS NULL)
            AND e.starts_at <= ${at.toISOString()}::timestamptz AND e.ends_at > ${at.toISOString()}::timestamptz)
     ORDER BY u.email`);
  return rows;
}

export async function clinicInfo(db: Executor, clinicId: string): Promise<{ name: string; timezone: string }> {
  const { rows } = await db.execute<{ name: string; timezone: string }>(
    sql`SELECT name, timezone FROM clinics WHERE id = ${clinicId}`,
  );
  return rows[0]!;
}

/** Open alerts that may still escalate, with when the next escalation is due (queued at start). */
export async function pendingEscalations(db: Executor): Promise<{ id: string; level: number; dueAt: Date }[]> {
  const { rows } = await db.execute<{ id: string; level: number; due_at: string }>(sql`
    SELECT a.id, a.level + 1 AS level,
           to_char((coalesce(a.escalated_at, a.raised_at)
             + make_interval(mins => coalesce(s.critical_escalation_minutes, ${LAB_CRITICAL_DEFAULT_MINUTES}))) AT TIME ZONE 'UTC',
             'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS due_at
      FROM lab_critical_alerts a LEFT JOIN lab_settings s ON s.clinic_id = a.clinic_id
     WHERE a.status = 'open' AND a.level < ${LAB_CRITICAL_MAX_ESCALATION}`);
  return rows.map((r) => ({ id: r.id, level: Number(r.level), dueAt: new Date(r.due_at) }));
}
