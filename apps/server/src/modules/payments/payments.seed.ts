import { sql } from 'drizzle-orm';
import { DateTime } from 'luxon';
import type { Executor } from '../../platform/db/database.ts';
import { nextDocumentNumber } from '../../platform/document-numbers.ts';
import type { SeedStep } from '../../platform/module.ts';
import { allocate, money, roundTo, sum, type Money } from '../../platform/money.ts';

const RATE_DAYS = 120;
const METHODS = ['cash', 'mobile_money', 'card', 'cash'] as const;

/**
 * The payments of the demo: a daily USD→CDF rate over the last 120 days (2,800–2,900 CDF per USD;
 * CDF→USD is its inverse), payments (cash, mobile money, card; some in CDF at the day's rate, some
 * partial) on about two thirds of the billing seed's past issued invoices at Kinshasa, taken by
 * cashier@sanita.test in one session per day, each closed the same evening (one with a small
 * difference and its note); one payment plan with an overdue instalment. No session is open today:
 * the cashier opens her own. Idempotent (nothing is done when rates exist).
 */
export const seedPayments: SeedStep = async (tx, demo) => {
  const [{ n } = { n: 0 }] = (await tx.execute<{ n: number }>(sql`SELECT count(*)::int AS n FROM exchange_rates`)).rows;
  if (n > 0) return;
  const kin = demo.clinics.KIN;
  const cashier = demo.users['cashier@sanita.test'];
  const manager = demo.users['manager@sanita.test'] ?? cashier;
  const today = DateTime.now().setZone(kin.timezone).startOf('day');

  // ------------------------------------------------------------------ exchange rates
  const rates = new Map<string, Money>();
  let rate = 2820 + Math.round(demo.rand() * 30);
  for (let d = RATE_DAYS; d >= 0; d--) {
    const day = today.minus({ days: d });
    rate = Math.min(2900, Math.max(2800, rate + Math.round((demo.rand() - 0.45) * 12)));
    rates.set(day.toISODate()!, money(rate));
    await tx.execute(sql`
      INSERT INTO exchange_rates (from_currency, to_currency, rate, effective_at, created_by)
      VALUES ('USD', 'CDF', ${rate}, ${day.toJSDate().toISOString()}, ${manager ?? null})`);
  }
  if (!cashier) return;

  // ------------------------------------------------------------------ payments on past invoices, a session a day
  const { rows: invoices } = await tx.execute<{
    id: string;
    patientId: string;
    currency: string;
    total: string;
    paid: string;
    credited: string;
    issuedAt: string | Date;
  }>(sql`
    SELECT id, patient_id AS "patientId", currency, total::text, paid::text, credited::text, issued_at AS "issuedAt"
      FROM invoices
     WHERE clinic_id = ${kin.id} AND status IN ('issued', 'partially_paid') AND issued_at < ${today.toJSDate().toISOString()}
       AND issued_at > ${today.minus({ days: RATE_DAYS }).toJSDate().toISOString()} AND total - paid - credited > 0
     ORDER BY issued_at, id`);
  const byDay = new Map<string, typeof invoices>();
  const unpaid: typeof invoices = [];
  invoices.forEach((inv, i) => {
    if (i % 3 === 2) return unpaid.push(inv);
    const day = DateTime.fromJSDate(new Date(inv.issuedAt), { zone: kin.timezone }).toISODate()!;
    if (!byDay.has(day)) byDay.set(day, []);
    byDay.get(day)!.push(inv);
  });
  let k = 0;
  let noted = false;
  for (const [day, list] of byDay) {
    const start = DateTime.fromISO(day, { zone: kin.timezone }).set({ hour: 8 });
    const floats = [
      { currency: 'USD', amount: '50' },
      { currency: 'CDF', amount: '100000' },
    ];
    const { rows } = await tx.execute<{ id: string }>(sql`
      INSERT INTO cashier_sessions (clinic_id, cashier_id, status, floats, opened_at)
      VALUES (${kin.id}, ${cashier}, 'open', ${JSON.stringify(floats)}::jsonb, ${start.toJSDate().toISOString()}) RETURNING id`);
    const sessionId = rows[0]!.id;
    const taken = new Map<string, Money>();
    for (const inv of list) {
      k++;
      const at = DateTime.max(DateTime.fromJSDate(new Date(inv.issuedAt)).plus({ minutes: 20 }), start.plus({ minutes: 5 }));
      const balance = money(inv.total).minus(inv.paid).minus(inv.credited);
      const partial = k % 4 === 0;
      const due = partial ? roundTo(balance.dividedBy(2), inv.currency) : balance;
      const method = METHODS[k % METHODS.length]!;
      const inCdf = inv.currency === 'USD' && k % 3 === 0;
      const r = rates.get(day) ?? money(2850);
      let currency = inv.currency;
      let amount = due;
      let applied = due;
      let rateText: string | null = null;
      if (inCdf) {
        currency = 'CDF';
        amount = due.times(r).floor();
        applied = roundTo(amount.dividedBy(r), 'USD');
        if (applied.greaterThan(due)) applied = due;
        rateText = money(1).dividedBy(r).toDecimalPlaces(6).toFixed();
      }
      if (!applied.greaterThan(0)) continue;
      await tx.execute(sql`
        INSERT INTO payments (clinic_id, patient_id, invoice_id, receipt_number, method, currency, amount, applied_currency,
                              applied_amount, rate, reference, session_id, received_by, received_at)
        VALUES (${kin.id}, ${inv.patientId}, ${inv.id}, ${await nextDocumentNumber(tx, kin.id, 'RCT', at.toJSDate())}, ${method},
                ${currency}, ${amount.toFixed()}, ${inv.currency}, ${applied.toFixed()}, ${rateText},
                ${method === 'cash' ? null : `DEMO-${String(k).padStart(6, '0')}`}, ${sessionId}, ${cashier}, ${at.toJSDate().toISOString()})`);
      const left = balance.minus(applied);
      await tx.execute(sql`
        UPDATE invoices SET paid = paid + ${applied.toFixed()},
               status = ${left.greaterThan(0) ? 'partially_paid' : 'paid'}, version = version + 1 WHERE id = ${inv.id}`);
      const key = `${currency}|${method}`;
      taken.set(key, (taken.get(key) ?? money(0)).plus(amount));
    }
    // closed the same evening: counted as expected (once, 500 CDF short, explained)
    const counts = [...new Set([...floats.map((f) => `${f.currency}|cash`), ...taken.keys()])].map((key) => {
      const [currency, method] = key.split('|') as [string, string];
      const float = method === 'cash' ? money(floats.find((f) => f.currency === currency)!.amount) : money(0);
      const expected = sum([float, taken.get(key) ?? 0]);
      return { currency, method, expected: expected.toFixed(), counted: expected.toFixed() };
    });
    let note: string | null = null;
    const cdfCash = counts.find((c) => c.currency === 'CDF' && c.method === 'cash');
    if (!noted && cdfCash && list.length > 1) {
      cdfCash.counted = money(cdfCash.expected).minus(500).toFixed();
      note = 'Rendu de monnaie erroné à un patient (500 CDF) — change given wrongly to a patient';
      noted = true;
    }
    await tx.execute(sql`
      UPDATE cashier_sessions SET status = 'closed', counts = ${JSON.stringify(counts)}::jsonb, closing_note = ${note},
             closed_at = ${start.set({ hour: 17 }).toJSDate().toISOString()}, version = 2
       WHERE id = ${sessionId}`);
  }

  // ------------------------------------------------------------------ a payment plan with an overdue instalment
  await seedPlan(tx, unpaid[0], kin.id, cashier, today);
};

async function seedPlan(
  tx: Executor,
  inv: { id: string; patientId: string; currency: string; total: string; paid: string; credited: string } | undefined,
  clinicId: string,
  cashier: string,
  today: DateTime,
): Promise<void> {
  if (!inv) return;
  const balance = money(inv.total).minus(inv.paid).minus(inv.credited);
  const parts = allocate(balance, [1, 1, 1], inv.currency);
  if (parts.some((x) => !x.greaterThan(0))) return;
  const { rows } = await tx.execute<{ id: string }>(sql`
    INSERT INTO payment_plans (invoice_id, clinic_id, patient_id, currency, total, created_by, created_at)
    VALUES (${inv.id}, ${clinicId}, ${inv.patientId}, ${inv.currency}, ${balance.toFixed()}, ${cashier},
            ${today.minus({ days: 40 }).toJSDate().toISOString()}) RETURNING id`);
  const dues = [today.minus({ days: 10 }), today.plus({ days: 20 }), today.plus({ days: 50 })];
  for (const [i, due] of dues.entries())
    await tx.execute(sql`
      INSERT INTO payment_plan_instalments (plan_id, due_date, amount) VALUES (${rows[0]!.id}, ${due.toISODate()}, ${parts[i]!.toFixed()})`);
}
