import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AgingReport, CashierSession, Payment, PaymentPlan, RevenueReport } from '@sanita/contracts/payments';
import type { PortalInvoiceDetail, PortalInvoiceList } from '@sanita/contracts/portal';
import { auditSince, createTestContext, lastAuditId, type Session, type TestContext } from '../../../test/helpers.ts';
import { pdfText } from '../../../test/pdf.ts';
import { issuedInvoice, key, rawPayment } from './payments.fixtures.ts';

let ctx: TestContext;
let cashier: Session;
let admin: Session;
let manager: Session;
let accountant: Session;
let doctor: Session;
let patient: Session;
const KIN = { 'x-clinic-id': '' };

const one = async <T>(q: string, params: unknown[] = []) => (await ctx.sql.query(q, params)).rows[0] as T;
const invoice = (total: string, currency = 'USD', patientId = ctx.ids.kinPatient) =>
  issuedInvoice(ctx.sql, { clinicId: ctx.ids.kin, patientId, total, currency });
const invoiceRow = (id: string) =>
  one<{ status: string; paid: string }>('SELECT status, paid::text FROM invoices WHERE id = $1', [id]);
/** A rate from now (the latest for the pair) or from `at`. */
async function rate(from: string, to: string, r: string, at = new Date()): Promise<void> {
  await ctx.sql.query(`INSERT INTO exchange_rates (from_currency, to_currency, rate, effective_at) VALUES ($1, $2, $3, $4)`, [
    from,
    to,
    r,
    at,
  ]);
}
const pay = (s: Session, body: Record<string, unknown>, k = key()) =>
  s.req('POST', '/api/payments', { patientId: ctx.ids.kinPatient, method: 'cash', ...body }, { ...KIN, 'idempotency-key': k });
async function paid(s: Session, body: Record<string, unknown>): Promise<Payment> {
  const res = await pay(s, body);
  expect(res.statusCode, res.body).toBe(201);
  return res.json<Payment>();
}

beforeAll(async () => {
  ctx = await createTestContext();
  KIN['x-clinic-id'] = ctx.ids.kin;
  [cashier, admin, manager, accountant, doctor, patient] = (await Promise.all(
    [
      'cashier@sanita.test',
      'admin@sanita.test',
      'manager@sanita.test',
      'accountant@sanita.test',
      'doctor@sanita.test',
      'patient@sanita.test',
    ].map((e) => ctx.login(e)),
  )) as [Session, Session, Session, Session, Session, Session];
  // the seed leaves no session open today: the cashier opens hers
  const open = await cashier.req('POST', '/api/cashier/sessions', { floats: [{ currency: 'USD', amount: '50' }] }, KIN);
  expect(open.statusCode, open.body).toBe(201);
  await rate('USD', 'CDF', '2000');
});
afterAll(async () => ctx?.close());

describe('idempotency', () => {
  it('the same key 20 times at once: one payment, 20 identical answers', async () => {
    const inv = await invoice('100.00');
    const k = key();
    const body = { invoiceId: inv, currency: 'USD', amount: '10.00' };
    const answers = await Promise.all(Array.from({ length: 20 }, () => pay(cashier, body, k)));
    expect(answers.map((a) => a.statusCode)).toEqual(Array(20).fill(201));
    expect(new Set(answers.map((a) => a.body)).size).toBe(1);
    const { n } = await one<{ n: number }>('SELECT count(*)::int AS n FROM payments WHERE invoice_id = $1', [inv]);
    expect(n).toBe(1);
    expect(await invoiceRow(inv)).toEqual({ status: 'partially_paid', paid: '10.00' });
  });

  it('the same key with another body is refused (409); no key is 400 naming the header', async () => {
    const inv = await invoice('100.00');
    const k = key();
    expect((await pay(cashier, { invoiceId: inv, currency: 'USD', amount: '1.00' }, k)).statusCode).toBe(201);
    const again = await pay(cashier, { invoiceId: inv, currency: 'USD', amount: '2.00' }, k);
    expect([again.statusCode, again.json().error.code]).toEqual([409, 'IDEMPOTENCY_KEY_REUSED']);
    const none = await cashier.req(
      'POST',
      '/api/payments',
      { patientId: ctx.ids.kinPatient, invoiceId: inv, method: 'cash', currency: 'USD', amount: '1' },
      KIN,
    );
    expect([none.statusCode, none.json().error.code, none.json().error.details[0].field]).toEqual([
      400,
      'IDEMPOTENCY_KEY_REQUIRED',
      'Idempotency-Key',
    ]);
    expect(await invoiceRow(inv)).toEqual({ status: 'partially_paid', paid: '1.00' });
  });

  it('a failed first attempt leaves the key free for the retry', async () => {
    const inv = await invoice('5.00');
    const k = key();
    const over = await pay(cashier, { invoiceId: inv, currency: 'USD', amount: '6.00' }, k);
    expect(over.json().error.code).toBe('OVERPAYMENT');
    // the same key, the same body: answered again (still refused), not replayed from a stored answer
    expect((await pay(cashier, { invoiceId: inv, currency: 'USD', amount: '6.00' }, k)).json().error.code).toBe('OVERPAYMENT');
  });
});

describe('receipt numbers', () => {
  it('concurrent payments, some refused: receipts run on without a gap, each in its audit row', async () => {
    const inv = await invoice('100.00');
    const since = await lastAuditId(ctx.sql);
    const { last } = await one<{ last: number }>(
      `SELECT coalesce(max(last), 0)::int AS last FROM document_numbers WHERE clinic_id = $1 AND doc_type = 'RCT'`,
      [ctx.ids.kin],
    );
    // 12 × 5.00 and 4 × 500.00 (more than the balance: refused after pricing, before the number)
    const answers = await Promise.all(
      Array.from({ length: 16 }, (_, i) =>
        pay(cashier, { invoiceId: inv, currency: 'USD', amount: i % 4 === 3 ? '500.00' : '5.00' }),
      ),
    );
    expect(answers.map((a) => a.statusCode).sort()).toEqual([...Array(12).fill(201), ...Array(4).fill(409)]);
    const made = answers.filter((a) => a.statusCode === 201).map((a) => a.json<Payment>());
    const numbers = made.map((p) => Number(p.receiptNumber.slice(-6))).sort((a, b) => a - b);
    expect(numbers).toEqual(Array.from({ length: 12 }, (_, i) => last + 1 + i));
    const stored = await ctx.sql.query<{ receipt_number: string }>('SELECT receipt_number FROM payments WHERE invoice_id = $1', [
      inv,
    ]);
    expect(stored.rows.map((r) => r.receipt_number).sort()).toEqual(made.map((p) => p.receiptNumber).sort());
    const audited = (await auditSince(ctx.sql, since)).filter((x) => x.action === 'payment.create');
    expect(audited.map((x) => (x.details as { receiptNumber: string }).receiptNumber).sort()).toEqual(
      made.map((p) => p.receiptNumber).sort(),
    );
    expect(await invoiceRow(inv)).toEqual({ status: 'partially_paid', paid: '60.00' });
  });
});

describe('payments', () => {
  it('converts at the rate in force when paid; a later rate changes nothing; the rest in another currency settles it', async () => {
    const inv = await invoice('10.00');
    const since = await lastAuditId(ctx.sql);
    const p1 = await paid(cashier, { invoiceId: inv, currency: 'CDF', amount: '10000' });
    expect(p1).toMatchObject({ currency: 'CDF', amount: '10000', appliedCurrency: 'USD', appliedAmount: '5.00', rate: '0.0005' });
    expect(p1.receiptNumber).toMatch(/^RCT-KIN-\d{4}-\d{6}$/);
    // a rate recorded later (from now on) and one for tomorrow: the first payment keeps its rate
    const r = await manager.req('POST', '/api/payments/exchange-rates', { from: 'USD', to: 'CDF', rate: '2500' }, KIN);
    expect(r.statusCode, r.body).toBe(201);
    await rate('USD', 'CDF', '1000', new Date(Date.now() + 86_400_000));
    const again = await cashier.req('GET', `/api/payments/${p1.id}`, undefined, KIN);
    expect(again.json<Payment>()).toMatchObject({ appliedAmount: '5.00', rate: '0.0005' });
    expect(await invoiceRow(inv)).toEqual({ status: 'partially_paid', paid: '5.00' });
    // 2,500 CDF now buys 1 USD: 5,000 CDF pays 2.00, the rest in USD
    const p2 = await paid(cashier, { invoiceId: inv, currency: 'CDF', amount: '5000' });
    expect(p2).toMatchObject({ appliedAmount: '2.00', rate: '0.0004' });
    await paid(cashier, { invoiceId: inv, currency: 'USD', amount: '3.00', method: 'card', reference: 'SLIP-1' });
    expect(await invoiceRow(inv)).toEqual({ status: 'paid', paid: '10.00' });
    const rows = (await auditSince(ctx.sql, since)).filter((x) => x.action === 'payment.create');
    expect(rows.map((x) => x.patient_id)).toEqual(Array(3).fill(ctx.ids.kinPatient));
    // the history of rates is kept
    const list = await manager.req('GET', '/api/payments/exchange-rates?from=USD&to=CDF', undefined, KIN);
    expect(list.json<{ items: { rate: string }[] }>().items.map((x) => x.rate)).toEqual(
      expect.arrayContaining(['1000', '2500', '2000']),
    );
    await ctx.sql.query(`DELETE FROM exchange_rates WHERE effective_at > now()`);
  });

  it('refuses an overpayment; a tendered amount over the balance by less than its minor unit settles exactly the balance', async () => {
    const inv = await invoice('10.00');
    const over = await pay(cashier, { invoiceId: inv, currency: 'USD', amount: '10.01' });
    expect([over.statusCode, over.json().error.code]).toEqual([409, 'OVERPAYMENT']);
    // a CDF invoice of 28,571 paid with 10.00 USD at 2,857.15: 28,571.5 rounds to 28,572 but 10.00 USD is less than a cent over
    const cdf = await invoice('28571', 'CDF');
    await rate('USD', 'CDF', '2857.15');
    const p = await paid(cashier, { invoiceId: cdf, currency: 'USD', amount: '10.00' });
    expect(p).toMatchObject({ appliedCurrency: 'CDF', appliedAmount: '28571', rate: '2857.15' });
    expect(await invoiceRow(cdf)).toEqual({ status: 'paid', paid: '28571.00' });
    await rate('USD', 'CDF', '2500');
  });

  it('refuses a currency the clinic does not take (400 naming currency), a pair without a rate, a cashier without a session', async () => {
    const inv = await invoice('10.00');
    const eur = await pay(cashier, { invoiceId: inv, currency: 'EUR', amount: '1.00' });
    expect([eur.statusCode, eur.json().error.code, eur.json().error.details[0].field]).toEqual([
      400,
      'CURRENCY_NOT_ACCEPTED',
      'currency',
    ]);
    await ctx.sql.query(`UPDATE clinics SET currencies = currencies || '{EUR}' WHERE id = $1`, [ctx.ids.kin]);
    const none = await pay(cashier, { invoiceId: inv, currency: 'EUR', amount: '1.00' });
    expect([none.statusCode, none.json().error.code]).toEqual([409, 'NO_EXCHANGE_RATE']);
    await ctx.sql.query(`UPDATE clinics SET currencies = array_remove(currencies, 'EUR') WHERE id = $1`, [ctx.ids.kin]);
    const noSession = await pay(admin, { invoiceId: inv, currency: 'USD', amount: '1.00' });
    expect([noSession.statusCode, noSession.json().error.code]).toEqual([409, 'SESSION_REQUIRED']);
    expect((await pay(doctor, { invoiceId: inv, currency: 'USD', amount: '1.00' })).statusCode).toBe(403);
    const other = await invoice('10.00', 'USD', ctx.ids.ownPatient);
    expect((await pay(cashier, { invoiceId: other, currency: 'USD', amount: '1.00' })).statusCode).toBe(404);
  });

  it('a deposit on the account is applied to an invoice later; the receipt is a PDF in the reader’s language', async () => {
    const dep = await paid(cashier, { currency: 'USD', amount: '4.00' });
    expect(dep).toMatchObject({ invoiceId: null, appliedAmount: '4.00' });
    const inv = await invoice('6.00');
    const applied = await cashier.req('POST', `/api/payments/${dep.id}/apply`, { invoiceId: inv }, KIN);
    expect(applied.statusCode, applied.body).toBe(200);
    expect(applied.json<Payment>()).toMatchObject({ invoiceId: inv, appliedAmount: '4.00' });
    expect(await invoiceRow(inv)).toEqual({ status: 'partially_paid', paid: '4.00' });
    const pdf = await cashier.req('GET', `/api/payments/${dep.id}/receipt`, undefined, KIN);
    expect([pdf.statusCode, pdf.headers['content-type']]).toEqual([200, 'application/pdf']);
    const { text } = await pdfText(pdf.rawPayload);
    expect(text).toContain(dep.receiptNumber);
    expect(text).toContain('Balance left');
    expect(text).toContain('2.00 USD');
  });
});

describe('cashier sessions', () => {
  it('reconciles: float + cash taken − refunds = expected; a difference needs a note; a manager reopens with a reason', async () => {
    const open = await admin.req(
      'POST',
      '/api/cashier/sessions',
      {
        floats: [
          { currency: 'USD', amount: '100' },
          { currency: 'CDF', amount: '20000' },
        ],
      },
      KIN,
    );
    expect(open.statusCode, open.body).toBe(201);
    const twice = await admin.req('POST', '/api/cashier/sessions', { floats: [] }, KIN);
    expect([twice.statusCode, twice.json().error.code]).toEqual([409, 'SESSION_STATE']);
    const s = open.json<CashierSession>();
    const inv = await invoice('50.00');
    const p = await paid(admin, { invoiceId: inv, currency: 'USD', amount: '20.00' });
    await paid(admin, { invoiceId: inv, currency: 'USD', amount: '5.00', method: 'mobile_money', reference: 'MM-1' });
    const refund = (amount: string, k = key()) =>
      admin.req('POST', `/api/payments/${p.id}/refunds`, { amount, reason: 'Charged twice' }, { ...KIN, 'idempotency-key': k });
    expect((await refund('25.00')).json().error.code).toBe('REFUND_EXCEEDS_PAYMENT');
    const r = await refund('5.00');
    expect(r.statusCode, r.body).toBe(201);
    expect(r.json<Payment>().refunded).toBe('5.00');
    expect(await invoiceRow(inv)).toEqual({ status: 'partially_paid', paid: '20.00' });
    const view = (await admin.req('GET', `/api/cashier/sessions/${s.id}`, undefined, KIN)).json<CashierSession>();
    const usdCash = view.totals.find((t) => t.currency === 'USD' && t.method === 'cash');
    expect(usdCash).toMatchObject({ float: '100.00', taken: '20.00', refunded: '5.00', expected: '115.00', counted: null });
    expect(view.payments).toBe(2);
    const close = (body: Record<string, unknown>) =>
      admin.req('POST', `/api/cashier/sessions/${s.id}/close`, { version: view.version, ...body }, KIN);
    const counts = [
      { currency: 'USD', method: 'cash', counted: '110.00' },
      { currency: 'CDF', method: 'cash', counted: '20000' },
    ];
    const noNote = await close({ counts });
    expect([noNote.statusCode, noNote.json().error.details[0].field]).toEqual([400, 'note']);
    const missing = await close({ counts: counts.slice(0, 1), note: 'x' });
    expect([missing.statusCode, missing.json().error.details[0].field]).toEqual([400, 'counts']);
    const closed = await close({ counts, note: 'A 5 USD note was given back twice' });
    expect(closed.statusCode, closed.body).toBe(200);
    const c = closed.json<CashierSession>();
    expect(c.status).toBe('closed');
    expect(c.totals.find((t) => t.currency === 'USD' && t.method === 'cash')).toMatchObject({
      counted: '110.00',
      difference: '-5.00',
    });
    // mobile money is not counted in the drawer: taken as expected
    expect(c.totals.find((t) => t.method === 'mobile_money')).toMatchObject({ expected: '5.00', difference: '0.00' });
    // reopening: not the cashier (no payments:manage), a manager with a reason
    const byCashier = await cashier.req(
      'POST',
      `/api/cashier/sessions/${s.id}/reopen`,
      { reason: 'Recount', version: c.version },
      KIN,
    );
    expect(byCashier.statusCode).toBe(403);
    expect(
      (await manager.req('POST', `/api/cashier/sessions/${s.id}/reopen`, { reason: '', version: c.version }, KIN)).statusCode,
    ).toBe(400);
    const since = await lastAuditId(ctx.sql);
    const re = await manager.req(
      'POST',
      `/api/cashier/sessions/${s.id}/reopen`,
      { reason: 'Recount the USD', version: c.version },
      KIN,
    );
    expect(re.statusCode, re.body).toBe(200);
    expect(re.json<CashierSession>()).toMatchObject({
      status: 'open',
      reopenReason: 'Recount the USD',
      reopenedBy: { id: manager.userId },
    });
    const audit = (await auditSince(ctx.sql, since)).find((x) => x.action === 'cashier_session.reopen');
    expect(audit).toMatchObject({ actor_user_id: manager.userId, details: { reason: 'Recount the USD' } });
  });
});

describe('payment plans', () => {
  it('instalments add up to the balance, are paid oldest first, and are reminded when due in 3 days', async () => {
    const pt = await one<{ id: string }>(`UPDATE patients SET phones = '{+243810000077}' WHERE id = $1 RETURNING id`, [
      ctx.ids.kinPatient,
    ]);
    const inv = await invoice('90.00', 'USD', pt.id);
    const day = (d: number) => new Date(Date.now() + d * 86_400_000).toISOString().slice(0, 10);
    const bad = await cashier.req(
      'POST',
      '/api/payment-plans',
      {
        invoiceId: inv,
        instalments: [
          { dueDate: day(2), amount: '30' },
          { dueDate: day(30), amount: '30' },
        ],
      },
      KIN,
    );
    expect([bad.statusCode, bad.json().error.details[0].field]).toEqual([400, 'instalments']);
    const res = await cashier.req(
      'POST',
      '/api/payment-plans',
      {
        invoiceId: inv,
        instalments: [
          { dueDate: day(60), amount: '30' },
          { dueDate: day(2), amount: '30' },
          { dueDate: day(30), amount: '30' },
        ],
      },
      KIN,
    );
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json<PaymentPlan>().instalments.map((x) => x.dueDate)).toEqual([day(2), day(30), day(60)]);
    await paid(cashier, { invoiceId: inv, patientId: pt.id, currency: 'USD', amount: '40.00' });
    const plans = await cashier.req('GET', `/api/payment-plans?invoiceId=${inv}`, undefined, KIN);
    const plan = plans.json<{ items: PaymentPlan[] }>().items[0]!;
    expect(plan.instalments.map((x) => [x.paid, x.status])).toEqual([
      ['30.00', 'paid'],
      ['10.00', 'due'],
      ['0.00', 'due'],
    ]);
    // the reminders' job: the first unpaid instalment is not due within 3 days; make it so
    await ctx.sql.query(`UPDATE payment_plan_instalments SET due_date = current_date + 3 WHERE id = $1`, [
      plan.instalments[1]!.id,
    ]);
    const outbox = path.join(ctx.config.dataDir, 'outbox', 'sms');
    const before = fs.existsSync(outbox) ? fs.readdirSync(outbox).length : 0;
    expect(await ctx.app.services.plans.remind()).toBeGreaterThanOrEqual(1);
    const { reminded } = await one<{ reminded: boolean }>(
      'SELECT reminded_at IS NOT NULL AS reminded FROM payment_plan_instalments WHERE id = $1',
      [plan.instalments[1]!.id],
    );
    expect(reminded).toBe(true);
    const files = fs.readdirSync(outbox).map((f) => fs.readFileSync(path.join(outbox, f), 'utf8'));
    expect(files.length).toBeGreaterThan(before);
    expect(files.some((f) => f.includes('+243810000077') && f.includes('20.00 USD'))).toBe(true);
    // not twice for the same instalment
    const again = await ctx.app.services.plans.remind();
    const { n } = await one<{ n: number }>(
      `SELECT count(*)::int AS n FROM audit_log WHERE action = 'payment_plan.reminder' AND resource_id = $1`,
      [plan.instalments[1]!.id],
    );
    expect([again >= 0, n]).toEqual([true, 1]);
  });
});

describe('payment plans and refunds', () => {
  it('a refund reopens the instalments its payment paid, the oldest-paid last; a completed plan is active again', async () => {
    const inv = await invoice('90.00');
    const day = (d: number) => new Date(Date.now() + d * 86_400_000).toISOString().slice(0, 10);
    const created = await cashier.req(
      'POST',
      '/api/payment-plans',
      {
        invoiceId: inv,
        instalments: [
          { dueDate: day(10), amount: '30' },
          { dueDate: day(40), amount: '30' },
          { dueDate: day(70), amount: '30' },
        ],
      },
      KIN,
    );
    expect(created.statusCode, created.body).toBe(201);
    const plan = async () => {
      const res = await cashier.req('GET', `/api/payment-plans?invoiceId=${inv}`, undefined, KIN);
      const p = res.json<{ items: PaymentPlan[] }>().items[0]!;
      return { status: p.status, instalments: p.instalments.map((x) => [x.paid, x.status]) };
    };
    const refund = async (id: string, amount: string) => {
      const res = await manager.req(
        'POST',
        `/api/payments/${id}/refunds`,
        { amount, reason: 'Returned to the patient' },
        { ...KIN, 'idempotency-key': key() },
      );
      expect(res.statusCode, res.body).toBe(201);
    };
    await paid(cashier, { invoiceId: inv, currency: 'USD', amount: '30.00' });
    const second = await paid(cashier, { invoiceId: inv, currency: 'USD', amount: '45.00' });
    expect((await plan()).instalments).toEqual([
      ['30.00', 'paid'],
      ['30.00', 'paid'],
      ['15.00', 'due'],
    ]);
    // 20 of the second payment back: the third instalment first, then the second
    await refund(second.id, '20.00');
    expect(await plan()).toEqual({
      status: 'active',
      instalments: [
        ['30.00', 'paid'],
        ['25.00', 'due'],
        ['0.00', 'due'],
      ],
    });
    const third = await paid(cashier, { invoiceId: inv, currency: 'USD', amount: '35.00' });
    expect((await plan()).status).toBe('completed');
    expect(await invoiceRow(inv)).toEqual({ status: 'paid', paid: '90.00' });
    // the whole last payment back: the plan is open again on what it paid; the first instalment stays paid
    await refund(third.id, '35.00');
    expect(await plan()).toEqual({
      status: 'active',
      instalments: [
        ['30.00', 'paid'],
        ['25.00', 'due'],
        ['0.00', 'due'],
      ],
    });
    expect(await invoiceRow(inv)).toEqual({ status: 'partially_paid', paid: '55.00' });
  });
});

describe('payment plan reminders', () => {
  /** A patient of its own with an e-mail address and a phone, and a plan whose first instalment is due in 2 days. */
  async function planDueSoon(): Promise<{ email: string; phone: string; instalmentId: string }> {
    const n = Math.floor(Math.random() * 9_000_000) + 1_000_000;
    const email = `plan.${n}@example.test`;
    const phone = `+24381${n}`;
    const created = await admin.req(
      'POST',
      '/api/patients',
      {
        givenName: 'Plan',
        familyName: `Reminder${n}`,
        sex: 'female',
        birthDate: '1985-05-05',
        email,
        phones: [phone],
        allowDuplicate: true,
      },
      KIN,
    );
    expect(created.statusCode, created.body).toBe(201);
    const inv = await invoice('20.00', 'USD', created.json<{ id: string }>().id);
    const day = (d: number) => new Date(Date.now() + d * 86_400_000).toISOString().slice(0, 10);
    const res = await cashier.req(
      'POST',
      '/api/payment-plans',
      {
        invoiceId: inv,
        instalments: [
          { dueDate: day(2), amount: '10' },
          { dueDate: day(40), amount: '10' },
        ],
      },
      KIN,
    );
    expect(res.statusCode, res.body).toBe(201);
    return { email, phone, instalmentId: res.json<PaymentPlan>().instalments[0]!.id };
  }
  const outboxes = () => {
    const read = (dir: string) =>
      fs.existsSync(dir)
        ? fs
            .readdirSync(dir)
            .filter((f) => fs.statSync(path.join(dir, f)).isFile())
            .map((f) => fs.readFileSync(path.join(dir, f), 'utf8'))
        : [];
    return { mail: read(path.join(ctx.config.dataDir, 'outbox')), sms: read(path.join(ctx.config.dataDir, 'outbox', 'sms')) };
  };
  const channelsOf = async (instalmentId: string) =>
    (
      await one<{ details: { channels: string[] } }>(
        `SELECT details FROM audit_log WHERE action = 'payment_plan.reminder' AND resource_id = $1`,
        [instalmentId],
      )
    ).details.channels;

  it("go out on the clinic's reminder channels, as appointment reminders do", async () => {
    const setting = await one<{ channels: string[] | null }>(
      'SELECT reminder_channels AS channels FROM clinic_scheduling_settings WHERE clinic_id = $1',
      [ctx.ids.kin],
    );
    const setChannels = (channels: string[]) =>
      ctx.sql.query(
        `INSERT INTO clinic_scheduling_settings (clinic_id, reminder_channels) VALUES ($1, $2)
         ON CONFLICT (clinic_id) DO UPDATE SET reminder_channels = EXCLUDED.reminder_channels`,
        [ctx.ids.kin, channels],
      );
    try {
      // Kinshasa reminds by SMS only: the patient's e-mail address gets nothing
      await setChannels(['sms']);
      const bySms = await planDueSoon();
      expect(await ctx.app.services.plans.remind()).toBeGreaterThanOrEqual(1);
      expect(await channelsOf(bySms.instalmentId)).toEqual(['sms']);
      let out = outboxes();
      expect(out.sms.some((f) => f.includes(bySms.phone))).toBe(true);
      expect(out.mail.some((f) => f.includes(bySms.email))).toBe(false);

      // by e-mail only: no text message
      await setChannels(['email']);
      const byMail = await planDueSoon();
      expect(await ctx.app.services.plans.remind()).toBeGreaterThanOrEqual(1);
      expect(await channelsOf(byMail.instalmentId)).toEqual(['email']);
      out = outboxes();
      expect(out.mail.some((f) => f.includes(byMail.email))).toBe(true);
      expect(out.sms.some((f) => f.includes(byMail.phone))).toBe(false);
    } finally {
      if (setting?.channels) await setChannels(setting.channels);
      else
        await ctx.sql.query('DELETE FROM clinic_scheduling_settings WHERE clinic_id = $1 AND $2::boolean', [
          ctx.ids.kin,
          !setting,
        ]);
    }
  });
});

describe('reports', () => {
  // a known month long ago: nothing of the demo's is there
  const at = (d: string, h = 10) => new Date(`${d}T${String(h).padStart(2, '0')}:00:00+01:00`);
  beforeAll(async () => {
    await rate('USD', 'CDF', '2000', at('2020-01-01', 0));
    await rate('USD', 'CDF', '2500', at('2020-03-03', 0));
    const pid = ctx.ids.kinPatient;
    const i1 = await issuedInvoice(ctx.sql, {
      clinicId: ctx.ids.kin,
      patientId: pid,
      total: '100.00',
      issuedAt: at('2020-03-02'),
      dueDate: '2020-03-02',
      kind: 'consultation',
    });
    const i2 = await issuedInvoice(ctx.sql, {
      clinicId: ctx.ids.kin,
      patientId: pid,
      total: '50000',
      currency: 'CDF',
      issuedAt: at('2020-03-03'),
      dueDate: '2020-03-03',
      kind: 'lab_test',
    });
    await issuedInvoice(ctx.sql, {
      clinicId: ctx.ids.kin,
      patientId: pid,
      total: '40.00',
      issuedAt: at('2020-01-10'),
      dueDate: '2020-01-10',
    });
    const u = ctx.ids.users['cashier@sanita.test']!;
    await rawPayment(ctx.sql, {
      clinicId: ctx.ids.kin,
      patientId: pid,
      invoiceId: i1,
      method: 'cash',
      currency: 'USD',
      amount: '60.00',
      appliedCurrency: 'USD',
      appliedAmount: '60.00',
      receivedAt: at('2020-03-02', 11),
      userId: u,
    });
    await rawPayment(ctx.sql, {
      clinicId: ctx.ids.kin,
      patientId: pid,
      invoiceId: i2,
      method: 'mobile_money',
      currency: 'CDF',
      amount: '25000',
      appliedCurrency: 'CDF',
      appliedAmount: '25000',
      receivedAt: at('2020-03-03', 11),
      userId: u,
    });
  });

  it('revenue by day and by method, converted at each day’s rate; CSV and PDF', async () => {
    const url = '/api/billing-reports/revenue?from=2020-03-01&to=2020-03-31';
    const byDay = await accountant.req('GET', `${url}&groupBy=day&currency=USD`, undefined, KIN);
    expect(byDay.statusCode, byDay.body).toBe(200);
    const r = byDay.json<RevenueReport>();
    expect(r.rows).toEqual([
      { key: '2020-03-02', label: '2020-03-02', invoiced: '100.00', collected: '60.00', count: 1 },
      { key: '2020-03-03', label: '2020-03-03', invoiced: '20.00', collected: '10.00', count: 1 },
    ]);
    expect(r.totals).toEqual({ invoiced: '120.00', collected: '70.00', count: 2 });
    const cdf = (await accountant.req('GET', `${url}&groupBy=day&currency=CDF`, undefined, KIN)).json<RevenueReport>();
    expect(cdf.rows.map((x) => x.invoiced)).toEqual(['200000', '50000']);
    const method = (await accountant.req('GET', `${url}&groupBy=method&currency=USD`, undefined, KIN)).json<RevenueReport>();
    expect(method.rows.map((x) => [x.key, x.collected])).toEqual([
      ['cash', '60.00'],
      ['mobile_money', '10.00'],
    ]);
    const service = (await accountant.req('GET', `${url}&groupBy=service&currency=USD`, undefined, KIN)).json<RevenueReport>();
    expect(service.rows.map((x) => [x.key, x.invoiced])).toEqual([
      ['consultation', '100.00'],
      ['lab_test', '20.00'],
    ]);
    const csv = await accountant.req('GET', `${url}&format=csv&currency=USD`, undefined, KIN);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.body).toContain('2020-03-03,20.00,10.00,1');
    const pdf = await accountant.req('GET', `${url}&format=pdf&currency=USD`, undefined, KIN);
    expect((await pdfText(pdf.rawPayload)).text).toContain('2020-03-02');
    const consolidated = (
      await manager.req('GET', `${url}&consolidated=true&currency=USD`, undefined, KIN)
    ).json<RevenueReport>();
    expect(consolidated.clinics).toHaveLength(2);
    expect(consolidated.totals.invoiced).toBe('120.00');
    expect((await cashier.req('GET', url, undefined, KIN)).statusCode).toBe(403);
  });

  it('aging buckets by days past due, with the largest balances', async () => {
    const res = await accountant.req('GET', '/api/billing-reports/aging?on=2020-04-15&currency=USD', undefined, KIN);
    expect(res.statusCode, res.body).toBe(200);
    const a = res.json<AgingReport>();
    // 40 USD due 10 Jan (96 days), 40 USD left due 2 Mar (44 days), 25,000 CDF due 3 Mar (43 days) = 10 USD at 2,500
    expect(a.buckets).toEqual([
      { bucket: '0-30', amount: '0.00', invoices: 0 },
      { bucket: '31-60', amount: '50.00', invoices: 2 },
      { bucket: '61-90', amount: '0.00', invoices: 0 },
      { bucket: '90+', amount: '40.00', invoices: 1 },
    ]);
    expect(a.total).toBe('90.00');
    expect(a.invoices.map((x) => [x.days, x.balance])).toEqual([
      [96, '40.00'],
      [44, '40.00'],
      [43, '10.00'],
    ]);
  });

  it('aging as on a past date: the balances of that day, not today’s', async () => {
    const pid = ctx.ids.kinPatient;
    const u = ctx.ids.users['cashier@sanita.test']!;
    const inv = (total: string, day: string) =>
      issuedInvoice(ctx.sql, { clinicId: ctx.ids.kin, patientId: pid, total, issuedAt: at(day), dueDate: day });
    const pay = (invoiceId: string, amount: string, day: string) =>
      rawPayment(ctx.sql, {
        clinicId: ctx.ids.kin,
        patientId: pid,
        invoiceId,
        method: 'cash',
        currency: 'USD',
        amount,
        appliedCurrency: 'USD',
        appliedAmount: amount,
        receivedAt: at(day),
        userId: u,
      });
    // 30 USD: 10 credited on 20 April, the other 20 paid on 1 May — both after 15 April
    const credited = await inv('30.00', '2020-02-01');
    await ctx.sql.query(
      `INSERT INTO credit_notes (invoice_id, clinic_id, number, amount, reason, created_by, created_at)
       VALUES ($1, $2, $3, 10, 'Not done', $4, $5)`,
      [credited, ctx.ids.kin, `CN-TST-${key()}`, u, at('2020-04-20')],
    );
    await ctx.sql.query(`UPDATE invoices SET credited = 10 WHERE id = $1`, [credited]);
    await pay(credited, '20.00', '2020-05-01');
    // 20 USD paid on 1 April, 5 of it refunded on 20 April
    const refunded = await inv('20.00', '2020-02-01');
    const payment = await pay(refunded, '20.00', '2020-04-01');
    await ctx.sql.query(
      `INSERT INTO refunds (payment_id, amount, reason, created_by, created_at) VALUES ($1, 5, 'Overcharged', $2, $3)`,
      [payment, u, at('2020-04-20')],
    );
    await ctx.sql.query(`UPDATE payments SET refunded = 5 WHERE id = $1`, [payment]);
    await ctx.sql.query(`UPDATE invoices SET paid = 15, status = 'partially_paid' WHERE id = $1`, [refunded]);
    // issued after 15 April
    await inv('15.00', '2020-04-20');

    const on = async (day: string) => {
      const res = await accountant.req('GET', `/api/billing-reports/aging?on=${day}&currency=USD`, undefined, KIN);
      expect(res.statusCode, res.body).toBe(200);
      return res.json<AgingReport>();
    };
    const mid = await on('2020-04-15');
    // the 30 USD was still wholly owed (74 days), the 20 USD wholly paid, the 15 USD not yet issued
    expect(mid.buckets).toEqual([
      { bucket: '0-30', amount: '0.00', invoices: 0 },
      { bucket: '31-60', amount: '50.00', invoices: 2 },
      { bucket: '61-90', amount: '30.00', invoices: 1 },
      { bucket: '90+', amount: '40.00', invoices: 1 },
    ]);
    expect(mid.invoices.map((x) => [x.days, x.balance])).toEqual([
      [96, '40.00'],
      [74, '30.00'],
      [44, '40.00'],
      [43, '10.00'],
    ]);
    const end = await on('2020-04-30');
    // after the credit note and the refund, before the payment of 1 May
    expect(end.buckets).toEqual([
      { bucket: '0-30', amount: '15.00', invoices: 1 },
      { bucket: '31-60', amount: '50.00', invoices: 2 },
      { bucket: '61-90', amount: '25.00', invoices: 2 },
      { bucket: '90+', amount: '40.00', invoices: 1 },
    ]);
    expect(end.total).toBe('130.00');
    // today: the 30 USD invoice is settled
    const now = (await accountant.req('GET', '/api/billing-reports/aging?currency=USD', undefined, KIN)).json<AgingReport>();
    expect(now.invoices.map((x) => x.invoiceId)).not.toContain(credited);
  });
});

describe('the portal', () => {
  it('the patient sees their own invoices, payments and receipts, nobody else’s (404)', async () => {
    const own = await invoice('30.00', 'USD', ctx.ids.ownPatient);
    const p = await paid(cashier, { invoiceId: own, patientId: ctx.ids.ownPatient, currency: 'USD', amount: '10.00' });
    const theirs = await invoice('30.00');
    const q = await paid(cashier, { invoiceId: theirs, currency: 'USD', amount: '10.00' });
    const list = await patient.req('GET', '/api/portal/invoices');
    expect(list.statusCode, list.body).toBe(200);
    const items = list.json<PortalInvoiceList>().data;
    expect(items.map((x) => x.id)).toContain(own);
    expect(items.map((x) => x.id)).not.toContain(theirs);
    expect(items.find((x) => x.id === own)).toMatchObject({ balance: '20.00', status: 'partially_paid' });
    const one = await patient.req('GET', `/api/portal/invoices/${own}`);
    expect(one.statusCode, one.body).toBe(200);
    expect(one.json<PortalInvoiceDetail>().payments.map((x) => x.id)).toEqual([p.id]);
    expect((await patient.req('GET', `/api/portal/invoices/${theirs}`)).statusCode).toBe(404);
    expect((await patient.req('GET', `/api/portal/payments/${p.id}/receipt`)).statusCode).toBe(200);
    expect((await patient.req('GET', `/api/portal/payments/${q.id}/receipt`)).statusCode).toBe(404);
    expect((await cashier.req('GET', '/api/portal/invoices', undefined, KIN)).statusCode).toBe(403);
    const rows = await ctx.sql.query(`SELECT action FROM audit_log WHERE patient_id = $1 AND action LIKE 'portal.invoice%'`, [
      ctx.ids.ownPatient,
    ]);
    expect(rows.rows.length).toBeGreaterThanOrEqual(2);
  });
});

describe('the demo seed', () => {
  it('rates over 120 days, payments on past invoices in closed sessions, a plan with an overdue instalment, nothing open before today', async () => {
    const rates = await one<{ days: number; min: string; max: string }>(
      `SELECT count(DISTINCT effective_at::date)::int AS days, min(rate)::text, max(rate)::text
         FROM exchange_rates WHERE from_currency = 'USD' AND to_currency = 'CDF' AND created_by IS NOT NULL
          AND effective_at > now() - interval '122 days' AND effective_at < current_date`,
    );
    expect(rates.days).toBeGreaterThanOrEqual(119);
    expect(Number(rates.min)).toBeGreaterThanOrEqual(2800);
    expect(Number(rates.max)).toBeLessThanOrEqual(2900);
    const seeded = await one<{ payments: number; cdf: number; methods: number; open: number; closed: number }>(
      `SELECT count(*)::int AS payments, count(*) FILTER (WHERE p.currency = 'CDF')::int AS cdf,
              count(DISTINCT p.method)::int AS methods,
              (SELECT count(*)::int FROM cashier_sessions WHERE status = 'open' AND opened_at < current_date) AS open,
              (SELECT count(*)::int FROM cashier_sessions WHERE status = 'closed' AND cashier_id = $1) AS closed
         FROM payments p WHERE p.received_by = $1 AND p.receipt_number LIKE 'RCT-KIN-%' AND p.received_at < current_date`,
      [ctx.ids.users['cashier@sanita.test']],
    );
    expect(seeded.payments).toBeGreaterThan(5);
    expect(seeded.cdf).toBeGreaterThan(0);
    expect(seeded.methods).toBe(3);
    expect(seeded.open).toBe(0);
    expect(seeded.closed).toBeGreaterThan(1);
    const overdue = await one<{ n: number }>(
      `SELECT count(*)::int AS n FROM payment_plan_instalments x JOIN payment_plans pp ON pp.id = x.plan_id
        WHERE x.due_date < current_date AND x.paid < x.amount`,
    );
    expect(overdue.n).toBeGreaterThanOrEqual(1);
  });
});
