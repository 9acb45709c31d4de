import { sql } from 'drizzle-orm';
import { minorUnits } from '@sanita/contracts/billing';
import type { Invoice } from '@sanita/contracts/billing';
import type { Executor, Tx } from '../../platform/db/database.ts';
import { DomainError, Conflict } from '../../platform/errors.ts';
import { Money, money } from '../../platform/money.ts';
import type { Room } from '../../platform/realtime/events.ts';

/** The billing room of a clinic (the billing module's `billing:<clinicId>`: whoever reads its invoices), where payments announce theirs. */
export const billingRoom = (clinicId: string): Room => `billing:${clinicId}`;

/** An invoice as the billing module locks it for a payment (FOR UPDATE). */
export interface LockedInvoice {
  id: string;
  clinicId: string;
  patientId: string;
  number: string | null;
  status: string;
  currency: string;
  total: string;
  paid: string;
  credited: string;
  insurerShare: string;
  encounterId: string | null;
  version: number;
}

/** What payments use of `services.billing.billing`. */
export interface BillingPort {
  lockInvoice(tx: Tx, invoiceId: string): Promise<LockedInvoice | null>;
  /** paid += delta (negative for a refund); the status follows (issued, partially_paid, paid); version + 1 */
  applyPaid(tx: Tx, invoiceId: string, delta: string): Promise<unknown>;
  /** the contract Invoice, without an access check or audit */
  read(tx: Executor, invoiceId: string): Promise<Invoice>;
  /** after the commit: the cashier's desk hears of the invoice's change */
  publishChanged(invoiceId: string): Promise<void>;
}

export const PAYABLE = new Set(['issued', 'partially_paid']);

/** The smallest amount of a currency: 0.01 USD, 1 CDF. */
export const minorUnit = (currency: string): Money => new Money(1).dividedBy(new Money(10).pow(minorUnits(currency)));

export const balanceOf = (inv: Pick<LockedInvoice, 'total' | 'paid' | 'credited'>): Money =>
  money(inv.total).minus(inv.paid).minus(inv.credited);

/** 400 with a billing/payments code, naming the field as other 400s do. */
export class InputError extends DomainError {
  readonly status = 400;
  constructor(code: 'CURRENCY_NOT_ACCEPTED' | 'VALIDATION_FAILED', field: string, message: string) {
    super(code, `${field}: ${message}`, [{ field, code: code === 'CURRENCY_NOT_ACCEPTED' ? 'currency' : 'invalid', message }]);
  }
}

/** A conversion: multiply an amount of `from` by `factor` to get `to`; `text` is the rate shown (6 decimals). */
export interface Rate {
  from: string;
  to: string;
  factor: Money;
  text: string;
  effectiveAt: Date;
}

/**
 * The rate in force at `at` from `from` to `to`: the latest row of the pair with effective_at ≤ at;
 * when only the inverse pair is recorded, its inverse (exact: 1/rate at 40 digits). Null when none.
 */
export async function rateAt(db: Executor, from: string, to: string, at: Date): Promise<Rate | null> {
  const { rows } = await db.execute<{ rate: string; inverse: boolean; effectiveAt: string }>(sql`
    (SELECT rate::text, false AS inverse, effective_at AS "effectiveAt" FROM exchange_rates
      WHERE from_currency = ${from} AND to_currency = ${to} AND effective_at <= ${at.toISOString()}
      ORDER BY effective_at DESC LIMIT 1)
    UNION ALL
    (SELECT rate::text, true, effective_at FROM exchange_rates
      WHERE from_currency = ${to} AND to_currency = ${from} AND effective_at <= ${at.toISOString()}
      ORDER BY effective_at DESC LIMIT 1)`);
  const row = rows.find((r) => !r.inverse) ?? rows[0];
  if (!row) return null;
  const factor = row.inverse ? new Money(1).dividedBy(row.rate) : money(row.rate);
  return { from, to, factor, text: factor.toDecimalPlaces(6).toFixed(), effectiveAt: new Date(row.effectiveAt) };
}

/** The rate or 409 NO_EXCHANGE_RATE naming the pair and the time. */
export async function requireRate(db: Executor, from: string, to: string, at: Date): Promise<Rate> {
  const r = await rateAt(db, from, to, at);
  if (!r)
    throw new Conflict(`No exchange rate from ${from} to ${to} on ${at.toISOString().slice(0, 10)}`, 'NO_EXCHANGE_RATE', {
      from,
      to,
      on: at.toISOString(),
    });
  return r;
}

/** Patient reference as the contracts show it. */
export interface PatientRef {
  id: string;
  name: string;
  mrn: string;
}
