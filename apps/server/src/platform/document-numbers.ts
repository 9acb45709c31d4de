import { sql } from 'drizzle-orm';
import type { Executor } from './db/database.ts';

/** The documents numbered per clinic and year: invoices, credit notes, receipts, claims. */
export type DocType = 'INV' | 'CN' | 'RCT' | 'CLM';

/**
 * The next number of a document, `INV-KIN-2026-000123`: without gaps per clinic, type and year.
 * The counter row is moved forward (and so locked) inside the caller's transaction: a transaction
 * that rolls back gives its number back, and concurrent issuers at one clinic wait for each other's
 * commit. Call it as late as possible in the transaction, so that the lock is held briefly. The
 * year is the clinic's local year at `at`.
 */
export async function nextDocumentNumber(
  tx: Executor,
  clinicId: string,
  docType: DocType,
  at: Date = new Date(),
): Promise<string> {
  const { rows } = await tx.execute<{ prefix: string; year: number; last: number }>(sql`
    WITH c AS (
      SELECT mrn_prefix AS prefix, extract(year FROM ${at.toISOString()}::timestamptz AT TIME ZONE timezone)::smallint AS year
        FROM clinics WHERE id = ${clinicId}
    ), n AS (
      INSERT INTO document_numbers (clinic_id, doc_type, year, last)
      SELECT ${clinicId}, ${docType}, c.year, 1 FROM c
      ON CONFLICT (clinic_id, doc_type, year) DO UPDATE SET last = document_numbers.last + 1
      RETURNING year, last
    )
    SELECT c.prefix, n.year, n.last FROM c, n`);
  const r = rows[0];
  if (!r) throw new Error(`unknown clinic ${clinicId}`);
  return `${docType}-${r.prefix}-${r.year}-${String(r.last).padStart(6, '0')}`;
}
