import { sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../platform/db/database.ts';
import type { TicketEvent, TicketPriority, TicketStatus } from '@sanita/contracts/queue';

// ------------------------------------------------------------------ service points

export type ServicePointRow = {
  id: string;
  clinicId: string;
  code: string;
  name: string;
  kind: 'triage' | 'consultation' | 'lab' | 'pharmacy' | 'cashier' | 'imaging' | 'other';
  ticketPrefix: string;
  room: string | null;
  active: boolean;
};

const spColumns = sql`sp.id, sp.clinic_id AS "clinicId", sp.code, sp.name, sp.kind, sp.ticket_prefix AS "ticketPrefix", sp.room, sp.active`;

export async function listServicePoints(db: Executor, clinicId: string): Promise<ServicePointRow[]> {
  const res = await db.execute<ServicePointRow>(
    sql`SELECT ${spColumns} FROM service_points sp WHERE sp.clinic_id = ${clinicId} ORDER BY sp.active DESC, sp.code`,
  );
  return res.rows;
}

/** A service point of the clinic, or undefined (another clinic's looks like none). */
export async function servicePointInClinic(db: Executor, id: string, clinicId: string): Promise<ServicePointRow | undefined> {
  const res = await db.execute<ServicePointRow>(
    sql`SELECT ${spColumns} FROM service_points sp WHERE sp.id = ${id} AND sp.clinic_id = ${clinicId}`,
  );
  return res.rows[0];
}

export async function servicePointById(db: Executor, id: string): Promise<ServicePointRow | undefined> {
  const res = await db.execute<ServicePointRow>(sql`SELECT ${spColumns} FROM service_points sp WHERE sp.id = ${id}`);
  return res.rows[0];
}

export async function insertServicePoint(db: Executor, row: Omit<ServicePointRow, 'id'>): Promise<ServicePointRow> {
  const res = await db.execute<ServicePointRow>(sql`
    WITH sp AS (
      INSERT INTO service_points (clinic_id, code, name, kind, ticket_prefix, room, active)
      VALUES (${row.clinicId}, ${row.code}, ${row.name}, ${row.kind}, ${row.ticketPrefix}, ${row.room}, ${row.active})
      RETURNING *)
    SELECT ${spColumns} FROM sp`);
  return res.rows[0]!;
}

export async function updateServicePoint(
  db: Executor,
  id: string,
  clinicId: string,
  patch: Partial<Omit<ServicePointRow, 'id' | 'clinicId'>>,
): Promise<ServicePointRow | undefined> {
  const cols: Record<string, string> = {
    code: 'code',
    name: 'name',
    kind: 'kind',
    ticketPrefix: 'ticket_prefix',
    room: 'room',
    active: 'active',
  };
  const sets: SQL[] = [];
  for (const [key, col] of Object.entries(cols)) {
    const v = (patch as Record<string, unknown>)[key];
    if (v !== undefined) sets.push(sql`${sql.identifier(col)} = ${v}`);
  }
  if (!sets.length) return servicePointInClinic(db, id, clinicId);
  const res = await db.execute<ServicePointRow>(sql`
    WITH sp AS (
      UPDATE service_points SET ${sql.join(sets, sql`, `)} WHERE id = ${id} AND clinic_id = ${clinicId} RETURNING *)
    SELECT ${spColumns} FROM sp`);
  return res.rows[0];
}

// ------------------------------------------------------------------ clinic and patient

export { clinicToday } from '../../platform/db/queries.ts';

// ------------------------------------------------------------------ visits and tickets

export type VisitRow = {
  id: string;
  clinicId: string;
  patientId: string;
  appointmentId: string | null;
  kind: 'appointment' | 'walk_in';
  status: 'open' | 'closed';
  reason: string | null;
  startedAt: string;
};

export async function insertVisit(
  db: Executor,
  v: {
    clinicId: string;
    patientId: string;
    appointmentId: string | null;
    practitionerId: string | null;
    kind: 'appointment' | 'walk_in';
    reason: string | null;
    createdBy: string | null;
  },
): Promise<VisitRow> {
  const res = await db.execute<VisitRow>(sql`
    INSERT INTO visits (clinic_id, patient_id, appointment_id, practitioner_id, kind, status, reason, created_by)
    VALUES (${v.clinicId}, ${v.patientId}, ${v.appointmentId}, ${v.practitionerId}, ${v.kind}, 'open', ${v.reason}, ${v.createdBy})
    RETURNING id, clinic_id AS "clinicId", patient_id AS "patientId", appointment_id AS "appointmentId", kind, status, reason,
      started_at AS "startedAt"`);
  return res.rows[0]!;
}

export async function visitById(db: Executor, id: string): Promise<VisitRow | undefined> {
  const res = await db.execute<VisitRow>(sql`
    SELECT id, clinic_id AS "clinicId", patient_id AS "patientId", appointment_id AS "appointmentId", kind, status, reason,
      started_at AS "startedAt"
    FROM visits WHERE id = ${id}`);
  return res.rows[0];
}

/** The next ticket number of a service point on a local day; the row lock serialises concurrent check-ins. */
export async function nextTicketNumber(db: Executor, servicePointId: string, serviceDate: string): Promise<number> {
  const res = await db.execute<{ n: number }>(sql`
    INSERT INTO queue_counters AS c (service_point_id, service_date, last_number) VALUES (${servicePointId}, ${serviceDate}, 1)
    ON CONFLICT (service_point_id, service_date) DO UPDATE SET last_number = c.last_number + 1
    RETURNING c.last_number AS n`);
  return res.rows[0]!.n;
}

export type TicketRow = {
  id: string;
  clinicId: string;
  servicePointId: string;
  visitId: string;
  patientId: string;
  serviceDate: string;
  number: number;
  code: string;
  priority: TicketPriority;
  priorityRank: number;
  status: TicketStatus;
  arrivedAt: Date;
  calledAt: Date | null;
  serviceStartedAt: Date | null;
  finishedAt: Date | null;
  calledBy: string | null;
  transferredFromId: string | null;
  transferredToId: string | null;
  room: string | null;
  note: string | null;
  version: number;
};

const ticketColumns = sql`t.id, t.clinic_id AS "clinicId", t.service_point_id AS "servicePointId", t.visit_id AS "visitId",
  t.patient_id AS "patientId", t.service_date AS "serviceDate", t.number, t.code, t.priority, t.priority_rank AS "priorityRank",
  t.status, t.arrived_at AS "arrivedAt", t.called_at AS "calledAt", t.service_started_at AS "serviceStartedAt",
  t.finished_at AS "finishedAt", t.called_by AS "calledBy", t.transferred_from_id AS "transferredFromId",
  t.transferred_to_id AS "transferredToId", t.room, t.note, t.version`;

export async function insertTicket(
  db: Executor,
  t: {
    clinicId: string;
    servicePointId: string;
    visitId: string;
    patientId: string;
    serviceDate: string;
    number: number;
    code: string;
    priority: TicketPriority;
    priorityRank: number;
    transferredFromId: string | null;
    note?: string | null;
  },
): Promise<TicketRow> {
  const res = await db.execute<TicketRow>(sql`
    WITH t AS (
      INSERT INTO queue_tickets (clinic_id, service_point_id, visit_id, patient_id, service_date, number, code, priority,
        priority_rank, status, transferred_from_id, note)
      VALUES (${t.clinicId}, ${t.servicePointId}, ${t.visitId}, ${t.patientId}, ${t.serviceDate}, ${t.number}, ${t.code},
        ${t.priority}, ${t.priorityRank}, 'waiting', ${t.transferredFromId}, ${t.note ?? null})
      RETURNING *)
    SELECT ${ticketColumns} FROM t`);
  return res.rows[0]!;
}

/** Whether the patient already holds an open ticket at the service point on that day. */
export async function openTicketExists(
  db: Executor,
  patientId: string,
  servicePointId: string,
  serviceDate: string,
): Promise<boolean> {
  const res = await db.execute(sql`
    SELECT 1 FROM queue_tickets
    WHERE patient_id = ${patientId} AND service_point_id = ${servicePointId} AND service_date = ${serviceDate}
      AND status IN ('waiting', 'called', 'in_service')
    LIMIT 1`);
  return res.rows.length > 0;
}

/** A ticket of the clinic, locked for a transition. */
export async function lockTicket(db: Executor, id: string, clinicId: string): Promise<TicketRow | undefined> {
  const res = await db.execute<TicketRow>(
    sql`SELECT ${ticketColumns} FROM queue_tickets t WHERE t.id = ${id} AND t.clinic_id = ${clinicId} FOR UPDATE`,
  );
  return res.rows[0];
}

/**
 * The first waiting ticket in call order, locked. SKIP LOCKED: two people calling at once each get
 * a different patient instead of both waiting for, then calling, the same one.
 */
export async function lockNextWaiting(db: Executor, servicePointId: string, serviceDate: string): Promise<TicketRow | undefined> {
  const res = await db.execute<TicketRow>(sql`
    SELECT ${ticketColumns} FROM queue_tickets t
    WHERE t.service_point_id = ${servicePointId} AND t.service_date = ${serviceDate} AND t.status = 'waiting'
    ORDER BY t.priority_rank, t.arrived_at, t.number
    LIMIT 1
    FOR UPDATE SKIP LOCKED`);
  return res.rows[0];
}

export async function updateTicket(
  db: Executor,
  id: string,
  patch: {
    status: TicketStatus;
    calledAt?: 'now' | null;
    serviceStartedAt?: 'now';
    finishedAt?: 'now' | null;
    calledBy?: string | null;
    room?: string | null;
    transferredToId?: string;
  },
): Promise<TicketRow> {
  const sets: SQL[] = [sql`status = ${patch.status}`, sql`version = version + 1`];
  if (patch.calledAt !== undefined) sets.push(patch.calledAt === 'now' ? sql`called_at = now()` : sql`called_at = NULL`);
  if (patch.serviceStartedAt) sets.push(sql`service_started_at = now()`);
  if (patch.finishedAt !== undefined) sets.push(patch.finishedAt === 'now' ? sql`finished_at = now()` : sql`finished_at = NULL`);
  if (patch.calledBy !== undefined) sets.push(sql`called_by = ${patch.calledBy}`);
  if (patch.room !== undefined) sets.push(sql`room = ${patch.room}`);
  if (patch.transferredToId !== undefined) sets.push(sql`transferred_to_id = ${patch.transferredToId}`);
  const res = await db.execute<TicketRow>(sql`
    WITH t AS (UPDATE queue_tickets SET ${sql.join(sets, sql`, `)} WHERE id = ${id} RETURNING *)
    SELECT ${ticketColumns} FROM t`);
  return res.rows[0]!;
}

export type QueueRow = TicketRow & {
  mrn: string;
  givenName: string;
  middleName: string | null;
  familyName: string;
  sex: 'female' | 'male' | 'other' | 'unknown';
  birthDate: string;
};

/**
 * Today's tickets of a service point in call order: waiting ones by priority then arrival, then
 * those being called or served, then the day's finished ones (latest first).
 */
const queueRowSelect = sql`
    SELECT ${ticketColumns}, p.mrn, p.given_name AS "givenName", p.middle_name AS "middleName", p.family_name AS "familyName",
      p.sex, p.birth_date AS "birthDate"
    FROM queue_tickets t JOIN patients p ON p.id = t.patient_id`;

/** The patient's sex and birth date, for the priority rules. */
export async function patientSexBirth(
  db: Executor,
  patientId: string,
): Promise<{ sex: string; birthDate: string | null } | undefined> {
  const res = await db.execute<{ sex: string; birthDate: string | null }>(sql`
    SELECT sex, birth_date::text AS "birthDate" FROM patients WHERE id = ${patientId}`);
  return res.rows[0];
}

/** One ticket with its patient summary, as the queue lists it. */
export async function queueRow(db: Executor, ticketId: string): Promise<QueueRow | undefined> {
  const res = await db.execute<QueueRow>(sql`${queueRowSelect} WHERE t.id = ${ticketId}`);
  return res.rows[0];
}

export async function queueOfDay(db: Executor, servicePointId: string, serviceDate: string): Promise<QueueRow[]> {
  const res = await db.execute<QueueRow>(sql`
    ${queueRowSelect}
    WHERE t.service_point_id = ${servicePointId} AND t.service_date = ${serviceDate}
    ORDER BY CASE t.status WHEN 'waiting' THEN 0 WHEN 'called' THEN 1 WHEN 'in_service' THEN 1 ELSE 2 END,
      CASE WHEN t.status = 'waiting' THEN t.priority_rank END,
      CASE WHEN t.status = 'waiting' THEN t.arrived_at END,
      CASE WHEN t.status IN ('called', 'in_service') THEN t.called_at END,
      t.finished_at DESC NULLS LAST, t.number`);
  return res.rows;
}

/**
 * What the wait estimate rests on: the mean service time of the service point's last 20 finished
 * tickets (null without history) and how many people served there in the last hour.
 */
export async function serviceRate(db: Executor, servicePointId: string): Promise<{ meanMinutes: number | null; staff: number }> {
  const res = await db.execute<{ meanMinutes: number | null; staff: number }>(sql`
    SELECT
      (SELECT avg(extract(epoch FROM (finished_at - service_started_at)) / 60)::float8 FROM (
        SELECT finished_at, service_started_at FROM queue_tickets
        WHERE service_point_id = ${servicePointId} AND status = 'done' AND service_started_at IS NOT NULL AND finished_at IS NOT NULL
        ORDER BY finished_at DESC LIMIT 20) last) AS "meanMinutes",
      (SELECT count(DISTINCT called_by)::int FROM queue_tickets
        WHERE service_point_id = ${servicePointId} AND called_by IS NOT NULL
          AND (called_at >= now() - interval '1 hour' OR finished_at >= now() - interval '1 hour')) AS staff`);
  return res.rows[0]!;
}

// ------------------------------------------------------------------ display tokens

export type DisplayTokenRow = {
  id: string;
  clinicId: string;
  name: string;
  servicePointIds: string[];
  createdAt: Date;
  revokedAt: Date | null;
  lastSeenAt: Date | null;
};

const tokenColumns = sql`d.id, d.clinic_id AS "clinicId", d.name, d.service_point_ids AS "servicePointIds", d.created_at AS "createdAt",
  d.revoked_at AS "revokedAt", d.last_seen_at AS "lastSeenAt"`;

export async function listDisplayTokens(db: Executor, clinicId: string): Promise<DisplayTokenRow[]> {
  const res = await db.execute<DisplayTokenRow>(
    sql`SELECT ${tokenColumns} FROM display_tokens d WHERE d.clinic_id = ${clinicId} ORDER BY d.revoked_at NULLS FIRST, d.created_at DESC`,
  );
  return res.rows;
}

export async function insertDisplayToken(
  db: Executor,
  t: { clinicId: string; name: string; tokenHash: string; servicePointIds: string[]; createdBy: string | null },
): Promise<DisplayTokenRow> {
  const res = await db.execute<DisplayTokenRow>(sql`
    WITH d AS (
      INSERT INTO display_tokens (clinic_id, name, token_hash, service_point_ids, created_by)
      VALUES (${t.clinicId}, ${t.name}, ${t.tokenHash}, ${sql`${`{${t.servicePointIds.join(',')}}`}::uuid[]`}, ${t.createdBy})
      RETURNING *)
    SELECT ${tokenColumns} FROM d`);
  return res.rows[0]!;
}

export async function revokeDisplayToken(db: Executor, id: string, clinicId: string): Promise<DisplayTokenRow | undefined> {
  const res = await db.execute<DisplayTokenRow>(sql`
    WITH d AS (
      UPDATE display_tokens SET revoked_at = coalesce(revoked_at, now()) WHERE id = ${id} AND clinic_id = ${clinicId} RETURNING *)
    SELECT ${tokenColumns} FROM d`);
  return res.rows[0];
}

/** The live display with this token hash, marking it seen; revoked ones are not found. */
export async function touchDisplayToken(db: Executor, tokenHash: string): Promise<DisplayTokenRow | undefined> {
  const res = await db.execute<DisplayTokenRow>(sql`
    WITH d AS (
      UPDATE display_tokens SET last_seen_at = now() WHERE token_hash = ${tokenHash} AND revoked_at IS NULL RETURNING *)
    SELECT ${tokenColumns} FROM d`);
  return res.rows[0];
}

/** The service points a display shows: its own list, or every active one of the clinic. */
export async function displayServicePoints(db: Executor, clinicId: string, ids: string[]): Promise<ServicePointRow[]> {
  const res = await db.execute<ServicePointRow>(sql`
    SELECT ${spColumns} FROM service_points sp
    WHERE sp.clinic_id = ${clinicId} AND sp.active
      AND (${ids.length === 0} OR sp.id = ANY(${`{${ids.join(',')}}`}::uuid[]))
    ORDER BY sp.code`);
  return res.rows;
}

/** A ticket of the board as read: the event's shape, with the call time as a Date. */
export type BoardTicketRow = Omit<TicketEvent, 'calledAt'> & { calledAt: Date | null };

/** The latest calls of the day (called or being served) at these service points, newest first. */
export async function recentCalls(
  db: Executor,
  servicePointIds: string[],
  serviceDate: string,
  limit: number,
): Promise<BoardTicketRow[]> {
  if (!servicePointIds.length) return [];
  const res = await db.execute<BoardTicketRow>(sql`
    SELECT t.id, t.clinic_id AS "clinicId", t.service_point_id AS "servicePointId", t.code, t.status, t.priority,
      coalesce(t.room, sp.room) AS room, sp.name AS "servicePointName", t.called_at AS "calledAt"
    FROM queue_tickets t JOIN service_points sp ON sp.id = t.service_point_id
    WHERE t.service_point_id = ANY(${`{${servicePointIds.join(',')}}`}::uuid[]) AND t.service_date = ${serviceDate}
      AND t.status IN ('called', 'in_service') AND t.called_at IS NOT NULL
    ORDER BY t.called_at DESC
    LIMIT ${limit}`);
  return res.rows;
}

export async function waitingCounts(
  db: Executor,
  servicePointIds: string[],
  serviceDate: string,
): Promise<Record<string, number>> {
  if (!servicePointIds.length) return {};
  const res = await db.execute<{ id: string; n: number }>(sql`
    SELECT service_point_id AS id, count(*)::int AS n FROM queue_tickets
    WHERE service_point_id = ANY(${`{${servicePointIds.join(',')}}`}::uuid[]) AND service_date = ${serviceDate} AND status = 'waiting'
    GROUP BY service_point_id`);
  return Object.fromEntries(res.rows.map((r) => [r.id, r.n]));
}

// ------------------------------------------------------------------ for consultations (the encounters module)

/** The visit of an appointment (its check-in), at the clinic. */
export async function visitOfAppointment(db: Executor, appointmentId: string, clinicId: string): Promise<VisitRow | undefined> {
  const res = await db.execute<VisitRow>(sql`
    SELECT id, clinic_id AS "clinicId", patient_id AS "patientId", appointment_id AS "appointmentId", kind, status, reason,
      started_at AS "startedAt"
    FROM visits WHERE appointment_id = ${appointmentId} AND clinic_id = ${clinicId}`);
  return res.rows[0];
}

/** The visit's tickets that are still open (waiting, called, in service), locked, oldest first. */
export async function lockOpenTicketsOfVisit(db: Executor, visitId: string): Promise<TicketRow[]> {
  const res = await db.execute<TicketRow>(sql`
    SELECT ${ticketColumns} FROM queue_tickets t
    WHERE t.visit_id = ${visitId} AND t.status IN ('waiting', 'called', 'in_service')
    ORDER BY t.arrived_at, t.id
    FOR UPDATE`);
  return res.rows;
}

/** Closes an open visit (discharge); returns whether it was open. */
export async function closeVisit(db: Executor, visitId: string): Promise<boolean> {
  const res = await db.execute(
    sql`UPDATE visits SET status = 'closed', closed_at = now() WHERE id = ${visitId} AND status = 'open'`,
  );
  return (res.rowCount ?? 0) > 0;
}
