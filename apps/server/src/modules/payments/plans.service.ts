import { sql } from 'drizzle-orm';
import { DateTime } from 'luxon';
import type { PaymentPlan, PaymentPlanInput } from '@sanita/contracts/payments';
import type { Principal } from '../../platform/access.ts';
import { systemActor, writeAudit, type AuditActor } from '../../platform/audit/audit.ts';
import { denied, runAudited } from '../../platform/audit/audited.ts';
import type { Db, Executor, Tx } from '../../platform/db/database.ts';
import { Conflict, Forbidden, NotFound } from '../../platform/errors.ts';
import type { JobQueue } from '../../platform/jobs.ts';
import type { Mailer } from '../../platform/mail.ts';
import { money, moneyText, roundTo, sum, type Money } from '../../platform/money.ts';
import type { SmsProvider } from '../../platform/sms.ts';
import { pgError } from '../../platform/db/queries.ts';
import type { RemindersService } from '../scheduling/reminders.service.ts';
import { balanceOf, InputError, PAYABLE, type BillingPort } from './payments.shared.ts';

export const PLAN_REMINDER_JOB = 'payments.plan-reminders';
const DAY_MS = 86_400_000;

type PlanRow = {
  id: string;
  invoiceId: string;
  invoiceNumber: string | null;
  clinicId: string;
  patientId: string;
  patientName: string;
  mrn: string;
  currency: string;
  total: string;
  status: PaymentPlan['status'];
  createdBy: string;
  createdByName: string;
  createdAt: string | Date;
  timezone: string;
};
type InstalmentRow = {
  id: string;
  planId: string;
  dueDate: string;
  amount: string;
  paid: string;
  remindedAt: string | Date | null;
};

type Locale = 'en' | 'fr';
const localeOf = (l: string | null | undefined): Locale => (l?.toLowerCase().startsWith('fr') ? 'fr' : 'en');

/** The reminder of an instalment, in the patient's language. */
export function instalmentMessage(
  language: string | null,
  v: { name: string; clinic: string; amount: string; currency: string; dueDate: string; invoice: string; overdue: boolean },
): { subject: string; text: string; sms: string } {
  if (localeOf(language) === 'fr') {
    const what = v.overdue ? `était dû le ${v.dueDate}` : `est dû le ${v.dueDate}`;
    return {
      subject: v.overdue ? `${v.clinic} : échéance en retard` : `${v.clinic} : prochaine échéance le ${v.dueDate}`,
      text: `Bonjour ${v.name},\n\nL'échéance de ${v.amount} ${v.currency} de votre plan de paiement (facture ${v.invoice}) ${what}.\nVous pouvez la régler à la caisse de ${v.clinic}.\n`,
      sms: `${v.clinic} : échéance de ${v.amount} ${v.currency} (facture ${v.invoice}) ${what}.`,
    };
  }
  const what = v.overdue ? `was due on ${v.dueDate}` : `is due on ${v.dueDate}`;
  return {
    subject: v.overdue ? `${v.clinic}: an instalment is overdue` : `${v.clinic}: instalment due on ${v.dueDate}`,
    text: `Hello ${v.name},\n\nThe instalment of ${v.amount} ${v.currency} of your payment plan (invoice ${v.invoice}) ${what}.\nYou can pay it at the cashier of ${v.clinic}.\n`,
    sms: `${v.clinic}: instalment of ${v.amount} ${v.currency} (invoice ${v.invoice}) ${what}.`,
  };
}

/** What plan reminders use of the scheduling module: the clinic's reminder channels for a patient. */
export type ReminderChannels = Pick<RemindersService, 'channelsFor'>;

/**
 * Payment plans: instalments adding up to an invoice's balance, marked paid as payments arrive
 * (oldest first), and a daily job reminding the patient of instalments due in 3 days and, once, of
 * overdue ones, on the clinic's reminder channels (e-mail, SMS) as appointment reminders are.
 */
export class PlansService {
  constructor(
    private readonly db: Db,
    private readonly jobs: JobQueue,
    private readonly mailer: Mailer,
    private readonly sms: SmsProvider,
    private readonly billing: BillingPort,
    private readonly channels: ReminderChannels,
    private readonly now: () => Date = () => new Date(),
  ) {}

  private async rows(db: Executor, where: ReturnType<typeof sql>): Promise<PaymentPlan[]> {
    const { rows } = await db.execute<PlanRow>(sql`
      SELECT pp.id, pp.invoice_id AS "invoiceId", i.number AS "invoiceNumber", pp.clinic_id AS "clinicId",
             pp.patient_id AS "patientId", pt.given_name || ' ' || pt.family_name AS "patientName", pt.mrn,
             pp.currency, pp.total::text, pp.status, pp.created_by AS "createdBy", u.display_name AS "createdByName",
             pp.created_at AS "createdAt", c.timezone
        FROM payment_plans pp
        JOIN invoices i ON i.id = pp.invoice_id
        JOIN patients pt ON pt.id = pp.patient_id
        JOIN users u ON u.id = pp.created_by
        JOIN clinics c ON c.id = pp.clinic_id
       WHERE ${where}
       ORDER BY pp.created_at DESC LIMIT 200`);
    if (!rows.length) return [];
    const { rows: inst } = await db.execute<InstalmentRow>(sql`
      SELECT id, plan_id AS "planId", to_char(due_date, 'YYYY-MM-DD') AS "dueDate", amount::text, paid::text,
             reminded_at AS "remindedAt"
        FROM payment_plan_instalments WHERE plan_id = ANY(${`{${rows.map((r) => r.id).join(',')}}`}::uuid[])
       ORDER BY due_date, id`);
    return rows.map((r) => {
      const today = DateTime.fromJSDate(this.now(), { zone: r.timezone }).toISODate()!;
      return {
        id: r.id,
        invoiceId: r.invoiceId,
        invoiceNumber: r.invoiceNumber,
        patient: { id: r.patientId, name: r.patientName, mrn: r.mrn },
        currency: r.currency,
        total: moneyText(r.total, r.currency),
        status: r.status,
        instalments: inst
          .filter((x) => x.planId === r.id)
          .map((x) => {
            const paid = money(x.paid).greaterThanOrEqualTo(x.amount);
            return {
              id: x.id,
              dueDate: x.dueDate,
              amount: moneyText(x.amount, r.currency),
              paid: moneyText(x.paid, r.currency),
              status: paid ? ('paid' as const) : x.dueDate < today ? ('overdue' as const) : ('due' as const),
              remindedAt: x.remindedAt ? new Date(x.remindedAt).toISOString() : null,
            };
          }),
        createdBy: { id: r.createdBy, name: r.createdByName },
        createdAt: new Date(r.createdAt).toISOString(),
      };
    });
  }

  /** POST /api/payment-plans (payments:collect): instalments adding up to the invoice's balance exactly. */
  async create(p: Principal, actor: AuditActor, input: PaymentPlanInput): Promise<PaymentPlan> {
    const action = 'payment_plan.create';
    return runAudited(this.db, actor, async (tx) => {
      if (p.patientId || !p.permissions.has('payments:collect'))
        throw denied(new Forbidden(), action, { type: 'invoice', id: input.invoiceId });
      const inv = await this.billing.lockInvoice(tx, input.invoiceId);
      if (!inv || inv.clinicId !== p.clinicId)
        throw denied(new NotFound('Invoice not found'), action, { type: 'invoice', id: input.invoiceId });
      if (!PAYABLE.has(inv.status))
        throw new Conflict(`Invoice ${inv.number ?? inv.id} is ${inv.status}`, 'INVOICE_STATE', { status: inv.status });
      const balance = balanceOf(inv);
      const amounts = input.instalments.map((x, i) => {
        const a = roundTo(x.amount, inv.currency);
        if (!a.equals(money(x.amount)) || !a.greaterThan(0))
          throw new InputError(
            'VALIDATION_FAILED',
            `instalments/${i}/amount`,
            `must be more than 0 in whole ${inv.currency} units`,
          );
        return a;
      });
      const total = sum(amounts);
      if (!total.equals(balance))
        throw new InputError(
          'VALIDATION_FAILED',
          'instalments',
          `add up to ${moneyText(total, inv.currency)} ${inv.currency}, not the balance ${moneyText(balance, inv.currency)}`,
        );
      let planId: string;
      try {
        const { rows } = await tx.execute<{ id: string }>(sql`
          INSERT INTO payment_plans (invoice_id, clinic_id, patient_id, currency, total, created_by)
          VALUES (${inv.id}, ${inv.clinicId}, ${inv.patientId}, ${inv.currency}, ${balance.toFixed()}, ${p.userId})
          RETURNING id`);
        planId = rows[0]!.id;
      } catch (err) {
        if (pgError(err)?.code === '23505') throw new Conflict('This invoice already has an active payment plan', 'CONFLICT');
        throw err;
      }
      const sorted = input.instalments
        .map((x, i) => ({ due: x.dueDate, amount: amounts[i]! }))
        .sort((a, b) => a.due.localeCompare(b.due));
      for (const x of sorted)
        await tx.execute(sql`
          INSERT INTO payment_plan_instalments (plan_id, due_date, amount) VALUES (${planId}, ${x.due}, ${x.amount.toFixed()})`);
      await writeAudit(tx, actor, {
        action,
        patientId: inv.patientId,
        resourceType: 'payment_plan',
        resourceId: planId,
        details: { invoiceId: inv.id, instalments: sorted.length, total: balance.toFixed() },
      });
      return (await this.rows(tx, sql`pp.id = ${planId}`))[0]!;
    });
  }

  /** GET /api/payment-plans?invoiceId|patientId (payments:read), at the active clinic; audited. */
  async list(p: Principal, actor: AuditActor, q: { invoiceId?: string; patientId?: string }): Promise<{ items: PaymentPlan[] }> {
    const action = 'payment_plan.list';
    return runAudited(this.db, actor, async (tx) => {
      if (p.patientId || !p.permissions.has('payments:read'))
        throw denied(new Forbidden(), action, { type: 'payment_plan', id: q.patientId ?? q.invoiceId ?? 'list' });
      const conds = [sql`pp.clinic_id = ${p.clinicId}`];
      if (q.invoiceId) conds.push(sql`pp.invoice_id = ${q.invoiceId}`);
      if (q.patientId) conds.push(sql`pp.patient_id = ${q.patientId}`);
      const items = await this.rows(tx, sql.join(conds, sql` AND `));
      await writeAudit(tx, actor, {
        action,
        patientId: q.patientId ?? items[0]?.patient.id ?? null,
        resourceType: 'payment_plan',
        details: { count: items.length, invoiceId: q.invoiceId ?? null },
      });
      return { items };
    });
  }

  /** Inside a payment's transaction: the amount applied to the invoice pays its active plan's instalments, oldest first. */
  async applyPayment(tx: Tx, invoiceId: string, amount: Money): Promise<void> {
    const { rows: plans } = await tx.execute<{ id: string }>(
      sql`SELECT id FROM payment_plans WHERE invoice_id = ${invoiceId} AND status = 'active' FOR UPDATE`,
    );
    const plan = plans[0];
    if (!plan) return;
    const { rows } = await tx.execute<{ id: string; amount: string; paid: string }>(sql`
      SELECT id, amount::text, paid::text FROM payment_plan_instalments
       WHERE plan_id = ${plan.id} AND paid < amount ORDER BY due_date, id`);
    let left = amount;
    for (const r of rows) {
      if (!left.greaterThan(0)) break;
      const take = Money_min(left, money(r.amount).minus(r.paid));
      await tx.execute(sql`UPDATE payment_plan_instalments SET paid = paid + ${take.toFixed()} WHERE id = ${r.id}`);
      left = left.minus(take);
    }
    await tx.execute(sql`
      UPDATE payment_plans SET status = 'completed'
       WHERE id = ${plan.id} AND NOT EXISTS (SELECT 1 FROM payment_plan_instalments WHERE plan_id = ${plan.id} AND paid < amount)`);
  }

  /**
   * Inside a refund's transaction: the applied share refunded comes off the plan's paid instalments,
   * the most recently paid first (latest due first) and the oldest-paid last, so that they are
   * unpaid (or partly paid) again; a completed plan is active again. Instalments are always paid
   * oldest first (`applyPayment`), so the latest paid are those the latest payment paid: when it is
   * the payment refunded, exactly the instalments it paid reopen; when an older one is, the plan ends
   * as if its money had never come (the oldest instalments stay the paid ones).
   */
  async applyRefund(tx: Tx, invoiceId: string, amount: Money): Promise<void> {
    if (!amount.greaterThan(0)) return;
    // the active plan, else the completed one (none is active then: a refund reopens it)
    const { rows: plans } = await tx.execute<{ id: string; status: string }>(sql`
      SELECT id, status FROM payment_plans WHERE invoice_id = ${invoiceId} AND status IN ('active', 'completed')
       ORDER BY status = 'active' DESC, created_at DESC LIMIT 1 FOR UPDATE`);
    const plan = plans[0];
    if (!plan) return;
    const { rows } = await tx.execute<{ id: string; paid: string }>(sql`
      SELECT id, paid::text FROM payment_plan_instalments
       WHERE plan_id = ${plan.id} AND paid > 0 ORDER BY due_date DESC, id DESC`);
    let left = amount;
    for (const r of rows) {
      if (!left.greaterThan(0)) break;
      const take = Money_min(left, money(r.paid));
      await tx.execute(sql`UPDATE payment_plan_instalments SET paid = paid - ${take.toFixed()} WHERE id = ${r.id}`);
      left = left.minus(take);
    }
    if (plan.status === 'completed')
      await tx.execute(sql`
        UPDATE payment_plans SET status = 'active'
         WHERE id = ${plan.id} AND EXISTS (SELECT 1 FROM payment_plan_instalments WHERE plan_id = ${plan.id} AND paid < amount)`);
  }

  // ------------------------------------------------------------------ reminders

  /** The daily job: the worker, and the first run (each run queues the next, a day later). */
  async start(): Promise<void> {
    await this.jobs.work(PLAN_REMINDER_JOB, async () => {
      await this.remind();
      await this.jobs.send(PLAN_REMINDER_JOB, {}, { startAfter: new Date(Date.now() + DAY_MS), singletonKey: 'daily' });
    });
    await this.jobs.send(PLAN_REMINDER_JOB, {}, { singletonKey: 'daily' });
  }

  /**
   * Reminds of each unpaid instalment of an active plan due within 3 days (once) and of each
   * overdue one (once more after its due date): on the clinic's reminder channels (its scheduling
   * settings, as for appointments) that the patient can be reached by, in their language; `reminded_at` is set in the same transaction, audited. Returns how many were reminded.
   */
  async remind(): Promise<number> {
    const now = this.now();
    const { rows } = await this.db.execute<{
      id: string;
      dueDate: string;
      amount: string;
      paid: string;
      currency: string;
      clinicId: string;
      patientId: string;
      name: string;
      email: string | null;
      phones: string[] | null;
      language: string | null;
      clinic: string;
      invoice: string | null;
      overdue: boolean;
    }>(sql`
      SELECT x.id, to_char(x.due_date, 'YYYY-MM-DD') AS "dueDate", x.amount::text, x.paid::text, pp.currency,
             pp.clinic_id AS "clinicId", pp.patient_id AS "patientId", pt.given_name || ' ' || pt.family_name AS name, pt.email, pt.phones,
             pt.preferred_language AS language, c.name AS clinic, i.number AS invoice,
             x.due_date < (${now.toISOString()}::timestamptz AT TIME ZONE c.timezone)::date AS overdue
        FROM payment_plan_instalments x
        JOIN payment_plans pp ON pp.id = x.plan_id AND pp.status = 'active'
        JOIN clinics c ON c.id = pp.clinic_id
        JOIN patients pt ON pt.id = pp.patient_id
        JOIN invoices i ON i.id = pp.invoice_id
       WHERE x.paid < x.amount
         AND x.due_date <= (${now.toISOString()}::timestamptz AT TIME ZONE c.timezone)::date + 3
         AND (x.reminded_at IS NULL
              OR (x.due_date < (${now.toISOString()}::timestamptz AT TIME ZONE c.timezone)::date
                  AND (x.reminded_at AT TIME ZONE c.timezone)::date <= x.due_date))`);
    let sent = 0;
    for (const r of rows) {
      const done = await this.db.transaction(async (tx) => {
        const { rows: locked } = await tx.execute<{ remindedAt: string | null }>(
          sql`SELECT reminded_at AS "remindedAt" FROM payment_plan_instalments WHERE id = ${r.id} FOR UPDATE SKIP LOCKED`,
        );
        if (!locked[0]) return false;
        if (locked[0].remindedAt && !r.overdue) return false;
        const msg = instalmentMessage(r.language, {
          name: r.name,
          clinic: r.clinic,
          amount: moneyText(money(r.amount).minus(r.paid), r.currency),
          currency: r.currency,
          dueDate: r.dueDate,
          invoice: r.invoice ?? '',
          overdue: r.overdue,
        });
        const email = r.email?.trim();
        const phone = (r.phones ?? []).find((x) => x?.trim());
        const channels = await this.channels.channelsFor(tx, r.clinicId, { email: !!email, phone: !!phone });
        for (const channel of channels) {
          if (channel === 'email') await this.mailer.send({ to: email!, subject: msg.subject, text: msg.text });
          else await this.sms.send({ to: phone!, text: msg.sms });
        }
        await tx.execute(sql`UPDATE payment_plan_instalments SET reminded_at = ${now.toISOString()} WHERE id = ${r.id}`);
        await writeAudit(tx, systemActor, {
          action: 'payment_plan.reminder',
          patientId: r.patientId,
          resourceType: 'payment_plan_instalment',
          resourceId: r.id,
          details: { channels, overdue: r.overdue },
        });
        return true;
      });
      if (done) sent++;
    }
    return sent;
  }
}

const Money_min = (a: Money, b: Money): Money => (a.lessThan(b) ? a : b);
