// Exact decimal money in the browser, for previews only (the server computes what is recorded):
// amounts are decimal text ("1250.50"), held here as scaled BigInts, never as floats.
import { minorUnits } from '@sanita/contracts/billing';

/** A decimal as an integer and its number of decimals: 12.5 → { units: 125n, scale: 1 }. */
interface Scaled {
  units: bigint;
  scale: number;
}

const DECIMAL = /^(-)?(\d+)(?:\.(\d+))?$/;

function parse(text: string): Scaled | null {
  const m = DECIMAL.exec(text.trim());
  if (!m) return null;
  const frac = m[3] ?? '';
  const units = BigInt(`${m[2]}${frac}`);
  return { units: m[1] ? -units : units, scale: frac.length };
}

/** Is this decimal text (digits, an optional point and decimals, optionally negative)? */
export function isDecimal(text: string): boolean {
  return parse(text) !== null;
}

function rescale(v: Scaled, scale: number): bigint {
  return v.units * 10n ** BigInt(scale - v.scale);
}

export type Rounding = 'half' | 'up';

/** Divides rounding half away from zero, or up (away from zero). */
function divRound(n: bigint, d: bigint, mode: Rounding = 'half'): bigint {
  const neg = n < 0n !== d < 0n;
  const an = n < 0n ? -n : n;
  const ad = d < 0n ? -d : d;
  const q = mode === 'half' ? (an * 2n + ad) / (ad * 2n) : (an + ad - 1n) / ad;
  return neg ? -q : q;
}

function format(units: bigint, scale: number): string {
  const neg = units < 0n;
  const digits = (neg ? -units : units).toString().padStart(scale + 1, '0');
  const int = scale === 0 ? digits : digits.slice(0, -scale);
  const frac = scale === 0 ? '' : `.${digits.slice(-scale)}`;
  return `${neg ? '-' : ''}${int}${frac}`;
}

/** Minor units of an amount in a currency (rounded half away from zero): toMinor("12.345", "USD") = 1235n. */
export function toMinor(text: string, currency: string): bigint {
  const v = parse(text);
  if (!v) throw new Error(`not a decimal: ${text}`);
  const digits = minorUnits(currency);
  return v.scale <= digits ? rescale(v, digits) : divRound(v.units, 10n ** BigInt(v.scale - digits));
}

/** Decimal text of minor units in a currency: fromMinor(1235n, "USD") = "12.35", fromMinor(1235n, "CDF") = "1235". */
export function fromMinor(minor: bigint, currency: string): string {
  return format(minor, minorUnits(currency));
}

/** The amount rounded to the currency's minor units, as decimal text. */
export function roundTo(text: string, currency: string): string {
  return fromMinor(toMinor(text, currency), currency);
}

/** a + b (or a − b), in a currency. */
export function add(a: string, b: string, currency: string): string {
  return fromMinor(toMinor(a, currency) + toMinor(b, currency), currency);
}
export function subtract(a: string, b: string, currency: string): string {
  return fromMinor(toMinor(a, currency) - toMinor(b, currency), currency);
}
export function sum(values: readonly string[], currency: string): string {
  return fromMinor(
    values.reduce((acc, v) => acc + toMinor(v, currency), 0n),
    currency,
  );
}
export function compare(a: string, b: string, currency: string): -1 | 0 | 1 {
  const d = toMinor(a, currency) - toMinor(b, currency);
  return d === 0n ? 0 : d < 0n ? -1 : 1;
}
export function isZero(text: string, currency: string): boolean {
  return toMinor(text, currency) === 0n;
}

/** amount × factor, rounded to the currency (the factor may carry up to 6 or more decimals, e.g. a rate). */
export function multiply(amount: string, factor: string, currency: string, mode: Rounding = 'half'): string {
  const a = parse(amount);
  const f = parse(factor);
  if (!a || !f) throw new Error('not a decimal');
  const digits = minorUnits(currency);
  const scale = a.scale + f.scale;
  const product = a.units * f.units;
  const minor =
    scale <= digits ? product * 10n ** BigInt(digits - scale) : divRound(product, 10n ** BigInt(scale - digits), mode);
  return fromMinor(minor, currency);
}

/** amount ÷ divisor, rounded to the currency. */
export function divide(amount: string, divisor: string, currency: string, mode: Rounding = 'half'): string {
  const a = parse(amount);
  const d = parse(divisor);
  if (!a || !d || d.units === 0n) throw new Error('not a divisor');
  const digits = minorUnits(currency);
  // a / d = (a.units / 10^a.scale) / (d.units / 10^d.scale); in minor units × 10^digits
  const n = a.units * 10n ** BigInt(digits + d.scale);
  const den = d.units * 10n ** BigInt(a.scale);
  return fromMinor(divRound(n, den, mode), currency);
}

/** A percentage of an amount, rounded to the currency: percentOf("200", "7.5", "USD") = "15.00". */
export function percentOf(amount: string, percent: string, currency: string): string {
  return divide(multiply(amount, percent, currency), '100', currency);
}

/** Formats decimal text for reading in a language, with its currency: "1 250,50 USD" in French. */
export function formatMoney(text: string | null | undefined, currency: string, language: string): string {
  if (text === null || text === undefined || !isDecimal(text)) return '—';
  const digits = minorUnits(currency);
  const rounded = roundTo(text, currency);
  const [int, frac] = rounded.replace('-', '').split('.') as [string, string | undefined];
  const grouped = new Intl.NumberFormat(language, { useGrouping: true, maximumFractionDigits: 0 }).format(BigInt(int));
  const sep = new Intl.NumberFormat(language).formatToParts(1.5).find((p) => p.type === 'decimal')?.value ?? '.';
  const body = digits > 0 ? `${grouped}${sep}${frac ?? '0'.repeat(digits)}` : grouped;
  return `${rounded.startsWith('-') ? '−' : ''}${body} ${currency}`;
}
