import { sql } from 'drizzle-orm';
import type { Executor } from '../platform/db/database.ts';
import { servicePoints } from '../db/schema/scheduling.ts';
import { PRIORITY_RANK } from '../modules/queue/queue.service.ts';
import type { TicketPriority } from '@sanita/contracts/queue';

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
  // the last patients by MRN: tests use the first ones, and must not find them already queued
  const patients = await tx.execute<{ id: string }>(sql`
    SELECT p.id FROM patients p JOIN patient_clinics pc ON pc.patient_id = p.id AND pc.clinic_id = ${opts.demoClinicId}
    LEFT JOIN users u ON u.patient_id = p.id
    WHERE p.status = 'active' AND u.id IS NULL
    ORDER BY p.mrn DESC LIMIT ${DEMO_WAITING.length}`);
  let number = 0;
  for (const [i, w] of DEMO_WAITING.entries()) {
    const patientId = patients.rows[i]?.id;
    if (!patientId) break;
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
}
