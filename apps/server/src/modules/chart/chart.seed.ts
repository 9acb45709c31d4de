import { sql } from 'drizzle-orm';
import type { VitalsInput } from '@sanita/contracts/chart';
import { NEWS2_DEFAULT_ESCALATION_MINUTES, NEWS2_MAX_ESCALATION } from '@sanita/contracts/chart';
import { news2Alerts, vitals } from '../../db/schema/chart.ts';
import type { SeedStep } from '../../platform/module.ts';
import { measuresOf } from './chart.service.ts';

type Profile = 'normal' | 'unwell' | 'incomplete';

/** The sets the demo records, at most. */
const MAX_SETS = 40;
/** The first profiles, newest first: the demo always shows a NEWS2 alert, a normal set and an incomplete one today. */
const FIRST: Profile[] = ['unwell', 'normal', 'incomplete'];

/**
 * Demo vitals at Kinshasa (after the appointments and the queue): one set for each visit of the
 * last four days — appointments checked in, walk-ins waiting at triage today — taken a few minutes
 * after arrival by the demo nurse (now and then the doctor), through the same `measuresOf` as the
 * API so that their NEWS2 is the server's. Idempotent: nothing is added once vitals exist.
 */
export const seedChart: SeedStep = async (tx, demo) => {
  const [{ n } = { n: 0 }] = (await tx.execute<{ n: number }>(sql`SELECT count(*)::int AS n FROM vitals`)).rows;
  if (n > 0) return;
  const nurse = demo.users['nurse@sanita.test'];
  const clinicId = demo.clinics.KIN.id;
  if (!nurse || !clinicId) return;
  const doctor = demo.users['doctor@sanita.test'] ?? nurse;
  const { rows } = await tx.execute<{ patient_id: string; at: Date | string }>(sql`
    SELECT patient_id, at FROM (
      SELECT a.patient_id, a.checked_in_at AS at FROM appointments a
       WHERE a.clinic_id = ${clinicId} AND a.checked_in_at BETWEEN now() - interval '4 days' AND now()
      UNION ALL
      SELECT v.patient_id, v.started_at FROM visits v
       WHERE v.clinic_id = ${clinicId} AND v.started_at BETWEEN now() - interval '4 days' AND now()
    ) arrivals
    ORDER BY at DESC, patient_id
    LIMIT ${MAX_SETS}`);
  const now = Date.now();
  const rand = demo.rand;
  const between = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));
  const tenths = (lo: number, hi: number) => between(Math.round(lo * 10), Math.round(hi * 10)) / 10;

  const sets = rows.map((r, i) => {
    const profile: Profile = FIRST[i] ?? (rand() < 0.6 ? 'normal' : rand() < 0.45 ? 'unwell' : 'incomplete');
    const arrived = new Date(r.at).getTime();
    const takenAt = new Date(Math.min(arrived + between(3, 15) * 60_000, now - 60_000));
    const input: VitalsInput = vitalsFor(profile, { between, tenths, rand });
    return {
      ...measuresOf(input),
      patientId: r.patient_id,
      clinicId,
      recordedBy: rand() < 0.8 ? nurse : doctor,
      takenAt,
      recordedAt: new Date(Math.min(takenAt.getTime() + between(1, 10) * 60_000, now)),
    };
  });
  // the demo always opens with OPEN_ALERTS open alerts, whatever the hour it starts at: the newest sets old enough to
  // have escalated fully are unwell ones (drawn from a generator of their own, so that the demo's random sequence —
  // what every later step draws — is the one it always was)
  const own = drawsOf(0x5a17a);
  let alerting = 0;
  for (const set of sets) {
    if (alerting >= OPEN_ALERTS) break;
    if (now - set.recordedAt.getTime() < FULLY_ESCALATED_MS) continue;
    if (!set.news2?.alert) Object.assign(set, measuresOf(vitalsFor('unwell', own)));
    alerting += 1;
  }
  // the portal's demo patient (Marie Mbuyi, treated for hypertension and diabetes) sees her trends
  if (demo.portalPatientId)
    for (const [i, v] of PORTAL_SERIES.entries()) {
      const takenAt = new Date(now - v.daysAgo * 86_400_000 - i * 7 * 60_000);
      const { daysAgo: _days, ...input } = v;
      sets.push({
        ...measuresOf({ ...input, respiratoryRate: 16, spo2: 98, consciousness: 'A', heightCm: 162 }),
        patientId: demo.portalPatientId,
        clinicId,
        recordedBy: nurse,
        takenAt,
        recordedAt: new Date(takenAt.getTime() + 4 * 60_000),
      });
    }
  if (!sets.length) return;
  const stored = await tx
    .insert(vitals)
    .values(sets)
    .returning({ id: vitals.id, patientId: vitals.patientId, recordedAt: vitals.recordedAt, news2: vitals.news2 });
  await tx.insert(news2Alerts).values(alertsFor(stored, { nurse, clinicId, now }));
};

/** The portal patient's sets over five months: blood pressure, weight and glucose coming down on treatment (no NEWS2 alert). */
const PORTAL_SERIES: (Omit<VitalsInput, 'takenAt'> & { daysAgo: number })[] = [
  { daysAgo: 150, systolic: 158, diastolic: 96, heartRate: 84, temperature: 36.8, weightKg: 82.5, glucose: 11.8 },
  { daysAgo: 120, systolic: 154, diastolic: 94, heartRate: 82, temperature: 36.7, weightKg: 82, glucose: 10.4 },
  { daysAgo: 90, systolic: 149, diastolic: 92, heartRate: 80, temperature: 37, weightKg: 81.2, glucose: 9.1 },
  { daysAgo: 60, systolic: 142, diastolic: 88, heartRate: 78, temperature: 36.6, weightKg: 80.4, glucose: 8.2 },
  { daysAgo: 30, systolic: 136, diastolic: 86, heartRate: 76, temperature: 36.9, weightKg: 79.8, glucose: 7.6 },
  { daysAgo: 7, systolic: 132, diastolic: 84, heartRate: 74, temperature: 36.8, weightKg: 79.1, glucose: 7.1 },
];

/** Open alerts older than this have gone through every escalation (the demo queues no escalation job). */
const FULLY_ESCALATED_MS = NEWS2_MAX_ESCALATION * NEWS2_DEFAULT_ESCALATION_MINUTES * 60_000;
/** The demo's open alerts: the newest alert-scoring sets at least FULLY_ESCALATED_MS old. */
const OPEN_ALERTS = 2;

/**
 * The NEWS2 alerts of the seeded sets that score one: the two newest that are old enough to have
 * escalated fully stay open (the nurse's and the doctor's home and the header's bell show them;
 * their escalation is over, so no job e-mails anyone when the demo starts); every other one was
 * acknowledged by the nurse a few minutes after it was raised (no draw from the demo's random
 * source: the steps after this one see the same sequence as before alerts existed).
 */
function alertsFor(
  stored: { id: string; patientId: string; recordedAt: Date; news2: { total: number; risk: string; alert: boolean } | null }[],
  { nurse, clinicId, now }: { nurse: string; clinicId: string; now: number },
): (typeof news2Alerts.$inferInsert)[] {
  let open = 0;
  return stored
    .filter((s) => s.news2?.alert)
    .sort((a, b) => b.recordedAt.getTime() - a.recordedAt.getTime())
    .map((s, i) => {
      const raisedAt = s.recordedAt;
      const score = s.news2!;
      const base = {
        clinicId,
        patientId: s.patientId,
        vitalsId: s.id,
        total: score.total,
        risk: score.risk as (typeof news2Alerts.$inferInsert)['risk'],
        trigger: score.total >= 5 ? ('total' as const) : ('single_parameter' as const),
        raisedAt,
      };
      if (open < OPEN_ALERTS && now - raisedAt.getTime() >= FULLY_ESCALATED_MS) {
        open += 1;
        return {
          ...base,
          escalationLevel: NEWS2_MAX_ESCALATION,
          escalatedAt: new Date(raisedAt.getTime() + FULLY_ESCALATED_MS),
        };
      }
      return {
        ...base,
        status: 'acknowledged' as const,
        acknowledgedBy: nurse,
        acknowledgedAt: new Date(Math.min(raisedAt.getTime() + (2 + (i % 9)) * 60_000, now)),
      };
    });
}

interface Draw {
  between: (lo: number, hi: number) => number;
  tenths: (lo: number, hi: number) => number;
  rand: () => number;
}

/** Draws of a small generator of its own (a linear congruential one): deterministic, apart from the demo's. */
function drawsOf(seed: number): Draw {
  let x = seed >>> 0;
  const rand = () => (x = (Math.imul(x, 1103515245) + 12345) >>> 0) / 2 ** 32;
  const between = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));
  return { rand, between, tenths: (lo, hi) => between(Math.round(lo * 10), Math.round(hi * 10)) / 10 };
}

function vitalsFor(profile: Profile, { between, tenths, rand }: Draw): VitalsInput {
  const body = rand() < 0.5 ? { weightKg: tenths(48, 95), heightCm: between(150, 188) } : {};
  switch (profile) {
    case 'normal':
      return {
        respiratoryRate: between(12, 18),
        spo2: between(96, 99),
        onOxygen: false,
        systolic: between(112, 135),
        diastolic: between(70, 86),
        heartRate: between(60, 88),
        consciousness: 'A',
        temperature: tenths(36.4, 37.4),
        pain: between(0, 2),
        ...body,
      };
    case 'unwell':
      // febrile, fast and breathless: NEWS2 of 5 or more (a malaria or sepsis picture)
      return {
        respiratoryRate: between(22, 26),
        spo2: between(91, 94),
        onOxygen: rand() < 0.3,
        systolic: between(94, 108),
        diastolic: between(55, 68),
        heartRate: between(108, 124),
        consciousness: 'A',
        temperature: tenths(38.4, 39.6),
        pain: between(3, 6),
        glucose: tenths(4.5, 7.5),
        note: 'Fever since yesterday',
      };
    case 'incomplete':
      // a quick check at the desk: blood pressure, pulse, weight
      return {
        systolic: between(118, 150),
        diastolic: between(72, 95),
        heartRate: between(62, 90),
        weightKg: tenths(50, 92),
      };
  }
}
