import { sql, type SQL } from 'drizzle-orm';
import type { AnomalyReason, ClaimListQuery, ClaimStatus, PlanRules } from '@sanita/contracts/claims';
import type { DocumentCategory } from '@sanita/contracts/documents';
import type { Executor } from '../../platform/db/database.ts';
import { linkedToClinic } from '../../platform/patient-access.ts';
import { FREQUENCY_DAYS, PEER_SAMPLE, peerStats, type PeerStats } from './claims.anomaly.ts';

type Row = Record<string, unknown>;
const rows = async <T>(tx: Executor, q: SQL): Promise<T[]> => (await tx.execute(q)).rows as T[];
const one = async <T>(tx: Executor, q: SQL): Promise<T | undefined> => (await rows<T>(tx, q))[0];

// ------------------------------------------------------------------ payers, plans, members

export interface PayerRow {
  id: string;
  code: string;
  name: string;
  email: string | null;
  phone: string | null;
  active: boolean;
  version: number;
}
export const listPayers = (tx: Executor) =>
  rows<PayerRow>(tx, sql`SELECT id, code, name, email, phone, active, version FROM payers ORDER BY name`);
export const getPayer = (tx: Executor, id: string, lock = false) =>
  one<PayerRow>(
    tx,
    sql`SELECT id, code, name, email, phone, active, version FROM payers WHERE id = ${id} ${lock ? sql`FOR UPDATE` : sql``}`,
  );
export const insertPayer = async (tx: Executor, v: { code: string; name: string; email: string | null; phone: string | null }) =>
  (await one<{ id: string }>(
    tx,
    sql`INSERT INTO payers (code, name, email, phone) VALUES (${v.code}, ${v.name}, ${v.email}, ${v.phone}) RETURNING id`,
  ))!.id;
export const updatePayer = (tx: Executor, id: string, v: Omit<PayerRow, 'id'>) =>
  tx.execute(sql`UPDATE payers SET code = ${v.code}, name = ${v.name}, email = ${v.email}, phone = ${v.phone},
    active = ${v.active}, version = ${v.version} WHERE id = ${id}`);
export const codeTaken = async (
  tx: Executor,
  table: 'payers' | 'insurance_plans',
  code: string,
  exceptId: string | null,
  payerId?: string,
) =>
  !!(await one(
    tx,
    table === 'payers'
      ? sql`SELECT 1 FROM payers WHERE code = ${code} AND id IS DISTINCT FROM ${exceptId}::uuid`
      : sql`SELECT 1 FROM insurance_plans WHERE payer_id = ${payerId} AND code = ${code} AND id IS DISTINCT FROM ${exceptId}::uuid`,
  ));

export interface PlanRow {
  id: string;
  payerId: string;
  code: string;
  name: string;
  currency: string;
  rules: PlanRules;
  active: boolean;
  version: number;
}
const PLAN = sql`SELECT id, payer_id AS "payerId", code, name, currency, rules, active, version FROM insurance_plans`;
export const listPlans = (tx: Executor, payerId: string) =>
  rows<PlanRow>(tx, sql`${PLAN} WHERE payer_id = ${payerId} ORDER BY code`);
export const getPlan = (tx: Executor, id: string, lock = false) =>
  one<PlanRow>(tx, sql`${PLAN} WHERE id = ${id} ${lock ? sql`FOR UPDATE` : sql``}`);
export const insertPlan = async (tx: Executor, v: Omit<PlanRow, 'id' | 'active' | 'version'>) =>
  (await one<{ id: string }>(
    tx,
    sql`INSERT INTO insurance_plans (payer_id, code, name, currency, rules)
        VALUES (${v.payerId}, ${v.code}, ${v.name}, ${v.currency}, ${JSON.stringify(v.rules)}::jsonb) RETURNING id`,
  ))!.id;
export const updatePlan = (tx: Executor, id: string, v: Omit<PlanRow, 'id' | 'payerId'>) =>
  tx.execute(sql`UPDATE insurance_plans SET code = ${v.code}, name = ${v.name}, currency = ${v.currency},
    rules = ${JSON.stringify(v.rules)}::jsonb, active = ${v.active}, version = ${v.version} WHERE id = ${id}`);

export const listMembers = (tx: Executor, payerId: string) =>
  rows<{ id: string; name: string; email: string }>(
    tx,
    sql`SELECT u.id, u.display_name AS name, u.email FROM payer_members m JOIN users u ON u.id = m.user_id
        WHERE m.payer_id = ${payerId} ORDER BY u.display_name`,
  );
export const userRoles = (tx: Executor, userId: string) =>
  rows<{ role: string }>(tx, sql`SELECT DISTINCT role_id AS role FROM memberships WHERE user_id = ${userId}`);
export const setMember = (tx: Executor, userId: string, payerId: string) =>
  tx.execute(sql`INSERT INTO payer_members (user_id, payer_id) VALUES (${userId}, ${payerId})
                 ON CONFLICT (user_id) DO UPDATE SET payer_id = EXCLUDED.payer_id`);
export const payerOfUser = async (tx: Executor, userId: string) =>
  (await one<{ payerId: string }>(tx, sql`SELECT payer_id AS "payerId" FROM payer_members WHERE user_id = ${userId}`))?.payerId ??
  null;

// ------------------------------------------------------------------ patients, coverages

export const patientFor = (tx: Executor, patientId: string, clinicId: string | null) =>
  one<{ status: string; linked: boolean; sex: string }>(
    tx,
    sql`SELECT status, sex, ${linkedToClinic(sql`id`, clinicId)} AS linked FROM patients WHERE id = ${patientId}`,
  );

export interface CoverageRow {
  id: string;
  patientId: string;
  planId: string;
  payerId: string;
  payerCode: string;
  payerName: string;
  payerActive: boolean;
  planCode: string;
  planName: string;
  planActive: boolean;
  currency: string;
  rules: PlanRules;
  memberId: string;
  subscriberName: string | null;
  relationship: 'self' | 'spouse' | 'child' | 'parent' | 'other';
  validFrom: string;
  validTo: string | null;
  priority: number;
  active: boolean;
  version: number;
}
const COVERAGE = sql`SELECT c.id, c.patient_id AS "patientId", c.plan_id AS "planId", c.payer_id AS "payerId",
  py.code AS "payerCode", py.name AS "payerName", py.active AS "payerActive", pl.code AS "planCode", pl.name AS "planName",
  pl.active AS "planActive", pl.currency, pl.rules, c.member_id AS "memberId", c.subscriber_name AS "subscriberName",
  c.relationship, c.valid_from::text AS "validFrom", c.valid_to::text AS "validTo", c.priority, c.active, c.version
  FROM coverages c JOIN payers py ON py.id = c.payer_id JOIN insurance_plans pl ON pl.id = c.plan_id`;
export const listCoverages = (tx: Executor, patientId: string) =>
  rows<CoverageRow>(tx, sql`${COVERAGE} WHERE c.patient_id = ${patientId} ORDER BY c.active DESC, c.priority, c.valid_from DESC`);
export const getCoverage = (tx: Executor, id: string, lock = false) =>
  one<CoverageRow>(tx, sql`${COVERAGE} WHERE c.id = ${id} ${lock ? sql`FOR UPDATE OF c` : sql``}`);
export const insertCoverage = async (
  tx: Executor,
  v: Pick<
    CoverageRow,
    'patientId' | 'planId' | 'payerId' | 'memberId' | 'subscriberName' | 'relationship' | 'validFrom' | 'validTo' | 'priority'
  > & {
    createdBy: string;
  },
) =>
  (await one<{ id: string }>(
    tx,
    sql`INSERT INTO coverages (patient_id, plan_id, payer_id, member_id, subscriber_name, relationship, valid_from, valid_to, priority, created_by)
        VALUES (${v.patientId}, ${v.planId}, ${v.payerId}, ${v.memberId}, ${v.subscriberName}, ${v.relationship}, ${v.validFrom},
                ${v.validTo}, ${v.priority}, ${v.createdBy}) RETURNING id`,
  ))!.id;
export const updateCoverage = (
  tx: Executor,
  id: string,
  v: Pick<
    CoverageRow,
    | 'planId'
    | 'payerId'
    | 'memberId'
    | 'subscriberName'
    | 'relationship'
    | 'validFrom'
    | 'validTo'
    | 'priority'
    | 'active'
    | 'version'
  >,
) =>
  tx.execute(sql`UPDATE coverages SET plan_id = ${v.planId}, payer_id = ${v.payerId}, member_id = ${v.memberId},
    subscriber_name = ${v.subscriberName}, relationship = ${v.relationship}, valid_from = ${v.validFrom}, valid_to = ${v.validTo},
    priority = ${v.priority}, active = ${v.active}, version = ${v.version} WHERE id = ${id}`);
export const memberTaken = async (tx: Executor, payerId: string, memberId: string, patientId: string, exceptId: string | null) =>
  !!(await one(
    tx,
    sql`SELECT 1 FROM coverages WHERE payer_id = ${payerId} AND member_id = ${memberId} AND patient_id = ${patientId}
        AND id IS DISTINCT FROM ${exceptId}::uuid`,
  ));

/** What the payer has paid or owes for this coverage's member in the calendar year of `on` (claims not denied, not this one). */
export async function annualUsed(
  tx: Executor,
  coverageId: string,
  on: string,
  exceptClaimId: string | null = null,
): Promise<string> {
  const r = await one<{ used: string }>(
    tx,
    sql`SELECT coalesce(sum(coalesce(c.approved, c.claimed)), 0)::text AS used FROM claims c
        WHERE c.coverage_id = ${coverageId} AND c.status <> 'denied'
          AND c.service_date >= date_trunc('year', ${on}::date) AND c.service_date < date_trunc('year', ${on}::date) + interval '1 year'
          AND c.id IS DISTINCT FROM ${exceptClaimId}::uuid
          AND NOT EXISTS (SELECT 1 FROM claims r WHERE r.resubmission_of = c.id)`,
  );
  return r!.used;
}

// ------------------------------------------------------------------ claims

export interface ClaimRow {
  id: string;
  clinicId: string;
  clinicName: string;
  number: string;
  status: ClaimStatus;
  patientId: string;
  patientName: string;
  mrn: string;
  sex: string;
  coverageId: string;
  memberId: string;
  relationship: CoverageRow['relationship'];
  payerId: string;
  payerCode: string;
  payerName: string;
  planId: string;
  planCode: string;
  planName: string;
  rules: PlanRules;
  invoiceId: string;
  invoiceNumber: string | null;
  encounterId: string | null;
  practitionerId: string | null;
  practitionerName: string | null;
  diagnoses: { code: string; description: string }[];
  currency: string;
  claimed: string;
  approved: string | null;
  paid: string | null;
  anomalyScore: number | null;
  anomalyReasons: AnomalyReason[];
  resubmissionOf: string | null;
  resubmittedAs: string | null;
  serviceDate: string;
  submittedAt: Date | null;
  decidedAt: Date | null;
  createdAt: Date;
  version: number;
}
const CLAIM = sql`SELECT c.id, c.clinic_id AS "clinicId", cl.name AS "clinicName", c.number, c.status, c.patient_id AS "patientId",
  concat_ws(' ', p.given_name, p.family_name) AS "patientName", p.mrn, p.sex, c.coverage_id AS "coverageId", cv.member_id AS "memberId",
  cv.relationship, c.payer_id AS "payerId", py.code AS "payerCode", py.name AS "payerName", c.plan_id AS "planId",
  pl.code AS "planCode", pl.name AS "planName", pl.rules, c.invoice_id AS "invoiceId", i.number AS "invoiceNumber",
  c.encounter_id AS "encounterId", c.practitioner_id AS "practitionerId", pr.display_name AS "practitionerName", c.diagnoses,
  c.currency, c.claimed::text, c.approved::text, c.paid::text, c.anomaly_score AS "anomalyScore", c.anomaly_reasons AS "anomalyReasons",
  c.resubmission_of AS "resubmissionOf", (SELECT r.id FROM claims r WHERE r.resubmission_of = c.id) AS "resubmittedAs",
  c.service_date::text AS "serviceDate", c.submitted_at AS "submittedAt", c.decided_at AS "decidedAt", c.created_at AS "createdAt", c.version
  FROM claims c JOIN clinics cl ON cl.id = c.clinic_id JOIN patients p ON p.id = c.patient_id JOIN coverages cv ON cv.id = c.coverage_id
  JOIN payers py ON py.id = c.payer_id JOIN insurance_plans pl ON pl.id = c.plan_id JOIN invoices i ON i.id = c.invoice_id
  LEFT JOIN practitioners pr ON pr.id = c.practitioner_id`;

const dates = (r: Row): ClaimRow => {
  const c = r as unknown as ClaimRow;
  for (const k of ['submittedAt', 'decidedAt', 'createdAt'] as const) {
    const v = c[k] as unknown;
    if (typeof v === 'string') (c as unknown as Row)[k] = new Date(v);
  }
  return c;
};

export const getClaim = async (tx: Executor, id: string, lock = false) => {
  const r = await one<Row>(tx, sql`${CLAIM} WHERE c.id = ${id} ${lock ? sql`FOR UPDATE OF c` : sql``}`);
  return r ? dates(r) : undefined;
};

export interface ClaimScope {
  /** clinic staff: the active clinic */
  clinicIds: string[];
  /** an insurer: its payer only */
  payerId: string | null;
}
export async function listClaims(
  tx: Executor,
  scope: ClaimScope,
  q: ClaimListQuery,
): Promise<{ data: ClaimRow[]; total: number }> {
  const where: SQL[] = [sql`c.clinic_id = ANY(${sql.param(scope.clinicIds)}::uuid[])`];
  // a payer sees a claim once it is submitted: a draft is still the clinic's
  if (scope.payerId) where.push(sql`c.payer_id = ${scope.payerId}`, sql`c.status <> 'draft'`);
  if (q.payerId) where.push(sql`c.payer_id = ${q.payerId}`);
  if (q.status) where.push(sql`c.status = ${q.status}`);
  if (q.patientId) where.push(sql`c.patient_id = ${q.patientId}`);
  if (q.minScore !== undefined) where.push(sql`c.anomaly_score >= ${q.minScore}`);
  if (q.from) where.push(sql`c.service_date >= ${q.from}`);
  if (q.to) where.push(sql`c.service_date <= ${q.to}`);
  if (q.q) {
    const like = `%${q.q.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
    where.push(sql`(c.number ILIKE ${like} OR p.mrn ILIKE ${like} OR concat_ws(' ', p.given_name, p.family_name) ILIKE ${like})`);
  }
  const cond = sql.join(where, sql` AND `);
  const order = q.sort === 'score' ? sql`c.anomaly_score DESC NULLS LAST, c.created_at DESC` : sql`c.created_at DESC`;
  const data = await rows<Row>(tx, sql`${CLAIM} WHERE ${cond} ORDER BY ${order} LIMIT ${q.limit ?? 50} OFFSET ${q.offset ?? 0}`);
  const total = await one<{ n: number }>(
    tx,
    sql`SELECT count(*)::int AS n FROM claims c JOIN patients p ON p.id = c.patient_id WHERE ${cond}`,
  );
  return { data: data.map(dates), total: total!.n };
}

export async function statusCounts(tx: Executor, scope: ClaimScope): Promise<Record<string, number>> {
  const r = await rows<{ status: string; n: number }>(
    tx,
    sql`SELECT status, count(*)::int AS n FROM claims c WHERE c.clinic_id = ANY(${sql.param(scope.clinicIds)}::uuid[])
        ${scope.payerId ? sql`AND c.payer_id = ${scope.payerId} AND c.status <> 'draft'` : sql``} GROUP BY status`,
  );
  return Object.fromEntries(r.map((x) => [x.status, x.n]));
}

export interface ClaimLineRow {
  id: string;
  invoiceLineId: string;
  serviceDate: string;
  kind: string;
  code: string;
  procedureCode: string | null;
  description: string;
  quantity: string;
  claimed: string;
  approved: string | null;
  denialReason: string | null;
}
export const claimLines = (tx: Executor, claimId: string) =>
  rows<ClaimLineRow>(
    tx,
    sql`SELECT id, invoice_line_id AS "invoiceLineId", service_date::text AS "serviceDate", kind, code, procedure_code AS "procedureCode",
        description, quantity::text, claimed::text, approved::text, denial_reason AS "denialReason"
        FROM claim_lines WHERE claim_id = ${claimId} ORDER BY service_date, code, id`,
  );
export const claimNotes = (tx: Executor, claimId: string) =>
  rows<{ id: string; authorId: string; authorName: string; text: string; at: Date; fromPayer: boolean }>(
    tx,
    sql`SELECT n.id, n.author_id AS "authorId", u.display_name AS "authorName", n.text, n.at, n.from_payer AS "fromPayer"
        FROM claim_notes n JOIN users u ON u.id = n.author_id WHERE n.claim_id = ${claimId} ORDER BY n.at, n.id`,
  );
export const claimEvents = (tx: Executor, claimId: string) =>
  rows<{ seq: string; type: string; at: Date; actorId: string | null; actorName: string | null; hash: string }>(
    tx,
    sql`SELECT e.seq::text, e.type, e.at, e.actor_id AS "actorId", u.display_name AS "actorName", e.hash
        FROM claim_events e LEFT JOIN users u ON u.id = e.actor_id WHERE e.claim_id = ${claimId} ORDER BY e.seq`,
  );
export const claimAttachments = (tx: Executor, claimId: string) =>
  rows<{ documentId: string; title: string }>(
    tx,
    sql`SELECT a.document_id AS "documentId", d.title FROM claim_attachments a JOIN patient_documents d ON d.id = a.document_id
        WHERE a.claim_id = ${claimId} ORDER BY a.added_at, d.title`,
  );

export const openClaimFor = async (tx: Executor, invoiceId: string, payerId: string) =>
  (
    await one<{ id: string }>(
      tx,
      sql`SELECT c.id FROM claims c WHERE c.invoice_id = ${invoiceId} AND c.payer_id = ${payerId}
          AND c.status NOT IN ('denied', 'paid', 'partially_approved')
          ORDER BY c.created_at DESC LIMIT 1`,
    )
  )?.id ?? null;

export async function insertClaim(
  tx: Executor,
  v: {
    clinicId: string;
    number: string;
    patientId: string;
    coverageId: string;
    payerId: string;
    planId: string;
    invoiceId: string;
    encounterId: string | null;
    practitionerId: string | null;
    diagnoses: { code: string; description: string }[];
    currency: string;
    claimed: string;
    serviceDate: string;
    resubmissionOf: string | null;
    createdBy: string;
  },
): Promise<string> {
  const r = await one<{ id: string }>(
    tx,
    sql`INSERT INTO claims (clinic_id, number, patient_id, coverage_id, payer_id, plan_id, invoice_id, encounter_id, practitioner_id,
          diagnoses, currency, claimed, service_date, resubmission_of, created_by)
        VALUES (${v.clinicId}, ${v.number}, ${v.patientId}, ${v.coverageId}, ${v.payerId}, ${v.planId}, ${v.invoiceId}, ${v.encounterId},
          ${v.practitionerId}, ${JSON.stringify(v.diagnoses)}::jsonb, ${v.currency}, ${v.claimed}, ${v.serviceDate}, ${v.resubmissionOf},
          ${v.createdBy}) RETURNING id`,
  );
  return r!.id;
}

export async function insertClaimLines(
  tx: Executor,
  claimId: string,
  lines: Omit<ClaimLineRow, 'id' | 'approved' | 'denialReason'>[],
) {
  if (!lines.length) return;
  await tx.execute(sql`INSERT INTO claim_lines (claim_id, invoice_line_id, service_date, kind, code, procedure_code, description, quantity, claimed)
    SELECT ${claimId}::uuid, * FROM unnest(${sql.param(lines.map((l) => l.invoiceLineId))}::uuid[], ${sql.param(lines.map((l) => l.serviceDate))}::date[],
      ${sql.param(lines.map((l) => l.kind))}::text[], ${sql.param(lines.map((l) => l.code))}::text[], ${sql.param(lines.map((l) => l.procedureCode))}::text[],
      ${sql.param(lines.map((l) => l.description))}::text[], ${sql.param(lines.map((l) => l.quantity))}::numeric[], ${sql.param(lines.map((l) => l.claimed))}::numeric[])`);
}

export const setLineDecision = (tx: Executor, lineId: string, approved: string, denialReason: string | null) =>
  tx.execute(sql`UPDATE claim_lines SET approved = ${approved}, denial_reason = ${denialReason} WHERE id = ${lineId}`);

export const updateClaim = (tx: Executor, id: string, set: SQL) => tx.execute(sql`UPDATE claims SET ${set} WHERE id = ${id}`);

export const insertNote = async (tx: Executor, claimId: string, authorId: string, text: string, fromPayer: boolean) =>
  (await one<{ id: string }>(
    tx,
    sql`INSERT INTO claim_notes (claim_id, author_id, text, from_payer) VALUES (${claimId}, ${authorId}, ${text}, ${fromPayer}) RETURNING id`,
  ))!.id;

export const documentOf = (tx: Executor, documentId: string) =>
  one<{ patientId: string; title: string; status: string }>(
    tx,
    sql`SELECT patient_id AS "patientId", title, status FROM patient_documents WHERE id = ${documentId}`,
  );
/** The patient's current documents, newest first, each said attached to the claim or not (metadata only). */
export const attachableDocuments = (tx: Executor, claimId: string, patientId: string) =>
  rows<{ id: string; title: string; category: DocumentCategory; uploadedAt: string; attached: boolean }>(
    tx,
    sql`SELECT d.id, d.title, d.category, d.uploaded_at AS "uploadedAt",
          EXISTS (SELECT 1 FROM claim_attachments a WHERE a.claim_id = ${claimId} AND a.document_id = d.id) AS attached
        FROM patient_documents d WHERE d.patient_id = ${patientId} AND d.status = 'current'
        ORDER BY d.uploaded_at DESC, d.id DESC`,
  );
export const attach = async (tx: Executor, claimId: string, documentId: string, userId: string) =>
  (
    await rows(
      tx,
      sql`INSERT INTO claim_attachments (claim_id, document_id, added_by) VALUES (${claimId}, ${documentId}, ${userId})
          ON CONFLICT DO NOTHING RETURNING document_id`,
    )
  ).length > 0;

/** The encounter's ICD-10-CM diagnoses, the primary first. */
export const diagnosesOf = (tx: Executor, encounterId: string) =>
  rows<{ code: string; description: string }>(
    tx,
    sql`SELECT code, description FROM diagnoses WHERE encounter_id = ${encounterId}
        ORDER BY (rank = 'primary') DESC, position, code`,
  );

// ------------------------------------------------------------------ invoices (billing's tables, read for claims)

export interface InvoiceHead {
  id: string;
  clinicId: string;
  patientId: string;
  encounterId: string | null;
  number: string | null;
  status: string;
  currency: string;
  total: string;
}
export const invoiceHead = (tx: Executor, id: string, lock = false) =>
  one<InvoiceHead>(
    tx,
    sql`SELECT id, clinic_id AS "clinicId", patient_id AS "patientId", encounter_id AS "encounterId", number, status, currency,
        total::text FROM invoices WHERE id = ${id} ${lock ? sql`FOR UPDATE` : sql``}`,
  );
export interface ClaimableLine {
  id: string;
  kind: string;
  code: string;
  procedureCode: string | null;
  description: string;
  quantity: string;
  total: string;
  serviceDate: string;
  practitionerId: string | null;
}
export const invoiceLinesOf = (tx: Executor, invoiceId: string) =>
  rows<ClaimableLine>(
    tx,
    sql`SELECT id, kind, code, procedure_code AS "procedureCode", description, quantity::text, total::text, service_date::text AS "serviceDate",
        practitioner_id AS "practitionerId" FROM invoice_lines WHERE invoice_id = ${invoiceId} ORDER BY service_date, created_at, id`,
  );
export const setInvoiceInsurerShare = (tx: Executor, invoiceId: string, share: string) =>
  tx.execute(sql`UPDATE invoices SET insurer_share = ${share}, patient_share = greatest(total - ${share}::numeric, 0),
    version = version + 1 WHERE id = ${invoiceId}`);
/** Claimed amounts of other open claims on the invoice (the insurer share is their sum). */
export const openClaimedOn = async (tx: Executor, invoiceId: string) =>
  (await one<{ s: string }>(
    tx,
    sql`SELECT coalesce(sum(CASE WHEN status IN ('approved', 'partially_approved', 'paid') THEN coalesce(approved, claimed) ELSE claimed END), 0)::text AS s
        FROM claims c WHERE invoice_id = ${invoiceId} AND status <> 'denied'
        AND NOT EXISTS (SELECT 1 FROM claims r WHERE r.resubmission_of = c.id)`,
  ))!.s;

// ------------------------------------------------------------------ the anomaly score's figures

/** The last day of the month of a YYYY-MM-DD date. */
function monthEnd(on: string): string {
  const [y, m] = on.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
}

const peersCache = new Map<string, { at: number; value: { claimId: string; u: number }[] }>();
/**
 * Unit amounts of the latest PEER_SAMPLE claim lines of a code over the 365 days up to `on`, with their
 * claims; cached for 10 minutes per code and month of service (peers move slowly, and the sample costs a few thousand
 * index and heap reads, which every submission of a common code would repeat).
 */
async function peerSample(tx: Executor, code: string, on: string): Promise<{ claimId: string; u: number }[]> {
  // one sample per code and month of service (the 365 days up to the month's end): submissions of the
  // same code in a month share it instead of each reading its own window
  const end = monthEnd(on);
  const key = `${code}|${end}`;
  const hit = peersCache.get(key);
  if (hit && Date.now() - hit.at < 600_000) return hit.value;
  const r = await rows<{ claimId: string; u: string }>(
    tx,
    sql`SELECT s.claim_id AS "claimId", (il.total / il.quantity)::text AS u FROM (
          SELECT cl.claim_id, cl.invoice_line_id FROM claim_lines cl
           WHERE cl.code = ${code} AND cl.service_date > ${end}::date - 365 AND cl.service_date <= ${end}::date
           ORDER BY cl.service_date DESC LIMIT ${PEER_SAMPLE}) s
        JOIN invoice_lines il ON il.id = s.invoice_line_id`,
  );
  const value = r.map((x) => ({ claimId: x.claimId, u: Number(x.u) }));
  peersCache.set(key, { at: Date.now(), value });
  return value;
}

/** Peer statistics of each code's unit amounts over the last 365 days, leaving this claim's own lines out. */
export async function peersOf(tx: Executor, codes: string[], on: string, claimId: string): Promise<Map<string, PeerStats>> {
  const out = new Map<string, PeerStats>();
  for (const code of [...new Set(codes)]) {
    const units = (await peerSample(tx, code, on)).filter((x) => x.claimId !== claimId).map((x) => x.u);
    if (units.length) out.set(code, peerStats(units));
  }
  return out;
}

/** Another claim (not denied, not this one or the one it resubmits) with this patient, code and service date. */
export async function duplicatesOf(
  tx: Executor,
  claimId: string,
  patientId: string,
  resubmissionOf: string | null,
  lines: { code: string; serviceDate: string }[],
): Promise<Map<string, { claimId: string; number: string; serviceDate: string }>> {
  if (!lines.length) return new Map();
  const r = await rows<{ code: string; serviceDate: string; claimId: string; number: string }>(
    tx,
    sql`SELECT DISTINCT ON (cl.code, cl.service_date) cl.code, cl.service_date::text AS "serviceDate", c.id AS "claimId", c.number
        FROM unnest(${sql.param(lines.map((l) => l.code))}::text[], ${sql.param(lines.map((l) => l.serviceDate))}::date[]) AS x(code, d)
        JOIN claim_lines cl ON cl.code = x.code AND cl.service_date = x.d
        JOIN claims c ON c.id = cl.claim_id
        WHERE c.patient_id = ${patientId} AND c.id <> ${claimId} AND c.id IS DISTINCT FROM ${resubmissionOf}::uuid
          AND c.status <> 'denied' AND c.resubmission_of IS DISTINCT FROM ${claimId}::uuid
        ORDER BY cl.code, cl.service_date, c.created_at`,
  );
  return new Map(r.map((x) => [`${x.code}|${x.serviceDate}`, x]));
}

/** Claims of the patient (or practitioner) with a service date in the FREQUENCY_DAYS up to `on`. */
export async function recentClaims(tx: Executor, by: 'patient' | 'practitioner', id: string, on: string): Promise<number> {
  const col = by === 'patient' ? sql`patient_id` : sql`practitioner_id`;
  const r = await one<{ n: number }>(
    tx,
    sql`SELECT count(*)::int AS n FROM claims WHERE ${col} = ${id}
        AND service_date > ${on}::date - ${FREQUENCY_DAYS}::int AND service_date <= ${on}::date AND status <> 'draft'`,
  );
  return r!.n;
}

const countsCache = new Map<string, { at: number; value: number[] }>();
/**
 * Patients' (practitioners') claim counts over the FREQUENCY_DAYS up to `on`, among those with at
 * least one; cached for 10 minutes per month of service (it moves slowly, and the query reads every claim of the
 * window). The scorer takes the claim's own patient out before it takes the 95th percentile.
 */
export async function peerCounts(tx: Executor, by: 'patient' | 'practitioner', on: string): Promise<number[]> {
  // the peers' distribution of one month of service (counts over the FREQUENCY_DAYS up to its end)
  const end = monthEnd(on);
  const key = `${by}|${end}`;
  const hit = countsCache.get(key);
  if (hit && Date.now() - hit.at < 600_000) return hit.value;
  const col = by === 'patient' ? sql`patient_id` : sql`practitioner_id`;
  const r = await rows<{ n: number }>(
    tx,
    sql`SELECT count(*)::int AS n FROM claims WHERE service_date > ${end}::date - ${FREQUENCY_DAYS}::int AND service_date <= ${end}::date
        AND status <> 'draft' AND ${col} IS NOT NULL GROUP BY ${col}`,
  );
  const value = r.map((x) => x.n).sort((a, b) => a - b);
  countsCache.set(key, { at: Date.now(), value });
  return value;
}
/** Forgets the cached peer figures (tests that plant peers, then score). */
export const clearP95Cache = () => {
  countsCache.clear();
  peersCache.clear();
};

export const unitAmounts = (tx: Executor, invoiceLineIds: string[]) =>
  rows<{ id: string; u: string }>(
    tx,
    sql`SELECT id, (total / quantity)::text AS u FROM invoice_lines WHERE id = ANY(${sql.param(invoiceLineIds)}::uuid[])`,
  );
