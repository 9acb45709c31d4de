import type pg from 'pg';
import { cell, copy } from './copy.ts';
import type { Rand } from './people.ts';

/**
 * Scheduling data of the benchmark: practitioners with weekly templates at both clinics and
 * `appointments` appointments over the past two years and the next 60 days, loaded with COPY.
 * Templates: Mon–Sat 08:00–12:00, Mon–Fri 13:00–17:00 local, 20-minute slots.
 */
export interface SchedulingLoad {
  kinId: string;
  gomId: string;
  kinPatients: string[];
  gomPatients: string[];
  appointments: number;
  rand: Rand;
  now: Date;
}

export const BENCH_PRACTITIONERS = { KIN: 80, GOM: 40 } as const;
/** whole-hour UTC offsets of the two demo clinics (no daylight saving in either zone) */
const UTC_OFFSET_H = { KIN: 1, GOM: 2 } as const;
const SLOT_MIN = 20;
/** local minutes after midnight of each slot start */
const SLOT_STARTS = [
  ...Array.from({ length: 12 }, (_, i) => 8 * 60 + i * SLOT_MIN),
  ...Array.from({ length: 12 }, (_, i) => 13 * 60 + i * SLOT_MIN),
];
const DAY_MS = 86_400_000;

/** Loads practitioners, templates and appointments inside the caller's transaction. */
export async function loadScheduling(
  c: pg.Client,
  o: SchedulingLoad,
): Promise<{ practitioners: Record<'KIN' | 'GOM', string[]>; appointments: number }> {
  const { rand } = o;
  const visit = await c.query<{ id: string; duration_minutes: number }>(
    `SELECT id, duration_minutes FROM visit_types WHERE duration_minutes <= ${SLOT_MIN} AND active
      ORDER BY (code = 'consultation') DESC, duration_minutes DESC LIMIT 1`,
  );
  let visitTypeId = visit.rows[0]?.id;
  if (!visitTypeId) {
    const r = await c.query<{ id: string }>(
      `INSERT INTO visit_types (code, name, name_fr, duration_minutes) VALUES ('bench-consultation', 'Consultation', 'Consultation', 20) RETURNING id`,
    );
    visitTypeId = r.rows[0]!.id;
  }
  const specialties = (await c.query<{ id: string }>('SELECT id FROM specialties')).rows.map((r) => r.id);

  const practitioners: { id: string; clinic: 'KIN' | 'GOM'; clinicId: string; index: number }[] = [];
  for (const clinic of ['KIN', 'GOM'] as const) {
    for (let i = 0; i < BENCH_PRACTITIONERS[clinic]; i++)
      practitioners.push({ id: crypto.randomUUID(), clinic, clinicId: clinic === 'KIN' ? o.kinId : o.gomId, index: i });
  }
  await copy(
    c,
    'COPY practitioners (id, display_name, licence_number, languages, fee_amount, fee_currency) FROM STDIN',
    practitioners.map(
      (p) => `${p.id}\tDr Bench ${p.clinic} ${p.index + 1}\tBENCH-${p.clinic}-${p.index + 1}\t{fr,ln}\t25.00\tUSD\n`,
    ),
  );
  await copy(
    c,
    'COPY practitioner_clinics (practitioner_id, clinic_id) FROM STDIN',
    practitioners.map((p) => `${p.id}\t${p.clinicId}\n`),
  );
  if (specialties.length)
    await copy(
      c,
      'COPY practitioner_specialties (practitioner_id, specialty_id) FROM STDIN',
      practitioners.map((p) => `${p.id}\t${specialties[p.index % specialties.length]}\n`),
    );
  const templates: string[] = [];
  for (const p of practitioners) {
    for (let wd = 1; wd <= 6; wd++) {
      templates.push(`${p.id}\t${p.clinicId}\t${wd}\t08:00\t12:00\t${SLOT_MIN}\t0\n`);
      if (wd <= 5) templates.push(`${p.id}\t${p.clinicId}\t${wd}\t13:00\t17:00\t${SLOT_MIN}\t0\n`);
    }
  }
  await copy(
    c,
    'COPY availability_templates (practitioner_id, clinic_id, weekday, start_time, end_time, slot_minutes, buffer_minutes) FROM STDIN',
    templates,
  );

  // days from two years back to 60 days ahead, Monday–Saturday; the fill rate gives the count
  const today = Date.UTC(o.now.getUTCFullYear(), o.now.getUTCMonth(), o.now.getUTCDate());
  const days: { utcMidnight: number; weekday: number }[] = [];
  for (let d = -730; d <= 60; d++) {
    const t = today + d * DAY_MS;
    const wd = ((new Date(t).getUTCDay() + 6) % 7) + 1;
    if (wd <= 6) days.push({ utcMidnight: t, weekday: wd });
  }
  const slotsPerDay = (wd: number) => (wd === 6 ? 12 : 24);
  const capacity = practitioners.length * days.reduce((s, d) => s + slotsPerDay(d.weekday), 0);
  const fill = Math.min(0.95, o.appointments / capacity);
  const nowMs = o.now.getTime();
  let count = 0;

  function* rows(): Generator<string> {
    for (const day of days) {
      for (const p of practitioners) {
        const pool = p.clinic === 'KIN' ? o.kinPatients : o.gomPatients;
        for (let s = 0; s < slotsPerDay(day.weekday); s++) {
          if (rand() >= fill) continue;
          const start = day.utcMidnight + (SLOT_STARTS[s]! - UTC_OFFSET_H[p.clinic] * 60) * 60_000;
          const end = start + SLOT_MIN * 60_000;
          // one patient per practitioner at a given instant, so no patient is double-booked
          const patient = pool[(Math.floor(start / 60_000) * 7919 + p.index) % pool.length]!;
          const past = end < nowMs;
          const r = rand();
          const status = past
            ? r < 0.85
              ? 'completed'
              : r < 0.93
                ? 'no_show'
                : 'cancelled'
            : r < 0.9
              ? 'booked'
              : r < 0.93
                ? 'requested'
                : 'cancelled';
          const created = new Date(start - (1 + Math.floor(rand() * 30)) * DAY_MS).toISOString();
          const startIso = new Date(start).toISOString();
          const endIso = new Date(end).toISOString();
          count++;
          yield [
            crypto.randomUUID(),
            p.clinicId,
            p.id,
            patient,
            visitTypeId,
            startIso,
            endIso,
            endIso,
            status,
            'staff',
            status === 'cancelled' ? 'patient request' : null,
            status === 'cancelled' ? created : null,
            created,
            created,
          ]
            .map(cell)
            .join('\t')
            .concat('\n');
        }
      }
    }
  }

  // the exclusion constraints and indexes are built once after the load
  const cons = await c.query<{ conname: string; def: string }>(
    `SELECT conname, pg_get_constraintdef(oid) AS def FROM pg_constraint
      WHERE conrelid = 'appointments'::regclass AND contype = 'x'`,
  );
  const idx = await c.query<{ indexname: string; indexdef: string }>(`
    SELECT i.indexname, i.indexdef FROM pg_indexes i
     WHERE i.schemaname = 'public' AND i.tablename = 'appointments'
       AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conname = i.indexname)`);
  for (const k of cons.rows) await c.query(`ALTER TABLE appointments DROP CONSTRAINT ${k.conname}`);
  for (const i of idx.rows) await c.query(`DROP INDEX ${i.indexname}`);
  await copy(
    c,
    `COPY appointments (id, clinic_id, practitioner_id, patient_id, visit_type_id, starts_at, ends_at, block_ends_at, status,
      source, cancel_reason, cancelled_at, created_at, updated_at) FROM STDIN`,
    rows(),
  );
  for (const i of idx.rows) await c.query(i.indexdef);
  for (const k of cons.rows) await c.query(`ALTER TABLE appointments ADD CONSTRAINT ${k.conname} ${k.def}`);
  const of = (clinic: 'KIN' | 'GOM') => practitioners.filter((p) => p.clinic === clinic).map((p) => p.id);
  return { practitioners: { KIN: of('KIN'), GOM: of('GOM') }, appointments: count };
}
