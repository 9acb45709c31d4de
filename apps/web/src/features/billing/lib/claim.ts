import type { Coverage } from '@sanita/contracts/claims';
import type { Invoice } from '@sanita/contracts/billing';

/** Invoices a claim can be built from: issued ones, paid or not (the patient may have paid their share). */
const CLAIMABLE = new Set<Invoice['status']>(['issued', 'partially_paid', 'paid']);

/**
 * Whether the invoice is one to claim from the patient's insurer: issued, and an active coverage valid
 * on one of its lines' service dates (the claims API refuses a claim without one).
 */
export function claimable(invoice: Pick<Invoice, 'status' | 'lines'>, coverages: readonly Coverage[]): boolean {
  if (!CLAIMABLE.has(invoice.status)) return false;
  const days = invoice.lines.map((l) => l.serviceDate);
  return coverages.some((c) => c.active && days.some((d) => c.validFrom <= d && (c.validTo === null || d <= c.validTo)));
}
