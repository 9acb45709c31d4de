import crypto from 'node:crypto';
import { drizzle } from 'drizzle-orm/node-postgres';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Invoice, InvoiceSummary, PriceItem } from '@sanita/contracts/billing';
import { auditSince, createTestContext, lastAuditId, type Session, type TestContext } from '../../../test/helpers.ts';
import { pdfText } from '../../../test/pdf.ts';
import { nextDocumentNumber } from '../../platform/document-numbers.ts';
import { encounter, labTests } from '../lab/lab.fixtures.ts';
import { signedPrescription, stockedLot } from '../pharmacy/pharmacy.fixtures.ts';
import type { BillingService } from './billing.service.ts';
import { computeTotals } from './billing.totals.ts';

let ctx: TestContext;
let cashier: Session;
let manager: Session;
let admin: Session;
let accountant: Session;
let doctor: Session;
let pharmacist: Session;
let billing: BillingService;
const KIN = { 'x-clinic-id': '' };
const GOM = { 'x-clinic-id': '' };
const TODAY = new Date().toISOString().slice(0, 10);
const tag = crypto.randomBytes(3).toString('hex').toUpperCase();

let serial = 0;
/** A Kinshasa patient of its own (its draft is the test's alone). */
async function patient(): Promise<string> {
  serial += 1;
  const res = await admin.req(
    'POST',
    '/api/patients',
    { givenName: 'Billing', familyName: `Patient${tag}${serial}`, sex: 'female', birthDate: '1990-01-01', allowDuplicate: true },
    KIN,
  );
  expect(res.statusCode, res.body).toBe(201);
  return res.json<{ id: string }>().id;
}

async function price(body: Record<string, unknown>): Promise<PriceItem> {
  const res = await admin.req('POST', '/api/billing/prices', { effectiveFrom: '2020-01-01', ...body }, KIN);
  expect(res.statusCode, res.body).toBe(201);
  return res.json<PriceItem>();
}

async function draft(patientId: string, currency = 'USD', s = cashier): Promise<Invoice> {
  const res = await s.req('POST', '/api/billing/invoices', { patientId, currency }, KIN);
  expect([200, 201], res.body).toContain(res.statusCode);
  return res.json<Invoice>();
}

async function line(inv: Invoice, body: Record<string, unknown>, s = cashier): Promise<Invoice> {
  const res = await s.req('POST', `/api/billing/invoices/${inv.id}/lines`, { quantity: '1', version: inv.version, ...body }, KIN);
  expect(res.statusCode, res.body).toBe(201);
  return res.json<Invoice>();
}

const issue = (inv: Invoice, s = cashier) =>
  s.req('POST', `/api/billing/invoices/${inv.id}/issue`, { version: inv.version }, KIN);

/** A draft with one free line, issued. */
async function issued(total = '100', currency = 'USD'): Promise<Invoice> {
  const inv = await line(await draft(await patient(), currency), { kind: 'other', description: 'Service', unitPrice: total });
  const res = await issue(inv);
  expect(res.statusCode, res.body).toBe(200);
  return res.json<Invoice>();
}

const linesOf = async (key: string) =>
  (await ctx.sql.query<{ n: number }>('SELECT count(*)::int AS n FROM invoice_lines WHERE source_key = $1', [key])).rows[0]!.n;

beforeAll(async () => {
  ctx = await createTestContext();
  KIN['x-clinic-id'] = ctx.ids.kin;
  GOM['x-clinic-id'] = ctx.ids.gom;
  [cashier, manager, admin, accountant, doctor, pharmacist] = (await Promise.all(
    ['cashier', 'manager', 'admin', 'accountant', 'doctor', 'pharmacist'].map((r) => ctx.login(`${r}@sanita.test`)),
  )) as [Session, Session, Session, Session, Session, Session];
  billing = (ctx.app as unknown as { services: { billing: BillingService } }).services.billing;
  await ctx.sql.query(
    `INSERT INTO tax_rates (clinic_id, category, name, rate, effective_from) VALUES ($1, $2, 'Test VAT', 16, '2020-01-01')`,
    [ctx.ids.kin, `vat${tag}`.toLowerCase()],
  );
  await ctx.sql.query(
    `INSERT INTO tax_rates (clinic_id, category, name, rate, effective_from) VALUES ($1, $2, 'Test reduced', 7.5, '2020-01-01')`,
    [ctx.ids.kin, `red${tag}`.toLowerCase()],
  );
});
afterAll(async () => ctx?.close());

const VAT = () => `vat${tag}`.toLowerCase();
const REDUCED = () => `red${tag}`.toLowerCase();

describe('totals: tax and rounding per currency', () => {
  it('USD rounds to cents half up, per line; tax on the amount after discount', () => {
    const t = computeTotals(
      [
        { id: 'a', quantity: '1.5', unitPrice: '3.33', taxRate: '16' },
        { id: 'b', quantity: '1', unitPrice: '3.33', taxRate: '7.5' },
        { id: 'c', quantity: '2', unitPrice: null, taxRate: '0' },
      ],
      [],
      'USD',
    );
    // 1.5 × 3.33 = 4.995 → 5.00; tax 0.80 — 3.33 × 7.5 % = 0.24975 → 0.25
    expect(t.lines.map((l) => [l.amount, l.tax, l.total])).toEqual([
      ['5.00', '0.80', '5.80'],
      ['3.33', '0.25', '3.58'],
      ['0.00', '0.00', '0.00'],
    ]);
    expect(t).toMatchObject({ subtotal: '8.33', discountTotal: '0.00', taxTotal: '1.05', total: '9.38' });
  });

  it('CDF has no minor units; a discount is allocated over the lines so that the parts add up', () => {
    const t = computeTotals(
      [
        { id: 'a', quantity: '1', unitPrice: '1234', taxRate: '16' },
        { id: 'b', quantity: '3', unitPrice: '1000', taxRate: '0' },
        { id: 'c', quantity: '1', unitPrice: '1000', taxRate: '0' },
      ],
      [{ percent: null, amount: '1001' }],
      'CDF',
    );
    expect(t.subtotal).toBe('5234');
    expect(t.discountTotal).toBe('1001');
    const parts = t.lines.map((l) => Number(l.discount));
    expect(parts.reduce((a, b) => a + b, 0)).toBe(1001);
    expect(t.lines.every((l) => !l.amount.includes('.') && !l.tax.includes('.'))).toBe(true);
    // line a: (1234 − its share) × 16 %, rounded to the franc
    const a = t.lines[0]!;
    expect(a.tax).toBe(String(Math.round((1234 - Number(a.discount)) * 0.16)));
    expect(Number(t.total)).toBe(5234 - 1001 + Number(t.taxTotal));
  });

  it('through the API: a USD and a CDF invoice with taxed and untaxed lines', async () => {
    const code = `OPT-${tag}`;
    await price({ kind: 'optical', code, name: 'Frame', currency: 'USD', unitPrice: '3.33', taxCategory: VAT() });
    const pUsd = await price({
      kind: 'optical',
      code: `${code}-B`,
      name: 'Lens',
      currency: 'USD',
      unitPrice: '3.33',
      taxCategory: REDUCED(),
    });
    let usd = await draft(await patient());
    const frames = await ctx.sql.query<{ id: string }>(`SELECT id FROM price_items WHERE code = $1 AND currency = 'USD'`, [code]);
    usd = await line(usd, { priceItemId: frames.rows[0]!.id, quantity: '1.5' });
    usd = await line(usd, { priceItemId: pUsd.id });
    expect(usd).toMatchObject({ subtotal: '8.33', taxTotal: '1.05', total: '9.38', balance: '9.38', currency: 'USD' });
    expect(usd.lines.map((l) => l.taxRate)).toEqual(['16', '7.5']);

    let cdf = await draft(await patient(), 'CDF');
    cdf = await line(cdf, { kind: 'procedure', description: 'Dressing', unitPrice: '1234', taxCategory: VAT() });
    cdf = await line(cdf, { kind: 'procedure', description: 'Injection', unitPrice: '1000', quantity: '3' });
    expect(cdf).toMatchObject({ subtotal: '4234', taxTotal: '197', total: '4431', currency: 'CDF' });
  });

  it('a price in a currency the clinic does not take is 400 CURRENCY_NOT_ACCEPTED; an overlapping entry 409 PRICE_OVERLAP', async () => {
    const bad = await admin.req(
      'POST',
      '/api/billing/prices',
      { kind: 'other', code: `X-${tag}`, name: 'X', currency: 'EUR', unitPrice: '1', effectiveFrom: '2026-01-01' },
      KIN,
    );
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('CURRENCY_NOT_ACCEPTED');
    const first = await price({
      kind: 'other',
      code: `OV-${tag}`,
      name: 'A',
      currency: 'USD',
      unitPrice: '5',
      effectiveTo: '2026-01-01',
    });
    const overlap = await admin.req(
      'POST',
      '/api/billing/prices',
      { kind: 'other', code: `OV-${tag}`, name: 'B', currency: 'USD', unitPrice: '6', effectiveFrom: '2025-06-01' },
      KIN,
    );
    expect(overlap.statusCode).toBe(409);
    expect(overlap.json().error.code).toBe('PRICE_OVERLAP');
    // [from, to): the next entry may start on the first one's end
    const second = await price({
      kind: 'other',
      code: `OV-${tag}`,
      name: 'B',
      currency: 'USD',
      unitPrice: '6',
      effectiveFrom: '2026-01-01',
    });
    const list = await cashier.req(
      'GET',
      `/api/billing/prices?q=${encodeURIComponent(`ov-${tag}`)}&on=2025-03-01`,
      undefined,
      KIN,
    );
    expect(list.statusCode, list.body).toBe(200);
    const ids = list.json<{ data: PriceItem[] }>().data.map((p) => p.id);
    expect(ids[0]).toBe(first.id);
    expect(ids.filter((i) => i !== first.id).every((i) => i !== second.id)).toBe(true);
    const stale = await admin.req('PATCH', `/api/billing/prices/${first.id}`, { unitPrice: '7', version: 99 }, KIN);
    expect(stale.json().error.code).toBe('STALE_VERSION');
  });
});

describe('discounts', () => {
  it('up to the threshold: applied at once by a cashier; above it the cashier is refused', async () => {
    let inv = await line(await draft(await patient()), { kind: 'other', description: 'Care', unitPrice: '200' });
    const small = await cashier.req(
      'POST',
      `/api/billing/invoices/${inv.id}/discounts`,
      { percent: '5', reason: 'Loyal', version: inv.version },
      KIN,
    );
    expect(small.statusCode, small.body).toBe(201);
    inv = small.json<Invoice>();
    expect(inv).toMatchObject({ discountTotal: '10.00', total: '190.00' });
    expect(inv.discounts[0]).toMatchObject({ status: 'applied', percent: '5' });
    const big = await cashier.req(
      'POST',
      `/api/billing/invoices/${inv.id}/discounts`,
      { amount: '50', reason: 'Hardship', version: inv.version },
      KIN,
    );
    expect(big.statusCode).toBe(403);
  });

  it('above the threshold: pending until a second person with invoices:discount approves; never its requester; both audited', async () => {
    let inv = await line(await draft(await patient()), { kind: 'other', description: 'Care', unitPrice: '200' });
    const since = await lastAuditId(ctx.sql);
    const req = await manager.req(
      'POST',
      `/api/billing/invoices/${inv.id}/discounts`,
      { percent: '25', reason: 'Hardship', version: inv.version },
      KIN,
    );
    expect(req.statusCode, req.body).toBe(202);
    inv = req.json<Invoice>();
    const d = inv.discounts[0]!;
    expect(d.status).toBe('pending');
    expect(inv.total).toBe('200.00');
    const blocked = await issue(inv);
    expect(blocked.statusCode).toBe(409);
    expect(blocked.json().error.code).toBe('DISCOUNT_APPROVAL_REQUIRED');
    const self = await manager.req('POST', `/api/billing/invoices/${inv.id}/discounts/${d.id}/decision`, { approve: true }, KIN);
    expect(self.statusCode).toBe(409);
    expect(self.json().error.code).toBe('DISCOUNT_SELF_APPROVAL');
    const byCashier = await cashier.req(
      'POST',
      `/api/billing/invoices/${inv.id}/discounts/${d.id}/decision`,
      { approve: true },
      KIN,
    );
    expect(byCashier.statusCode).toBe(403);
    const ok = await admin.req(
      'POST',
      `/api/billing/invoices/${inv.id}/discounts/${d.id}/decision`,
      { approve: true, note: 'OK' },
      KIN,
    );
    expect(ok.statusCode, ok.body).toBe(200);
    inv = ok.json<Invoice>();
    expect(inv).toMatchObject({ discountTotal: '50.00', total: '150.00' });
    expect(inv.discounts[0]).toMatchObject({ status: 'approved', decidedBy: { id: ctx.ids.users['admin@sanita.test'] } });
    const audit = await auditSince(ctx.sql, since);
    const mine = audit.filter((a) => a.patient_id === inv.patient.id);
    expect(mine.map((a) => [a.action, a.outcome, a.actor_user_id])).toEqual([
      ['invoice.discount.request', 'success', ctx.ids.users['manager@sanita.test']],
      ['invoice.discount.decide', 'success', ctx.ids.users['admin@sanita.test']],
    ]);
    expect((await issue(inv)).statusCode).toBe(200);
  });
});

describe('issue, void and credit notes', () => {
  it('issues with a number and due date; an unpriced line refuses issue until priced', async () => {
    const pid = await patient();
    const encId = await encounter(ctx.sql, pid, ctx.ids.kin);
    const fin = await doctor.req('POST', `/api/encounters/${encId}/finish`, { version: 1 }, KIN);
    expect(fin.statusCode, fin.body).toBe(200);
    let inv = await draft(pid);
    const consult = inv.lines.find((l) => l.source === 'encounter')!;
    expect(consult.code).toBe('CONSULT-outpatient');
    const refused = await issue(inv);
    if (consult.unitPrice === null) {
      expect(refused.json().error.code).toBe('INVOICE_UNPRICED');
      const priced = await cashier.req(
        'PATCH',
        `/api/billing/invoices/${inv.id}/lines/${consult.id}`,
        { unitPrice: '20', version: inv.version },
        KIN,
      );
      expect(priced.statusCode, priced.body).toBe(200);
      inv = priced.json<Invoice>();
      const res = await issue(inv);
      expect(res.statusCode, res.body).toBe(200);
      inv = res.json<Invoice>();
    } else {
      expect(refused.statusCode).toBe(200);
      inv = refused.json<Invoice>();
    }
    expect(inv.number).toMatch(/^INV-KIN-\d{4}-\d{6}$/);
    expect(inv.status).toBe('issued');
    expect(inv.dueDate! > TODAY).toBe(true);
    const again = await issue(inv);
    expect(again.json().error.code).toBe('INVOICE_STATE');
  });

  it('voids an issued invoice with nothing paid; a paid one cannot be voided; cashiers may not void', async () => {
    const a = await issued('40');
    expect(
      (await cashier.req('POST', `/api/billing/invoices/${a.id}/void`, { reason: 'Error', version: a.version }, KIN)).statusCode,
    ).toBe(403);
    const v = await accountant.req(
      'POST',
      `/api/billing/invoices/${a.id}/void`,
      { reason: 'Duplicate', version: a.version },
      KIN,
    );
    expect(v.statusCode, v.body).toBe(200);
    expect(v.json<Invoice>()).toMatchObject({ status: 'void', voidReason: 'Duplicate', balance: '0.00' });

    const b = await issued('40');
    await ctx.database.db.transaction(async (tx) => {
      await billing.lockInvoice(tx, b.id);
      await billing.applyPaid(tx, b.id, '15');
    });
    const after = (await cashier.req('GET', `/api/billing/invoices/${b.id}`, undefined, KIN)).json<Invoice>();
    expect(after).toMatchObject({ status: 'partially_paid', paid: '15.00', balance: '25.00', version: b.version + 1 });
    const refused = await accountant.req(
      'POST',
      `/api/billing/invoices/${b.id}/void`,
      { reason: 'x', version: after.version },
      KIN,
    );
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.code).toBe('INVOICE_STATE');
  });

  it('credit notes: numbered CN-…, never more than is left; a draft takes none', async () => {
    const d = await draft(await patient());
    const onDraft = await accountant.req(
      'POST',
      `/api/billing/invoices/${d.id}/credit-notes`,
      { amount: '1', reason: 'x', version: d.version },
      KIN,
    );
    expect(onDraft.json().error.code).toBe('INVOICE_STATE');
    const inv = await issued('80');
    const cn = await accountant.req(
      'POST',
      `/api/billing/invoices/${inv.id}/credit-notes`,
      { amount: '30', reason: 'Overcharge', version: inv.version },
      KIN,
    );
    expect(cn.statusCode, cn.body).toBe(201);
    const after = cn.json<Invoice>();
    expect(after.creditNotes[0]!.number).toMatch(/^CN-KIN-\d{4}-\d{6}$/);
    expect(after).toMatchObject({ credited: '30.00', balance: '50.00', status: 'issued' });
    const over = await accountant.req(
      'POST',
      `/api/billing/invoices/${inv.id}/credit-notes`,
      { amount: '50.01', reason: 'x', version: after.version },
      KIN,
    );
    expect(over.statusCode).toBe(409);
    expect(over.json().error.code).toBe('CREDIT_EXCEEDS_INVOICE');
    const rest = await accountant.req(
      'POST',
      `/api/billing/invoices/${inv.id}/credit-notes`,
      { amount: '50', reason: 'Rest', version: after.version },
      KIN,
    );
    expect(rest.json<Invoice>()).toMatchObject({ status: 'paid', balance: '0.00' });
  });

  it('a stale version is 409 STALE_VERSION and changes nothing', async () => {
    const inv = await line(await draft(await patient()), { kind: 'other', description: 'A', unitPrice: '1' });
    const res = await cashier.req(
      'POST',
      `/api/billing/invoices/${inv.id}/lines`,
      { kind: 'other', description: 'B', unitPrice: '1', quantity: '1', version: inv.version - 1 },
      KIN,
    );
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('STALE_VERSION');
  });

  it('the PDF in the reader’s language', async () => {
    const inv = await issued('12.5');
    const res = await cashier.req('GET', `/api/billing/invoices/${inv.id}/pdf`, undefined, KIN);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    const { text } = await pdfText(res.rawPayload);
    expect(text).toContain(inv.number!);
    expect(text).toContain('INVOICE');
  });
});

describe('gapless numbering', () => {
  it('50 concurrent issues, some rolled back: the committed numbers run on without a gap', async () => {
    const { rows: before } = await ctx.sql.query<{ last: number }>(
      `SELECT coalesce(max(last), 0) AS last FROM document_numbers WHERE clinic_id = $1 AND doc_type = 'INV'
         AND year = extract(year FROM now() AT TIME ZONE 'Africa/Kinshasa')`,
      [ctx.ids.kin],
    );
    const start = before[0]!.last;
    const drafts: Invoice[] = [];
    for (let i = 0; i < 40; i++)
      drafts.push(await line(await draft(await patient()), { kind: 'other', description: 'N', unitPrice: '1' }));
    const other = drizzle(ctx.sql);
    const rollbacks = Array.from({ length: 10 }, () =>
      other
        .transaction(async (tx) => {
          await nextDocumentNumber(tx, ctx.ids.kin, 'INV');
          await tx.execute(sql`SELECT pg_sleep(0.01)`);
          throw new Error('rolled back');
        })
        .catch(() => 'rolled back'),
    );
    const results = await Promise.all([...drafts.map((d) => issue(d)), ...rollbacks]);
    const issuedNow = results.filter((r): r is Awaited<ReturnType<typeof issue>> => typeof r !== 'string');
    expect(issuedNow.every((r) => r.statusCode === 200)).toBe(true);
    const numbers = issuedNow.map((r) => Number(r.json<Invoice>().number!.slice(-6))).sort((a, b) => a - b);
    expect(numbers).toEqual(Array.from({ length: 40 }, (_, i) => start + 1 + i));
  });
});

describe('charge capture', () => {
  it('a finished encounter, a lab order and a dispense each bill once, even when the hook runs again', async () => {
    const pid = await patient();
    const T = await labTests(ctx.sql);
    const labCode = (await ctx.sql.query<{ code: string }>('SELECT code FROM lab_tests WHERE id = $1', [T.k])).rows[0]!.code;
    await price({ kind: 'lab_test', code: labCode, name: 'Potassium', currency: 'USD', unitPrice: '8' });
    const encId = await encounter(ctx.sql, pid, ctx.ids.kin);
    const order = await doctor.req('POST', `/api/patients/${pid}/lab-orders`, { encounterId: encId, testIds: [T.k, T.mal] }, KIN);
    expect(order.statusCode, order.body).toBe(201);
    const orderId = order.json<{ id: string }>().id;
    const fin = await doctor.req('POST', `/api/encounters/${encId}/finish`, { version: 1 }, KIN);
    expect(fin.statusCode, fin.body).toBe(200);

    const PARA = 'who-eml:paracetamol-500mg-tablet';
    // the demo's price list has it, per tablet
    await stockedLot(ctx.sql, {
      clinicId: ctx.ids.kin,
      userId: ctx.ids.users['admin@sanita.test']!,
      code: PARA,
      itemName: `Paracetamol billing ${tag}`,
      lotNumber: `B-${tag}`,
      quantity: 100,
      expiresInDays: 300,
    });
    const rx = await signedPrescription(ctx.sql, {
      patientId: pid,
      clinicId: ctx.ids.kin,
      prescriberId: ctx.ids.users['doctor@sanita.test']!,
      items: [{ code: PARA, quantity: 12 }],
    });
    const disp = await pharmacist.req(
      'POST',
      `/api/pharmacy/prescriptions/${rx.id}/dispenses`,
      { items: [{ prescriptionItemId: rx.itemIds[0], quantity: 12 }] },
      KIN,
    );
    expect(disp.statusCode, disp.body).toBe(201);
    const dispenseId = disp.json<{ id: string }>().id;

    // the hooks again, as a redelivered event would run them
    await ctx.database.db.transaction(async (tx) => {
      await billing.captureEncounter(tx, encId);
      await billing.captureLabOrder(tx, orderId);
      await billing.captureDispense(tx, dispenseId);
    });
    const inv = await draft(pid);
    expect(inv.lines.map((l) => [l.source, l.kind, l.quantity]).sort()).toEqual(
      [
        ['dispense', 'medication', '12'],
        ['encounter', 'consultation', '1'],
        ['lab_order', 'lab_test', '1'],
        ['lab_order', 'lab_test', '1'],
      ].sort(),
    );
    const k = inv.lines.find((l) => l.code === labCode)!;
    expect(k.unitPrice).toBe('8.00');
    const para = inv.lines.find((l) => l.kind === 'medication')!;
    expect(para.code).toBe(PARA);
    expect(para.unitPrice).not.toBeNull();
    expect(para.total).toBe((Number(para.unitPrice) * 12).toFixed(2));
    expect(para.practitioner).not.toBeNull();
    expect(await linesOf(`encounter:${encId}`)).toBe(1);
    const { rows } = await ctx.sql.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM invoice_lines WHERE source_key LIKE 'lab_order_item:%' AND source_id = $1`,
      [orderId],
    );
    expect(rows[0]!.n).toBe(2);
    // the malaria test has no price: the invoice waits for someone to price it
    expect(inv.unpriced).toBeGreaterThanOrEqual(1);
  });

  it('a cancelled lab order comes off the draft and its totals; once the invoice is issued, its line stays', async () => {
    const T = await labTests(ctx.sql);
    const codeOf = async (id: string) =>
      (await ctx.sql.query<{ code: string }>('SELECT code FROM lab_tests WHERE id = $1', [id])).rows[0]!.code;
    const [kCode, gluCode] = [await codeOf(T.k), await codeOf(T.glu)];
    await price({ kind: 'lab_test', code: kCode, name: 'Potassium', currency: 'USD', unitPrice: '8' });
    await price({ kind: 'lab_test', code: gluCode, name: 'Glucose', currency: 'USD', unitPrice: '5' });
    const pid = await patient();
    await line(await draft(pid), { kind: 'other', description: 'Dressing', unitPrice: '10' });
    const order = async (testIds: string[]) => {
      const encounterId = await encounter(ctx.sql, pid, ctx.ids.kin);
      const res = await doctor.req('POST', `/api/patients/${pid}/lab-orders`, { encounterId, testIds }, KIN);
      expect(res.statusCode, res.body).toBe(201);
      return res.json<{ id: string; version: number }>();
    };
    const cancel = async (o: { id: string; version: number }) => {
      const res = await doctor.req(
        'POST',
        `/api/lab/orders/${o.id}/cancel`,
        { reason: 'Ordered in error', version: o.version },
        KIN,
      );
      expect(res.statusCode, res.body).toBe(200);
    };

    const first = await order([T.k, T.glu]);
    const billed = await draft(pid);
    expect(billed.lines.map((l) => l.code).sort()).toEqual([kCode, gluCode, 'MANUAL'].sort());
    expect([billed.subtotal, billed.total]).toEqual(['23.00', '23.00']);
    await cancel(first);
    const released = await draft(pid);
    expect(released.id).toBe(billed.id);
    expect(released.lines.map((l) => l.code)).toEqual(['MANUAL']);
    expect([released.subtotal, released.total, released.balance]).toEqual(['10.00', '10.00', '10.00']);
    // a cashier holding the earlier version is told it changed
    expect(released.version).toBeGreaterThan(billed.version);

    // issued before the cancellation: the invoice keeps the line (a credit note takes it back)
    const second = await order([T.k]);
    const before = await draft(pid);
    expect(before.total).toBe('18.00');
    const res = await issue(before);
    expect(res.statusCode, res.body).toBe(200);
    await cancel(second);
    const after = await cashier.req('GET', `/api/billing/invoices/${before.id}`, undefined, KIN);
    expect(
      after
        .json<Invoice>()
        .lines.map((l) => l.code)
        .sort(),
    ).toEqual([kCode, 'MANUAL'].sort());
    expect(after.json<Invoice>()).toMatchObject({ status: 'issued', total: '18.00' });
  });

  it('a rolled-back clinical transaction leaves no line and no draft', async () => {
    const pid = await patient();
    const encId = await encounter(ctx.sql, pid, ctx.ids.kin, 'finished');
    await expect(
      ctx.database.db.transaction(async (tx) => {
        await billing.captureEncounter(tx, encId);
        throw new Error('the clinical action failed');
      }),
    ).rejects.toThrow('the clinical action failed');
    expect(await linesOf(`encounter:${encId}`)).toBe(0);
    const { rows } = await ctx.sql.query<{ n: number }>('SELECT count(*)::int AS n FROM invoices WHERE patient_id = $1', [pid]);
    expect(rows[0]!.n).toBe(0);
  });

  it('the service API: read, claimable lines, the insurer share', async () => {
    const inv = await issued('60');
    await ctx.database.db.transaction(async (tx) => {
      const locked = await billing.lockInvoice(tx, inv.id);
      expect(locked).toMatchObject({ id: inv.id, status: 'issued', total: '60.00', currency: 'USD' });
      await billing.setInsurerShare(tx, inv.id, '45');
    });
    const read = await billing.read(ctx.database.db, inv.id);
    expect(read).toMatchObject({ insurerShare: '45.00', patientShare: '15.00' });
    const lines = await billing.claimableLines(ctx.database.db, inv.id);
    expect(lines).toEqual([expect.objectContaining({ kind: 'other', total: '60.00', quantity: '1' })]);
    expect(await billing.lockInvoice(ctx.database.db as never, crypto.randomUUID())).toBeNull();
  });
});

describe('clinic scoping and permissions', () => {
  it("from / to are the clinic's days: an invoice issued at 00:30 in Kinshasa (23:30 UTC the day before) is that day's", async () => {
    const inv = await issued('7');
    const { rows } = await ctx.sql.query<{ tz: string }>('SELECT timezone AS tz FROM clinics WHERE id = $1', [ctx.ids.kin]);
    expect(rows[0]!.tz).toBe('Africa/Kinshasa');
    await ctx.sql.query(`UPDATE invoices SET issued_at = '2026-03-09T23:30:00Z' WHERE id = $1`, [inv.id]);
    const on = async (day: string) =>
      (await cashier.req('GET', `/api/billing/invoices?from=${day}&to=${day}&q=${inv.number}&limit=5`, undefined, KIN))
        .json<{ data: InvoiceSummary[] }>()
        .data.map((i) => i.id);
    expect(await on('2026-03-10')).toEqual([inv.id]);
    expect(await on('2026-03-09')).toEqual([]);
  });

  it("another clinic's invoice is 404 (audited denied); a doctor has no billing; lists stay in the clinic", async () => {
    const inv = await issued('10');
    const since = await lastAuditId(ctx.sql);
    const other = await admin.req('GET', `/api/billing/invoices/${inv.id}`, undefined, GOM);
    expect(other.statusCode).toBe(404);
    const audit = await auditSince(ctx.sql, since);
    expect(audit.some((a) => a.action === 'invoice.read' && a.outcome === 'denied' && a.patient_id === inv.patient.id)).toBe(
      true,
    );
    const byDoctor = await doctor.req('GET', '/api/billing/invoices', undefined, KIN);
    expect(byDoctor.statusCode, byDoctor.body).toBe(403);
    expect(
      (
        await cashier.req(
          'POST',
          '/api/billing/prices',
          { kind: 'other', code: 'Z', name: 'Z', currency: 'USD', unitPrice: '1', effectiveFrom: '2026-01-01' },
          KIN,
        )
      ).statusCode,
    ).toBe(403);
    const gomList = await admin.req('GET', '/api/billing/invoices?limit=200', undefined, GOM);
    expect(gomList.statusCode).toBe(200);
    expect(gomList.json<{ data: InvoiceSummary[] }>().data.every((i) => i.clinicId === ctx.ids.gom)).toBe(true);
    const found = await cashier.req('GET', `/api/billing/invoices?q=${inv.number}`, undefined, KIN);
    expect(found.json<{ data: InvoiceSummary[] }>().data.map((i) => i.id)).toEqual([inv.id]);
    // a patient of Goma only has no draft at Kinshasa
    const gomPatient = await cashier.req('POST', '/api/billing/invoices', { patientId: ctx.ids.gomPatient }, KIN);
    expect(gomPatient.statusCode).toBe(404);
  });

  it('settings: read by the cashier, changed by the administrator only', async () => {
    const s = await cashier.req('GET', '/api/billing/settings', undefined, KIN);
    expect(s.statusCode).toBe(200);
    expect(s.json()).toMatchObject({ clinicId: ctx.ids.kin, defaultCurrency: 'USD' });
    expect((await cashier.req('PATCH', '/api/billing/settings', { paymentTermsDays: 5 }, KIN)).statusCode).toBe(403);
    const bad = await admin.req('PATCH', '/api/billing/settings', { defaultCurrency: 'EUR' }, KIN);
    expect(bad.json().error.code).toBe('CURRENCY_NOT_ACCEPTED');
  });
});

describe('the demo seed', () => {
  it('prices every kind in USD and CDF at both clinics, the lab catalogue included; VAT on optical goods', async () => {
    const { rows } = await ctx.sql.query<{ code: string; currency: string; kinds: string[] }>(
      `SELECT c.code, p.currency, array_agg(DISTINCT p.kind ORDER BY p.kind) AS kinds
         FROM price_items p JOIN clinics c ON c.id = p.clinic_id GROUP BY 1, 2 ORDER BY 1, 2`,
    );
    const all = ['consultation', 'lab_test', 'medication', 'optical', 'procedure'];
    for (const clinic of ['GOM', 'KIN'])
      for (const currency of ['CDF', 'USD'])
        expect(rows.find((r) => r.code === clinic && r.currency === currency)?.kinds).toEqual(expect.arrayContaining(all));
    const unpricedTests = await ctx.sql.query(
      `SELECT t.code FROM lab_tests t WHERE t.active AND NOT EXISTS (SELECT 1 FROM price_items p WHERE p.clinic_id = $1
         AND p.kind = 'lab_test' AND p.code = t.code AND p.currency = 'USD')
         AND t.created_at < (SELECT min(created_at) FROM price_items)`,
      [ctx.ids.kin],
    );
    expect(unpricedTests.rows).toEqual([]);
    const vat = await ctx.sql.query<{ rate: string }>(
      `SELECT rate::text FROM tax_rates WHERE clinic_id = $1 AND category = 'vat'`,
      [ctx.ids.kin],
    );
    expect(Number(vat.rows[0]!.rate)).toBe(16);
    const ecg = await ctx.sql.query<{ procedure_code: string }>(
      `SELECT procedure_code FROM price_items WHERE clinic_id = $1 AND code = 'PROC-ECG' AND currency = 'USD'`,
      [ctx.ids.kin],
    );
    expect(ecg.rows[0]!.procedure_code).toBe('93000');
  });

  it("90 days of issued invoices at Kinshasa, their totals their lines'; today's consultations wait in drafts", async () => {
    const { rows } = await ctx.sql.query<{ status: string; n: number }>(
      `SELECT status, count(*)::int AS n FROM invoices WHERE clinic_id = $1 AND number LIKE 'INV-KIN-%' AND issued_at < current_date
         GROUP BY status`,
      [ctx.ids.kin],
    );
    const issuedCount = rows.filter((r) => r.status !== 'draft').reduce((a, r) => a + r.n, 0);
    expect(issuedCount).toBeGreaterThan(5);
    expect(rows.some((r) => r.status === 'void')).toBe(true);
    const mismatched = await ctx.sql.query(
      `SELECT i.id FROM invoices i WHERE i.clinic_id = $1 AND i.number LIKE 'INV-KIN-%'
          AND i.total <> (SELECT coalesce(sum(l.total), 0) FROM invoice_lines l WHERE l.invoice_id = i.id)`,
      [ctx.ids.kin],
    );
    expect(mismatched.rows).toEqual([]);
    const missing = await ctx.sql.query(
      `SELECT e.id FROM encounters e JOIN clinics c ON c.id = e.clinic_id
        WHERE c.code = 'KIN' AND e.status = 'finished' AND e.ended_at >= (now() AT TIME ZONE c.timezone)::date::timestamp AT TIME ZONE c.timezone
          AND NOT EXISTS (SELECT 1 FROM invoice_lines l WHERE l.source_key = 'encounter:' || e.id)`,
    );
    expect(missing.rows).toEqual([]);
  });
});

describe('realtime', () => {
  it("invoice.changed goes to the clinic's cashier desk after a change and after a captured charge; identifiers only", async () => {
    const events: { name: string; payload: { invoiceId?: string; status?: string }; rooms: string[] }[] = [];
    const stop = (
      ctx.app as unknown as {
        services: { events: { subscribe(l: (e: (typeof events)[number]) => void): () => void } };
      }
    ).services.events.subscribe((e) => events.push(e));
    const pid = await patient();
    const encId = await encounter(ctx.sql, pid, ctx.ids.kin);
    expect((await doctor.req('POST', `/api/encounters/${encId}/finish`, { version: 1 }, KIN)).statusCode).toBe(200);
    // announced once the finishing transaction has committed
    await new Promise((r) => setTimeout(r, 200));
    const inv = await draft(pid);
    expect(events.some((e) => e.name === 'invoice.changed' && e.payload.invoiceId === inv.id)).toBe(true);
    await line(inv, { kind: 'other', description: 'X', unitPrice: '1' });
    stop();
    const mine = events.filter((e) => e.name === 'invoice.changed' && e.payload.invoiceId === inv.id);
    expect(mine.length).toBeGreaterThanOrEqual(2);
    expect(mine.every((e) => e.rooms.length === 1 && e.rooms[0] === `billing:${ctx.ids.kin}`)).toBe(true);
    expect(JSON.stringify(mine.map((e) => e.payload))).not.toMatch(/"mrn"|"name"/);
  });
});
