import { sql } from 'drizzle-orm';
import type { Tx } from '../../platform/db/database.ts';
import { nextDocumentNumber } from '../../platform/document-numbers.ts';
import * as repo from './claims.repository.ts';
import type { ClaimsBilling, ClaimsPayments } from './claims.service.ts';

/**
 * Billing's and payments' operations that claims uses. The modules' own services are used when they
 * offer them (services.billing.billing, services.payments.payments); these are the same operations
 * on their tables, used until then.
 */
export function billingPort(service: Partial<ClaimsBilling> | undefined): ClaimsBilling {
  return {
    lockInvoice: service?.lockInvoice?.bind(service) ?? ((tx, id) => repo.invoiceHead(tx, id, true)),
    claimableLines: service?.claimableLines?.bind(service) ?? ((tx, id) => repo.invoiceLinesOf(tx, id)),
    setInsurerShare: service?.setInsurerShare?.bind(service) ?? ((tx, id, share) => repo.setInvoiceInsurerShare(tx, id, share)),
  };
}

export function paymentsPort(service: Partial<ClaimsPayments> | undefined): ClaimsPayments {
  if (service?.recordInsurancePayment) return { recordInsurancePayment: service.recordInsurancePayment.bind(service) };
  return { recordInsurancePayment: recordInsurancePayment };
}

/** The payer's payment of a claim: an insurance payment on the invoice, with its receipt number. */
async function recordInsurancePayment(
  tx: Tx,
  p: { invoiceId: string; amount: string; currency: string; reference: string | null; userId: string },
): Promise<void> {
  const inv = (await repo.invoiceHead(tx, p.invoiceId, true))!;
  const receipt = await nextDocumentNumber(tx, inv.clinicId, 'RCT');
  await tx.execute(sql`INSERT INTO payments (clinic_id, patient_id, invoice_id, receipt_number, method, currency, amount,
      applied_currency, applied_amount, reference, received_by)
    VALUES (${inv.clinicId}, ${inv.patientId}, ${inv.id}, ${receipt}, 'insurance', ${p.currency}, ${p.amount}, ${inv.currency},
      ${p.amount}, ${p.reference}, ${p.userId})`);
  await tx.execute(sql`UPDATE invoices SET paid = paid + ${p.amount}::numeric,
      status = CASE WHEN paid + ${p.amount}::numeric >= total - credited THEN 'paid' ELSE 'partially_paid' END,
      version = version + 1 WHERE id = ${inv.id} AND status <> 'void'`);
}
