import { sql } from 'drizzle-orm';
import { encounters } from '../../db/schema/encounters.ts';
import type { SeedStep } from '../../platform/module.ts';

type NewEncounter = typeof encounters.$inferInsert;

/** Why patients come, as a practitioner writes it down. */
const REASONS = [
  'Fever and headache for three days',
  'Hypertension follow-up',
  'Cough and shortness of breath',
  'Abdominal pain',
  'Diabetes review',
  'Antenatal check',
  'Skin rash',
  'Joint pain',
  'Child with diarrhoea',
  'Back pain',
  'Follow-up of malaria treatment',
  'Fatigue, check blood count',
];

/** Older consultations per patient seen lately (a chart with a history), at most. */
const OLDER_PER_PATIENT = 3;
const DAY = 86_400_000;

/**
 * Demo encounters, derived from whatever the scheduling and queue seeds left (so that it follows
 * their changes): a finished encounter for every completed appointment at Kinshasa (today's too:
 * the practitioner's day shows them done), the one in progress for every appointment being seen
 * today (with its visit and ticket in service), and for the patients seen at Kinshasa lately a few
 * older consultations one to six months back, so that their charts have a history. Patients
 * checked in and not yet seen stay waiting. Started by the practitioner's user (or the demo doctor
 * for a practitioner without an account). Idempotent: nothing is added once encounters exist.
 */
export const seedEncounters: SeedStep = async (tx, demo) => {
  const [{ n } = { n: 0 }] = (await tx.execute<{ n: number }>(sql`SELECT count(*)::int AS n FROM encounters`)).rows;
  if (n > 0) return;
  const kin = demo.clinics.KIN.id;
  const fallback = demo.users['doctor@sanita.test'];
  if (!kin || !fallback) return;
  const rand = demo.rand;
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const now = Date.now();

  const { rows } = await tx.execute<{
    id: string;
    clinic_id: string;
    patient_id: string;
    practitioner_id: string;
    user_id: string | null;
    status: string;
    starts_at: Date | string;
    ends_at: Date | string;
    completed_at: Date | string | null;
    reason: string | null;
    visit_id: string | null;
    ticket_id: string | null;
  }>(sql`
    SELECT a.id, a.clinic_id, a.patient_id, a.practitioner_id, pr.user_id, a.status, a.starts_at, a.ends_at, a.completed_at,
      a.reason, v.id AS visit_id, t.id AS ticket_id
    FROM appointments a
    JOIN practitioners pr ON pr.id = a.practitioner_id
    LEFT JOIN visits v ON v.appointment_id = a.id
    LEFT JOIN LATERAL (
      SELECT t.id FROM queue_tickets t WHERE t.visit_id = v.id ORDER BY (t.status = 'in_service') DESC, t.arrived_at DESC LIMIT 1
    ) t ON true
    WHERE (a.status = 'completed' AND a.clinic_id = ${kin} AND a.starts_at <= now())
       OR (a.status = 'in_progress' AND v.id IS NOT NULL)
    ORDER BY a.starts_at, a.id`);

  const out: NewEncounter[] = [];
  for (const a of rows) {
    const starts = new Date(a.starts_at).getTime();
    const startedAt = new Date(Math.min(starts + Math.floor(rand() * 6) * 60_000, now - 60_000));
    const by = a.user_id ?? fallback;
    const base = {
      clinicId: a.clinic_id,
      patientId: a.patient_id,
      visitId: a.visit_id,
      appointmentId: a.id,
      ticketId: a.ticket_id,
      practitionerId: a.practitioner_id,
      type: 'outpatient' as const,
      reason: a.reason ?? pick(REASONS),
      startedAt,
      startedBy: by,
    };
    if (a.status === 'in_progress') out.push({ ...base, status: 'in_progress' });
    else {
      const end = a.completed_at ? new Date(a.completed_at).getTime() : new Date(a.ends_at).getTime();
      const endedAt = new Date(Math.min(Math.max(end, startedAt.getTime() + 5 * 60_000), now));
      out.push({ ...base, status: 'finished', endedAt, endedBy: by, version: 2 });
    }
  }

  // older history for the patients seen at Kinshasa in these weeks: consultations months back
  const recent = [...new Map(out.filter((e) => e.clinicId === kin).map((e) => [e.patientId, e])).values()];
  for (const e of recent) {
    const count = Math.floor(rand() * (OLDER_PER_PATIENT + 1));
    for (let i = 0; i < count; i++) {
      const daysBack = 30 + Math.floor(rand() * 150);
      const at = new Date(now - daysBack * DAY);
      // in clinic hours: 08:00–15:00 UTC (09:00–16:00 in Kinshasa)
      at.setUTCHours(8 + Math.floor(rand() * 7), Math.floor(rand() * 4) * 15, 0, 0);
      const type = rand() < 0.1 ? ('emergency' as const) : ('outpatient' as const);
      out.push({
        clinicId: kin,
        patientId: e.patientId,
        visitId: null,
        appointmentId: null,
        ticketId: null,
        practitionerId: e.practitionerId,
        type,
        status: 'finished',
        reason: pick(REASONS),
        startedAt: at,
        endedAt: new Date(at.getTime() + (10 + Math.floor(rand() * 25)) * 60_000),
        startedBy: e.startedBy,
        endedBy: e.startedBy,
        version: 2,
      });
    }
  }
  for (let i = 0; i < out.length; i += 500) await tx.insert(encounters).values(out.slice(i, i + 500));
};
