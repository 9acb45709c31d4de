import crypto from 'node:crypto';
import type pg from 'pg';

// Test fixtures of the payments' tests and matrix rows: issued invoices written behind the API's back
// (numbers unique per call), payments received at a given time.

/** An issued invoice of `total` in `currency` (issued at `issuedAt`, due on `dueDate`). */
export async function issuedInvoice(
  sql: pg.Pool,
  v: {
    clinicId: string;
    patientId: string;
    total: string;
    currency?: string;
    issuedAt?: Date;
    dueDate?: string | null;
    kind?: string;
  },
): Promise<string> {
  const n = `TST-${crypto.randomBytes(5).toString('hex').toUpperCase()}`;
  const issuedAt = v.issuedAt ?? new Date();
  const { rows } = await sql.query<{ id: string }>(
    `INSERT INTO invoices (clinic_id, patient_id, number, status, currency, subtotal, total, patient_share, issued_at, due_date)
     VALUES ($1, $2, $3, 'issued', $4, $5, $5, $5, $6, $7) RETURNING id`,
    [v.clinicId, v.patientId, n, v.currency ?? 'USD', v.total, issuedAt, v.dueDate ?? null],
  );
  const id = rows[0]!.id;
  await sql.query(
    `INSERT INTO invoice_lines (invoice_id, kind, code, description, source, service_date, quantity, unit_price, amount, total)
     VALUES ($1, $2, 'TEST', 'Test line', 'manual', $3::timestamptz::date, 1, $4, $4, $4)`,
    [id, v.kind ?? 'consultation', issuedAt, v.total],
  );
  return id;
}

/** A payment written behind the API's back (reports' known datasets). */
export async function rawPayment(
  sql: pg.Pool,
  v: {
    clinicId: string;
    patientId: string;
    invoiceId: string | null;
    method: string;
    currency: string;
    amount: string;
    appliedCurrency: string;
    appliedAmount: string;
    receivedAt: Date;
    userId: string;
  },
): Promise<string> {
  const { rows } = await sql.query<{ id: string }>(
    `INSERT INTO payments (clinic_id, patient_id, invoice_id, receipt_number, method, currency, amount, applied_currency,
                           applied_amount, received_by, received_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
    [
      v.clinicId,
      v.patientId,
      v.invoiceId,
      `RCT-TST-${crypto.randomBytes(5).toString('hex')}`,
      v.method,
      v.currency,
      v.amount,
      v.appliedCurrency,
      v.appliedAmount,
      v.userId,
      v.receivedAt,
    ],
  );
  if (v.invoiceId)
    await sql.query(
      `UPDATE invoices SET paid = paid + $2, status = CASE WHEN total - paid - $2 - credited <= 0 THEN 'paid' ELSE 'partially_paid' END
        WHERE id = $1`,
      [v.invoiceId, v.appliedAmount],
    );
  return rows[0]!.id;
}

export const key = () => `test-${crypto.randomUUID()}`;
