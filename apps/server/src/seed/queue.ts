import { sql } from 'drizzle-orm';
import type { Executor } from '../platform/db/database.ts';
import { servicePoints } from '../db/schema/scheduling.ts';
import { PRIORITY_RANK } from '../modules/queue/queue.service.ts';
import { priorityRefusal, type TicketPriority } from '@sanita/contracts/queue';

/** The service points every demo clinic gets; prefixes are distinct so a called code names its place. */
export const DEMO_SERVICE_POINTS = [
  { code: 'TRIAGE', name: 'Triage', kind: 'triage', ticketPrefix: 'T', room: '1' },
  { code: 'CONSULT1', name: 'Consultation 1', kind: 'consultation', ticketPrefix: 'C', room: '3' },
  { code: 'CONSULT2', name: 'Consultation 2', kind: 'consultation', ticketPrefix: 'D', room: '4' },
  { code: 'LAB', name: 'Laboratory', kind: 'lab', ticketPrefix: 'L', room: '7' },
  { code: 'PHARMACY', name: 'Pharmacy', kind: 'pharmacy', ticketPrefix: 'P', room: null },
  { code: 'CASHIER', name: 'Cashier', kind: 'cashier', ticketPrefix: 'K', room: null },
] as const;

/** Who waits at Kinshasa's triage when the demo opens, so the queue page is not empty. */
const DEMO_WAITING: { priority: TicketPriority; minutesAgo: number }[] = [
  { priority: 'normal', minutesAgo: 42 },
  { priority: 'elderly', minutesAgo: 35 },
  { priority: 'normal', minutesAgo: 21 },
  { priority: 'pregnant', minutesAgo: 12 },
  { priority: 'normal', minutesAgo: 4 },
];

/**
 * Front-desk demo data: the service points of each clinic and, once, a few walk-ins waiting at
 * Kinshasa's triage today (clinic-local date). Display tokens are not seeded: their secret would
 * have to be printed, so an administrator creates one from the UI. Idempotent.
 */
export async function seedQueue(tx: Executor, opts: { clinicIds: string[]; demoClinicId: string }): Promise<void> {
  for (const clinicId of opts.clinicIds) {
    await tx
      .insert(servicePoints)
      .values(DEMO_SERVICE_POINTS.map((s) => ({ ...s, clinicId })))
      .onConflictDoNothing({ target: [servicePoints.clinicId, servicePoints.code] });
  }
  const existing = await tx.execute<{ n: number }>(sql`SELECT count(*)::int AS n FROM queue_tickets`);
  if (existing.rows[0]!.n > 0) return;

  const sp = await tx.execute<{ id: string; today: string }>(sql`
    SELECT sp.id, (now() AT TIME ZONE c.timezone)::date AS today
    FROM service_points sp JOIN clinics c ON c.id = sp.clinic_id
    WHERE sp.clinic_id = ${opts.demoClinicId} AND sp.code = 'TRIAGE'`);
  const triage = sp.rows[0];
  if (!triage) return;
  // the last patients by MRN (tests use the first ones, and must not find them already queued), each
  // fitting their priority (an elderly patient is 60 or over, a pregnant one a woman of 10–60)
  const candidates = await tx.execute<{ id: string; sex: string; age: number | null }>(sql`
    SELECT p.id, p.sex, date_part('year', age(${triage.today}::date, p.birth_date))::int AS age
    FROM patients p JOIN patient_clinics pc ON pc.patient_id = p.id AND pc.clinic_id = ${opts.demoClinicId}
    LEFT JOIN users u ON u.patient_id = p.id
    WHERE p.status = 'active' AND u.id IS NULL
    ORDER BY p.mrn DESC LIMIT 12`);
  const taken = new Set<string>();
  let number = 0;
  for (const w of DEMO_WAITING) {
    const patientId = candidates.rows.find((c) => !taken.has(c.id) && !priorityRefusal(w.priority, c))?.id;
    if (!patientId) continue;
    taken.add(patientId);
    number += 1;
    const arrived = sql`now() - make_interval(mins => ${w.minutesAgo})`;
    const visit = await tx.execute<{ id: string }>(sql`
      INSERT INTO visits (clinic_id, patient_id, kind, status, started_at)
      VALUES (${opts.demoClinicId}, ${patientId}, 'walk_in', 'open', ${arrived}) RETURNING id`);
    await tx.execute(sql`
      INSERT INTO queue_tickets (clinic_id, service_point_id, visit_id, patient_id, service_date, number, code, priority,
        priority_rank, status, arrived_at)
      VALUES (${opts.demoClinicId}, ${triage.id}, ${visit.rows[0]!.id}, ${patientId}, ${triage.today}, ${number},
        ${`T-${String(number).padStart(3, '0')}`}, ${w.priority}, ${PRIORITY_RANK[w.priority]}, 'waiting', ${arrived})`);
  }
  if (number > 0)
    await tx.execute(sql`
      INSERT INTO queue_counters (service_point_id, service_date, last_number) VALUES (${triage.id}, ${triage.today}, ${number})
      ON CONFLICT (service_point_id, service_date) DO UPDATE SET last_number = GREATEST(queue_counters.last_number, ${number})`);
  await seedCheckedIn(tx);
}

/**
 * Today's appointments already checked in (seedAppointments) have their visit and ticket, as the
 * front desk's check-in makes them: waiting at a consultation room, or in service for the one being
 * seen. The demo doctor's patients queue at Consultation 1, the others at Consultation 2 (Goma:
 * Consultation 1).
 */
async function seedCheckedIn(tx: Executor): Promise<void> {
  const appts = await tx.execute<{
    id: string;
    clinic_id: string;
    patient_id: string;
    practitioner_id: string;
    status: string;
    checked_in_at: Date;
    starts_at: Date;
    today: string;
    email: string | null;
  }>(sql`
    SELECT a.id, a.clinic_id, a.patient_id, a.practitioner_id, a.status, a.checked_in_at, a.starts_at,
      (now() AT TIME ZONE c.timezone)::date::text AS today, u.email
    FROM appointments a JOIN clinics c ON c.id = a.clinic_id
    JOIN practitioners pr ON pr.id = a.practitioner_id LEFT JOIN users u ON u.id = pr.user_id
    WHERE a.status IN ('checked_in', 'in_progress') AND a.checked_in_at IS NOT NULL
      AND (a.starts_at AT TIME ZONE c.timezone)::date = (now() AT TIME ZONE c.timezone)::date
    ORDER BY a.checked_in_at`);
  const sps = await tx.execute<{ id: string; clinic_id: string; code: string; prefix: string }>(sql`
    SELECT id, clinic_id, code, ticket_prefix AS prefix FROM service_points WHERE code IN ('CONSULT1', 'CONSULT2')`);
  const spOf = (clinicId: string, code: string) => sps.rows.find((s) => s.clinic_id === clinicId && s.code === code);
  const numbers = new Map<string, number>();
  const queued = new Set<string>();
  for (const a of appts.rows) {
    const sp =
      (a.email === 'doctor@sanita.test' ? spOf(a.clinic_id, 'CONSULT1') : spOf(a.clinic_id, 'CONSULT2')) ??
      spOf(a.clinic_id, 'CONSULT1');
    // one open ticket per patient and service point
    if (!sp || queued.has(`${sp.id}:${a.patient_id}`)) continue;
    queued.add(`${sp.id}:${a.patient_id}`);
    const number = (numbers.get(sp.id) ?? 0) + 1;
    numbers.set(sp.id, number);
    const serving = a.status === 'in_progress';
    const visit = await tx.execute<{ id: string }>(sql`
      INSERT INTO visits (clinic_id, patient_id, appointment_id, practitioner_id, kind, status, started_at)
      VALUES (${a.clinic_id}, ${a.patient_id}, ${a.id}, ${a.practitioner_id}, 'appointment', 'open', ${a.checked_in_at})
      RETURNING id`);
    await tx.execute(sql`
      INSERT INTO queue_tickets (clinic_id, service_point_id, visit_id, patient_id, service_date, number, code, priority,
        priority_rank, status, arrived_at, called_at, service_started_at)
      VALUES (${a.clinic_id}, ${sp.id}, ${visit.rows[0]!.id}, ${a.patient_id}, ${a.today}, ${number},
        ${`${sp.prefix}-${String(number).padStart(3, '0')}`}, 'normal', ${PRIORITY_RANK.normal},
        ${serving ? 'in_service' : 'waiting'}, ${a.checked_in_at}, ${serving ? a.starts_at : null},
        ${serving ? a.starts_at : null})`);
  }
  for (const [spId, n] of numbers)
    await tx.execute(sql`
      INSERT INTO queue_counters (service_point_id, service_date, last_number)
      SELECT ${spId}, (now() AT TIME ZONE c.timezone)::date, ${n} FROM service_points sp JOIN clinics c ON c.id = sp.clinic_id
      WHERE sp.id = ${spId}
      ON CONFLICT (service_point_id, service_date) DO UPDATE SET last_number = GREATEST(queue_counters.last_number, ${n})`);
}
