import { sql, type SQL } from 'drizzle-orm';
import type { InvoiceStatus, ItemKind, LineSource } from '@sanita/contracts/billing';
import type { Executor, Tx } from '../../platform/db/database.ts';

/** An instant as the API writes it; raw SQL answers timestamps as PostgreSQL's text. */
export const iso = (d: Date | string) =>
  (typeof d === 'string' ? new Date(d.replace(' ', 'T').replace(/([+-]\d\d)$/, '$1:00')) : d).toISOString();
export const isoOrNull = (d: Date | string | null) => (d === null ? null : iso(d));

async function rows<T>(tx: Executor, q: SQL): Promise<T[]> {
  return (await tx.execute<T & Record<string, unknown>>(q)).rows as T[];
}
async function one<T>(tx: Executor, q: SQL): Promise<T | undefined> {
  return (await rows<T>(tx, q))[0];
}

// ------------------------------------------------------------------ clinics and settings

export interface ClinicRow {
  id: string;
  code: string;
  name: string;
  timezone: string;
  currencies: string[];
  address: string | null;
  mrnPrefix: string;
}
export const clinic = (tx: Executor, id: string) =>
  one<ClinicRow>(
    tx,
    sql`SELECT id, code, name, timezone, currencies, address, mrn_prefix AS "mrnPrefix" FROM clinics WHERE id = ${id}`,
  );

/** The clinic's local date of an instant (or today). */
export async function localDate(tx: Executor, clinicId: string, at: Date | string = new Date()): Promise<string> {
  const r = await one<{ d: string }>(
    tx,
    sql`SELECT (${typeof at === 'string' ? at : at.toISOString()}::timestamptz AT TIME ZONE timezone)::date::text AS d FROM clinics WHERE id = ${clinicId}`,
  );
  return r!.d;
}

export interface SettingsRow {
  clinicId: string;
  defaultCurrency: string;
  discountApprovalPercent: string;
  paymentTermsDays: number;
}
/** The clinic's settings: its row, else the defaults (the first of the clinic's currencies, 10 %, 30 days). */
export const settings = (tx: Executor, clinicId: string) =>
  one<SettingsRow>(
    tx,
    sql`SELECT c.id AS "clinicId", coalesce(s.default_currency, c.currencies[1], 'USD') AS "defaultCurrency",
          coalesce(s.discount_approval_percent, 10)::text AS "discountApprovalPercent",
          coalesce(s.payment_terms_days, 30) AS "paymentTermsDays"
        FROM clinics c LEFT JOIN billing_settings s ON s.clinic_id = c.id WHERE c.id = ${clinicId}`,
  );

export async function upsertSettings(tx: Executor, s: SettingsRow): Promise<void> {
  await tx.execute(sql`
    INSERT INTO billing_settings (clinic_id, default_currency, discount_approval_percent, payment_terms_days)
    VALUES (${s.clinicId}, ${s.defaultCurrency}, ${s.discountApprovalPercent}, ${s.paymentTermsDays})
    ON CONFLICT (clinic_id) DO UPDATE SET default_currency = EXCLUDED.default_currency,
      discount_approval_percent = EXCLUDED.discount_approval_percent, payment_terms_days = EXCLUDED.payment_terms_days`);
}

// ------------------------------------------------------------------ price list and taxes

export interface PriceRow {
  id: string;
  clinicId: string;
  kind: ItemKind;
  code: string;
  name: string;
  nameFr: string | null;
  taxCategory: string | null;
  procedureCode: string | null;
  currency: string;
  unitPrice: string;
  effectiveFrom: string;
  effectiveTo: string | null;
  active: boolean;
  version: number;
}
const PRICE_COLS = sql`id, clinic_id AS "clinicId", kind, code, name, name_fr AS "nameFr", tax_category AS "taxCategory",
  procedure_code AS "procedureCode", currency, unit_price::text AS "unitPrice", effective_from AS "effectiveFrom",
  effective_to AS "effectiveTo", active, version`;

export const fold = (s: string) =>
  s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();
export const priceSearchText = (p: { code: string; name: string; nameFr?: string | null; procedureCode?: string | null }) =>
  fold([p.code, p.name, p.nameFr ?? '', p.procedureCode ?? ''].join(' ')).trim();

export const priceById = (tx: Executor, id: string, lock = false) =>
  one<PriceRow>(tx, sql`SELECT ${PRICE_COLS} FROM price_items WHERE id = ${id} ${lock ? sql`FOR UPDATE` : sql``}`);

/** The entry in force on `on` for (clinic, kind, code, currency), if any. */
export const priceOn = (tx: Executor, clinicId: string, kind: ItemKind, code: string, currency: string, on: string) =>
  one<PriceRow>(
    tx,
    sql`SELECT ${PRICE_COLS} FROM price_items
         WHERE clinic_id = ${clinicId} AND kind = ${kind} AND code = ${code} AND currency = ${currency} AND active
           AND effective_from <= ${on}::date AND (effective_to IS NULL OR effective_to > ${on}::date)
         ORDER BY effective_from DESC LIMIT 1`,
  );

/** Another active entry for the same item and currency whose dates meet [from, to). */
export const priceOverlap = (
  tx: Executor,
  p: { clinicId: string; kind: string; code: string; currency: string; effectiveFrom: string; effectiveTo: string | null },
  exceptId: string | null,
) =>
  one<{ id: string }>(
    tx,
    sql`SELECT id FROM price_items
         WHERE clinic_id = ${p.clinicId} AND kind = ${p.kind} AND code = ${p.code} AND currency = ${p.currency} AND active
           AND (${exceptId}::uuid IS NULL OR id <> ${exceptId}::uuid)
           AND daterange(effective_from, effective_to, '[)') && daterange(${p.effectiveFrom}::date, ${p.effectiveTo}::date, '[)')
         LIMIT 1`,
  );

export async function lockPriceKey(tx: Tx, clinicId: string, kind: string, code: string, currency: string): Promise<void> {
  await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtext(${`price:${clinicId}:${kind}:${code}:${currency}`}))`);
}

export interface PriceWrite {
  clinicId: string;
  kind: ItemKind;
  code: string;
  name: string;
  nameFr: string | null;
  taxCategory: string | null;
  procedureCode: string | null;
  currency: string;
  unitPrice: string;
  effectiveFrom: string;
  effectiveTo: string | null;
  active: boolean;
}
export async function insertPrice(tx: Executor, p: PriceWrite, userId: string | null): Promise<string> {
  const r = await one<{ id: string }>(
    tx,
    sql`INSERT INTO price_items (clinic_id, kind, code, name, name_fr, tax_category, procedure_code, currency, unit_price,
          effective_from, effective_to, active, search_text, created_by)
        VALUES (${p.clinicId}, ${p.kind}, ${p.code}, ${p.name}, ${p.nameFr}, ${p.taxCategory}, ${p.procedureCode}, ${p.currency},
          ${p.unitPrice}, ${p.effectiveFrom}, ${p.effectiveTo}, ${p.active}, ${priceSearchText(p)}, ${userId})
        RETURNING id`,
  );
  return r!.id;
}
export async function updatePrice(tx: Executor, id: string, p: PriceWrite): Promise<void> {
  await tx.execute(sql`
    UPDATE price_items SET kind = ${p.kind}, code = ${p.code}, name = ${p.name}, name_fr = ${p.nameFr}, tax_category = ${p.taxCategory},
      procedure_code = ${p.procedureCode}, currency = ${p.currency}, unit_price = ${p.unitPrice}, effective_from = ${p.effectiveFrom},
      effective_to = ${p.effectiveTo}, active = ${p.active}, search_text = ${priceSearchText(p)}, version = version + 1
     WHERE id = ${id}`);
}

export async function searchPrices(
  tx: Executor,
  clinicId: string,
  q: { q?: string; kind?: string; currency?: string; on: string; all: boolean; limit: number; offset: number },
): Promise<{ data: PriceRow[]; total: number }> {
  const where: SQL[] = [sql`clinic_id = ${clinicId}`];
  if (q.kind) where.push(sql`kind = ${q.kind}`);
  if (q.currency) where.push(sql`currency = ${q.currency}`);
  if (!q.all)
    where.push(sql`active AND effective_from <= ${q.on}::date AND (effective_to IS NULL OR effective_to > ${q.on}::date)`);
  const text = q.q ? fold(q.q.trim()) : '';
  if (text) where.push(sql`(search_text ILIKE ${'%' + text.replace(/[%_\\]/g, '\\$&') + '%'} OR search_text % ${text})`);
  const cond = sql.join(where, sql` AND `);
  const order = text
    ? sql`ORDER BY (code ILIKE ${text + '%'}) DESC, similarity(search_text, ${text}) DESC, kind, code, currency, effective_from DESC`
    : sql`ORDER BY kind, code, currency, effective_from DESC`;
  const data = await rows<PriceRow>(
    tx,
    sql`SELECT ${PRICE_COLS} FROM price_items WHERE ${cond} ${order} LIMIT ${q.limit} OFFSET ${q.offset}`,
  );
  const total = (await one<{ n: number }>(tx, sql`SELECT count(*)::int AS n FROM price_items WHERE ${cond}`))!.n;
  return { data, total };
}

export interface TaxRow {
  id: string;
  clinicId: string;
  category: string;
  name: string;
  rate: string;
  effectiveFrom: string;
  effectiveTo: string | null;
}
const TAX_COLS = sql`id, clinic_id AS "clinicId", category, name, rate::text AS rate, effective_from AS "effectiveFrom", effective_to AS "effectiveTo"`;
export const taxRates = (tx: Executor, clinicId: string) =>
  rows<TaxRow>(tx, sql`SELECT ${TAX_COLS} FROM tax_rates WHERE clinic_id = ${clinicId} ORDER BY category, effective_from DESC`);
export const taxRateById = (tx: Executor, id: string) => one<TaxRow>(tx, sql`SELECT ${TAX_COLS} FROM tax_rates WHERE id = ${id}`);
/** The rate of a category on a date ("0" when none). */
export async function taxRateOn(tx: Executor, clinicId: string, category: string | null, on: string): Promise<string> {
  if (!category) return '0';
  const r = await one<{ rate: string }>(
    tx,
    sql`SELECT rate::text AS rate FROM tax_rates WHERE clinic_id = ${clinicId} AND category = ${category}
         AND effective_from <= ${on}::date AND (effective_to IS NULL OR effective_to > ${on}::date)
         ORDER BY effective_from DESC LIMIT 1`,
  );
  return r?.rate ?? '0';
}
export const taxOverlap = (tx: Executor, clinicId: string, category: string, from: string, to: string | null) =>
  one<{ id: string }>(
    tx,
    sql`SELECT id FROM tax_rates WHERE clinic_id = ${clinicId} AND category = ${category}
         AND daterange(effective_from, effective_to, '[)') && daterange(${from}::date, ${to}::date, '[)') LIMIT 1`,
  );
export async function insertTaxRate(tx: Executor, t: Omit<TaxRow, 'id'>, userId: string | null): Promise<string> {
  const r = await one<{ id: string }>(
    tx,
    sql`INSERT INTO tax_rates (clinic_id, category, name, rate, effective_from, effective_to, created_by)
        VALUES (${t.clinicId}, ${t.category}, ${t.name}, ${t.rate}, ${t.effectiveFrom}, ${t.effectiveTo}, ${userId}) RETURNING id`,
  );
  return r!.id;
}

// ------------------------------------------------------------------ invoices

export interface InvoiceRow {
  id: string;
  clinicId: string;
  patientId: string;
  visitId: string | null;
  encounterId: string | null;
  number: string | null;
  status: InvoiceStatus;
  currency: string;
  subtotal: string;
  discountTotal: string;
  taxTotal: string;
  total: string;
  paid: string;
  credited: string;
  insurerShare: string;
  patientShare: string;
  issuedAt: Date | string | null;
  dueDate: string | null;
  voidReason: string | null;
  voidedAt: Date | string | null;
  createdAt: Date | string;
  version: number;
  patientName: string;
  mrn: string;
  unpriced: number;
}
const INVOICE_COLS = sql`i.id, i.clinic_id AS "clinicId", i.patient_id AS "patientId", i.visit_id AS "visitId",
  i.encounter_id AS "encounterId", i.number, i.status, i.currency, i.subtotal::text AS subtotal,
  i.discount_total::text AS "discountTotal", i.tax_total::text AS "taxTotal", i.total::text AS total, i.paid::text AS paid,
  i.credited::text AS credited, i.insurer_share::text AS "insurerShare", i.patient_share::text AS "patientShare",
  i.issued_at AS "issuedAt", i.due_date AS "dueDate", i.void_reason AS "voidReason", i.voided_at AS "voidedAt",
  i.created_at AS "createdAt", i.version,
  concat_ws(' ', p.given_name, p.middle_name, p.family_name) AS "patientName", p.mrn,
  (SELECT count(*)::int FROM invoice_lines l WHERE l.invoice_id = i.id AND l.unit_price IS NULL) AS unpriced`;

export const invoiceById = (tx: Executor, id: string) =>
  one<InvoiceRow>(tx, sql`SELECT ${INVOICE_COLS} FROM invoices i JOIN patients p ON p.id = i.patient_id WHERE i.id = ${id}`);

export interface LockedInvoice {
  id: string;
  clinicId: string;
  patientId: string;
  number: string | null;
  status: InvoiceStatus;
  currency: string;
  total: string;
  paid: string;
  credited: string;
  insurerShare: string;
  encounterId: string | null;
  version: number;
}
const HEAD_COLS = sql`id, clinic_id AS "clinicId", patient_id AS "patientId", number, status, currency, total::text AS total,
  paid::text AS paid, credited::text AS credited, insurer_share::text AS "insurerShare", encounter_id AS "encounterId", version`;
export const lockInvoice = (tx: Tx, id: string) =>
  one<LockedInvoice>(tx, sql`SELECT ${HEAD_COLS} FROM invoices WHERE id = ${id} FOR UPDATE`);
/** The same, unlocked: for a read. */
export const invoiceHead = (tx: Executor, id: string) =>
  one<LockedInvoice>(tx, sql`SELECT ${HEAD_COLS} FROM invoices WHERE id = ${id}`);

/** What an announcement of an invoice's change names. */
export interface InvoiceRef {
  id: string;
  patientId: string;
  clinicId: string;
  status: InvoiceStatus;
}
const REF_COLS = sql`id, patient_id AS "patientId", clinic_id AS "clinicId", status`;
export const invoiceRef = (tx: Executor, id: string) =>
  one<InvoiceRef>(tx, sql`SELECT ${REF_COLS} FROM invoices WHERE id = ${id}`);
/** The patient's open draft at the clinic. */
export const draftRef = (tx: Executor, clinicId: string, patientId: string) =>
  one<InvoiceRef>(
    tx,
    sql`SELECT ${REF_COLS} FROM invoices WHERE clinic_id = ${clinicId} AND patient_id = ${patientId} AND status = 'draft'`,
  );

export async function invoiceCurrency(tx: Executor, id: string): Promise<string | undefined> {
  return (await one<{ currency: string }>(tx, sql`SELECT currency FROM invoices WHERE id = ${id}`))?.currency;
}

export const subtotalOf = (tx: Executor, id: string) =>
  one<{ subtotal: string; discountTotal: string }>(
    tx,
    sql`SELECT subtotal::text AS subtotal, discount_total::text AS "discountTotal" FROM invoices WHERE id = ${id}`,
  );

/** What was paid and the status that follows; the version moves on. */
export async function setPaid(tx: Executor, id: string, paid: string, status: string): Promise<void> {
  await tx.execute(sql`UPDATE invoices SET paid = ${paid}, status = ${status}, version = version + 1 WHERE id = ${id}`);
}

export async function setInsurerShare(tx: Executor, id: string, insurerShare: string, patientShare: string): Promise<void> {
  await tx.execute(
    sql`UPDATE invoices SET insurer_share = ${insurerShare}, patient_share = ${patientShare}, version = version + 1 WHERE id = ${id}`,
  );
}

/** A draft reached by a charge of an encounter gets the encounter (and its visit) when it has none. */
export async function attachEncounter(tx: Executor, id: string, encounterId: string, visitId: string | null): Promise<void> {
  await tx.execute(
    sql`UPDATE invoices SET encounter_id = coalesce(encounter_id, ${encounterId}), visit_id = coalesce(visit_id, ${visitId})
         WHERE id = ${id}`,
  );
}

/** The invoice's totals (the insurer's share capped to the new total); the version moves on. */
export async function setInvoiceTotals(
  tx: Executor,
  id: string,
  t: { subtotal: string; discountTotal: string; taxTotal: string; total: string },
): Promise<void> {
  await tx.execute(
    sql`UPDATE invoices SET subtotal = ${t.subtotal}, discount_total = ${t.discountTotal}, tax_total = ${t.taxTotal}, total = ${t.total},
          insurer_share = least(insurer_share, ${t.total}::numeric), patient_share = ${t.total}::numeric - least(insurer_share, ${t.total}::numeric),
          version = version + 1
        WHERE id = ${id}`,
  );
}

export async function bumpVersion(tx: Executor, id: string): Promise<void> {
  await tx.execute(sql`UPDATE invoices SET version = version + 1 WHERE id = ${id}`);
}

export async function voidInvoice(tx: Executor, id: string, reason: string, userId: string): Promise<void> {
  await tx.execute(
    sql`UPDATE invoices SET status = 'void', void_reason = ${reason}, voided_at = now(), voided_by = ${userId},
          version = version + 1 WHERE id = ${id}`,
  );
}

export async function isVisitOf(tx: Executor, visitId: string, patientId: string, clinicId: string): Promise<boolean> {
  return !!(await one<{ id: string }>(
    tx,
    sql`SELECT id FROM visits WHERE id = ${visitId} AND patient_id = ${patientId} AND clinic_id = ${clinicId}`,
  ));
}

export async function listInvoices(
  tx: Executor,
  clinicId: string,
  q: {
    patientId?: string;
    status?: string;
    q?: string;
    from?: string;
    to?: string;
    open?: boolean;
    limit: number;
    offset: number;
  },
): Promise<{ data: InvoiceRow[]; total: number }> {
  const where: SQL[] = [sql`i.clinic_id = ${clinicId}`];
  if (q.patientId) where.push(sql`i.patient_id = ${q.patientId}`);
  if (q.status) where.push(sql`i.status = ${q.status}`);
  // the days are the clinic's: from the start of `from` to the end of `to` in its timezone
  const clinicDay = (day: string, plus = 0) =>
    sql`(${day}::date + ${plus}::int)::timestamp AT TIME ZONE (SELECT timezone FROM clinics WHERE id = ${clinicId})`;
  if (q.from) where.push(sql`coalesce(i.issued_at, i.created_at) >= ${clinicDay(q.from)}`);
  if (q.to) where.push(sql`coalesce(i.issued_at, i.created_at) < ${clinicDay(q.to, 1)}`);
  if (q.open) where.push(sql`i.status IN ('draft', 'issued', 'partially_paid') AND i.total - i.paid - i.credited > 0`);
  const text = q.q?.trim();
  if (text) {
    const like = '%' + fold(text).replace(/[%_\\]/g, '\\$&') + '%';
    where.push(sql`(p.mrn = ${text.toUpperCase()} OR i.number ILIKE ${like} OR p.search_name ILIKE ${like})`);
  }
  const cond = sql.join(where, sql` AND `);
  const data = await rows<InvoiceRow>(
    tx,
    sql`SELECT ${INVOICE_COLS} FROM invoices i JOIN patients p ON p.id = i.patient_id WHERE ${cond}
         ORDER BY i.created_at DESC, i.id DESC LIMIT ${q.limit} OFFSET ${q.offset}`,
  );
  const total = (await one<{ n: number }>(
    tx,
    sql`SELECT count(*)::int AS n FROM invoices i JOIN patients p ON p.id = i.patient_id WHERE ${cond}`,
  ))!.n;
  return { data, total };
}

/** The patient's open draft at the clinic, locked; created when missing (one per patient and clinic). */
export async function openDraft(
  tx: Tx,
  d: {
    clinicId: string;
    patientId: string;
    currency: string;
    visitId: string | null;
    encounterId: string | null;
    userId: string | null;
  },
): Promise<{ id: string; created: boolean }> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const found = await one<{ id: string }>(
      tx,
      sql`SELECT id FROM invoices WHERE clinic_id = ${d.clinicId} AND patient_id = ${d.patientId} AND status = 'draft' FOR UPDATE`,
    );
    if (found) return { id: found.id, created: false };
    const made = await one<{ id: string }>(
      tx,
      sql`INSERT INTO invoices (clinic_id, patient_id, visit_id, encounter_id, currency, created_by)
          VALUES (${d.clinicId}, ${d.patientId}, ${d.visitId}, ${d.encounterId}, ${d.currency}, ${d.userId})
          ON CONFLICT (clinic_id, patient_id) WHERE status = 'draft' DO NOTHING RETURNING id`,
    );
    if (made) return { id: made.id, created: true };
  }
  throw new Error('could not open a draft invoice');
}

export interface LineRow {
  id: string;
  invoiceId: string;
  kind: ItemKind;
  code: string;
  description: string;
  descriptionFr: string | null;
  source: LineSource;
  sourceId: string | null;
  serviceDate: string;
  practitionerId: string | null;
  practitionerName: string | null;
  procedureCode: string | null;
  quantity: string;
  unitPrice: string | null;
  taxCategory: string | null;
  taxRate: string;
  amount: string;
  discount: string;
  tax: string;
  total: string;
}
export const lines = (tx: Executor, invoiceId: string) =>
  rows<LineRow>(
    tx,
    sql`SELECT l.id, l.invoice_id AS "invoiceId", l.kind, l.code, l.description, l.description_fr AS "descriptionFr", l.source,
          l.source_id AS "sourceId", l.service_date AS "serviceDate", l.practitioner_id AS "practitionerId",
          pr.display_name AS "practitionerName", l.procedure_code AS "procedureCode", l.quantity::text AS quantity,
          l.unit_price::text AS "unitPrice", l.tax_category AS "taxCategory", l.tax_rate::text AS "taxRate",
          l.amount::text AS amount, l.discount::text AS discount, l.tax::text AS tax, l.total::text AS total
        FROM invoice_lines l LEFT JOIN practitioners pr ON pr.id = l.practitioner_id
       WHERE l.invoice_id = ${invoiceId} ORDER BY l.service_date, l.created_at, l.id`,
  );

export interface NewLine {
  kind: ItemKind;
  code: string;
  description: string;
  descriptionFr: string | null;
  source: LineSource;
  sourceId: string | null;
  sourceKey: string | null;
  priceItemId: string | null;
  serviceDate: string;
  practitionerId: string | null;
  procedureCode: string | null;
  quantity: string;
  unitPrice: string | null;
  taxCategory: string | null;
  taxRate: string;
}
/** Inserts a line; a captured line whose source is already billed is skipped (null). */
export async function insertLine(tx: Executor, invoiceId: string, l: NewLine, userId: string | null): Promise<string | null> {
  const r = await one<{ id: string }>(
    tx,
    sql`INSERT INTO invoice_lines (invoice_id, kind, code, description, description_fr, source, source_id, source_key, price_item_id,
          service_date, practitioner_id, procedure_code, quantity, unit_price, tax_category, tax_rate, created_by)
        VALUES (${invoiceId}, ${l.kind}, ${l.code}, ${l.description}, ${l.descriptionFr}, ${l.source}, ${l.sourceId}, ${l.sourceKey},
          ${l.priceItemId}, ${l.serviceDate}, ${l.practitionerId}, ${l.procedureCode}, ${l.quantity}, ${l.unitPrice}, ${l.taxCategory},
          ${l.taxRate}, ${userId})
        ON CONFLICT (source_key) DO NOTHING RETURNING id`,
  );
  return r?.id ?? null;
}
export async function billedKeys(tx: Executor, keys: string[]): Promise<Set<string>> {
  if (!keys.length) return new Set();
  const r = await rows<{ k: string }>(
    tx,
    sql`SELECT source_key AS k FROM invoice_lines WHERE source_key = ANY(${`{${keys.map((k) => `"${k}"`).join(',')}}`}::text[])`,
  );
  return new Set(r.map((x) => x.k));
}

export interface DiscountRow {
  id: string;
  invoiceId: string;
  percent: string | null;
  amount: string | null;
  reason: string;
  status: 'pending' | 'approved' | 'rejected' | 'applied';
  requestedBy: string;
  requestedByName: string;
  requestedAt: Date | string;
  decidedBy: string | null;
  decidedByName: string | null;
  decidedAt: Date | string | null;
}
export const discounts = (tx: Executor, invoiceId: string) =>
  rows<DiscountRow>(
    tx,
    sql`SELECT d.id, d.invoice_id AS "invoiceId", d.percent::text AS percent, d.amount::text AS amount, d.reason, d.status,
          d.requested_by AS "requestedBy", ru.display_name AS "requestedByName", d.requested_at AS "requestedAt",
          d.decided_by AS "decidedBy", du.display_name AS "decidedByName", d.decided_at AS "decidedAt"
        FROM invoice_discounts d JOIN users ru ON ru.id = d.requested_by LEFT JOIN users du ON du.id = d.decided_by
       WHERE d.invoice_id = ${invoiceId} ORDER BY d.requested_at, d.id`,
  );

export interface CreditRow {
  id: string;
  number: string;
  invoiceId: string;
  amount: string;
  reason: string;
  createdBy: string;
  createdByName: string;
  createdAt: Date | string;
}
export const credits = (tx: Executor, invoiceId: string) =>
  rows<CreditRow>(
    tx,
    sql`SELECT c.id, c.number, c.invoice_id AS "invoiceId", c.amount::text AS amount, c.reason, c.created_by AS "createdBy",
          u.display_name AS "createdByName", c.created_at AS "createdAt"
        FROM credit_notes c JOIN users u ON u.id = c.created_by WHERE c.invoice_id = ${invoiceId} ORDER BY c.created_at, c.id`,
  );

// ------------------------------------------------------------------ issue and credit notes

/** A draft becomes an invoice (issued, or paid when its total is 0), due `termsDays` after the clinic's day; numbered later. */
export async function markIssued(
  tx: Executor,
  id: string,
  v: { status: 'issued' | 'paid'; at: Date; by: string; day: string; termsDays: number },
): Promise<void> {
  await tx.execute(
    sql`UPDATE invoices SET status = ${v.status}, issued_at = ${v.at.toISOString()}, issued_by = ${v.by},
          due_date = ${v.day}::date + ${v.termsDays}::int, version = version + 1 WHERE id = ${id}`,
  );
}

/** One statement: the invoice's number and `audit` (an INSERT INTO audit_log). */
export async function numberInvoice(tx: Executor, id: string, number: string, audit: SQL): Promise<void> {
  await tx.execute(sql`WITH n AS (UPDATE invoices SET number = ${number} WHERE id = ${id}) ${audit}`);
}

export async function insertCreditNote(
  tx: Executor,
  c: { id: string; invoiceId: string; clinicId: string; number: string; amount: string; reason: string; userId: string },
): Promise<void> {
  await tx.execute(
    sql`INSERT INTO credit_notes (id, invoice_id, clinic_id, number, amount, reason, created_by)
        VALUES (${c.id}, ${c.invoiceId}, ${c.clinicId}, ${c.number}, ${c.amount}, ${c.reason}, ${c.userId})`,
  );
}

/** One statement: the credit note's number and `audit` (an INSERT INTO audit_log). */
export async function numberCreditNote(tx: Executor, id: string, number: string, audit: SQL): Promise<void> {
  await tx.execute(sql`WITH n AS (UPDATE credit_notes SET number = ${number} WHERE id = ${id}) ${audit}`);
}

/** What was credited on an invoice, and the status that follows; the version moves on. */
export async function setCredited(tx: Executor, id: string, credited: string, status: string): Promise<void> {
  await tx.execute(sql`UPDATE invoices SET credited = ${credited}, status = ${status}, version = version + 1 WHERE id = ${id}`);
}

// ------------------------------------------------------------------ lines and discounts (of a locked invoice)

/** One line of an invoice, for a change to it. */
export const lineOf = (tx: Executor, invoiceId: string, lineId: string) =>
  one<{ source: LineSource; code: string; total: string; unitPrice: string | null }>(
    tx,
    sql`SELECT source, code, total::text AS total, unit_price::text AS "unitPrice"
          FROM invoice_lines WHERE id = ${lineId} AND invoice_id = ${invoiceId}`,
  );

export async function setLineUnitPrice(tx: Executor, lineId: string, unitPrice: string): Promise<void> {
  await tx.execute(sql`UPDATE invoice_lines SET unit_price = ${unitPrice} WHERE id = ${lineId}`);
}

export async function setLineTotals(
  tx: Executor,
  l: { id: string; amount: string; discount: string; tax: string; total: string },
): Promise<void> {
  await tx.execute(
    sql`UPDATE invoice_lines SET amount = ${l.amount}, discount = ${l.discount}, tax = ${l.tax}, total = ${l.total} WHERE id = ${l.id}`,
  );
}

export async function deleteLine(tx: Executor, lineId: string): Promise<void> {
  await tx.execute(sql`DELETE FROM invoice_lines WHERE id = ${lineId}`);
}

/** How many lines an invoice has, and how many of them have no price. */
export async function lineCounts(tx: Executor, invoiceId: string): Promise<{ lines: number; unpriced: number }> {
  return (await one<{ lines: number; unpriced: number }>(
    tx,
    sql`SELECT count(*)::int AS lines, count(*) FILTER (WHERE unit_price IS NULL)::int AS unpriced
          FROM invoice_lines WHERE invoice_id = ${invoiceId}`,
  ))!;
}

export const pendingDiscount = (tx: Executor, invoiceId: string) =>
  one<{ id: string }>(tx, sql`SELECT id FROM invoice_discounts WHERE invoice_id = ${invoiceId} AND status = 'pending' LIMIT 1`);

export async function insertDiscount(
  tx: Executor,
  d: {
    invoiceId: string;
    percent: string | null;
    amount: string | null;
    reason: string;
    status: 'pending' | 'applied';
    userId: string;
  },
): Promise<string> {
  return (await one<{ id: string }>(
    tx,
    sql`INSERT INTO invoice_discounts (invoice_id, percent, amount, reason, status, requested_by)
        VALUES (${d.invoiceId}, ${d.percent}, ${d.amount}, ${d.reason}, ${d.status}, ${d.userId}) RETURNING id`,
  ))!.id;
}

/** A discount of the invoice, locked for its decision. */
export const lockDiscount = (tx: Tx, invoiceId: string, discountId: string) =>
  one<{ status: string; requestedBy: string }>(
    tx,
    sql`SELECT status, requested_by AS "requestedBy" FROM invoice_discounts
         WHERE id = ${discountId} AND invoice_id = ${invoiceId} FOR UPDATE`,
  );

export async function decideDiscount(
  tx: Executor,
  discountId: string,
  d: { status: 'approved' | 'rejected'; userId: string; note: string | null },
): Promise<void> {
  await tx.execute(
    sql`UPDATE invoice_discounts SET status = ${d.status}, decided_by = ${d.userId}, decided_at = now(), decision_note = ${d.note}
         WHERE id = ${discountId}`,
  );
}

/** Serialises the writes of a tax category at a clinic (the overlap check), to the end of the transaction. */
export async function lockTaxCategory(tx: Tx, clinicId: string, category: string): Promise<void> {
  await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtext(${`tax:${clinicId}:${category}`}))`);
}

// ------------------------------------------------------------------ what charge capture bills

/** A finished encounter as billing prices it: its clinic's day, type and the appointment's visit type. */
export const encounterToBill = (tx: Executor, encounterId: string) =>
  one<{
    clinicId: string;
    patientId: string;
    visitId: string | null;
    practitionerId: string | null;
    type: string;
    day: string;
    code: string | null;
    vtName: string | null;
    vtNameFr: string | null;
  }>(
    tx,
    sql`SELECT e.clinic_id AS "clinicId", e.patient_id AS "patientId", e.visit_id AS "visitId", e.practitioner_id AS "practitionerId",
              e.type, (coalesce(e.ended_at, now()) AT TIME ZONE c.timezone)::date::text AS day,
              vt.code, vt.name AS "vtName", vt.name_fr AS "vtNameFr"
            FROM encounters e JOIN clinics c ON c.id = e.clinic_id
            LEFT JOIN appointments a ON a.id = e.appointment_id LEFT JOIN visit_types vt ON vt.id = a.visit_type_id
           WHERE e.id = ${encounterId}`,
  );

/** A lab order's tests and panels, in order, with the order's clinic day and the prescriber's practitioner. */
export const labOrderToBill = (tx: Executor, orderId: string) =>
  rows<{
    itemId: string;
    clinicId: string;
    patientId: string;
    encounterId: string | null;
    visitId: string | null;
    practitionerId: string | null;
    day: string;
    code: string;
    name: string;
    nameFr: string | null;
  }>(
    tx,
    sql`SELECT i.id AS "itemId", o.clinic_id AS "clinicId", o.patient_id AS "patientId", o.encounter_id AS "encounterId",
              e.visit_id AS "visitId", coalesce(e.practitioner_id, pr.id) AS "practitionerId",
              (o.ordered_at AT TIME ZONE c.timezone)::date::text AS day, t.code, t.name, t.name_fr AS "nameFr"
            FROM lab_orders o JOIN lab_order_items i ON i.order_id = o.id JOIN lab_tests t ON t.id = i.test_id
            JOIN clinics c ON c.id = o.clinic_id
            LEFT JOIN encounters e ON e.id = o.encounter_id LEFT JOIN practitioners pr ON pr.user_id = o.ordered_by
           WHERE o.id = ${orderId} ORDER BY i.position`,
  );

/** The lines' keys of a lab order's items (`lab_order_item:<id>`), as charge capture writes them. */
const labOrderKeys = (orderId: string) => sql`(SELECT 'lab_order_item:' || id FROM lab_order_items WHERE order_id = ${orderId})`;

/** The drafts that bill items of a lab order. */
export async function draftsBillingLabOrder(tx: Executor, orderId: string): Promise<string[]> {
  const r = await rows<{ id: string }>(
    tx,
    sql`SELECT DISTINCT i.id FROM invoice_lines l JOIN invoices i ON i.id = l.invoice_id
         WHERE l.source_key IN ${labOrderKeys(orderId)} AND i.status = 'draft' ORDER BY i.id`,
  );
  return r.map((x) => x.id);
}

/** Deletes a draft's lines of a lab order's items; how many went. */
export async function deleteLabOrderLines(tx: Executor, invoiceId: string, orderId: string): Promise<number> {
  const res = await tx.execute(
    sql`DELETE FROM invoice_lines WHERE invoice_id = ${invoiceId} AND source_key IN ${labOrderKeys(orderId)}`,
  );
  return res.rowCount ?? 0;
}

/** A dispense's lines: the formulary item's code (or the stocked item's), units, the clinic day. */
export const dispenseToBill = (tx: Executor, dispenseId: string) =>
  rows<{
    lineId: string;
    clinicId: string;
    patientId: string;
    encounterId: string | null;
    visitId: string | null;
    practitionerId: string | null;
    day: string;
    code: string;
    name: string;
    quantity: number;
  }>(
    tx,
    sql`SELECT l.id AS "lineId", d.clinic_id AS "clinicId", d.patient_id AS "patientId", rx.encounter_id AS "encounterId",
              e.visit_id AS "visitId", coalesce(e.practitioner_id, pr.id) AS "practitionerId",
              (d.dispensed_at AT TIME ZONE c.timezone)::date::text AS day,
              coalesce(f.code, 'inventory:' || ii.id::text) AS code, coalesce(f.name, ii.name) AS name, l.quantity
            FROM dispenses d JOIN dispense_lines l ON l.dispense_id = d.id JOIN clinics c ON c.id = d.clinic_id
            JOIN prescriptions rx ON rx.id = d.prescription_id
            JOIN inventory_items ii ON ii.id = l.inventory_item_id LEFT JOIN formulary_items f ON f.id = ii.formulary_item_id
            LEFT JOIN encounters e ON e.id = rx.encounter_id LEFT JOIN practitioners pr ON pr.user_id = rx.prescriber_id
           WHERE d.id = ${dispenseId} ORDER BY l.id`,
  );
