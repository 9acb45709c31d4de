import type pg from 'pg';
import { deferIndexes } from './copy.ts';

/**
 * Billing and claims of the benchmark (issue 13), added to a dataset that lacks them without
 * rebuilding the rest (`bench_dataset.invoices` and `claims` record the counts): an issued invoice
 * for each of up to `invoices` finished consultations (a consultation line; a lab test in 40 %, a
 * medicine in 30 %, a procedure in 5 %; 70 % in USD at Kinshasa, half at Goma, the rest in CDF), its
 * payment (85 % paid, 8 % partly, 5 % unpaid, 2 % void), invoice and receipt numbers per clinic and
 * year in date order, continuing the server's counters; and `claims` claims on a bench payer for
 * invoices of covered patients in every status. Set-based SQL (INSERT … SELECT over the consultations,
 * randomness from a hash of their ids), the tables' secondary indexes and foreign keys dropped for the
 * load and rebuilt after. At each start: a pool of Kinshasa invoices with a balance for
 * `billing.payment`, the bench cashier's open session, a daily exchange rate over the history, and a pool of draft
 * claims for `claims.submit` (topped up when it runs low).
 */

const BILLING_TABLES = ['invoices', 'invoice_lines', 'payments'];
const CLAIM_TABLES = ['claims', 'claim_lines'];
/** Kinshasa invoices the scenarios open, pay and claim */
const OPEN_POOL = 5000;
const DRAFT_CLAIMS = 6000;
/** USD → CDF, about the 2026 rate (each day's varies by ±20) */
const RATE = '2850';

export interface BenchBilling {
  /** recent Kinshasa invoices (`billing.invoice.open`) */
  invoiceIds: string[];
  /** Kinshasa USD invoices with 20 USD or more to pay (`billing.payment` pays 1 USD or 2,000 CDF at a time, a few times each in a run) */
  payable: string[];
  /** draft claims at Kinshasa with their version (`claims.submit` takes one out; it never comes back) */
  draftClaims: { id: string; version: number }[];
  /** patient of each payable invoice */
  patientOf: Record<string, string>;
}

/** A hash of an id as a non-negative integer: the same consultation always gets the same invoice. */
const H = `abs(hashtext(e.id::text))`;

export async function ensureBilling(
  c: pg.Client,
  o: { invoices: number; claims: number; log: (m: string) => void },
): Promise<BenchBilling> {
  await c.query(`ALTER TABLE bench_dataset ADD COLUMN IF NOT EXISTS invoices integer NOT NULL DEFAULT 0,
                                           ADD COLUMN IF NOT EXISTS claims integer NOT NULL DEFAULT 0`);
  const have = (await c.query<{ i: number; c: number }>('SELECT invoices AS i, claims AS c FROM bench_dataset WHERE id = 1'))
    .rows[0]!;
  const cashier = (await c.query<{ id: string }>(`SELECT id FROM users WHERE email = 'cashier@sanita.test'`)).rows[0]!.id;
  if (have.i < o.invoices) {
    const t = performance.now();
    await c.query('BEGIN');
    await c.query('SET LOCAL synchronous_commit = off');
    const rebuild = await deferIndexes(c, BILLING_TABLES);
    const added = await loadInvoices(c, o.invoices - have.i, cashier);
    await rebuild();
    await c.query('UPDATE bench_dataset SET invoices = invoices + $1', [added]);
    await c.query('COMMIT');
    for (const tbl of BILLING_TABLES) await c.query(`VACUUM (ANALYZE) ${tbl}`);
    o.log(`billing: ${added} invoices loaded in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  }
  if (have.c < o.claims) {
    const t = performance.now();
    await c.query('BEGIN');
    await c.query('SET LOCAL synchronous_commit = off');
    const rebuild = await deferIndexes(c, CLAIM_TABLES);
    const added = await loadClaims(c, o.claims - have.c, cashier, 'history');
    await rebuild();
    await c.query('UPDATE bench_dataset SET claims = claims + $1', [added]);
    await c.query('COMMIT');
    for (const tbl of CLAIM_TABLES) await c.query(`VACUUM (ANALYZE) ${tbl}`);
    o.log(`claims: ${added} claims loaded in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  }
  return prepare(c, cashier, o.log);
}

async function loadInvoices(c: pg.Client, n: number, cashier: string): Promise<number> {
  // the consultations to bill, with their invoice's number per clinic and year in date order, after
  // what the clinic's counter already gave (the demo's invoices)
  await c.query(`DROP TABLE IF EXISTS bench_inv`);
  await c.query(
    `CREATE TEMP TABLE bench_inv AS
     SELECT e.id AS encounter_id, e.patient_id, e.clinic_id, e.practitioner_id, e.ended_at, cl.mrn_prefix AS prefix,
            extract(year FROM e.ended_at)::int AS year, ${H} AS h,
            CASE WHEN (${H} % 10) < (CASE WHEN cl.code = 'KIN' THEN 7 ELSE 5 END) THEN 'USD' ELSE 'CDF' END AS currency,
            gen_random_uuid() AS id
       FROM encounters e JOIN clinics cl ON cl.id = e.clinic_id
      WHERE e.status = 'finished' AND e.ended_at < now() - interval '1 day'
        AND NOT EXISTS (SELECT 1 FROM invoices i WHERE i.encounter_id = e.id)
      ORDER BY e.id LIMIT $1`,
    [n],
  );
  await c.query(`ALTER TABLE bench_inv ADD COLUMN n int, ADD COLUMN status text, ADD COLUMN total numeric(14,2)`);
  await c.query(
    `UPDATE bench_inv b SET n = x.n + coalesce(d.last, 0)
       FROM (SELECT id, clinic_id, year, row_number() OVER (PARTITION BY clinic_id, year ORDER BY ended_at, id)::int AS n FROM bench_inv) x
       LEFT JOIN document_numbers d ON d.clinic_id = x.clinic_id AND d.doc_type = 'INV' AND d.year = x.year
      WHERE b.id = x.id`,
  );
  // the lines: (invoice, kind, code, description, qty, unit USD, unit CDF, procedure code)
  await c.query(`DROP TABLE IF EXISTS bench_lines`);
  await c.query(
    `CREATE TEMP TABLE bench_lines AS
     SELECT b.id AS invoice_id, l.kind, l.code, l.description, l.qty::numeric AS qty,
            CASE WHEN b.currency = 'USD' THEN l.usd ELSE l.cdf END AS unit, l.proc, b.ended_at, b.practitioner_id, l.source,
            b.encounter_id
       FROM bench_inv b
       CROSS JOIN LATERAL (VALUES
         (true, 'consultation', 'CONSULT-outpatient', 'Consultation', 1, 15.00, 42000, NULL::text, 'encounter'),
         ((b.h % 5) < 2, 'lab_test', 'CBC', 'Complete blood count', 1, 8.50, 24000, NULL, 'lab_order'),
         (((b.h / 5) % 10) < 3, 'medication', 'who-eml:amoxicillin-capsule-500mg', 'Amoxicillin 500 mg capsule', 10 + (b.h % 3) * 5, 0.10, 300, NULL, 'dispense'),
         (((b.h / 50) % 20) = 0, 'procedure', 'PROC-DRESSING', 'Wound dressing', 1, 12.00, 34000, '97597', 'manual')
       ) AS l(included, kind, code, description, qty, usd, cdf, proc, source)
      WHERE l.included`,
  );
  await c.query(
    `UPDATE bench_inv b SET total = s.total,
            status = CASE WHEN (b.h / 1000) % 100 < 85 THEN 'paid' WHEN (b.h / 1000) % 100 < 93 THEN 'partially_paid'
                          WHEN (b.h / 1000) % 100 < 98 THEN 'issued' ELSE 'void' END
       FROM (SELECT invoice_id, sum(qty * unit) AS total FROM bench_lines GROUP BY invoice_id) s
      WHERE s.invoice_id = b.id`,
  );
  const inserted = await c.query(
    `INSERT INTO invoices (id, clinic_id, patient_id, encounter_id, number, status, currency, subtotal, discount_total, tax_total, total,
                           paid, credited, insurer_share, patient_share, issued_at, issued_by, due_date, void_reason, voided_at, voided_by,
                           created_by, created_at, version)
     SELECT id, clinic_id, patient_id, encounter_id, 'INV-' || prefix || '-' || year || '-' || lpad(n::text, 6, '0'), status, currency,
            total, 0, 0, total,
            CASE status WHEN 'paid' THEN total WHEN 'partially_paid' THEN round(total / 2, CASE currency WHEN 'CDF' THEN 0 ELSE 2 END) ELSE 0 END,
            0, 0, total, ended_at + interval '5 minutes', $1, (ended_at + interval '30 days')::date,
            CASE status WHEN 'void' THEN 'Billed to the wrong patient' END, CASE status WHEN 'void' THEN ended_at + interval '1 hour' END,
            CASE status WHEN 'void' THEN $1::uuid END, $1, ended_at, 3
       FROM bench_inv`,
    [cashier],
  );
  await c.query(
    `INSERT INTO invoice_lines (invoice_id, kind, code, description, source, source_id, source_key, service_date, practitioner_id,
                                procedure_code, quantity, unit_price, tax_rate, amount, discount, tax, total, created_at)
     SELECT invoice_id, kind, code, description, source, CASE source WHEN 'encounter' THEN encounter_id END,
            CASE source WHEN 'encounter' THEN 'encounter:' || encounter_id END, ended_at::date, practitioner_id,
            proc, qty, unit, 0, qty * unit, 0, 0, qty * unit, ended_at
       FROM bench_lines`,
  );
  await c.query(
    `INSERT INTO document_numbers (clinic_id, doc_type, year, last)
     SELECT clinic_id, 'INV', year, max(n) FROM bench_inv GROUP BY clinic_id, year
     ON CONFLICT (clinic_id, doc_type, year) DO UPDATE SET last = greatest(document_numbers.last, excluded.last)`,
  );
  // one payment per paid or partly paid invoice, receipts numbered per clinic and year in date order
  await c.query(
    `WITH p AS (
       SELECT b.*, i.paid, row_number() OVER (PARTITION BY b.clinic_id, b.year ORDER BY b.ended_at, b.id)::int
                     + coalesce((SELECT last FROM document_numbers d WHERE d.clinic_id = b.clinic_id AND d.doc_type = 'RCT' AND d.year = b.year), 0) AS rn
         FROM bench_inv b JOIN invoices i ON i.id = b.id WHERE b.status IN ('paid', 'partially_paid')
     ), ins AS (
       INSERT INTO payments (clinic_id, patient_id, invoice_id, receipt_number, method, currency, amount, applied_currency, applied_amount,
                             received_by, received_at)
       SELECT clinic_id, patient_id, id, 'RCT-' || prefix || '-' || year || '-' || lpad(rn::text, 6, '0'),
              (ARRAY['cash', 'cash', 'cash', 'mobile_money', 'mobile_money', 'card', 'bank_transfer'])[1 + (h / 7) % 7],
              currency, paid, currency, paid, $1, ended_at + interval '10 minutes'
         FROM p
       RETURNING clinic_id, receipt_number
     )
     INSERT INTO document_numbers (clinic_id, doc_type, year, last)
     SELECT clinic_id, 'RCT', split_part(receipt_number, '-', 3)::smallint, max(split_part(receipt_number, '-', 4)::int)
       FROM ins GROUP BY 1, 3
     ON CONFLICT (clinic_id, doc_type, year) DO UPDATE SET last = greatest(document_numbers.last, excluded.last)`,
    [cashier],
  );
  return inserted.rowCount ?? 0;
}

/** The bench payer and its plan, made once. */
async function benchPlan(c: pg.Client): Promise<{ payerId: string; planId: string }> {
  await c.query(`INSERT INTO payers (code, name) VALUES ('BENCH', 'Bench Mutual') ON CONFLICT (code) DO NOTHING`);
  const payerId = (await c.query<{ id: string }>(`SELECT id FROM payers WHERE code = 'BENCH'`)).rows[0]!.id;
  await c.query(
    `INSERT INTO insurance_plans (payer_id, code, name, currency, rules)
     VALUES ($1, 'STD', 'Bench standard', 'USD',
             '{"coveredKinds":["consultation","lab_test","medication","procedure"],"excludedCodes":[],"copay":"2","coinsurancePercent":"10",
               "annualLimit":null,"perClaimLimit":null,"approvalThreshold":"200"}')
     ON CONFLICT (payer_id, code) DO NOTHING`,
    [payerId],
  );
  const planId = (await c.query<{ id: string }>(`SELECT id FROM insurance_plans WHERE payer_id = $1 AND code = 'STD'`, [payerId]))
    .rows[0]!.id;
  return { payerId, planId };
}

/**
 * `n` claims on invoices not yet claimed: `history` in every status over the past, or `draft` ones at
 * Kinshasa for the submit scenario. The covered patients get a coverage by the bench plan.
 */
async function loadClaims(c: pg.Client, n: number, cashier: string, kind: 'history' | 'draft'): Promise<number> {
  const { payerId, planId } = await benchPlan(c);
  await c.query(`DROP TABLE IF EXISTS bench_cl`);
  await c.query(
    `CREATE TEMP TABLE bench_cl AS
     SELECT i.id AS invoice_id, i.clinic_id, i.patient_id, i.encounter_id, i.currency, i.total, i.issued_at, cl.mrn_prefix AS prefix,
            extract(year FROM i.issued_at)::int AS year, abs(hashtext(i.id::text)) AS h, gen_random_uuid() AS id,
            e.practitioner_id
       FROM invoices i JOIN clinics cl ON cl.id = i.clinic_id JOIN encounters e ON e.id = i.encounter_id
      WHERE i.status IN ('paid', 'partially_paid', 'issued') AND i.currency = 'USD'
        ${kind === 'draft' ? `AND cl.code = 'KIN'` : ''}
        AND NOT EXISTS (SELECT 1 FROM claims x WHERE x.invoice_id = i.id)
      ORDER BY ${kind === 'draft' ? 'i.issued_at DESC' : 'i.id'} LIMIT $1`,
    [n],
  );
  await c.query(
    `INSERT INTO coverages (patient_id, plan_id, payer_id, member_id, relationship, valid_from)
     SELECT DISTINCT b.patient_id, $1::uuid, $2::uuid, 'BM-' || substr(md5(b.patient_id::text), 1, 10), 'self', date '2015-01-01'
       FROM bench_cl b
     ON CONFLICT (payer_id, member_id, patient_id) DO NOTHING`,
    [planId, payerId],
  );
  await c.query(`ALTER TABLE bench_cl ADD COLUMN n int, ADD COLUMN status text`);
  await c.query(
    `UPDATE bench_cl b SET n = x.n + coalesce(d.last, 0),
            status = ${
              kind === 'draft'
                ? `'draft'`
                : `CASE WHEN b.h % 100 < 60 THEN 'paid' WHEN b.h % 100 < 75 THEN 'approved' WHEN b.h % 100 < 80 THEN 'partially_approved'
                        WHEN b.h % 100 < 88 THEN 'denied' WHEN b.h % 100 < 95 THEN 'in_review' ELSE 'submitted' END`
            }
       FROM (SELECT id, clinic_id, year, row_number() OVER (PARTITION BY clinic_id, year ORDER BY issued_at, id)::int AS n FROM bench_cl) x
       LEFT JOIN document_numbers d ON d.clinic_id = x.clinic_id AND d.doc_type = 'CLM' AND d.year = x.year
      WHERE b.id = x.id`,
  );
  const inserted = await c.query(
    `INSERT INTO claims (id, clinic_id, number, status, patient_id, coverage_id, payer_id, plan_id, invoice_id, encounter_id, practitioner_id,
                         diagnoses, currency, claimed, approved, paid, anomaly_score, service_date, submitted_at, decided_at, created_by,
                         created_at, version)
     SELECT b.id, b.clinic_id, 'CLM-' || b.prefix || '-' || b.year || '-' || lpad(b.n::text, 6, '0'), b.status, b.patient_id, cv.id, $1,
            $2, b.invoice_id, b.encounter_id, b.practitioner_id,
            coalesce((SELECT jsonb_agg(jsonb_build_object('code', d.code, 'description', d.description) ORDER BY d.rank <> 'primary', d.position)
                        FROM diagnoses d WHERE d.encounter_id = b.encounter_id), '[]'),
            'USD', b.total,
            CASE WHEN b.status IN ('approved', 'paid') THEN b.total WHEN b.status = 'denied' THEN 0 END,
            CASE WHEN b.status = 'paid' THEN b.total END,
            CASE WHEN b.status <> 'draft' THEN (b.h % 100) / 400.0 END,
            b.issued_at::date, CASE WHEN b.status <> 'draft' THEN b.issued_at + interval '1 day' END,
            CASE WHEN b.status IN ('approved', 'partially_approved', 'denied', 'paid') THEN b.issued_at + interval '8 days' END,
            $3, b.issued_at + interval '1 hour', 1
       FROM bench_cl b JOIN coverages cv ON cv.payer_id = $1 AND cv.patient_id = b.patient_id`,
    [payerId, planId, cashier],
  );
  await c.query(
    `INSERT INTO claim_lines (claim_id, invoice_line_id, service_date, kind, code, procedure_code, description, quantity, claimed, approved)
     SELECT b.id, l.id, l.service_date, l.kind, l.code, l.procedure_code, l.description, l.quantity, l.total,
            CASE WHEN b.status IN ('approved', 'paid') THEN l.total WHEN b.status = 'partially_approved' THEN round(l.total / 2, 2)
                 WHEN b.status = 'denied' THEN 0 END
       FROM bench_cl b JOIN invoice_lines l ON l.invoice_id = b.invoice_id`,
  );
  // a partial approval is the sum of its lines' approved amounts
  await c.query(
    `UPDATE claims k SET approved = s.approved
       FROM (SELECT l.claim_id, sum(l.approved) AS approved FROM claim_lines l JOIN bench_cl b ON b.id = l.claim_id
              WHERE b.status = 'partially_approved' GROUP BY l.claim_id) s
      WHERE k.id = s.claim_id`,
  );
  await c.query(
    `INSERT INTO document_numbers (clinic_id, doc_type, year, last)
     SELECT clinic_id, 'CLM', year, max(n) FROM bench_cl GROUP BY clinic_id, year
     ON CONFLICT (clinic_id, doc_type, year) DO UPDATE SET last = greatest(document_numbers.last, excluded.last)`,
  );
  return inserted.rowCount ?? 0;
}

/** The pools of the scenarios, the cashier's open session and today's rate. */
async function prepare(c: pg.Client, cashier: string, log: (m: string) => void): Promise<BenchBilling> {
  const kin = (await c.query<{ id: string }>(`SELECT id FROM clinics WHERE code = 'KIN'`)).rows[0]!.id;
  await c.query(
    `INSERT INTO cashier_sessions (clinic_id, cashier_id, status, floats)
     SELECT $1, $2, 'open', '[{"currency":"USD","amount":"100"},{"currency":"CDF","amount":"200000"}]'
      WHERE NOT EXISTS (SELECT 1 FROM cashier_sessions WHERE clinic_id = $1 AND cashier_id = $2 AND status = 'open')`,
    [kin, cashier],
  );
  // a rate for each day of the history (the reports convert each day at its own rate), about 2,850 CDF per USD
  await c.query(
    `INSERT INTO exchange_rates (from_currency, to_currency, rate, effective_at)
     SELECT 'USD', 'CDF', $1::numeric + (extract(doy FROM d)::int % 40) - 20, d
       FROM generate_series(date_trunc('day', now()) - interval '6 years', date_trunc('day', now()), interval '1 day') AS d
      WHERE (SELECT count(*) FROM exchange_rates WHERE from_currency = 'USD' AND to_currency = 'CDF') < 365`,
    [RATE],
  );
  const recent = await c.query<{ id: string }>(
    `SELECT id FROM invoices WHERE clinic_id = $1 AND status <> 'draft' ORDER BY issued_at DESC NULLS LAST LIMIT $2`,
    [kin, OPEN_POOL],
  );
  const payable = await c.query<{ id: string; patient_id: string }>(
    `SELECT id, patient_id FROM invoices
      WHERE clinic_id = $1 AND currency = 'USD' AND status IN ('issued', 'partially_paid') AND total - paid - credited >= 20
      ORDER BY issued_at DESC LIMIT $2`,
    [kin, OPEN_POOL],
  );
  let drafts = await c.query<{ id: string; version: number }>(
    `SELECT id, version FROM claims WHERE clinic_id = $1 AND status = 'draft' LIMIT $2`,
    [kin, DRAFT_CLAIMS],
  );
  if (drafts.rows.length < DRAFT_CLAIMS / 2) {
    const cashierId = cashier;
    await c.query('BEGIN');
    const added = await loadClaims(c, DRAFT_CLAIMS - drafts.rows.length, cashierId, 'draft');
    await c.query('COMMIT');
    await c.query('ANALYZE claims');
    log(`claims: ${added} draft claims added for claims.submit`);
    drafts = await c.query<{ id: string; version: number }>(
      `SELECT id, version FROM claims WHERE clinic_id = $1 AND status = 'draft' LIMIT $2`,
      [kin, DRAFT_CLAIMS],
    );
  }
  return {
    invoiceIds: recent.rows.map((r) => r.id),
    payable: payable.rows.map((r) => r.id),
    patientOf: Object.fromEntries(payable.rows.map((r) => [r.id, r.patient_id])),
    draftClaims: drafts.rows,
  };
}
