import { randomFillSync, randomUUID } from 'node:crypto';
import type pg from 'pg';
import { news2, type News2Input } from '@sanita/clinical/news2';
import { prng } from '../apps/server/src/seed/demo.ts';
import { COMMON_ICD10 } from '../apps/server/src/modules/terminology/terminology.repository.ts';
import { draftSections, generateNote, NOTE_CODES, reason } from './chart-text.ts';
import { copy, deferIndexes, row } from './copy.ts';
import { pick, type Rand } from './people.ts';

/**
 * Clinical history of the benchmark, loaded by COPY: `encounters` finished consultations spread over the
 * patients (one patient with LARGE_CHART of them, one with SMALL_CHART), each with its signed SOAP note
 * (and the note's `signed` revision, as signing writes it), its ICD-10-CM diagnoses and a set of vitals
 * with NEWS2 (and the acknowledged alert of a set that raised one). Then a pool of consultations in
 * progress with a draft note, which the write scenarios autosave and sign (`topUpDrafts`).
 */
export const LARGE_CHART = 1000;
export const SMALL_CHART = 10;
/** drafts in progress kept for the write scenarios; a run signs a few hundred of them */
const DRAFT_POOL = 4000;

const CHART_TABLES = ['encounters', 'notes', 'note_revisions', 'diagnoses', 'vitals', 'news2_alerts'];
const DAY_MS = 86_400_000;
const YEARS_BACK = 5;

type ClinicCode = 'KIN' | 'GOM';

export interface ChartLoad {
  clinics: Record<ClinicCode, string>;
  patients: Record<ClinicCode, string[]>;
  practitioners: Record<ClinicCode, string[]>;
  encounters: number;
  rand: Rand;
  now: Date;
  log: (m: string) => void;
}

export interface ChartMarker {
  encounters: number;
  largePatientId: string;
  smallPatientId: string;
}

/** The demo users who write the history: a doctor and a nurse of each clinic (Goma's doctor takes its vitals too). */
async function staffOf(c: pg.Client): Promise<Record<ClinicCode, { doctor: string; nurse: string }>> {
  const r = await c.query<{ email: string; id: string }>(
    `SELECT email, id FROM users WHERE email IN ('doctor@sanita.test', 'nurse@sanita.test', 'doctor.goma@sanita.test')`,
  );
  const id = (email: string) => {
    const u = r.rows.find((x) => x.email === email);
    if (!u) throw new Error(`the demo organisation has no ${email}`);
    return u.id;
  };
  return {
    KIN: { doctor: id('doctor@sanita.test'), nurse: id('nurse@sanita.test') },
    GOM: { doctor: id('doctor.goma@sanita.test'), nurse: id('doctor.goma@sanita.test') },
  };
}

/** The ICD-10-CM descriptions of the codes the notes use (the terminology is loaded before). */
async function icd10Descriptions(c: pg.Client): Promise<Map<string, string>> {
  const r = await c.query<{ code: string; description: string }>(
    'SELECT code, description FROM icd10_codes WHERE code = ANY($1) AND billable AND active',
    [[...new Set([...NOTE_CODES, ...COMMON_ICD10])]],
  );
  const found = new Map(r.rows.map((x) => [x.code, x.description]));
  const missing = NOTE_CODES.filter((code) => !found.has(code));
  if (missing.length) throw new Error(`ICD-10-CM codes of the bench notes not in the terminology: ${missing.join(', ')}`);
  return found;
}

/** `n` random version-4 UUIDs, 16 bytes each, formatted on demand: a million ids as strings would cost a lot of heap. */
function uuids(n: number): (i: number) => string {
  const buf = randomFillSync(Buffer.alloc(n * 16));
  for (let i = 0; i < n; i++) {
    buf[i * 16 + 6] = (buf[i * 16 + 6]! & 0x0f) | 0x40;
    buf[i * 16 + 8] = (buf[i * 16 + 8]! & 0x3f) | 0x80;
  }
  return (i) => {
    const h = buf.toString('hex', i * 16, i * 16 + 16);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  };
}

const iso = (ms: number) => new Date(ms).toISOString();
const int = (rand: Rand, lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));
const round1 = (v: number) => Math.round(v * 10) / 10;

/** A set of vitals as a clinic takes them: mostly well, some unwell (fever, fast breathing), now and then one that raises an alert. */
function vitalsOf(rand: Rand) {
  const unwell = rand() < 0.12;
  const heightCm = int(rand, 150, 185);
  const weightKg = int(rand, 48, 100);
  const m: News2Input & { diastolic: number } = {
    respiratoryRate: unwell ? int(rand, 16, 26) : int(rand, 12, 20),
    spo2: unwell ? int(rand, 91, 98) : int(rand, 95, 100),
    onOxygen: false,
    spo2Scale: 1,
    systolic: int(rand, 100, 165),
    diastolic: int(rand, 62, 100),
    heartRate: unwell ? int(rand, 80, 125) : int(rand, 55, 95),
    consciousness: 'A',
    temperature: unwell ? round1(37.4 + rand() * 2.2) : round1(36.1 + rand() * 1.2),
  };
  return {
    ...m,
    weightKg,
    heightCm,
    bmi: round1(weightKg / (heightCm / 100) ** 2),
    pain: rand() < 0.6 ? 0 : int(rand, 1, 6),
    glucose: rand() < 0.15 ? round1(4.5 + rand() * 7) : null,
    score: news2(m),
  };
}

/**
 * Loads the history inside the caller's transaction: the secondary indexes and foreign keys of the chart
 * tables are dropped and rebuilt after, the diagnoses' lock trigger (which refuses diagnoses of a signed
 * note, so also this load's) is off during the COPY and on again after.
 */
export async function loadCharts(c: pg.Client, o: ChartLoad): Promise<ChartMarker> {
  const { rand } = o;
  const t0 = performance.now();
  const done = (what: string) => o.log(`  ${what}: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  const staff = await staffOf(c);
  const icd10 = await icd10Descriptions(c);
  const rebuild = await deferIndexes(c, CHART_TABLES);
  await c.query('ALTER TABLE diagnoses DISABLE TRIGGER diagnoses_signed_locked');

  // who has how many consultations: the two chosen patients exactly, the others an exponential spread
  const everyone = [
    ...o.patients.KIN.map((id) => ({ id, clinic: 'KIN' as const })),
    ...o.patients.GOM.map((id) => ({ id, clinic: 'GOM' as const })),
  ];
  const [large, small] = o.patients.KIN;
  if (!large || !small) throw new Error('the chart load needs two patients at Kinshasa');
  const mean = Math.max(0, o.encounters - LARGE_CHART - SMALL_CHART) / Math.max(1, everyone.length - 2);
  const counts = everyone.map((p, i) =>
    i === 0 ? LARGE_CHART : i === 1 ? SMALL_CHART : Math.min(10 * Math.ceil(mean) + 1, Math.floor(-Math.log(1 - rand()) * mean)),
  );
  // then exactly the asked total, one consultation more or less for random other patients
  let total = counts.reduce((s, n) => s + n, 0);
  while (total !== o.encounters && everyone.length > 2) {
    const i = 2 + Math.floor(rand() * (everyone.length - 2));
    const step = total < o.encounters ? 1 : counts[i]! > 0 ? -1 : 0;
    counts[i]! += step;
    total += step;
  }

  // the skeleton of each encounter, which every table's pass reads in the same order
  const patientOf = new Uint32Array(total);
  const startedAt = new Float64Array(total);
  const minutes = new Uint8Array(total);
  const type = new Uint8Array(total);
  const practitioner = new Uint16Array(total);
  const nowMs = o.now.getTime();
  let k = 0;
  everyone.forEach((p, i) => {
    const span = YEARS_BACK * 365 * DAY_MS;
    for (let j = 0; j < counts[i]!; j++, k++) {
      patientOf[k] = i;
      // consultations between 07:00 and 17:00 UTC on a day of the last five years
      const day = Math.floor((nowMs - DAY_MS - rand() * span) / DAY_MS) * DAY_MS;
      startedAt[k] = day + (7 * 60 + Math.floor(rand() * 600)) * 60_000;
      minutes[k] = int(rand, 8, 40);
      const r = rand();
      type[k] = r < 0.92 ? 0 : r < 0.97 ? 1 : 2;
      practitioner[k] = Math.floor(rand() * o.practitioners[p.clinic].length);
    }
  });
  const TYPES = ['outpatient', 'emergency', 'telehealth'] as const;
  const encounterId = uuids(total);
  const noteId = uuids(total);
  const vitalsId = uuids(total);
  const ended = (e: number) => startedAt[e]! + minutes[e]! * 60_000;
  const signed = (e: number) => ended(e) + (e % 7) * 60_000;
  const who = (e: number) => everyone[patientOf[e]!]!;

  await copy(
    c,
    `COPY encounters (id, clinic_id, patient_id, practitioner_id, type, status, reason, started_at, ended_at, started_by,
      ended_by, version) FROM STDIN`,
    (function* () {
      for (let e = 0; e < total; e++) {
        const p = who(e);
        const doctor = staff[p.clinic].doctor;
        yield row([
          encounterId(e),
          o.clinics[p.clinic],
          p.id,
          o.practitioners[p.clinic][practitioner[e]!],
          TYPES[type[e]!],
          'finished',
          reason(rand),
          iso(startedAt[e]!),
          iso(ended(e)),
          doctor,
          doctor,
          2,
        ]);
      }
    })(),
  );
  done('encounters');

  // notes, their signed revisions and diagnoses: three passes over the same text stream (same seed)
  const TEXT_SEED = 20261207;
  const notesOf = function* () {
    const textRand = prng(TEXT_SEED);
    for (let e = 0; e < total; e++) yield { e, note: generateNote(textRand) };
  };
  const diagnosesOf = (codes: string[]) =>
    codes.map((code, i) => ({ code, description: icd10.get(code)!, rank: i === 0 ? 'primary' : 'secondary' }));
  await copy(
    c,
    `COPY notes (id, encounter_id, template, sections, patient_summary, author_id, version, created_at, updated_at, signed_at,
      signed_by) FROM STDIN`,
    (function* () {
      for (const { e, note } of notesOf()) {
        const doctor = staff[who(e).clinic].doctor;
        yield row([
          noteId(e),
          encounterId(e),
          'general',
          JSON.stringify(note.sections),
          note.patientSummary,
          doctor,
          1 + (e % 5),
          iso(startedAt[e]! + 60_000),
          iso(signed(e)),
          iso(signed(e)),
          doctor,
        ]);
      }
    })(),
  );
  done('notes');
  await copy(
    c,
    'COPY note_revisions (id, note_id, kind, content, author_id, created_at) FROM STDIN',
    (function* () {
      for (const { e, note } of notesOf()) {
        const content = {
          template: 'general',
          sections: note.sections,
          patientSummary: note.patientSummary,
          diagnoses: diagnosesOf(note.codes),
        };
        yield row([randomUUID(), noteId(e), 'signed', JSON.stringify(content), staff[who(e).clinic].doctor, iso(signed(e))]);
      }
    })(),
  );
  done('note_revisions');
  await copy(
    c,
    'COPY diagnoses (id, encounter_id, note_id, code, description, rank, position, added_by, created_at) FROM STDIN',
    (function* () {
      for (const { e, note } of notesOf()) {
        const doctor = staff[who(e).clinic].doctor;
        for (const [i, d] of diagnosesOf(note.codes).entries())
          yield row([randomUUID(), encounterId(e), noteId(e), d.code, d.description, d.rank, i, doctor, iso(signed(e))]);
      }
    })(),
  );
  done('diagnoses');

  // vitals (not for telehealth) and the alerts they raised, acknowledged by the nurse: two passes, same seed
  const VITALS_SEED = 20261208;
  const setsOf = function* () {
    const vRand = prng(VITALS_SEED);
    for (let e = 0; e < total; e++) {
      if (TYPES[type[e]!] === 'telehealth') continue;
      yield { e, v: vitalsOf(vRand), takenAt: startedAt[e]! + (2 + (e % 6)) * 60_000 };
    }
  };
  await copy(
    c,
    `COPY vitals (id, patient_id, clinic_id, recorded_by, taken_at, recorded_at, systolic, diastolic, heart_rate, respiratory_rate,
      temperature, spo2, on_oxygen, spo2_scale, consciousness, weight_kg, height_cm, bmi, pain, glucose, news2_total, news2_risk,
      news2) FROM STDIN`,
    (function* () {
      for (const { e, v, takenAt } of setsOf()) {
        const p = who(e);
        yield row([
          vitalsId(e),
          p.id,
          o.clinics[p.clinic],
          staff[p.clinic].nurse,
          iso(takenAt),
          iso(takenAt + 60_000),
          v.systolic,
          v.diastolic,
          v.heartRate,
          v.respiratoryRate,
          v.temperature,
          v.spo2,
          v.onOxygen,
          v.spo2Scale,
          v.consciousness,
          v.weightKg,
          v.heightCm,
          v.bmi,
          v.pain,
          v.glucose,
          v.score?.total,
          v.score?.risk,
          v.score ? JSON.stringify(v.score) : null,
        ]);
      }
    })(),
  );
  done('vitals');
  await copy(
    c,
    `COPY news2_alerts (id, clinic_id, patient_id, vitals_id, total, risk, trigger, raised_at, status, acknowledged_by,
      acknowledged_at, escalation_level) FROM STDIN`,
    (function* () {
      for (const { e, v, takenAt } of setsOf()) {
        if (!v.score?.alert) continue;
        const p = who(e);
        const raised = takenAt + 60_000;
        yield row([
          randomUUID(),
          o.clinics[p.clinic],
          p.id,
          vitalsId(e),
          v.score.total,
          v.score.risk,
          v.score.total >= 5 ? 'total' : 'single_parameter',
          iso(raised),
          'acknowledged',
          staff[p.clinic].doctor,
          iso(raised + 10 * 60_000),
          0,
        ]);
      }
    })(),
  );
  done('news2_alerts');

  await c.query('ALTER TABLE diagnoses ENABLE TRIGGER diagnoses_signed_locked');
  await rebuild();
  done('indexes and foreign keys');
  return { encounters: total, largePatientId: large, smallPatientId: small };
}

/** The signed-note triggers must be in force once the load is done: a dataset where they are not is not the product. */
export async function checkLocks(c: pg.Client): Promise<void> {
  const r = await c.query<{ tgname: string }>(
    `SELECT tgname FROM pg_trigger WHERE tgname IN ('notes_signed_locked', 'diagnoses_signed_locked') AND tgenabled = 'O'`,
  );
  if (r.rows.length !== 2) throw new Error('the notes lock triggers are not enabled after the load');
}

/** A consultation in progress with its draft note, which a bench doctor autosaves and signs. */
export interface BenchDraft {
  encounterId: string;
  patientId: string;
  version: number;
}

/**
 * Keeps at least DRAFT_POOL / 2 consultations in progress at Kinshasa with an unsigned draft, adding
 * DRAFT_POOL of them (walk-ins of bench practitioners, on patients with none in progress) when fewer
 * remain: signing is irreversible, so each run uses some up.
 */
export async function topUpDrafts(c: pg.Client, o: { exclude: string[]; rand: Rand; log: (m: string) => void }): Promise<void> {
  const left = await c.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM notes n JOIN encounters e ON e.id = n.encounter_id
       JOIN clinics cl ON cl.id = e.clinic_id AND cl.code = 'KIN'
      WHERE n.signed_at IS NULL AND e.status = 'in_progress'`,
  );
  if (left.rows[0]!.n >= DRAFT_POOL / 2) return;
  const t = performance.now();
  const staff = await staffOf(c);
  const kin = await c.query<{ id: string }>(`SELECT id FROM clinics WHERE code = 'KIN'`);
  const clinicId = kin.rows[0]!.id;
  const practitioners = (
    await c.query<{ id: string }>('SELECT DISTINCT practitioner_id AS id FROM availability_templates WHERE clinic_id = $1', [
      clinicId,
    ])
  ).rows.map((r) => r.id);
  // patients registered at Kinshasa with no consultation in progress, not the two measured charts
  const patients = await c.query<{ id: string }>(
    `SELECT p.id FROM patients p JOIN patient_clinics pc ON pc.patient_id = p.id AND pc.clinic_id = $1
      WHERE p.status = 'active' AND p.id <> ALL($2::uuid[])
        AND NOT EXISTS (SELECT 1 FROM encounters e WHERE e.patient_id = p.id AND e.status = 'in_progress')
      ORDER BY md5(p.id::text || $3) LIMIT $4`,
    [clinicId, o.exclude, String(Math.floor(o.rand() * 1e9)), DRAFT_POOL],
  );
  const now = Date.now();
  const drafts = patients.rows.map((p) => ({
    encounterId: randomUUID(),
    noteId: randomUUID(),
    patientId: p.id,
    startedAt: now - int(o.rand, 5, 120) * 60_000,
    version: int(o.rand, 1, 4),
    sections: draftSections(o.rand),
  }));
  await c.query('BEGIN');
  await copy(
    c,
    'COPY encounters (id, clinic_id, patient_id, practitioner_id, type, status, reason, started_at, started_by) FROM STDIN',
    drafts.map((d) =>
      row([
        d.encounterId,
        clinicId,
        d.patientId,
        pick(o.rand, practitioners),
        'outpatient',
        'in_progress',
        reason(o.rand),
        iso(d.startedAt),
        staff.KIN.doctor,
      ]),
    ),
  );
  await copy(
    c,
    'COPY notes (id, encounter_id, template, sections, author_id, version, created_at, updated_at) FROM STDIN',
    drafts.map((d) =>
      row([
        d.noteId,
        d.encounterId,
        'general',
        JSON.stringify(d.sections),
        staff.KIN.doctor,
        d.version,
        iso(d.startedAt + 60_000),
        iso(d.startedAt + 120_000),
      ]),
    ),
  );
  // the history keeps a draft as it stood (the autosave writes one every few minutes)
  await copy(
    c,
    'COPY note_revisions (id, note_id, kind, content, author_id, created_at) FROM STDIN',
    drafts.map((d) =>
      row([
        randomUUID(),
        d.noteId,
        'draft',
        JSON.stringify({ template: 'general', sections: d.sections, patientSummary: null, diagnoses: [] }),
        staff.KIN.doctor,
        iso(d.startedAt + 60_000),
      ]),
    ),
  );
  await c.query('COMMIT');
  o.log(
    `${drafts.length} consultations in progress with a draft note added for the write scenarios (${((performance.now() - t) / 1000).toFixed(1)} s)`,
  );
}

/** The unsigned drafts of consultations in progress at Kinshasa, for the write scenarios. */
export async function loadDrafts(c: pg.Client): Promise<BenchDraft[]> {
  const r = await c.query<BenchDraft>(
    `SELECT e.id AS "encounterId", e.patient_id AS "patientId", n.version
       FROM notes n JOIN encounters e ON e.id = n.encounter_id JOIN clinics cl ON cl.id = e.clinic_id AND cl.code = 'KIN'
      WHERE n.signed_at IS NULL AND e.status = 'in_progress'`,
  );
  return r.rows;
}
