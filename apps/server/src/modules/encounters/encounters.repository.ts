import { and, desc, eq, sql } from 'drizzle-orm';
import type { TodayState } from '@sanita/contracts/encounters';
import { encounters } from '../../db/schema/encounters.ts';
import { users } from '../../db/schema/identity.ts';
import { practitioners } from '../../db/schema/scheduling.ts';
import type { Executor } from '../../platform/db/database.ts';
import { linkedToClinic } from '../../platform/patient-access.ts';
import { timelineWindow, type TimelineEntry, type TimelineQuery } from '../../platform/timeline.ts';

export type NewEncounterRow = typeof encounters.$inferInsert;

/** An encounter with the names of who started and ended it and of its practitioner. */
export type EncounterRow = typeof encounters.$inferSelect & {
  practitionerName: string | null;
  startedByName: string;
  endedByName: string | null;
};

const selectColumns = sql`e.id, e.clinic_id AS "clinicId", e.patient_id AS "patientId", e.visit_id AS "visitId",
  e.appointment_id AS "appointmentId", e.ticket_id AS "ticketId", e.practitioner_id AS "practitionerId", e.type, e.status,
  e.reason, e.started_at AS "startedAt", e.ended_at AS "endedAt", e.started_by AS "startedBy", e.ended_by AS "endedBy",
  e.version, pr.display_name AS "practitionerName", su.display_name AS "startedByName", eu.display_name AS "endedByName"`;
const joins = sql`LEFT JOIN practitioners pr ON pr.id = e.practitioner_id
  JOIN users su ON su.id = e.started_by
  LEFT JOIN users eu ON eu.id = e.ended_by`;

/** node-postgres returns timestamps of raw statements as Date already; be safe with strings. */
const dated = (r: EncounterRow): EncounterRow => ({
  ...r,
  startedAt: new Date(r.startedAt),
  endedAt: r.endedAt === null ? null : new Date(r.endedAt),
});

/** The signed-in user's practitioner record (the scheduling module's practitioners, by their user link). */
export async function practitionerOfUser(db: Executor, userId: string): Promise<{ id: string; name: string } | undefined> {
  const [row] = await db
    .select({ id: practitioners.id, name: practitioners.displayName })
    .from(practitioners)
    .where(eq(practitioners.userId, userId))
    .limit(1);
  return row;
}

/** The patient an encounter is about: their status and whether they are registered at `clinicId`. */
export async function patientAt(
  db: Executor,
  patientId: string,
  clinicId: string | null,
): Promise<{ status: string; linked: boolean } | undefined> {
  const res = await db.execute<{ status: string; linked: boolean }>(
    sql`SELECT p.status, ${linkedToClinic(sql`p.id`, clinicId)} AS linked FROM patients p WHERE p.id = ${patientId}`,
  );
  return res.rows[0];
}

/** An appointment's clinic, patient and status (read only: its changes go through the appointments service). */
export async function appointmentState(
  db: Executor,
  appointmentId: string,
): Promise<{ id: string; clinicId: string; patientId: string; status: string; practitionerId: string } | undefined> {
  const res = await db.execute<{ id: string; clinicId: string; patientId: string; status: string; practitionerId: string }>(sql`
    SELECT id, clinic_id AS "clinicId", patient_id AS "patientId", status, practitioner_id AS "practitionerId"
    FROM appointments WHERE id = ${appointmentId}`);
  return res.rows[0];
}

export async function encounterById(db: Executor, id: string): Promise<EncounterRow | undefined> {
  const res = await db.execute<EncounterRow>(sql`SELECT ${selectColumns} FROM encounters e ${joins} WHERE e.id = ${id}`);
  return res.rows[0] && dated(res.rows[0]);
}

/** Locks an encounter for a change. */
export async function lockEncounter(
  db: Executor,
  id: string,
): Promise<{ id: string; status: string; version: number; clinicId: string; patientId: string } | undefined> {
  const res = await db.execute<{ id: string; status: string; version: number; clinicId: string; patientId: string }>(sql`
    SELECT id, status, version, clinic_id AS "clinicId", patient_id AS "patientId" FROM encounters WHERE id = ${id} FOR UPDATE`);
  return res.rows[0];
}

/** The encounter in progress for a visit (at most one: encounters_visit_in_progress). */
export async function inProgressOfVisit(db: Executor, visitId: string): Promise<string | undefined> {
  const [row] = await db
    .select({ id: encounters.id })
    .from(encounters)
    .where(and(eq(encounters.visitId, visitId), eq(encounters.status, 'in_progress')))
    .limit(1);
  return row?.id;
}

/** A walk-in's encounter in progress at the clinic (one without a visit), for the same patient. */
export async function inProgressWalkIn(db: Executor, patientId: string, clinicId: string): Promise<string | undefined> {
  const res = await db.execute<{ id: string }>(sql`
    SELECT id FROM encounters
    WHERE patient_id = ${patientId} AND clinic_id = ${clinicId} AND visit_id IS NULL AND status = 'in_progress'
    ORDER BY started_at DESC LIMIT 1`);
  return res.rows[0]?.id;
}

/** Inserts an encounter; a concurrent start of the same visit loses on encounters_visit_in_progress (23505). */
export async function insertEncounter(db: Executor, row: NewEncounterRow): Promise<string> {
  const [stored] = await db.insert(encounters).values(row).returning({ id: encounters.id });
  return stored!.id;
}

export async function closeEncounter(db: Executor, id: string, status: 'finished' | 'cancelled', endedBy: string): Promise<void> {
  await db.execute(sql`
    UPDATE encounters SET status = ${status}, ended_at = now(), ended_by = ${endedBy}, version = version + 1 WHERE id = ${id}`);
}

/**
 * A patient's encounters, newest first (by start, then id), `limit` of them, after the encounter
 * `afterId` when given (the last one of the previous page).
 */
export async function listForPatient(
  db: Executor,
  patientId: string,
  limit: number,
  afterId: string | null,
): Promise<EncounterRow[]> {
  const after = afterId
    ? sql`AND (e.started_at, e.id) < (SELECT c.started_at, c.id FROM encounters c WHERE c.id = ${afterId} AND c.patient_id = ${patientId})`
    : sql``;
  const res = await db.execute<EncounterRow>(sql`
    SELECT ${selectColumns} FROM encounters e ${joins}
    WHERE e.patient_id = ${patientId} ${after}
    ORDER BY e.started_at DESC, e.id DESC LIMIT ${limit}`);
  return res.rows.map(dated);
}

/** A merge moves the duplicate's encounters to the surviving record. */
export async function moveEncounters(db: Executor, fromId: string, toId: string): Promise<void> {
  await db.update(encounters).set({ patientId: toId }).where(eq(encounters.patientId, fromId));
}

export { clinicToday } from '../../platform/db/queries.ts';

export type TodayRow = {
  time: Date;
  kind: 'appointment' | 'walk_in';
  state: TodayState;
  patientId: string;
  givenName: string;
  middleName: string | null;
  familyName: string;
  mrn: string;
  appointmentId: string | null;
  visitId: string | null;
  ticketId: string | null;
  ticketCode: string | null;
  ticketStatus: string | null;
  encounterId: string | null;
  reason: string | null;
};

/**
 * A practitioner's day at a clinic, in time order:
 * - their appointments of the local day (not held, cancelled or missed), with the visit of their
 *   check-in, its latest ticket and its latest encounter;
 * - visits of the day without an appointment of theirs that are routed to them: the visit names
 *   them, they called one of its tickets, it waits at a consultation service point they called
 *   from today ("their" room), or they started its encounter;
 * - encounters of the day they started or lead without a visit (walk-ins seen outside the queue).
 * States: an encounter in progress → in_consultation; finished (or the appointment completed, the
 * visit closed) → done; checked in (a visit) → waiting; otherwise booked.
 */
export async function practitionerDay(
  db: Executor,
  v: { clinicId: string; today: string; timezone: string; practitionerId: string | null; userId: string },
): Promise<TodayRow[]> {
  const pr = v.practitionerId;
  const res = await db.execute<TodayRow>(sql`
    WITH day AS (
      SELECT (${v.today}::date)::timestamp AT TIME ZONE ${v.timezone} AS lo,
             (${v.today}::date + 1)::timestamp AT TIME ZONE ${v.timezone} AS hi
    ),
    mine_sp AS (
      SELECT DISTINCT t.service_point_id FROM queue_tickets t JOIN service_points sp ON sp.id = t.service_point_id
      WHERE t.clinic_id = ${v.clinicId} AND t.service_date = ${v.today}::date AND t.called_by = ${v.userId}
        AND sp.kind = 'consultation'
    ),
    items AS (
      SELECT a.starts_at AS time, 'appointment' AS kind, a.patient_id, a.id AS appointment_id, vi.id AS visit_id,
             vi.status AS visit_status, a.status AS appt_status, a.reason
      FROM appointments a
      CROSS JOIN day
      LEFT JOIN visits vi ON vi.appointment_id = a.id
      WHERE a.clinic_id = ${v.clinicId} AND a.practitioner_id = ${pr}
        AND a.starts_at >= day.lo AND a.starts_at < day.hi
        AND a.status IN ('requested', 'booked', 'checked_in', 'in_progress', 'completed')
      UNION ALL
      SELECT vi.started_at, 'walk_in', vi.patient_id, vi.appointment_id, vi.id, vi.status, NULL, vi.reason
      FROM visits vi
      CROSS JOIN day
      LEFT JOIN appointments va ON va.id = vi.appointment_id
      WHERE vi.clinic_id = ${v.clinicId} AND vi.started_at >= day.lo AND vi.started_at < day.hi
        AND (va.id IS NULL OR va.practitioner_id IS DISTINCT FROM ${pr})
        AND (
          (${pr}::uuid IS NOT NULL AND vi.practitioner_id = ${pr})
          OR EXISTS (SELECT 1 FROM queue_tickets t WHERE t.visit_id = vi.id
                      AND (t.called_by = ${v.userId}
                           OR (t.status = 'waiting' AND t.service_point_id IN (SELECT service_point_id FROM mine_sp))))
          OR EXISTS (SELECT 1 FROM encounters e WHERE e.visit_id = vi.id
                      AND (e.started_by = ${v.userId} OR (${pr}::uuid IS NOT NULL AND e.practitioner_id = ${pr})))
        )
      UNION ALL
      SELECT e.started_at, 'walk_in', e.patient_id, NULL, NULL, NULL, NULL, e.reason
      FROM encounters e
      CROSS JOIN day
      WHERE e.clinic_id = ${v.clinicId} AND e.visit_id IS NULL AND e.appointment_id IS NULL AND e.status <> 'cancelled'
        AND e.started_at >= day.lo AND e.started_at < day.hi
        AND (e.started_by = ${v.userId} OR (${pr}::uuid IS NOT NULL AND e.practitioner_id = ${pr}))
    )
    SELECT i.time, i.kind, i.patient_id AS "patientId", p.given_name AS "givenName", p.middle_name AS "middleName",
           p.family_name AS "familyName", p.mrn, i.appointment_id AS "appointmentId", i.visit_id AS "visitId",
           tk.id AS "ticketId", tk.code AS "ticketCode", tk.status AS "ticketStatus", en.id AS "encounterId", COALESCE(i.reason, en.reason) AS reason,
           CASE
             WHEN en.status = 'in_progress' THEN 'in_consultation'
             WHEN en.status = 'finished' OR i.appt_status = 'completed' OR i.visit_status = 'closed' THEN 'done'
             WHEN i.visit_id IS NOT NULL OR i.appt_status IN ('checked_in', 'in_progress') THEN 'waiting'
             ELSE 'booked'
           END AS state
    FROM items i
    JOIN patients p ON p.id = i.patient_id
    LEFT JOIN LATERAL (
      SELECT t.id, t.code, t.status FROM queue_tickets t WHERE t.visit_id = i.visit_id
      ORDER BY (t.status IN ('waiting', 'called', 'in_service')) DESC, t.arrived_at DESC LIMIT 1
    ) tk ON i.visit_id IS NOT NULL
    LEFT JOIN LATERAL (
      SELECT e.id, e.status, e.reason FROM encounters e
      WHERE e.status <> 'cancelled'
        AND (e.visit_id = i.visit_id OR e.appointment_id = i.appointment_id
             OR (i.visit_id IS NULL AND i.appointment_id IS NULL AND e.patient_id = i.patient_id AND e.visit_id IS NULL
                 AND e.clinic_id = ${v.clinicId} AND e.started_at = i.time))
      ORDER BY (e.status = 'in_progress') DESC, e.started_at DESC LIMIT 1
    ) en ON true
    ORDER BY i.time, p.family_name, i.patient_id`);
  return res.rows.map((r) => ({ ...r, time: new Date(r.time) }));
}

/**
 * The patient's encounters as timeline entries, newest first by when they started (index
 * encounters_patient_started): type, status, reason, end; by their practitioner, or whoever started them.
 */
export async function timelineOf(db: Executor, q: TimelineQuery): Promise<TimelineEntry[]> {
  const rows = await db
    .select({
      id: encounters.id,
      at: encounters.startedAt,
      clinicId: encounters.clinicId,
      by: sql<string>`coalesce(${practitioners.displayName}, ${users.displayName})`,
      type: encounters.type,
      status: encounters.status,
      reason: encounters.reason,
      endedAt: encounters.endedAt,
    })
    .from(encounters)
    .innerJoin(users, eq(users.id, encounters.startedBy))
    .leftJoin(practitioners, eq(practitioners.id, encounters.practitionerId))
    .where(and(eq(encounters.patientId, q.patientId), ...timelineWindow(encounters.startedAt, encounters.id, q)))
    .orderBy(desc(encounters.startedAt), desc(encounters.id))
    .limit(q.limit);
  return rows.map(({ id, at, clinicId, by, endedAt, ...data }) => ({
    kind: 'encounter',
    id,
    at,
    clinicId,
    by,
    data: { ...data, endedAt: endedAt?.toISOString() ?? null },
  }));
}
