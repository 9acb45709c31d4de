import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import type { CodedAnswer, LabFlag, ReferenceRange } from '@sanita/contracts/lab';
import { ageInDays, codedFlag, isCritical, numericFlag, selectRange } from '@sanita/clinical/lab/ranges';
import { copy, deferIndexes, row } from './copy.ts';
import { pick, type Rand } from './people.ts';

/**
 * The laboratory of the benchmark (issue 12), loaded by COPY once the rest of the dataset exists:
 * about `results` released results of completed orders written in finished consultations (a panel or a
 * test each, sometimes two: the CBC, the basic metabolic panel, malaria RDTs, urinalysis…), each order
 * with its specimens (collected, received), items and results (entered, verified where the test needs
 * it, released; flagged from the patient's range on the collection day, mostly normal, a few critical).
 * Order and accession numbers are taken from the server's sequences, so that the orders the run writes
 * never clash with them. `bench_dataset.lab_results` records the count: a dataset with fewer gets the
 * difference, without rebuilding the rest.
 */

const LAB_TABLES = ['lab_orders', 'lab_specimens', 'lab_order_items', 'lab_results'];
const MINUTE = 60_000;
/** what a clinic orders, by how often: panels and single tests */
const MIX: [code: string, weight: number][] = [
  ['CBC', 25],
  ['MAL-RDT', 15],
  ['BMP', 12],
  ['GLU', 8],
  ['UA', 8],
  ['LIPID', 6],
  ['HBA1C', 6],
  ['CREAT', 5],
  ['HIV', 5],
  ['CMP', 4],
  ['LFT', 3],
  ['CRP', 3],
];
/** the panels `lab.order` orders from a consultation */
export const ORDERED_PANELS = ['CBC', 'BMP', 'LIPID', 'UA', 'CMP'];
/** Kinshasa patients with results that `lab.results.read` reads */
const READ_PATIENTS = 2000;

/** What the lab scenarios need. */
export interface BenchLab {
  /** catalogue ids of the panels a doctor orders */
  panels: string[];
  /** Kinshasa patients with released results */
  resultPatients: string[];
}

interface Test {
  id: string;
  code: string;
  kind: 'test' | 'panel';
  specimen_type: string;
  result_type: 'numeric' | 'coded' | 'text';
  unit: string | null;
  decimals: number;
  answers: CodedAnswer[];
  ranges: ReferenceRange[];
  turnaround_hours: number;
  requires_verification: boolean;
  members: string[];
}

const iso = (ms: number) => new Date(ms).toISOString();

/** A value a laboratory would report for this patient: mostly normal, some high or low, a few critical. */
function numericValue(rand: Rand, t: Test, range: ReferenceRange | null): number {
  const low = range?.low ?? null;
  const high = range?.high ?? null;
  const lo = low ?? (high !== null ? high * 0.3 : 1);
  const hi = high ?? (low !== null ? low * 2 : 10);
  const width = Math.max(hi - lo, Math.abs(hi) * 0.1, 10 ** -t.decimals);
  const r = rand();
  let v: number;
  if (r < 0.8) v = lo + rand() * (hi - lo);
  else if (r < 0.9) v = hi + rand() * width * 0.5;
  else if (r < 0.995) v = lo - rand() * width * 0.3;
  else
    v =
      range?.criticalHigh != null && rand() < 0.5
        ? range.criticalHigh + rand() * width * 0.2
        : (range?.criticalLow ?? lo) - rand() * width * 0.1;
  return Math.max(0, Number(v.toFixed(t.decimals)));
}

const TEXT_RESULTS = ['No growth after 48 hours.', 'No organisms seen.', 'Scanty mixed flora; no pathogen isolated.'];

/**
 * Adds the lab history the dataset lacks (up to `results` results) and returns the panels to order and
 * the patients whose results the read scenario opens.
 */
export async function ensureLab(
  c: pg.Client,
  o: { results: number; measured: string[]; rand: Rand; log: (m: string) => void },
): Promise<BenchLab> {
  await c.query(`ALTER TABLE bench_dataset ADD COLUMN IF NOT EXISTS lab_results integer NOT NULL DEFAULT 0`);
  const have = (await c.query<{ n: number }>('SELECT lab_results AS n FROM bench_dataset WHERE id = 1')).rows[0]!.n;
  const tests = (
    await c.query<Test>(
      `SELECT t.id, t.code, t.kind, t.specimen_type, t.result_type, t.unit, t.decimals, t.answers, t.ranges, t.turnaround_hours,
              t.requires_verification,
              coalesce((SELECT array_agg(m.test_id::text ORDER BY m.position) FROM lab_panel_members m WHERE m.panel_id = t.id), '{}') AS members
         FROM lab_tests t WHERE t.active AND t.shipped`,
    )
  ).rows;
  const byCode = new Map(tests.map((t) => [t.code, t]));
  const byId = new Map(tests.map((t) => [t.id, t]));
  const need = (code: string) => {
    const t = byCode.get(code);
    if (!t) throw new Error(`the lab catalogue has no ${code}: the reference data is not loaded`);
    return t;
  };
  for (const [code] of MIX) need(code);
  if (have < o.results) {
    const t = performance.now();
    await c.query('BEGIN');
    await c.query('SET LOCAL synchronous_commit = off');
    const added = await loadHistory(c, { count: o.results - have, exclude: o.measured, need, byId, rand: o.rand, log: o.log });
    await c.query('UPDATE bench_dataset SET lab_results = lab_results + $1', [added]);
    await c.query('COMMIT');
    for (const tbl of LAB_TABLES) await c.query(`VACUUM (ANALYZE) ${tbl}`);
    o.log(`lab: ${added} results loaded in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  }
  // the two measured charts (1,000 and 10 consultations) have an order at each consultation: the results
  // table of a long history against a short one
  const measured = await c.query<{ n: number }>(`SELECT count(*)::int AS n FROM lab_orders WHERE patient_id = ANY($1::uuid[])`, [
    o.measured,
  ]);
  if (measured.rows[0]!.n === 0 && o.measured.length) {
    await c.query('BEGIN');
    const added = await loadHistory(c, { patients: o.measured, need, byId, rand: o.rand, log: o.log });
    await c.query('COMMIT');
    for (const tbl of LAB_TABLES) await c.query(`ANALYZE ${tbl}`);
    o.log(`lab: ${added} results of the two measured charts' consultations`);
  }
  const readers = await c.query<{ id: string }>(
    `SELECT DISTINCT ON (md5(r.patient_id::text)) r.patient_id AS id
       FROM lab_results r JOIN clinics cl ON cl.id = r.clinic_id AND cl.code = 'KIN'
      WHERE r.status = 'released'
      ORDER BY md5(r.patient_id::text) LIMIT $1`,
    [READ_PATIENTS],
  );
  return { panels: ORDERED_PANELS.map((k) => need(k).id), resultPatients: readers.rows.map((r) => r.id) };
}

/** Completed orders of finished consultations, their specimens, items and released results, by COPY. */
async function loadHistory(
  c: pg.Client,
  o: {
    /** about this many results, in random finished consultations of other patients than `exclude` */
    count?: number;
    exclude?: string[];
    /** or: an order at each finished consultation of these patients */
    patients?: string[];
    need: (code: string) => Test;
    byId: Map<string, Test>;
    rand: Rand;
    log: (m: string) => void;
  },
): Promise<number> {
  const { rand } = o;
  const expected = (t: Test) => (t.kind === 'panel' ? t.members.map((id) => o.byId.get(id)!) : [t]);
  const mix = MIX.map(([code, w]) => ({ test: o.need(code), w }));
  const total = mix.reduce((s, m) => s + m.w, 0);
  const draw = () => {
    let x = rand() * total;
    for (const m of mix) if ((x -= m.w) < 0) return m.test;
    return mix[0]!.test;
  };
  const perOrder = mix.reduce((s, m) => s + (m.w / total) * expected(m.test).length, 0) * 1.15;
  const wanted = Math.max(1, Math.ceil((o.count ?? 0) / perOrder));

  const enc = await c.query<{
    id: string;
    patient_id: string;
    clinic_id: string;
    prefix: string;
    ended: Date;
    birth_date: string;
    sex: string;
  }>(
    `SELECT e.id, e.patient_id, e.clinic_id, cl.mrn_prefix AS prefix, e.ended_at AS ended, p.birth_date::text AS birth_date, p.sex
       FROM encounters e JOIN patients p ON p.id = e.patient_id JOIN clinics cl ON cl.id = e.clinic_id
      WHERE e.status = 'finished' AND e.ended_at < now() - interval '1 day' AND cl.code IN ('KIN', 'GOM')
        AND ${o.patients ? 'e.patient_id = ANY($1::uuid[])' : 'e.patient_id <> ALL($1::uuid[])'}
      ${o.patients ? '' : 'ORDER BY random() LIMIT $2'}`,
    o.patients ? [o.patients] : [o.exclude ?? [], wanted],
  );
  const orders = o.patients ? enc.rows.length : wanted;
  if (!enc.rows.length) throw new Error('no finished consultations to write the lab orders in');
  const staff = await c.query<{ email: string; id: string }>(
    `SELECT email, id FROM users WHERE email IN ('doctor@sanita.test', 'doctor.goma@sanita.test', 'lab_technician@sanita.test',
                                                 'super_admin@sanita.test')`,
  );
  const user = (email: string) => staff.rows.find((u) => u.email === email)?.id ?? null;
  const kin = (await c.query<{ id: string }>(`SELECT id FROM clinics WHERE code = 'KIN'`)).rows[0]!.id;
  const doctorAt = (clinicId: string) => (clinicId === kin ? user('doctor@sanita.test') : user('doctor.goma@sanita.test'));
  // the lab's work is entered by the technician and checked by a second person
  const tech = user('lab_technician@sanita.test') ?? user('super_admin@sanita.test');
  const checker = user('super_admin@sanita.test');

  // numbers from the server's own sequences: a block reserved for this load
  const reserve = async (seq: string, n: number) => {
    const r = await c.query<{ first: string }>(`SELECT nextval($1::regclass)::text AS first`, [seq]);
    const first = BigInt(r.rows[0]!.first);
    await c.query(`SELECT setval($1::regclass, $2::bigint)`, [seq, (first + BigInt(n)).toString()]);
    return first;
  };
  const orderSeq = await reserve('lab_order_seq', orders);
  const accessionSeq = await reserve('lab_accession_seq', orders * 3);
  let accessions = 0;

  // a bulk load drops the indexes and rebuilds them after; a few thousand rows go in with them
  const rebuild = o.patients ? async () => {} : await deferIndexes(c, LAB_TABLES);
  // the plan both passes read: each order's encounter, tests, times and specimens
  interface Planned {
    id: string;
    e: (typeof enc.rows)[number];
    items: { id: string; test: Test; specimenId: string }[];
    specimens: { id: string; type: string; accession: string }[];
    orderedAt: number;
    collectedAt: number;
    receivedAt: number;
    enteredAt: number;
    releasedAt: number;
    doctor: string | null;
  }
  const plan: Planned[] = [];
  for (let i = 0; i < orders; i++) {
    const e = enc.rows[i % enc.rows.length]!;
    const first = draw();
    const picked = rand() < 0.15 ? [first, draw()] : [first];
    const uniq = [...new Map(picked.map((t) => [t.id, t])).values()];
    const specimens = new Map<string, { id: string; type: string; accession: string }>();
    const items = uniq.map((test) => {
      let s = specimens.get(test.specimen_type);
      if (!s) {
        s = { id: randomUUID(), type: test.specimen_type, accession: (accessionSeq + BigInt(accessions++)).toString() };
        specimens.set(test.specimen_type, s);
      }
      return { id: randomUUID(), test, specimenId: s.id };
    });
    const orderedAt = e.ended.getTime() - 20 * MINUTE;
    const collectedAt = orderedAt + (5 + Math.floor(rand() * 20)) * MINUTE;
    const receivedAt = collectedAt + (10 + Math.floor(rand() * 30)) * MINUTE;
    const tat = Math.max(...uniq.map((t) => t.turnaround_hours));
    const enteredAt = receivedAt + Math.floor(rand() * tat * 0.6 * 60) * MINUTE;
    plan.push({
      id: randomUUID(),
      e,
      items,
      specimens: [...specimens.values()],
      orderedAt,
      collectedAt,
      receivedAt,
      enteredAt,
      releasedAt: enteredAt + (5 + Math.floor(rand() * 25)) * MINUTE,
      doctor: doctorAt(e.clinic_id),
    });
  }

  await copy(
    c,
    `COPY lab_orders (id, number, clinic_id, patient_id, encounter_id, ordered_by, ordered_at, priority, status, due_at, version)
     FROM STDIN`,
    (function* () {
      for (const [i, p] of plan.entries()) {
        const tat = Math.max(...p.items.map((x) => x.test.turnaround_hours));
        yield row([
          p.id,
          `LAB-${p.e.prefix.toUpperCase()}-${(orderSeq + BigInt(i)).toString().padStart(6, '0')}`,
          p.e.clinic_id,
          p.e.patient_id,
          p.e.id,
          p.doctor,
          iso(p.orderedAt),
          'routine',
          'completed',
          iso(p.orderedAt + tat * 3_600_000),
          5,
        ]);
      }
    })(),
  );
  o.log(`  ${plan.length} lab orders`);
  await copy(
    c,
    `COPY lab_specimens (id, order_id, accession_number, specimen_type, collected_at, collected_by, received_at, received_by) FROM STDIN`,
    (function* () {
      for (const p of plan)
        for (const s of p.specimens)
          yield row([s.id, p.id, s.accession, s.type, iso(p.collectedAt), tech, iso(p.receivedAt), tech]);
    })(),
  );
  await copy(
    c,
    `COPY lab_order_items (id, order_id, test_id, specimen_id, position) FROM STDIN`,
    (function* () {
      for (const p of plan)
        for (const [pos, it] of p.items.entries()) yield row([it.id, p.id, it.test.id, it.specimenId, pos + 1]);
    })(),
  );
  let results = 0;
  let flagged = 0;
  let critical = 0;
  await copy(
    c,
    `COPY lab_results (id, order_id, order_item_id, test_id, patient_id, clinic_id, value_numeric, value_code, value_text, unit, range,
      flag, critical, status, source, observed_at, entered_at, entered_by, verified_at, verified_by, released_at, released_by, version)
     FROM STDIN`,
    (function* () {
      for (const p of plan) {
        const age = ageInDays(p.e.birth_date, new Date(p.collectedAt));
        for (const it of p.items)
          for (const t of expected(it.test)) {
            const range = selectRange(t.ranges, p.e.sex, age);
            let numeric: number | null = null;
            let code: string | null = null;
            let text: string | null = null;
            let flag: LabFlag | null = null;
            if (t.result_type === 'numeric') {
              numeric = numericValue(rand, t, range);
              flag = numericFlag(numeric, range);
            } else if (t.result_type === 'coded') {
              const normal = range?.normalCodes ?? [];
              code = normal.length && rand() < 0.85 ? pick(rand, normal) : pick(rand, t.answers).code;
              flag = codedFlag(code, range);
            } else text = pick(rand, TEXT_RESULTS);
            results += 1;
            if (flag) flagged += 1;
            if (isCritical(flag)) critical += 1;
            const verified = t.requires_verification ? p.enteredAt + 3 * MINUTE : null;
            yield row([
              randomUUID(),
              p.id,
              it.id,
              t.id,
              p.e.patient_id,
              p.e.clinic_id,
              numeric,
              code,
              text,
              t.unit,
              range ? JSON.stringify(range) : null,
              flag,
              isCritical(flag),
              'released',
              'manual',
              iso(p.collectedAt),
              iso(p.enteredAt),
              tech,
              verified === null ? null : iso(verified),
              verified === null ? null : checker,
              iso(p.releasedAt),
              tech,
              3,
            ]);
          }
      }
    })(),
  );
  o.log(`  ${results} lab results (${flagged} flagged, ${critical} critical)`);
  await rebuild();
  return results;
}
