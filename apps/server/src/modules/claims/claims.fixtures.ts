import crypto from 'node:crypto';
import type pg from 'pg';

// Test fixtures of claims' tests and matrix rows: issued invoices (written behind billing's back, as
// its seed would leave them), plans, coverages and claims at a status.

export interface FixtureLine {
  kind: string;
  code: string;
  total: string;
  qty?: string;
  description?: string;
  serviceDate?: string;
}

/** An issued USD invoice of these lines at the clinic; its id and its lines' ids. */
export async function issuedInvoice(
  sql: pg.Pool,
  clinicId: string,
  patientId: string,
  userId: string,
  lines: FixtureLine[],
  currency = 'USD',
): Promise<{ id: string; lines: string[] }> {
  const total = lines.reduce((s, l) => s + Math.round(Number(l.total) * 100), 0) / 100;
  const number = `INV-T-${crypto.randomBytes(6).toString('hex')}`;
  const inv = await sql.query<{ id: string }>(
    `INSERT INTO invoices (clinic_id, patient_id, number, status, currency, subtotal, total, patient_share, issued_at, issued_by, created_by)
     VALUES ($1, $2, $3, 'issued', $4, $5, $5, $5, now(), $6, $6) RETURNING id`,
    [clinicId, patientId, number, currency, total.toFixed(2), userId],
  );
  const id = inv.rows[0]!.id;
  const ids: string[] = [];
  for (const l of lines) {
    const qty = l.qty ?? '1';
    const r = await sql.query<{ id: string }>(
      `INSERT INTO invoice_lines (invoice_id, kind, code, description, source, service_date, quantity, unit_price, amount, total, created_by)
       VALUES ($1, $2, $3, $4, 'manual', coalesce($5::date, current_date), $6, $7::numeric / $6::numeric, $7, $7, $8) RETURNING id`,
      [id, l.kind, l.code, l.description ?? l.code, l.serviceDate ?? null, qty, l.total, userId],
    );
    ids.push(r.rows[0]!.id);
  }
  return { id, lines: ids };
}

/** A plan of a payer (SONAS by default) with these rules; its id. */
export async function plan(sql: pg.Pool, rules: Record<string, unknown>, payerCode = 'SONAS'): Promise<string> {
  const r = await sql.query<{ id: string }>(
    `INSERT INTO insurance_plans (payer_id, code, name, currency, rules)
     SELECT id, $2, $2, 'USD', $3::jsonb FROM payers WHERE code = $1 RETURNING id`,
    [
      payerCode,
      `T-${crypto.randomBytes(4).toString('hex')}`,
      JSON.stringify({
        coveredKinds: ['consultation', 'lab_test', 'medication'],
        excludedCodes: [],
        copay: '0',
        coinsurancePercent: '0',
        annualLimit: null,
        perClaimLimit: null,
        approvalThreshold: null,
        ...rules,
      }),
    ],
  );
  return r.rows[0]!.id;
}

/** A coverage of the patient by the plan, valid from a year ago; its id. */
export async function coverage(sql: pg.Pool, patientId: string, planId: string): Promise<string> {
  const r = await sql.query<{ id: string }>(
    `INSERT INTO coverages (patient_id, plan_id, payer_id, member_id, relationship, valid_from)
     SELECT $1, id, payer_id, $3, 'self', current_date - 365 FROM insurance_plans WHERE id = $2 RETURNING id`,
    [patientId, planId, `M-${crypto.randomBytes(4).toString('hex')}`],
  );
  return r.rows[0]!.id;
}

/** A patient document row (its content is never read by claims). */
export async function documentOf(sql: pg.Pool, patientId: string, clinicId: string, userId: string): Promise<string> {
  const id = crypto.randomUUID();
  await sql.query(
    `INSERT INTO patient_documents (id, patient_id, clinic_id, category, title, filename, content_type, size_bytes, sha256, uploaded_by,
       source, storage_key, wrapped_key, iv, auth_tag)
     VALUES ($1, $2, $3, 'other', 'Referral letter', 'referral.pdf', 'application/pdf', 10, repeat('0', 64), $4, 'staff', $5, 'x', '\\x00', '\\x00')`,
    [id, patientId, clinicId, userId, `test/${id}`],
  );
  return id;
}

type Caller = {
  req(
    method: string,
    url: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<{ statusCode: number; body: string; json<T>(): T }>;
};

/**
 * A claim of a new invoice of the patient at Kinshasa (covered by a plan of its own), taken through
 * the API by `s` (who needs claims:write and claims:review, e.g. a super administrator) to `stage`.
 */
export async function claimAt(
  sql: pg.Pool,
  s: Caller,
  clinicId: string,
  patientId: string,
  userId: string,
  stage: 'draft' | 'submitted' | 'in_review' | 'approved' | 'denied',
): Promise<{ id: string; version: number }> {
  const headers = { 'x-clinic-id': clinicId };
  await coverage(sql, patientId, await plan(sql, {}));
  const inv = await issuedInvoice(sql, clinicId, patientId, userId, [{ kind: 'consultation', code: 'CONS-FX', total: '20.00' }]);
  const call = async (url: string, body: unknown) => {
    const res = await s.req('POST', url, body, headers);
    if (res.statusCode >= 300) throw new Error(`${url}: ${res.statusCode} ${res.body}`);
    return res.json<{ id: string; version: number }>();
  };
  let c = await call('/api/claims', { invoiceId: inv.id, coverageId: undefined });
  if (stage === 'draft') return c;
  c = await call(`/api/claims/${c.id}/submit`, { version: c.version });
  if (stage === 'submitted') return c;
  c = await call(`/api/claims/${c.id}/review`, { version: c.version });
  if (stage === 'in_review') return c;
  return call(`/api/claims/${c.id}/decision`, {
    decision: stage,
    version: c.version,
    ...(stage === 'denied' ? { note: 'No' } : {}),
  });
}
