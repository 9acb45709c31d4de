import { randomBytes, randomUUID } from 'node:crypto';
import type pg from 'pg';
import { resolveIngredients } from '@sanita/clinical/medications';
import { copy, deferIndexes, row } from './copy.ts';
import { pick, type Rand } from './people.ts';

/**
 * The medications of the benchmark (issue 11), loaded by COPY once the rest of the dataset exists:
 * `prescriptions` historical prescriptions (completed, expired or cancelled, signed with the snapshot and
 * the verification code signing writes) of finished consultations, one to three formulary items each;
 * the measured patient of `medications.check` (10 current medications — an active prescription of 5
 * items and 5 reported ones — and 5 allergies); large bench lots of the stocked formulary products at
 * both clinics, each received through the ledger; and a pool of active Kinshasa prescriptions for
 * `pharmacy.dispense`, topped up at each start. `bench_dataset` records the count and the measured
 * patient: a dataset without them gets them here, without rebuilding the rest.
 */

const MED_TABLES = ['prescriptions', 'prescription_items'];
const DAY_MS = 86_400_000;
/** active prescriptions the dispense scenario takes from; a dispense takes one tablet of 30 */
const DISPENSE_POOL = 2000;
const POOL_NOTE = 'Bench: to dispense';
const POOL_QUANTITY = 30;
/** units received into each bench lot: far more than a full run dispenses */
const LOT_UNITS = 200_000;
const BENCH_LOT = 'BENCH-';

/** The measured patient's current medications: an active prescription of these… */
const CURRENT_PRESCRIBED = [
  'who-eml:warfarin-5mg-tablet',
  'who-eml:simvastatin-20mg-tablet',
  'who-eml:fluoxetine-20mg-tablet',
  'who-eml:metformin-500mg-tablet',
  'who-eml:enalapril-5mg-tablet',
];
/** …and these the patient reports (a formulary code, or a name the checks read) */
const CURRENT_REPORTED = [
  'who-eml:amlodipine-5mg-tablet',
  'who-eml:furosemide-20mg-tablet',
  'who-eml:salbutamol-100ug-inhaler',
  'who-eml:levothyroxine-50ug-tablet',
  'Diclofenac 50 mg tablet',
];
const ALLERGIES: { code: string | null; substance: string; category: string; type: string; criticality: string }[] = [
  { code: 'penicillins', substance: 'Penicillins', category: 'medication', type: 'allergy', criticality: 'high' },
  { code: 'sulfonamides', substance: 'Sulfonamides', category: 'medication', type: 'allergy', criticality: 'low' },
  { code: null, substance: 'Codeine', category: 'medication', type: 'intolerance', criticality: 'low' },
  { code: 'peanut', substance: 'Peanut', category: 'food', type: 'allergy', criticality: 'high' },
  { code: 'latex', substance: 'Latex', category: 'environment', type: 'allergy', criticality: 'low' },
];

/** The five items `medications.check` asks about (as bench-check.ts): each with its formulary code and dose. */
export const CHECK_ITEMS = [
  { code: 'who-eml:ibuprofen-400mg-tablet', dose: { amount: 400, unit: 'mg' }, times: 3 },
  { code: 'who-eml:clarithromycin-500mg-tablet', dose: { amount: 500, unit: 'mg' }, times: 2 },
  { code: 'who-eml:ceftriaxone-powder-for-injection-1g', dose: { amount: 1, unit: 'g' }, times: 1 },
  { code: 'who-eml:paracetamol-500mg-tablet', dose: { amount: 1, unit: 'g' }, times: 4 },
  { code: 'who-eml:omeprazole-20mg-tablet', dose: { amount: 20, unit: 'mg' }, times: 1 },
] as const;

/** What the medication scenarios need. */
export interface BenchMedications {
  /** the patient with 10 current medications and 5 allergies */
  measuredPatientId: string;
  /** formulary ids by code: the checked items and the products a doctor prescribes */
  formulary: Record<string, string>;
  /** formulary ids of stocked tablet products (what `prescription.sign` prescribes) */
  stocked: string[];
  /** items of active Kinshasa prescriptions left to dispense (an item being dispensed is out of the list) */
  dispensable: BenchDispensable[];
}
export interface BenchDispensable {
  prescriptionId: string;
  itemId: string;
  remaining: number;
}

interface Formulary {
  id: string;
  code: string;
  name: string;
  ingredients: string[];
  route: string | null;
  form: string | null;
}

const iso = (ms: number) => new Date(ms).toISOString();
const int = (rand: Rand, lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
/** a verification code as signing draws it: 12 characters of Crockford base32 */
const code = () => Array.from(randomBytes(12), (b) => ALPHABET[b & 31]).join('');
const pgArray = (items: readonly string[]) => `{${items.map((s) => `"${s.replace(/["\\]/g, '\\$&')}"`).join(',')}}`;

/** One dose as a prescriber writes it for a product's form, and the unit the quantity is counted in. */
function doseFor(f: Formulary): { amount: number; unit: string; quantityUnit: string } {
  const form = (f.form ?? '').toLowerCase();
  if (form.includes('capsule')) return { amount: 1, unit: 'capsule', quantityUnit: 'capsule' };
  if (form.includes('tablet')) return { amount: 1, unit: 'tablet', quantityUnit: 'tablet' };
  if (/solution|suspension|syrup|liquid/.test(form)) return { amount: 5, unit: 'mL', quantityUnit: 'mL' };
  return { amount: 1, unit: 'unit', quantityUnit: 'unit' };
}

async function staff(c: pg.Client) {
  const r = await c.query<{ email: string; id: string }>(
    `SELECT email, id FROM users WHERE email IN ('doctor@sanita.test', 'doctor.goma@sanita.test', 'pharmacist@sanita.test')`,
  );
  const id = (email: string) => {
    const u = r.rows.find((x) => x.email === email);
    if (!u) throw new Error(`the demo organisation has no ${email}`);
    return u.id;
  };
  return { KIN: id('doctor@sanita.test'), GOM: id('doctor.goma@sanita.test'), pharmacist: id('pharmacist@sanita.test') };
}

/** The header and signature block a signing copies (repository `issuerOf`), for a doctor at a clinic. */
async function issuer(c: pg.Client, userId: string, clinicId: string) {
  const r = await c.query<{
    clinic_name: string;
    address: string | null;
    timezone: string;
    organisation: string | null;
    name: string;
    licence_number: string | null;
  }>(
    `SELECT c.name AS clinic_name, c.address, c.timezone, (SELECT o.name FROM organisation o LIMIT 1) AS organisation,
            coalesce(pr.display_name, u.display_name) AS name, pr.licence_number
       FROM clinics c CROSS JOIN users u LEFT JOIN practitioners pr ON pr.user_id = u.id
      WHERE c.id = $1 AND u.id = $2`,
    [clinicId, userId],
  );
  const x = r.rows[0]!;
  return {
    clinic: { name: x.clinic_name, address: x.address, phone: null, timezone: x.timezone },
    organisation: x.organisation ?? x.clinic_name,
    prescriber: { name: x.name, licenceNumber: x.licence_number, specialties: [] as string[] },
  };
}

interface Marker {
  prescriptions: number;
  measured: string | null;
}

/**
 * Adds what the dataset lacks of the medications (historical prescriptions up to `prescriptions`, the
 * measured patient, the bench lots), renews the measured patient's active prescription when it nears
 * its expiry, tops up the dispense pool, and checks that every lot's balance equals its ledger.
 */
export async function ensureMedications(
  c: pg.Client,
  o: { prescriptions: number; exclude: string[]; rand: Rand; log: (m: string) => void },
): Promise<BenchMedications> {
  await c.query(`ALTER TABLE bench_dataset ADD COLUMN IF NOT EXISTS prescriptions integer NOT NULL DEFAULT 0,
                   ADD COLUMN IF NOT EXISTS medications_patient uuid`);
  const m = (await c.query<Marker>('SELECT prescriptions, medications_patient AS measured FROM bench_dataset WHERE id = 1'))
    .rows[0]!;
  const clinics = Object.fromEntries(
    (await c.query<{ id: string; code: string }>('SELECT id, code FROM clinics')).rows.map((r) => [r.code, r.id]),
  ) as Record<'KIN' | 'GOM', string>;
  const users = await staff(c);
  const formulary = (
    await c.query<Formulary>(
      `SELECT id, code, name, ingredients, route, form FROM formulary_items WHERE active AND source = 'who-eml' ORDER BY code`,
    )
  ).rows;
  if (formulary.length < 500) throw new Error(`the formulary has ${formulary.length} items: the reference data is not loaded`);
  const byCode = new Map(formulary.map((f) => [f.code, f]));
  const need = (codeOf: string) => {
    const f = byCode.get(codeOf);
    if (!f) throw new Error(`the formulary has no ${codeOf}`);
    return f;
  };

  const t = performance.now();
  let measured = m.measured;
  if (m.prescriptions < o.prescriptions || !measured) {
    await c.query('BEGIN');
    await c.query('SET LOCAL synchronous_commit = off');
    if (m.prescriptions < o.prescriptions) {
      const added = await loadHistory(c, {
        count: o.prescriptions - m.prescriptions,
        formulary,
        clinics,
        users,
        rand: o.rand,
        log: o.log,
      });
      await c.query('UPDATE bench_dataset SET prescriptions = prescriptions + $1', [added]);
    }
    if (!measured) {
      measured = await measuredPatient(c, { exclude: o.exclude, clinicId: clinics.KIN, doctor: users.KIN, need });
      await c.query('UPDATE bench_dataset SET medications_patient = $1', [measured]);
    }
    await c.query('COMMIT');
    for (const tbl of [...MED_TABLES, 'reported_medications', 'allergies']) await c.query(`VACUUM (ANALYZE) ${tbl}`);
    o.log(`medications: history and the measured patient loaded in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  }
  await benchLots(c, users.pharmacist);
  await checkLedger(c);
  await renewCurrent(c, { patientId: measured, clinicId: clinics.KIN, doctor: users.KIN, need });
  const stocked = await stockedProducts(c, clinics.KIN);
  await topUpDispensable(c, {
    clinicId: clinics.KIN,
    doctor: users.KIN,
    stocked,
    exclude: [...o.exclude, measured],
    rand: o.rand,
    log: o.log,
  });

  // fresh statistics: the pool's active prescriptions change what the planner should expect of the partial
  // index of active prescriptions (stale, it scans every active one of the clinic to find one patient's)
  await c.query('ANALYZE prescriptions, prescription_items');

  const codes = [...CHECK_ITEMS.map((i) => i.code), ...CURRENT_PRESCRIBED];
  return {
    measuredPatientId: measured,
    formulary: Object.fromEntries(codes.map((k) => [k, need(k).id])),
    stocked: stocked.map((s) => s.id),
    dispensable: await loadDispensable(c, clinics.KIN),
  };
}

/** Historical prescriptions of finished consultations (older than a prescription's validity), by COPY. */
async function loadHistory(
  c: pg.Client,
  o: {
    count: number;
    formulary: Formulary[];
    clinics: Record<'KIN' | 'GOM', string>;
    users: { KIN: string; GOM: string };
    rand: Rand;
    log: (m: string) => void;
  },
): Promise<number> {
  const enc = await c.query<{
    id: string;
    patient_id: string;
    clinic: 'KIN' | 'GOM';
    ended: Date;
    name: string;
    birth_date: string;
    sex: string;
    mrn: string;
    lang: string | null;
  }>(
    `SELECT e.id, e.patient_id, cl.code AS clinic, e.ended_at AS ended,
            concat_ws(' ', p.given_name, p.middle_name, p.family_name) AS name, p.birth_date::text AS birth_date, p.sex, p.mrn,
            p.preferred_language AS lang
       FROM encounters e JOIN patients p ON p.id = e.patient_id JOIN clinics cl ON cl.id = e.clinic_id
      WHERE e.status = 'finished' AND e.ended_at < now() - interval '31 days' AND cl.code IN ('KIN', 'GOM')
      ORDER BY random() LIMIT $1`,
    [o.count],
  );
  if (!enc.rows.length) throw new Error('no finished consultations to write the historical prescriptions in');
  const issuers = { KIN: await issuer(c, o.users.KIN, o.clinics.KIN), GOM: await issuer(c, o.users.GOM, o.clinics.GOM) };
  const rebuild = await deferIndexes(c, MED_TABLES);
  const { rand } = o;
  const n = o.count;
  // the skeleton both passes read: the consultation each is written in, its status and its items
  const ids = Array.from({ length: n }, () => randomUUID());
  const status = new Uint8Array(n);
  const STATUSES = ['completed', 'expired', 'cancelled', 'cancelled'] as const;
  for (let i = 0; i < n; i++) {
    const r = rand();
    // 70 % dispensed in full, 20 % left to expire, 10 % cancelled (half of them as drafts, half once signed)
    status[i] = r < 0.7 ? 0 : r < 0.9 ? 1 : r < 0.95 ? 2 : 3;
  }
  await copy(
    c,
    `COPY prescriptions (id, patient_id, clinic_id, encounter_id, prescriber_id, status, language, snapshot, created_at, updated_at,
      signed_at, expires_at, completed_at, cancelled_at, cancelled_by, cancel_reason, verification_code, version) FROM STDIN`,
    (function* () {
      for (let i = 0; i < n; i++) {
        const e = enc.rows[i % enc.rows.length]!;
        const doctor = o.users[e.clinic];
        const created = e.ended.getTime() - 5 * 60_000;
        const st = STATUSES[status[i]!]!;
        const signedAt = status[i] === 2 ? null : created + 60_000;
        const expires = signedAt === null ? null : signedAt + 30 * DAY_MS;
        const ended =
          st === 'completed' ? signedAt! + int(rand, 0, 48) * 3_600_000 : st === 'expired' ? expires! : created + 10 * 60_000;
        yield row([
          ids[i],
          e.patient_id,
          o.clinics[e.clinic],
          e.id,
          doctor,
          st,
          e.lang === 'fr' ? 'fr' : 'en',
          signedAt === null
            ? null
            : JSON.stringify({
                ...issuers[e.clinic],
                patient: { name: e.name, birthDate: e.birth_date, sex: e.sex, mrn: e.mrn, weightKg: null },
              }),
          iso(created),
          iso(ended),
          signedAt === null ? null : iso(signedAt),
          expires === null ? null : iso(expires),
          st === 'completed' ? iso(ended) : null,
          st === 'cancelled' ? iso(ended) : null,
          st === 'cancelled' ? doctor : null,
          st === 'cancelled' ? 'Benchmark: the patient declined the treatment' : null,
          signedAt === null ? null : code(),
          signedAt === null ? 2 : 3,
        ]);
      }
    })(),
  );
  o.log(`  ${n} historical prescriptions`);
  let items = 0;
  await copy(
    c,
    `COPY prescription_items (id, prescription_id, position, formulary_item_id, name, ingredients, route, dose_amount, dose_unit,
      frequency, duration_days, quantity, quantity_unit, refills, instructions, substitution_allowed, overrides) FROM STDIN`,
    (function* () {
      for (let i = 0; i < n; i++) {
        const k = int(rand, 1, 3);
        for (let pos = 0; pos < k; pos++) {
          const f = pick(rand, o.formulary);
          const d = doseFor(f);
          const times = int(rand, 1, 3);
          const days = pick(rand, [3, 5, 7, 10, 14, 30]);
          items += 1;
          yield row([
            randomUUID(),
            ids[i],
            pos,
            f.id,
            f.name,
            pgArray(f.ingredients),
            f.route,
            d.amount,
            d.unit,
            JSON.stringify({ kind: 'times_per_day', times, asNeeded: false }),
            days,
            d.amount * times * days,
            d.quantityUnit,
            0,
            null,
            true,
            '[]',
          ]);
        }
      }
    })(),
  );
  o.log(`  ${items} prescription items`);
  await rebuild();
  return n;
}

/** A Kinshasa patient with no consultation in progress, given 5 allergies and 5 reported medications. */
async function measuredPatient(
  c: pg.Client,
  o: { exclude: string[]; clinicId: string; doctor: string; need: (code: string) => Formulary },
): Promise<string> {
  const r = await c.query<{ id: string }>(
    `SELECT p.id FROM patients p JOIN patient_clinics pc ON pc.patient_id = p.id AND pc.clinic_id = $1
      WHERE p.status = 'active' AND p.id <> ALL($2::uuid[]) AND p.birth_date < current_date - interval '30 years'
        AND NOT EXISTS (SELECT 1 FROM encounters e WHERE e.patient_id = p.id AND e.status = 'in_progress')
      ORDER BY md5(p.id::text) LIMIT 1`,
    [o.clinicId, o.exclude],
  );
  const id = r.rows[0]?.id;
  if (!id) throw new Error('no Kinshasa patient to measure the medication checks on');
  for (const a of ALLERGIES)
    await c.query(
      `INSERT INTO allergies (patient_id, clinic_id, substance_code, substance, type, category, criticality, verification_status,
         created_by, updated_by) VALUES ($1, $2, $3, $4, $5, $6, $7, 'confirmed', $8, $8)`,
      [id, o.clinicId, a.code, a.substance, a.type, a.category, a.criticality, o.doctor],
    );
  for (const m of CURRENT_REPORTED) {
    const f = m.startsWith('who-eml:') ? o.need(m) : null;
    const name = f?.name ?? m;
    await c.query(
      `INSERT INTO reported_medications (patient_id, clinic_id, formulary_item_id, name, ingredients, route, dose_text, since, recorded_by)
       VALUES ($1, $2, $3, $4, $5, $6, 'as usual', current_date - 400, $7)`,
      [id, o.clinicId, f?.id ?? null, name, f ? f.ingredients : resolveIngredients(name), f?.route ?? 'oral', o.doctor],
    );
  }
  return id;
}

/**
 * The measured patient's active prescription of CURRENT_PRESCRIBED: signed anew when none is active for
 * at least two more days (the one nearing its expiry is expired here, as the job would), so that the
 * patient has exactly 10 current medications at every run.
 */
async function renewCurrent(
  c: pg.Client,
  o: { patientId: string; clinicId: string; doctor: string; need: (code: string) => Formulary },
): Promise<void> {
  await c.query('BEGIN');
  await c.query(
    `UPDATE prescriptions SET status = 'expired', version = version + 1, updated_at = now()
      WHERE patient_id = $1 AND status = 'active' AND expires_at < now() + interval '2 days'`,
    [o.patientId],
  );
  const active = await c.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM prescription_items i JOIN prescriptions p ON p.id = i.prescription_id
      WHERE p.patient_id = $1 AND p.status = 'active' AND p.expires_at > now()`,
    [o.patientId],
  );
  if (active.rows[0]!.n === 0) await insertActive(c, o.patientId, o.clinicId, o.doctor, CURRENT_PRESCRIBED.map(o.need), 60);
  await c.query('COMMIT');
}

/** A signed, active prescription (as `sign` writes it) of one tablet three times a day for 10 days of each product. */
async function insertActive(
  c: pg.Client,
  patientId: string,
  clinicId: string,
  doctor: string,
  products: Formulary[],
  quantity: number,
  note: string | null = null,
): Promise<string> {
  const p = await c.query<{ name: string; birth_date: string; sex: string; mrn: string }>(
    `SELECT concat_ws(' ', given_name, middle_name, family_name) AS name, birth_date::text, sex, mrn FROM patients WHERE id = $1`,
    [patientId],
  );
  const x = p.rows[0]!;
  const snapshot = {
    ...(await issuer(c, doctor, clinicId)),
    patient: { name: x.name, birthDate: x.birth_date, sex: x.sex, mrn: x.mrn, weightKg: null },
  };
  const r = await c.query<{ id: string }>(
    `INSERT INTO prescriptions (patient_id, clinic_id, prescriber_id, status, language, note, snapshot, created_at, signed_at, expires_at,
       verification_code, version)
     VALUES ($1, $2, $3, 'active', 'en', $4, $5, now() - interval '1 day', now() - interval '1 day', now() + interval '29 days', $6, 2)
     RETURNING id`,
    [patientId, clinicId, doctor, note, JSON.stringify(snapshot), code()],
  );
  const id = r.rows[0]!.id;
  for (const [pos, f] of products.entries())
    await c.query(
      `INSERT INTO prescription_items (prescription_id, position, formulary_item_id, name, ingredients, route, dose_amount, dose_unit,
         frequency, duration_days, quantity, quantity_unit)
       VALUES ($1, $2, $3, $4, $5, $6, 1, 'tablet', '{"kind":"times_per_day","times":3,"asNeeded":false}', 10, $7, 'tablet')`,
      [id, pos, f.id, f.name, f.ingredients, f.route, quantity],
    );
  return id;
}

/** Formulary products stocked (in tablets) at the clinic: the demo catalogue's medications. */
async function stockedProducts(c: pg.Client, clinicId: string): Promise<Formulary[]> {
  const r = await c.query<Formulary>(
    `SELECT DISTINCT f.id, f.code, f.name, f.ingredients, f.route, f.form
       FROM inventory_items i JOIN formulary_items f ON f.id = i.formulary_item_id
      WHERE i.kind = 'medication' AND i.active AND i.unit = 'tablet' AND f.active
        AND EXISTS (SELECT 1 FROM inventory_lots l WHERE l.item_id = i.id AND l.clinic_id = $1)
      ORDER BY f.code`,
    [clinicId],
  );
  if (!r.rows.length) throw new Error('the demo inventory has no medication in tablets at Kinshasa');
  return r.rows;
}

/**
 * Three large lots (expiring in 1–3 years) of every medication of the catalogue at both clinics, once,
 * each received through the ledger as the inventory module receives a delivery.
 */
async function benchLots(c: pg.Client, pharmacist: string): Promise<void> {
  await c.query(
    `WITH want AS (
       SELECT cl.id AS clinic_id, i.id AS item_id, $1 || cl.code || '-' || coalesce(i.code, i.id::text) || '-' || k AS lot_number,
              current_date + 365 * k AS expires_on
         FROM inventory_items i CROSS JOIN clinics cl CROSS JOIN generate_series(1, 3) k
        WHERE i.kind = 'medication' AND i.active AND cl.code IN ('KIN', 'GOM')),
     l AS (
       INSERT INTO inventory_lots (clinic_id, item_id, lot_number, expires_on, unit_cost, supplier, received_at, on_hand)
       SELECT clinic_id, item_id, lot_number, expires_on, 0.0200, 'Benchmark supplier', now(), $2 FROM want w
        WHERE NOT EXISTS (SELECT 1 FROM inventory_lots x WHERE x.clinic_id = w.clinic_id AND x.item_id = w.item_id
                            AND x.lot_number = w.lot_number)
       RETURNING id, clinic_id, item_id, lot_number, on_hand, received_at)
     INSERT INTO inventory_movements (clinic_id, item_id, lot_id, kind, quantity, balance_after, reference, created_by, created_at)
     SELECT clinic_id, item_id, id, 'receive', on_hand, on_hand, 'BL-' || lot_number, $3, received_at FROM l`,
    [BENCH_LOT, LOT_UNITS, pharmacist],
  );
}

/** The shelves and the ledger agree: every lot's balance is the sum of its movements. The load fails otherwise. */
export async function checkLedger(c: pg.Client): Promise<void> {
  const r = await c.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM inventory_lots l
      WHERE l.on_hand <> coalesce((SELECT sum(m.quantity) FROM inventory_movements m WHERE m.lot_id = l.id), 0)`,
  );
  if (r.rows[0]!.n) throw new Error(`${r.rows[0]!.n} inventory lots differ from their ledger`);
}

/**
 * Keeps at least DISPENSE_POOL / 2 active Kinshasa prescriptions (one stocked product, 30 tablets) with
 * something left to dispense and a day before they expire, adding DISPENSE_POOL when fewer remain.
 */
async function topUpDispensable(
  c: pg.Client,
  o: { clinicId: string; doctor: string; stocked: Formulary[]; exclude: string[]; rand: Rand; log: (m: string) => void },
): Promise<void> {
  const left = (await loadDispensable(c, o.clinicId)).length;
  if (left >= DISPENSE_POOL / 2) return;
  const t = performance.now();
  const patients = await c.query<{ id: string; name: string; birth_date: string; sex: string; mrn: string }>(
    `SELECT p.id, concat_ws(' ', p.given_name, p.middle_name, p.family_name) AS name, p.birth_date::text, p.sex, p.mrn
       FROM patients p JOIN patient_clinics pc ON pc.patient_id = p.id AND pc.clinic_id = $1
      WHERE p.status = 'active' AND p.id <> ALL($2::uuid[]) ORDER BY md5(p.id::text || $3) LIMIT $4`,
    [o.clinicId, o.exclude, String(Math.floor(o.rand() * 1e9)), DISPENSE_POOL],
  );
  const iss = await issuer(c, o.doctor, o.clinicId);
  const now = Date.now();
  const rows = patients.rows.map((p) => ({
    id: randomUUID(),
    p,
    f: pick(o.rand, o.stocked),
    signed: now - int(o.rand, 1, 24) * 3_600_000,
  }));
  await c.query('BEGIN');
  await copy(
    c,
    `COPY prescriptions (id, patient_id, clinic_id, prescriber_id, status, language, note, snapshot, created_at, updated_at, signed_at,
      expires_at, verification_code, version) FROM STDIN`,
    rows.map((r) =>
      row([
        r.id,
        r.p.id,
        o.clinicId,
        o.doctor,
        'active',
        'en',
        POOL_NOTE,
        JSON.stringify({
          ...iss,
          patient: { name: r.p.name, birthDate: r.p.birth_date, sex: r.p.sex, mrn: r.p.mrn, weightKg: null },
        }),
        iso(r.signed - 5 * 60_000),
        iso(r.signed),
        iso(r.signed),
        iso(r.signed + 30 * DAY_MS),
        code(),
        2,
      ]),
    ),
  );
  await copy(
    c,
    `COPY prescription_items (id, prescription_id, position, formulary_item_id, name, ingredients, route, dose_amount, dose_unit,
      frequency, duration_days, quantity, quantity_unit) FROM STDIN`,
    rows.map((r) =>
      row([
        randomUUID(),
        r.id,
        0,
        r.f.id,
        r.f.name,
        pgArray(r.f.ingredients),
        r.f.route,
        1,
        'tablet',
        '{"kind":"times_per_day","times":3,"asNeeded":false}',
        10,
        POOL_QUANTITY,
        'tablet',
      ]),
    ),
  );
  await c.query('COMMIT');
  o.log(`${rows.length} active prescriptions added for the dispense scenario (${((performance.now() - t) / 1000).toFixed(1)} s)`);
}

/** Items of the pool's active prescriptions with units left to dispense and a day before they expire. */
async function loadDispensable(c: pg.Client, clinicId: string): Promise<BenchDispensable[]> {
  const r = await c.query<BenchDispensable>(
    `SELECT p.id AS "prescriptionId", i.id AS "itemId",
            (ceil(i.quantity) - coalesce((SELECT sum(d.quantity) FROM dispense_lines d WHERE d.prescription_item_id = i.id), 0))::int
              AS remaining
       FROM prescriptions p JOIN prescription_items i ON i.prescription_id = p.id
      WHERE p.clinic_id = $1 AND p.status = 'active' AND p.note = $2 AND p.expires_at > now() + interval '1 day'`,
    [clinicId, POOL_NOTE],
  );
  return r.rows.filter((x) => x.remaining > 0);
}
