import { minorUnits } from '@sanita/contracts/billing';
import { Decimal } from 'decimal.js';

/**
 * Exact money: decimal.js, never a float. Amounts travel as decimal text ("1250.50") in the API and
 * as numeric in PostgreSQL; each currency rounds to its minor units (CDF none, USD cents), half up
 * (away from zero), the usual rule for cash.
 */
export const Money = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_UP });
export type Money = InstanceType<typeof Money>;

export const money = (v: Decimal.Value | null | undefined): Money => new Money(v ?? 0);

/** Rounded to the currency's minor units. */
export const roundTo = (v: Decimal.Value, currency: string): Money =>
  new Money(v).toDecimalPlaces(minorUnits(currency), Decimal.ROUND_HALF_UP);

/** The API's text for an amount in a currency: "1250.50" (USD), "3500" (CDF). */
export const moneyText = (v: Decimal.Value, currency: string): string => roundTo(v, currency).toFixed(minorUnits(currency));

/** Adds amounts exactly. */
export const sum = (values: readonly Decimal.Value[]): Money => values.reduce<Money>((a, v) => a.plus(v), new Money(0));

/**
 * Splits `total` over `weights` (e.g. a discount over lines by their amounts) so that the parts,
 * rounded to the currency, add up exactly to the rounded total (largest remainder).
 */
export function allocate(total: Decimal.Value, weights: readonly Decimal.Value[], currency: string): Money[] {
  const t = roundTo(total, currency);
  const w = weights.map((x) => new Money(x));
  const sumW = sum(w);
  if (sumW.isZero()) return w.map((_, i) => (i === 0 ? t : new Money(0)));
  const unit = new Money(1).dividedBy(new Money(10).pow(minorUnits(currency)));
  const raw = w.map((x) => t.times(x).dividedBy(sumW));
  const parts = raw.map((r) => r.toDecimalPlaces(minorUnits(currency), Decimal.ROUND_DOWN));
  let left = t.minus(sum(parts));
  const order = raw.map((r, i) => ({ i, rem: r.minus(parts[i]!) })).sort((a, b) => b.rem.comparedTo(a.rem) || a.i - b.i);
  for (let k = 0; left.greaterThan(0) && k < order.length; k++, left = left.minus(unit)) {
    parts[order[k]!.i] = parts[order[k]!.i]!.plus(unit);
  }
  return parts;
}
