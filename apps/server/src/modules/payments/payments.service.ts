import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type {
  ExchangeRate,
  ExchangeRateInput,
  ExchangeRateQuery,
  Payment,
  PaymentInput,
  PaymentListQuery,
  RefundInput,
} from '@sanita/contracts/payments';
import type { Invoice } from '@sanita/contracts/billing';
import type { Principal } from '../../platform/access.ts';
import { auditInsert, auditRow, writeAudit, type AuditActor, type AuditEntry } from '../../platform/audit/audit.ts';
import { denied, refuse, runAudited } from '../../platform/audit/audited.ts';
import type { Db, Executor, Tx } from '../../platform/db/database.ts';
import { nextDocumentNumber } from '../../platform/document-numbers.ts';
import { Conflict, Forbidden, NotFound } from '../../platform/errors.ts';
import { idempotent, type IdempotencyRequest, type IdempotentAnswer } from '../../platform/http/idempotency.ts';
import { money, moneyText, roundTo, type Money } from '../../platform/money.ts';
import { decidePatientAccess, linkedToClinic, patientRefusal, planPatientAccess } from '../../platform/patient-access.ts';
import type { EventBus } from '../../platform/realtime/events.ts';
import type { PlansService } from './plans.service.ts';
import { receiptPdf } from './payments.pdf.ts';
import {
  balanceOf,
  billingRoom,
  InputError,
  minorUnit,
  PAYABLE,
  requireRate,
  type BillingPort,
  type LockedInvoice,
  type Rate,
} from './payments.shared.ts';

type PaymentRow = {
  id: string;
  clinicId: string;
  receiptNumber: string;
  patientId: string;
  patientName: string;
  mrn: string;
  invoiceId: string | null;
  invoiceNumber: string | null;
  method: Payment['method'];
  currency: string;
  amount: string;
  appliedCurrency: string;
  appliedAmount: string;
  rate: string | null;
  reference: string | null;
  refunded: string;
  sessionId: string | null;
  receivedBy: string;
  receivedByName: string;
  receivedAt: string | Date;
};

const SELECT_PAYMENT = sql`
  SELECT p.id, p.clinic_id AS "clinicId", p.receipt_number AS "receiptNumber", p.patient_id AS "patientId",
         pt.given_name || ' ' || pt.family_name AS "patientName", pt.mrn, p.invoice_id AS "invoiceId",
         i.number AS "invoiceNumber", p.method, p.currency, p.amount::text, p.applied_currency AS "appliedCurrency",
         p.applied_amount::text AS "appliedAmount", p.rate::text, p.reference, p.refunded::text,
         p.session_id AS "sessionId", p.received_by AS "receivedBy", u.display_name AS "receivedByName",
         p.received_at AS "receivedAt"
    FROM payments p
    JOIN patients pt ON pt.id = p.patient_id
    JOIN users u ON u.id = p.received_by
    LEFT JOIN invoices i ON i.id = p.invoice_id`;

const iso = (v: string | Date) => (v instanceof Date ? v : new Date(v)).toISOString();

export function paymentView(r: PaymentRow): Payment {
  return {
    id: r.id,
    clinicId: r.clinicId,
    receiptNumber: r.receiptNumber,
    patient: { id: r.patientId, name: r.patientName, mrn: r.mrn },
    invoiceId: r.invoiceId,
    invoiceNumber: r.invoiceNumber,
    method: r.method,
    currency: r.currency,
    amount: moneyText(r.amount, r.currency),
    appliedCurrency: r.appliedCurrency,
    appliedAmount: moneyText(r.appliedAmount, r.appliedCurrency),
    rate: r.rate === null ? null : money(r.rate).toFixed(),
    reference: r.reference,
    refunded: moneyText(r.refunded, r.currency),
    sessionId: r.sessionId,
    receivedBy: { id: r.receivedBy, name: r.receivedByName },
    receivedAt: iso(r.receivedAt),
  };
}

export async function paymentRows(db: Executor, where: ReturnType<typeof sql>): Promise<PaymentRow[]> {
  const { rows } = await db.execute<PaymentRow>(sql`${SELECT_PAYMENT} WHERE ${where}`);
  return rows;
}

async function paymentRow(db: Executor, id: string, lock = false): Promise<PaymentRow | undefined> {
  if (lock) await db.execute(sql`SELECT 1 FROM payments WHERE id = ${id} FOR UPDATE`);
  return (await paymentRows(db, sql`p.id = ${id}`))[0];
}

/** What a payment is worth on the invoice: `amount` converted at `rate`, rounded to the invoice's currency. */
export function applied(amount: Money, rate: Rate | null, currency: string): Money {
  return roundTo(rate ? amount.times(rate.factor) : amount, currency);
}

interface NewPayment {
  clinicId: string;
  patientId: string;
  invoice: LockedInvoice | null;
  method: Payment['method'];
  currency: string;
  amount: string;
  reference: string | null;
  sessionId: string | null;
  userId: string;
  at: Date;
}

/**
 * Payments and deposits (multi-currency, at the rate in force when received), refunds, receipts,
 * exchange rates; and `recordInsurancePayment` for the claims module (a payer's payment).
 */
export class PaymentsService {
  constructor(
    private readonly db: Db,
    private readonly events: EventBus,
    private readonly billing: BillingPort,
    private readonly plans: PlansService,
    private readonly now: () => Date = () => new Date(),
  ) {}

  // ------------------------------------------------------------------ access

  private async patientAtClinic(
    tx: Executor,
    p: Principal,
    patientId: string,
    permission: 'payments:collect' | 'payments:read',
    action: string,
  ) {
    const plan = planPatientAccess(p, patientId, { permission });
    const { rows } = await tx.execute<{ id: string; linked: boolean; status: string }>(
      sql`SELECT id, status, ${linkedToClinic(sql`id`, p.clinicId)} AS linked FROM patients WHERE id = ${patientId}`,
    );
    let verdict = decidePatientAccess(plan, rows[0]);
    if (verdict === 'ok' && rows[0]!.status === 'merged') verdict = 'hidden';
    if (verdict !== 'ok') throw patientRefusal(verdict, patientId, !!rows[0], action);
  }

  /** A payment of the active clinic (404 otherwise, audited), after the permission (403, audited). */
  private async paymentAt(
    tx: Tx,
    p: Principal,
    id: string,
    permission: string,
    action: string,
    lock = false,
  ): Promise<PaymentRow> {
    const row = await paymentRow(tx, id, lock);
    if (p.patientId || !p.permissions.has(permission))
      throw denied(new Forbidden(), action, { type: 'payment', id }, row?.patientId ?? null);
    if (!row || row.clinicId !== p.clinicId)
      throw denied(new NotFound('Payment not found'), action, { type: 'payment', id }, row?.patientId ?? null);
    return row;
  }

  private async clinicCurrencies(tx: Executor, clinicId: string): Promise<string[]> {
    const { rows } = await tx.execute<{ currencies: string[] }>(sql`SELECT currencies FROM clinics WHERE id = ${clinicId}`);
    return rows[0]?.currencies ?? [];
  }

  private async openSessionOf(tx: Executor, clinicId: string, userId: string): Promise<string | null> {
    const { rows } = await tx.execute<{ id: string }>(
      sql`SELECT id FROM cashier_sessions WHERE clinic_id = ${clinicId} AND cashier_id = ${userId} AND status = 'open'`,
    );
    return rows[0]?.id ?? null;
  }

  private async patientOfPayment(id: string): Promise<string | null> {
    const { rows } = await this.db.execute<{ patientId: string }>(
      sql`SELECT patient_id AS "patientId" FROM payments WHERE id = ${id}`,
    );
    return rows[0]?.patientId ?? null;
  }

  announce(pay: Payment): void {
    if (pay.invoiceId) void this.billing.publishChanged(pay.invoiceId).catch(() => undefined);
    this.events.publish(
      'payment.recorded',
      { paymentId: pay.id, invoiceId: pay.invoiceId, patientId: pay.patient.id, clinicId: pay.clinicId },
      [billingRoom(pay.clinicId)],
    );
  }

  // ------------------------------------------------------------------ recording

  /**
   * Inside the caller's transaction: converts at the rate in force at `at`, refuses an overpayment
   * (a tendered amount that converts to more than the balance by less than one minor unit of its
   * currency settles exactly the balance), numbers the receipt, moves the invoice's `paid`, marks
   * the payment plan's instalments. A deposit (no invoice) stays on the patient's account.
   */
  private async record(tx: Tx, n: NewPayment): Promise<string> {
    const amount = money(n.amount);
    let appliedCurrency = n.currency;
    let appliedAmount = roundTo(amount, n.currency);
    let rate: Rate | null = null;
    if (n.invoice) {
      const inv = n.invoice;
      if (!PAYABLE.has(inv.status))
        throw new Conflict(`Invoice ${inv.number ?? inv.id} is ${inv.status}: it takes no payment`, 'INVOICE_STATE', {
          status: inv.status,
        });
      appliedCurrency = inv.currency;
      if (n.currency !== inv.currency) rate = await requireRate(tx, n.currency, inv.currency, n.at);
      appliedAmount = applied(amount, rate, inv.currency);
      const balance = balanceOf(inv);
      if (appliedAmount.greaterThan(balance)) {
        const excess = amount.minus(rate ? balance.dividedBy(rate.factor) : balance);
        if (excess.lessThan(minorUnit(n.currency)) && balance.greaterThan(0)) appliedAmount = balance;
        else
          throw new Conflict(
            `This payment (${moneyText(appliedAmount, inv.currency)} ${inv.currency}) is more than the balance (${moneyText(balance, inv.currency)} ${inv.currency})`,
            'OVERPAYMENT',
            {
              balance: moneyText(balance, inv.currency),
              currency: inv.currency,
              applied: moneyText(appliedAmount, inv.currency),
            },
          );
      }
    }
    if (!appliedAmount.greaterThan(0)) throw new InputError('VALIDATION_FAILED', 'amount', 'must be more than zero');
    // the receipt number comes last (numberReceipt): until then the row holds a unique placeholder
    // that no other transaction ever sees (it is replaced before the commit)
    const id = randomUUID();
    await tx.execute(sql`
      INSERT INTO payments (id, clinic_id, patient_id, invoice_id, receipt_number, method, currency, amount, applied_currency,
                            applied_amount, rate, reference, session_id, received_by, received_at)
      VALUES (${id}, ${n.clinicId}, ${n.patientId}, ${n.invoice?.id ?? null}, ${`pending:${id}`}, ${n.method}, ${n.currency},
              ${roundTo(amount, n.currency).toFixed()}, ${appliedCurrency}, ${appliedAmount.toFixed()}, ${rate?.text ?? null},
              ${n.reference}, ${n.sessionId}, ${n.userId}, ${n.at.toISOString()})`);
    if (n.invoice) {
      await this.billing.applyPaid(tx, n.invoice.id, appliedAmount.toFixed());
      await this.plans.applyPayment(tx, n.invoice.id, appliedAmount);
    }
    return id;
  }

  /**
   * The last statements of a payment's transaction: the receipt number (RCT-…, gapless), then one
   * statement that writes it on the payment together with its audit row (`audit` gets the number).
   * The clinic's receipt counter row stays locked from here to the commit, so that nothing else
   * (pricing, the invoice, the plan, reading the payment back) runs while other cashiers at the
   * clinic wait for it.
   */
  private async numberReceipt(
    tx: Tx,
    row: PaymentRow,
    at: Date,
    audit: { actor: AuditActor; entry: (view: Payment) => AuditEntry } | null,
  ): Promise<Payment> {
    const number = await nextDocumentNumber(tx, row.clinicId, 'RCT', at);
    const view = paymentView({ ...row, receiptNumber: number });
    const update = sql`UPDATE payments SET receipt_number = ${number} WHERE id = ${row.id}`;
    if (!audit) await tx.execute(update);
    else await tx.execute(sql`WITH n AS (${update}) ${auditInsert(auditRow(audit.actor, audit.entry(view)))}`);
    return view;
  }

  /** The invoice of a payment, locked: of the patient at the clinic (404 naming it otherwise). */
  private async invoiceFor(tx: Tx, invoiceId: string, clinicId: string, patientId: string): Promise<LockedInvoice> {
    const inv = await this.billing.lockInvoice(tx, invoiceId);
    if (!inv || inv.clinicId !== clinicId || inv.patientId !== patientId) throw new NotFound('Invoice not found');
    return inv;
  }

  /**
   * POST /api/payments (payments:collect), once per idempotency key: a payment on an issued invoice
   * of the patient at the active clinic, or a deposit (no invoice), in one of the clinic's
   * currencies, inside the cashier's open session there.
   */
  async collect(
    p: Principal,
    actor: AuditActor,
    input: PaymentInput,
    idemOf: () => IdempotencyRequest,
  ): Promise<IdempotentAnswer<Payment>> {
    const action = 'payment.create';
    // the permission first (403 with or without a key), then the key (400 without one)
    if (p.patientId || !p.permissions.has('payments:collect'))
      throw await refuse(
        this.db,
        actor,
        patientRefusal(
          'forbidden',
          input.patientId,
          !!(await this.db.execute(sql`SELECT 1 FROM patients WHERE id = ${input.patientId}`)).rows.length,
          action,
        ),
      );
    const idem = idemOf();
    const answer = await runAudited(this.db, actor, (tx) =>
      idempotent(tx, idem, 201, async () => {
        await this.patientAtClinic(tx, p, input.patientId, 'payments:collect', action);
        const clinicId = p.clinicId!;
        const sessionId = await this.openSessionOf(tx, clinicId, p.userId);
        if (!sessionId)
          throw new Conflict('Open your cashier session at this clinic before taking a payment', 'SESSION_REQUIRED');
        if (!(await this.clinicCurrencies(tx, clinicId)).includes(input.currency))
          throw new InputError('CURRENCY_NOT_ACCEPTED', 'currency', `${input.currency} is not accepted at this clinic`);
        const invoice = input.invoiceId ? await this.invoiceFor(tx, input.invoiceId, clinicId, input.patientId) : null;
        const at = this.now();
        const id = await this.record(tx, {
          clinicId,
          patientId: input.patientId,
          invoice,
          method: input.method,
          currency: input.currency,
          amount: input.amount,
          reference: input.reference?.trim() || null,
          sessionId,
          userId: p.userId,
          at,
        });
        // last before the commit (and the stored answer): the receipt number, written with the audit row
        return this.numberReceipt(tx, (await paymentRow(tx, id))!, at, {
          actor,
          entry: (view) => ({
            action,
            patientId: input.patientId,
            resourceType: 'payment',
            resourceId: id,
            details: {
              receiptNumber: view.receiptNumber,
              invoiceId: view.invoiceId,
              method: view.method,
              amount: view.amount,
              currency: view.currency,
              appliedAmount: view.appliedAmount,
              appliedCurrency: view.appliedCurrency,
              rate: view.rate,
            },
          }),
        });
      }),
    );
    if (!answer.replayed) this.announce(answer.body);
    return answer;
  }

  /**
   * For the claims module: a payer's payment of an invoice (method insurance), inside the caller's
   * transaction, with no cashier session. The caller publishes `announce(payment)` after its commit.
   */
  async recordInsurancePayment(
    tx: Tx,
    v: { invoiceId: string; amount: string; currency: string; reference: string | null; userId: string },
  ): Promise<Payment> {
    const inv = await this.billing.lockInvoice(tx, v.invoiceId);
    if (!inv) throw new NotFound('Invoice not found');
    const at = this.now();
    const id = await this.record(tx, {
      clinicId: inv.clinicId,
      patientId: inv.patientId,
      invoice: inv,
      method: 'insurance',
      currency: v.currency,
      amount: v.amount,
      reference: v.reference,
      sessionId: null,
      userId: v.userId,
      at,
    });
    // the caller's transaction goes on after this (the claim's own writes): it holds the clinic's
    // receipt counter from here to its commit
    return this.numberReceipt(tx, (await paymentRow(tx, id))!, at, null);
  }

  /** POST /api/payments/:id/apply (payments:collect): a deposit settles an issued invoice of the same patient, at today's rate. */
  async applyDeposit(p: Principal, actor: AuditActor, id: string, invoiceId: string): Promise<Payment> {
    const action = 'payment.apply';
    const view = await runAudited(this.db, actor, async (tx) => {
      const row = await this.paymentAt(tx, p, id, 'payments:collect', action, true);
      if (row.invoiceId) throw new Conflict('This payment already settles an invoice', 'CONFLICT');
      const inv = await this.billing.lockInvoice(tx, invoiceId);
      if (!inv || inv.clinicId !== row.clinicId || inv.patientId !== row.patientId)
        throw new InputError('VALIDATION_FAILED', 'invoiceId', 'is not an invoice of this patient at this clinic');
      if (!PAYABLE.has(inv.status))
        throw new Conflict(`Invoice ${inv.number ?? inv.id} is ${inv.status}: it takes no payment`, 'INVOICE_STATE', {
          status: inv.status,
        });
      const left = money(row.amount).minus(row.refunded);
      const at = this.now();
      const rate = row.currency === inv.currency ? null : await requireRate(tx, row.currency, inv.currency, at);
      let amt = applied(left, rate, inv.currency);
      const balance = balanceOf(inv);
      if (amt.greaterThan(balance)) {
        const excess = left.minus(rate ? balance.dividedBy(rate.factor) : balance);
        if (excess.lessThan(minorUnit(row.currency))) amt = balance;
        else
          throw new Conflict('This deposit is more than the balance of the invoice', 'OVERPAYMENT', {
            balance: moneyText(balance, inv.currency),
            currency: inv.currency,
            applied: moneyText(amt, inv.currency),
          });
      }
      await tx.execute(sql`
        UPDATE payments SET invoice_id = ${inv.id}, applied_currency = ${inv.currency}, applied_amount = ${amt.toFixed()},
               rate = ${rate?.text ?? null} WHERE id = ${id}`);
      await this.billing.applyPaid(tx, inv.id, amt.toFixed());
      await this.plans.applyPayment(tx, inv.id, amt);
      await writeAudit(tx, actor, {
        action,
        patientId: row.patientId,
        resourceType: 'payment',
        resourceId: id,
        details: { invoiceId: inv.id, appliedAmount: amt.toFixed(), appliedCurrency: inv.currency, rate: rate?.text ?? null },
      });
      return paymentView((await paymentRow(tx, id))!);
    });
    this.announce(view);
    return view;
  }

  /**
   * POST /api/payments/:id/refunds (payments:refund), once per idempotency key: up to what is left
   * of the payment, in its tendered currency; the invoice's `paid` goes down by the same share of the
   * applied amount. Recorded in the refunder's open session at the clinic when there is one.
   */
  async refund(
    p: Principal,
    actor: AuditActor,
    id: string,
    input: RefundInput,
    idemOf: () => IdempotencyRequest,
  ): Promise<IdempotentAnswer<Payment>> {
    const action = 'payment.refund';
    if (p.patientId || !p.permissions.has('payments:refund'))
      throw await refuse(
        this.db,
        actor,
        denied(new Forbidden(), action, { type: 'payment', id }, await this.patientOfPayment(id)),
      );
    const idem = idemOf();
    const answer = await runAudited(this.db, actor, (tx) =>
      idempotent(tx, idem, 201, async () => {
        const row = await this.paymentAt(tx, p, id, 'payments:refund', action, true);
        const amount = roundTo(input.amount, row.currency);
        const before = money(row.refunded);
        const left = money(row.amount).minus(before);
        if (!amount.greaterThan(0)) throw new InputError('VALIDATION_FAILED', 'amount', 'must be more than zero');
        if (amount.greaterThan(left))
          throw new Conflict(
            `At most ${moneyText(left, row.currency)} ${row.currency} is left to refund on this payment`,
            'REFUND_EXCEEDS_PAYMENT',
            { left: moneyText(left, row.currency), currency: row.currency },
          );
        const sessionId = await this.openSessionOf(tx, row.clinicId, p.userId);
        await tx.execute(sql`
          INSERT INTO refunds (payment_id, amount, reason, session_id, created_by)
          VALUES (${id}, ${amount.toFixed()}, ${input.reason.trim()}, ${sessionId}, ${p.userId})`);
        await tx.execute(sql`UPDATE payments SET refunded = refunded + ${amount.toFixed()} WHERE id = ${id}`);
        if (row.invoiceId) {
          // the applied share: the whole rest when the payment is refunded in full, so that nothing is left by rounding
          const whole = money(row.appliedAmount);
          const ratio = (v: Money) => roundTo(whole.times(v).dividedBy(row.amount), row.appliedCurrency);
          const share = amount.equals(left) ? whole.minus(ratio(before)) : ratio(amount);
          if (share.greaterThan(0)) {
            await this.billing.applyPaid(tx, row.invoiceId, share.negated().toFixed());
            // the instalments it paid are due again
            await this.plans.applyRefund(tx, row.invoiceId, share);
          }
        }
        await writeAudit(tx, actor, {
          action,
          patientId: row.patientId,
          resourceType: 'payment',
          resourceId: id,
          details: { amount: amount.toFixed(), currency: row.currency, reason: input.reason.trim(), sessionId },
        });
        return paymentView((await paymentRow(tx, id))!);
      }),
    );
    if (!answer.replayed) this.announce(answer.body);
    return answer;
  }

  // ------------------------------------------------------------------ reading

  async get(p: Principal, actor: AuditActor, id: string): Promise<Payment> {
    const action = 'payment.read';
    return runAudited(this.db, actor, async (tx) => {
      const row = await this.paymentAt(tx, p, id, 'payments:read', action);
      await writeAudit(tx, actor, { action, patientId: row.patientId, resourceType: 'payment', resourceId: id });
      return paymentView(row);
    });
  }

  /** The active clinic's payments, newest first, filtered (payments:read); audited as a list. */
  async list(p: Principal, actor: AuditActor, q: PaymentListQuery): Promise<{ items: Payment[]; total: number }> {
    const action = 'payment.list';
    return runAudited(this.db, actor, async (tx) => {
      if (p.patientId || !p.permissions.has('payments:read'))
        throw denied(new Forbidden(), action, { type: 'payment', id: q.patientId ?? 'list' }, null);
      if (q.patientId) await this.patientAtClinic(tx, p, q.patientId, 'payments:read', action);
      const tz = sql`(SELECT timezone FROM clinics WHERE id = ${p.clinicId})`;
      const conds = [sql`p.clinic_id = ${p.clinicId}`];
      if (q.patientId) conds.push(sql`p.patient_id = ${q.patientId}`);
      if (q.invoiceId) conds.push(sql`p.invoice_id = ${q.invoiceId}`);
      if (q.sessionId) conds.push(sql`p.session_id = ${q.sessionId}`);
      if (q.from) conds.push(sql`p.received_at >= (${q.from}::date)::timestamp AT TIME ZONE ${tz}`);
      if (q.to) conds.push(sql`p.received_at < (${q.to}::date + 1)::timestamp AT TIME ZONE ${tz}`);
      const where = sql.join(conds, sql` AND `);
      const rows = await paymentRows(
        tx,
        sql`${where} ORDER BY p.received_at DESC, p.id LIMIT ${q.limit ?? 50} OFFSET ${q.offset ?? 0}`,
      );
      const { rows: c } = await tx.execute<{ n: number }>(sql`SELECT count(*)::int AS n FROM payments p WHERE ${where}`);
      await writeAudit(tx, actor, {
        action,
        patientId: q.patientId ?? null,
        resourceType: 'payment',
        details: { count: rows.length, invoiceId: q.invoiceId ?? null, sessionId: q.sessionId ?? null },
      });
      return { items: rows.map(paymentView), total: c[0]!.n };
    });
  }

  /** The receipt (PDF) in the reader's language: staff with payments:read at the clinic, or the patient (portal). */
  async receipt(p: Principal, actor: AuditActor, id: string, portal = false): Promise<{ pdf: Buffer; filename: string }> {
    const action = 'payment.receipt';
    const { row, ctx } = await runAudited(this.db, actor, async (tx) => {
      let row: PaymentRow | undefined;
      if (portal) {
        row = await paymentRow(tx, id);
        if (!p.patientId || !p.permissions.has('portal:self'))
          throw denied(new Forbidden(), action, { type: 'payment', id }, row?.patientId ?? null);
        if (!row || row.patientId !== p.patientId)
          throw denied(new NotFound('Payment not found'), action, { type: 'payment', id }, row?.patientId ?? null);
      } else row = await this.paymentAt(tx, p, id, 'payments:read', action);
      const ctx = await this.receiptContext(tx, row);
      await writeAudit(tx, actor, { action, patientId: row.patientId, resourceType: 'payment', resourceId: id });
      return { row, ctx };
    });
    const pdf = await receiptPdf({ language: p.locale, payment: paymentView(row), ...ctx });
    return { pdf, filename: `${row.receiptNumber}.pdf` };
  }

  private async receiptContext(tx: Executor, row: PaymentRow) {
    const { rows } = await tx.execute<{ name: string; address: string | null; timezone: string }>(
      sql`SELECT name, address, timezone FROM clinics WHERE id = ${row.clinicId}`,
    );
    let balance: string | null = null;
    if (row.invoiceId) {
      const { rows: inv } = await tx.execute<{ total: string; paid: string; credited: string; currency: string }>(
        sql`SELECT total::text, paid::text, credited::text, currency FROM invoices WHERE id = ${row.invoiceId}`,
      );
      if (inv[0]) balance = moneyText(balanceOf(inv[0]), inv[0].currency);
    }
    return { clinic: rows[0]!, balance };
  }

  // ------------------------------------------------------------------ the patient portal

  /** The signed-in patient's issued invoices at every clinic, newest first; audited. */
  async portalInvoices(p: Principal, actor: AuditActor) {
    const action = 'portal.invoice.list';
    return runAudited(this.db, actor, async (tx) => {
      if (!p.patientId || !p.permissions.has('portal:self'))
        throw denied(new Forbidden(), action, { type: 'invoice', id: 'list' });
      const { rows } = await tx.execute<{
        id: string;
        number: string;
        clinic: string;
        status: Invoice['status'];
        currency: string;
        total: string;
        paid: string;
        credited: string;
        issuedAt: string | Date;
        dueDate: string | null;
      }>(sql`
        SELECT i.id, i.number, c.name AS clinic, i.status, i.currency, i.total::text, i.paid::text, i.credited::text,
               i.issued_at AS "issuedAt", to_char(i.due_date, 'YYYY-MM-DD') AS "dueDate"
          FROM invoices i JOIN clinics c ON c.id = i.clinic_id
         WHERE i.patient_id = ${p.patientId} AND i.number IS NOT NULL AND i.status <> 'draft'
         ORDER BY i.issued_at DESC NULLS LAST LIMIT 200`);
      await writeAudit(tx, actor, { action, patientId: p.patientId, resourceType: 'invoice', details: { count: rows.length } });
      return {
        data: rows.map((r) => ({
          id: r.id,
          number: r.number,
          clinic: r.clinic,
          status: r.status,
          currency: r.currency,
          total: moneyText(r.total, r.currency),
          paid: moneyText(r.paid, r.currency),
          credited: moneyText(r.credited, r.currency),
          balance: moneyText(r.status === 'void' ? 0 : balanceOf(r), r.currency),
          issuedAt: r.issuedAt ? iso(r.issuedAt) : null,
          dueDate: r.dueDate,
        })),
      };
    });
  }

  /** One issued invoice of the signed-in patient with its payments (404 for anyone else's); audited. */
  async portalInvoice(p: Principal, actor: AuditActor, id: string): Promise<{ invoice: Invoice; payments: Payment[] }> {
    const action = 'portal.invoice.read';
    return runAudited(this.db, actor, async (tx) => {
      const { rows } = await tx.execute<{ patientId: string; number: string | null; status: string }>(
        sql`SELECT patient_id AS "patientId", number, status FROM invoices WHERE id = ${id}`,
      );
      const r = rows[0];
      if (!p.patientId || !p.permissions.has('portal:self'))
        throw denied(new Forbidden(), action, { type: 'invoice', id }, r?.patientId ?? null);
      if (!r || r.patientId !== p.patientId || !r.number || r.status === 'draft')
        throw denied(new NotFound('Invoice not found'), action, { type: 'invoice', id }, r?.patientId ?? null);
      const invoice = await this.billing.read(tx, id);
      const payments = (await paymentRows(tx, sql`p.invoice_id = ${id} ORDER BY p.received_at`)).map(paymentView);
      await writeAudit(tx, actor, { action, patientId: p.patientId, resourceType: 'invoice', resourceId: id });
      return { invoice, payments };
    });
  }

  // ------------------------------------------------------------------ exchange rates

  async rates(p: Principal, q: ExchangeRateQuery): Promise<{ items: ExchangeRate[] }> {
    if (p.patientId || !p.permissions.has('payments:read')) throw new Forbidden();
    const conds = [sql`true`];
    if (q.from) conds.push(sql`r.from_currency = ${q.from}`);
    if (q.to) conds.push(sql`r.to_currency = ${q.to}`);
    const { rows } = await this.db.execute<{
      id: string;
      from: string;
      to: string;
      rate: string;
      effectiveAt: string | Date;
      createdBy: string | null;
      createdByName: string | null;
    }>(sql`
      SELECT r.id, r.from_currency AS "from", r.to_currency AS "to", r.rate::text, r.effective_at AS "effectiveAt",
             r.created_by AS "createdBy", u.display_name AS "createdByName"
        FROM exchange_rates r LEFT JOIN users u ON u.id = r.created_by
       WHERE ${sql.join(conds, sql` AND `)}
       ORDER BY r.effective_at DESC, r.created_at DESC LIMIT ${q.limit ?? 50}`);
    return {
      items: rows.map((r) => ({
        id: r.id,
        from: r.from,
        to: r.to,
        rate: money(r.rate).toFixed(),
        effectiveAt: iso(r.effectiveAt),
        createdBy: { id: r.createdBy ?? '00000000-0000-0000-0000-000000000000', name: r.createdByName ?? 'system' },
      })),
    };
  }

  /** A new rate (payments:manage), from now or a given time; earlier rates stay (history, never overwritten). */
  async addRate(p: Principal, actor: AuditActor, input: ExchangeRateInput): Promise<ExchangeRate> {
    if (p.patientId || !p.permissions.has('payments:manage')) throw new Forbidden();
    if (input.from === input.to) throw new InputError('VALIDATION_FAILED', 'to', 'must differ from `from`');
    if (!money(input.rate).greaterThan(0)) throw new InputError('VALIDATION_FAILED', 'rate', 'must be more than zero');
    const at = input.effectiveAt ? new Date(input.effectiveAt) : this.now();
    const id = await runAudited(this.db, actor, async (tx) => {
      const { rows } = await tx.execute<{ id: string }>(sql`
        INSERT INTO exchange_rates (from_currency, to_currency, rate, effective_at, created_by)
        VALUES (${input.from}, ${input.to}, ${input.rate}, ${at.toISOString()}, ${p.userId}) RETURNING id`);
      await writeAudit(tx, actor, {
        action: 'exchange_rate.create',
        resourceType: 'exchange_rate',
        resourceId: rows[0]!.id,
        details: { from: input.from, to: input.to, rate: input.rate, effectiveAt: at.toISOString() },
      });
      return rows[0]!.id;
    });
    return {
      id,
      from: input.from,
      to: input.to,
      rate: money(input.rate).toFixed(),
      effectiveAt: at.toISOString(),
      createdBy: { id: p.userId, name: p.displayName },
    };
  }
}
