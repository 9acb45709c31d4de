import { allocate, money, moneyText, roundTo, sum } from '../../platform/money.ts';

export interface TotalsLine {
  id: string;
  quantity: string;
  /** null: not priced yet (counts as zero) */
  unitPrice: string | null;
  /** percent, "16" */
  taxRate: string;
}
export interface TotalsDiscount {
  percent: string | null;
  amount: string | null;
}
export interface LineTotals {
  id: string;
  amount: string;
  discount: string;
  tax: string;
  total: string;
}
export interface InvoiceTotals {
  subtotal: string;
  discountTotal: string;
  taxTotal: string;
  total: string;
  lines: LineTotals[];
}

/** The amount a discount takes off a subtotal: a percentage of it, or an amount (never more than what is left). */
export function discountValue(d: TotalsDiscount, subtotal: string, currency: string): string {
  const v = d.percent !== null ? money(subtotal).times(d.percent).dividedBy(100) : money(d.amount);
  return moneyText(v, currency);
}

/**
 * An invoice's totals from its lines and applied discounts, exactly: amount = quantity × unit price
 * rounded to the currency; the discounts (capped at the subtotal) allocated over the lines by
 * amount, so that the parts add up to the discount; tax = (amount − discount) × rate, rounded per
 * line; total = amount − discount + tax.
 */
export function computeTotals(
  lines: readonly TotalsLine[],
  discounts: readonly TotalsDiscount[],
  currency: string,
): InvoiceTotals {
  const amounts = lines.map((l) => (l.unitPrice === null ? money(0) : roundTo(money(l.quantity).times(l.unitPrice), currency)));
  const subtotal = sum(amounts);
  let discount = sum(discounts.map((d) => discountValue(d, subtotal.toString(), currency)));
  if (discount.greaterThan(subtotal)) discount = subtotal;
  const parts = lines.length ? allocate(discount, amounts, currency) : [];
  const out: LineTotals[] = lines.map((l, i) => {
    const net = amounts[i]!.minus(parts[i]!);
    const tax = roundTo(net.times(l.taxRate).dividedBy(100), currency);
    return {
      id: l.id,
      amount: moneyText(amounts[i]!, currency),
      discount: moneyText(parts[i]!, currency),
      tax: moneyText(tax, currency),
      total: moneyText(net.plus(tax), currency),
    };
  });
  const taxTotal = sum(out.map((l) => l.tax));
  return {
    subtotal: moneyText(subtotal, currency),
    discountTotal: moneyText(discount, currency),
    taxTotal: moneyText(taxTotal, currency),
    total: moneyText(subtotal.minus(discount).plus(taxTotal), currency),
    lines: out,
  };
}
