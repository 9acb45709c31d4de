// What a payment form previews before the server records it: the rate between the tendered currency
// and the invoice's, the amount to prefill (the balance converted), and what an amount settles. The
// server converts the same way (payments.shared.ts rateAt): the pair's latest rate in force, or the
// inverse of the opposite pair's when only that one is recorded; a payment that exceeds the balance by
// less than one minor unit of its currency (rounding) settles the balance exactly.
import { compare, divide, isDecimal, multiply } from './money.ts';

export interface RateRow {
  from: string;
  to: string;
  rate: string;
  effectiveAt: string;
}

/** How one unit of the tendered currency converts to the invoice's. */
export interface Conversion {
  /** the stored rate used */
  rate: RateRow;
  /** true: the rate is tendered → invoice (multiply); false: invoice → tendered (divide) */
  direct: boolean;
}

/** The rate in force at `at` (the latest effective at or before it) for a pair, or the opposite pair's; null: none. */
export function findConversion(rates: readonly RateRow[], tendered: string, invoice: string, at: string): Conversion | null {
  const inForce = (from: string, to: string) =>
    rates
      .filter((r) => r.from === from && r.to === to && Date.parse(r.effectiveAt) <= Date.parse(at))
      .sort((a, b) => Date.parse(b.effectiveAt) - Date.parse(a.effectiveAt))[0];
  const direct = inForce(tendered, invoice);
  if (direct) return { rate: direct, direct: true };
  const inverse = inForce(invoice, tendered);
  return inverse ? { rate: inverse, direct: false } : null;
}

/** The balance in the tendered currency, rounded up to its minor unit: what settles the balance in full. */
export function prefill(balance: string, invoice: string, tendered: string, conversion: Conversion | null): string | null {
  if (tendered === invoice) return balance;
  if (!conversion) return null;
  const r = conversion.rate.rate;
  return conversion.direct ? divide(balance, r, tendered, 'up') : multiply(balance, r, tendered, 'up');
}

/** Whether an amount pays more than the balance (beyond the rounding the server absorbs). */
export function overpays(
  amount: string,
  tendered: string,
  balance: string,
  invoice: string,
  conversion: Conversion | null,
): boolean {
  if (!isDecimal(amount)) return false;
  const most = prefill(balance, invoice, tendered, conversion);
  return most !== null && compare(amount, most, tendered) > 0;
}

/** What `amount` of the tendered currency settles on the invoice, in the invoice's currency (at most the balance). */
export function applied(
  amount: string,
  tendered: string,
  invoice: string,
  conversion: Conversion | null,
  balance?: string,
): string | null {
  if (!isDecimal(amount)) return null;
  if (tendered === invoice) return amount;
  if (!conversion) return null;
  const converted = conversion.direct
    ? multiply(amount, conversion.rate.rate, invoice)
    : divide(amount, conversion.rate.rate, invoice);
  if (
    balance !== undefined &&
    compare(converted, balance, invoice) > 0 &&
    !overpays(amount, tendered, balance, invoice, conversion)
  )
    return balance;
  return converted;
}
