import { sql, type SQL } from 'drizzle-orm';
import type {
  CodedAnswer,
  LabFlag,
  LabOrderStatus,
  LabPriority,
  LabResultStatus,
  ReferenceRange,
  ResultType,
  SpecimenType,
  TestKind,
} from '@sanita/contracts/lab';
import type { Executor } from '../../platform/db/database.ts';
import { linkedToClinic } from '../../platform/patient-access.ts';

// The laboratory's SQL: orders, specimens, results, the catalogue rows they read (lab_tests and
// lab_panel_members, owned by the catalogue), critical alerts. Instants are read as ISO text.

/** An instant column as the API writes it (ISO 8601, UTC). */
const iso = (col: SQL) => sql`to_char(${col} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

// ------------------------------------------------------------------ patients and encounters

export type PatientRow = {
  id: string;
  name: string;
  mrn: string;
  birthDate: string;
  sex: string;
  status: string;
  linked: boolean;
};

/** The patient, whether registered at the clinic (the patient-access linkage). */
export async function patientAt(db: Executor, patientId: string, clinicId: string | null): Promise<PatientRow | undefined> {
  const { rows } = await db.execute<PatientRow>(sql`
    SELECT p.id, p.given_name || ' ' || p.family_name AS name, p.mrn, to_char(p.birth_date, 'YYYY-MM-DD') AS "birthDate",
           p.sex, p.status, ${linkedToClinic(sql`p.id`, clinicId)} AS linked
      FROM patients p WHERE p.id = ${patientId}`);
  return rows[0];
}

export async function encounterOf(
  db: Executor,
  id: string,
): Promise<{ id: string; patientId: string; clinicId: string; status: string } | undefined> {
  const { rows } = await db.execute<{ id: string; patientId: string; clinicId: string; status: string }>(
    sql`SELECT id, patient_id AS "patientId", clinic_id AS "clinicId", status FROM encounters WHERE id = ${id}`,
  );
  return rows[0];
}

export async function clinicOf(
  db: Executor,
  clinicId: string,
): Promise<{ id: string; name: string; timezone: string; prefix: string; address: string | null }> {
  const { rows } = await db.execute<{ id: string; name: string; timezone: string; prefix: string; address: string | null }>(
    sql`SELECT id, name, timezone, mrn_prefix AS prefix, address FROM clinics WHERE id = ${clinicId}`,
  );
  return rows[0]!;
}

// ------------------------------------------------------------------ the catalogue, as orders read it

export type TestRow = {
  id: string;
  code: string;
  loinc: string | null;
  name: string;
  nameFr: string | null;
  kind: TestKind;
  specimenType: SpecimenType;
  resultType: ResultType;
  unit: string | null;
  decimals: number;
  answers: CodedAnswer[];
  turnaroundHours: number;
  requiresVerification: boolean;
  ranges: ReferenceRange[];
  active: boolean;
};

const testColumns = sql`t.id, t.code, t.loinc, t.name, t.name_fr AS "nameFr", t.kind, t.specimen_type AS "specimenType",
  t.result_type AS "resultType", t.unit, t.decimals, t.answers, t.turnaround_hours AS "turnaroundHours",
  t.requires_verification AS "requiresVerification", t.ranges, t.active`;

export async function testsByIds(db: Executor, ids: string[]): Promise<Map<string, TestRow>> {
  if (!ids.length) return new Map();
  const { rows } = await db.execute<TestRow>(
    sql`SELECT ${testColumns} FROM lab_tests t WHERE t.id = ANY(${sql.param(ids)}::uuid[])`,
  );
  return new Map(rows.map((r) => [r.id, r]));
}

export async function testsByCodes(db: Executor, codes: string[]): Promise<Map<string, TestRow>> {
  if (!codes.length) return new Map();
  const { rows } = await db.execute<TestRow>(
    sql`SELECT ${testColumns} FROM lab_tests t WHERE t.code = ANY(${sql.param(codes)}::text[])`,
  );
  return new Map(rows.map((r) => [r.code, r]));
}

/** The id of the active test with this code or LOINC code (a test before a panel). */
export async function activeTestBy(db: Executor, by: 'code' | 'loinc', value: string): Promise<string | null> {
  const col = by === 'code' ? sql`upper(t.code) = upper(${value})` : sql`t.loinc = ${value}`;
  const { rows } = await db.execute<{ id: string }>(
    sql`SELECT t.id FROM lab_tests t WHERE ${col} AND t.active ORDER BY (t.kind = 'test') DESC, t.code LIMIT 1`,
  );
  return rows[0]?.id ?? null;
}

/** Each panel's member tests, in report order. */
export async function membersOf(db: Executor, panelIds: string[]): Promise<Map<string, TestRow[]>> {
  const out = new Map<string, TestRow[]>();
  if (!panelIds.length) return out;
  const { rows } = await db.execute<TestRow & { panelId: string }>(sql`
    SELECT m.panel_id AS "panelId", ${testColumns}
      FROM lab_panel_members m JOIN lab_tests t ON t.id = m.test_id
     WHERE m.panel_id = ANY(${sql.param(panelIds)}::uuid[]) ORDER BY m.panel_id, m.position`);
  for (const { panelId, ...t } of rows) out.set(panelId, [...(out.get(panelId) ?? []), t]);
  return out;
}

// ------------------------------------------------------------------ orders

export type OrderRow = {
  id: string;
  number: string;
  clinicId: string;
  patientId: string;
  patientName: string;
  mrn: string;
  birthDate: string;
  sex: string;
  encounterId: string | null;
  orderedBy: string | null;
  orderedByName: string | null;
  orderedAt: string;
  priority: LabPriority;
  clinicalNotes: string | null;
  status: LabOrderStatus;
  dueAt: string;
  cancelledReason: string | null;
  verificationCode: string | null;
  version: number;
};

const orderColumns = sql`o.id, o.number, o.clinic_id AS "clinicId", o.patient_id AS "patientId",
  p.given_name || ' ' || p.family_name AS "patientName", p.mrn, to_char(p.birth_date, 'YYYY-MM-DD') AS "birthDate", p.sex,
  o.encounter_id AS "encounterId", o.ordered_by AS "orderedBy", ob.display_name AS "orderedByName",
  ${iso(sql`o.ordered_at`)} AS "orderedAt", o.priority, o.clinical_notes AS "clinicalNotes", o.status,
  ${iso(sql`o.due_at`)} AS "dueAt", o.cancelled_reason AS "cancelledReason", o.verification_code AS "verificationCode", o.version`;
const orderFrom = sql`lab_orders o JOIN patients p ON p.id = o.patient_id LEFT JOIN users ob ON ob.id = o.ordered_by`;

export async function orderById(db: Executor, id: string, lock = false): Promise<OrderRow | undefined> {
  if (lock) await db.execute(sql`SELECT 1 FROM lab_orders WHERE id = ${id} FOR UPDATE`);
  const { rows } = await db.execute<OrderRow>(sql`SELECT ${orderColumns} FROM ${orderFrom} WHERE o.id = ${id}`);
  return rows[0];
}

export async function ordersByIds(db: Executor, ids: string[]): Promise<OrderRow[]> {
  if (!ids.length) return [];
  const { rows } = await db.execute<OrderRow>(
    sql`SELECT ${orderColumns} FROM ${orderFrom} WHERE o.id = ANY(${sql.param(ids)}::uuid[])`,
  );
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.map((i) => byId.get(i)).filter((r): r is OrderRow => !!r);
}

/** A patient's orders, newest first. */
export async function patientOrderIds(
  db: Executor,
  patientId: string,
  f: { status?: LabOrderStatus; encounterId?: string; limit: number },
): Promise<string[]> {
  const { rows } = await db.execute<{ id: string }>(sql`
    SELECT o.id FROM lab_orders o WHERE o.patient_id = ${patientId}
      ${f.status ? sql`AND o.status = ${f.status}` : sql``}
      ${f.encounterId ? sql`AND o.encounter_id = ${f.encounterId}` : sql``}
     ORDER BY o.ordered_at DESC, o.id LIMIT ${f.limit}`);
  return rows.map((r) => r.id);
}

export type WorklistStep = 'collect' | 'receive' | 'enter' | 'verify' | 'release';

/** The clinic's open orders at a step, stat first then oldest. */
const pendingResults = (verification: boolean) => sql`EXISTS (SELECT 1 FROM lab_results r JOIN lab_tests t ON t.id = r.test_id
    WHERE r.order_id = o.id AND r.status = 'entered' AND t.requires_verification = ${verification})`;
/** What puts an open order (`o`) at each step of the worklist. */
const WORKLIST_STEP: Record<WorklistStep, SQL> = {
  collect: sql`o.status = 'ordered'`,
  receive: sql`o.status = 'collected'`,
  enter: sql`o.status IN ('received', 'in_progress')`,
  verify: pendingResults(true),
  release: pendingResults(false),
};

/** The clinic's open orders (`o`, with their patient `p`), narrowed by a name, MRN, order or accession number. */
function openOrders(clinicId: string, text?: string): SQL {
  const q = text?.trim();
  const like = q ? `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null;
  return sql`FROM lab_orders o JOIN patients p ON p.id = o.patient_id
     WHERE o.clinic_id = ${clinicId} AND o.status NOT IN ('completed', 'cancelled')
       ${
         like
           ? sql`AND (p.given_name || ' ' || p.family_name ILIKE ${like} OR p.family_name || ' ' || p.given_name ILIKE ${like}
                 OR p.mrn ILIKE ${like} OR replace(p.mrn, '-', '') ILIKE ${like.replace(/-/g, '')} OR o.number ILIKE ${like}
                 OR EXISTS (SELECT 1 FROM lab_specimens s WHERE s.order_id = o.id AND s.accession_number = ${q}))`
           : sql``
       }`;
}

export async function worklistIds(
  db: Executor,
  clinicId: string,
  f: { step?: WorklistStep; q?: string; limit: number },
): Promise<string[]> {
  const { rows } = await db.execute<{ id: string }>(sql`
    SELECT o.id ${openOrders(clinicId, f.q)} ${f.step ? sql`AND ${WORKLIST_STEP[f.step]}` : sql``}
     ORDER BY (o.priority = 'stat') DESC, o.ordered_at, o.id LIMIT ${f.limit}`);
  return rows.map((r) => r.id);
}

/** How many open orders wait at each step (an order may wait at two), and how many are not routine. */
export async function worklistCounts(
  db: Executor,
  clinicId: string,
  q?: string,
): Promise<{ counts: Record<WorklistStep, number>; urgent: number }> {
  const steps = Object.keys(WORKLIST_STEP) as WorklistStep[];
  const { rows } = await db.execute<Record<string, number>>(sql`
    SELECT ${sql.join(
      steps.map((step) => sql`count(*) FILTER (WHERE ${WORKLIST_STEP[step]})::int AS ${sql.identifier(step)}`),
      sql`, `,
    )}, count(*) FILTER (WHERE o.priority <> 'routine')::int AS urgent
    ${openOrders(clinicId, q)}`);
  const r = rows[0]!;
  return {
    counts: Object.fromEntries(steps.map((step) => [step, r[step] ?? 0])) as Record<WorklistStep, number>,
    urgent: r.urgent ?? 0,
  };
}

export async function nextOrderNumber(db: Executor, clinicId: string): Promise<string> {
  const { rows } = await db.execute<{ prefix: string; seq: string }>(
    sql`SELECT c.mrn_prefix AS prefix, nextval('lab_order_seq')::text AS seq FROM clinics c WHERE c.id = ${clinicId}`,
  );
  const r = rows[0]!;
  return `LAB-${r.prefix.toUpperCase()}-${r.seq.padStart(6, '0')}`;
}

export async function nextAccessionNumber(db: Executor): Promise<string> {
  const { rows } = await db.execute<{ seq: string }>(sql`SELECT nextval('lab_accession_seq')::text AS seq`);
  return rows[0]!.seq;
}

export async function insertOrder(
  db: Executor,
  v: {
    number: string;
    clinicId: string;
    patientId: string;
    encounterId: string | null;
    orderedBy: string | null;
    orderedAt?: Date;
    priority: LabPriority;
    clinicalNotes: string | null;
    dueAt: Date;
    verificationCode: string;
  },
): Promise<string> {
  const { rows } = await db.execute<{ id: string }>(sql`
    INSERT INTO lab_orders (number, clinic_id, patient_id, encounter_id, ordered_by, ordered_at, priority, clinical_notes, status,
                            due_at, verification_code)
    VALUES (${v.number}, ${v.clinicId}, ${v.patientId}, ${v.encounterId}, ${v.orderedBy}, ${(v.orderedAt ?? new Date()).toISOString()},
            ${v.priority}, ${v.clinicalNotes}, 'ordered', ${v.dueAt.toISOString()}, ${v.verificationCode})
    RETURNING id`);
  return rows[0]!.id;
}

export async function insertItem(db: Executor, orderId: string, testId: string, position: number): Promise<string> {
  const { rows } = await db.execute<{ id: string }>(
    sql`INSERT INTO lab_order_items (order_id, test_id, position) VALUES (${orderId}, ${testId}, ${position}) RETURNING id`,
  );
  return rows[0]!.id;
}

export async function setOrderStatus(
  db: Executor,
  id: string,
  status: LabOrderStatus,
  extra: { cancelledReason?: string; cancelledBy?: string } = {},
): Promise<void> {
  await db.execute(sql`
    UPDATE lab_orders SET status = ${status}, version = version + 1
      ${extra.cancelledReason !== undefined ? sql`, cancelled_reason = ${extra.cancelledReason}, cancelled_at = now(), cancelled_by = ${extra.cancelledBy ?? null}` : sql``}
     WHERE id = ${id}`);
}

export async function bumpOrder(db: Executor, id: string): Promise<void> {
  await db.execute(sql`UPDATE lab_orders SET version = version + 1 WHERE id = ${id}`);
}

// ------------------------------------------------------------------ items and specimens

export type ItemRow = {
  id: string;
  orderId: string;
  testId: string;
  specimenId: string | null;
  position: number;
};

export async function itemsOf(db: Executor, orderIds: string[]): Promise<ItemRow[]> {
  if (!orderIds.length) return [];
  const { rows } = await db.execute<ItemRow>(sql`
    SELECT id, order_id AS "orderId", test_id AS "testId", specimen_id AS "specimenId", position
      FROM lab_order_items WHERE order_id = ANY(${sql.param(orderIds)}::uuid[]) ORDER BY order_id, position`);
  return rows;
}

export type SpecimenRow = {
  id: string;
  orderId: string;
  accessionNumber: string;
  specimenType: SpecimenType;
  collectedAt: string | null;
  collectedBy: string | null;
  collectedByName: string | null;
  receivedAt: string | null;
  receivedBy: string | null;
  receivedByName: string | null;
};

export async function specimensOf(db: Executor, orderIds: string[]): Promise<SpecimenRow[]> {
  if (!orderIds.length) return [];
  const { rows } = await db.execute<SpecimenRow>(sql`
    SELECT s.id, s.order_id AS "orderId", s.accession_number AS "accessionNumber", s.specimen_type AS "specimenType",
           ${iso(sql`s.collected_at`)} AS "collectedAt", s.collected_by AS "collectedBy", cu.display_name AS "collectedByName",
           ${iso(sql`s.received_at`)} AS "receivedAt", s.received_by AS "receivedBy", ru.display_name AS "receivedByName"
      FROM lab_specimens s LEFT JOIN users cu ON cu.id = s.collected_by LEFT JOIN users ru ON ru.id = s.received_by
     WHERE s.order_id = ANY(${sql.param(orderIds)}::uuid[]) ORDER BY s.order_id, s.accession_number`);
  return rows;
}

export async function insertSpecimen(
  db: Executor,
  v: { orderId: string; accessionNumber: string; specimenType: SpecimenType; collectedAt: Date; collectedBy: string | null },
): Promise<string> {
  const { rows } = await db.execute<{ id: string }>(sql`
    INSERT INTO lab_specimens (order_id, accession_number, specimen_type, collected_at, collected_by)
    VALUES (${v.orderId}, ${v.accessionNumber}, ${v.specimenType}, ${v.collectedAt.toISOString()}, ${v.collectedBy}) RETURNING id`);
  return rows[0]!.id;
}

export async function setItemSpecimen(db: Executor, itemId: string, specimenId: string): Promise<void> {
  await db.execute(sql`UPDATE lab_order_items SET specimen_id = ${specimenId} WHERE id = ${itemId}`);
}

export async function receiveSpecimens(db: Executor, orderId: string, userId: string | null, at: Date): Promise<void> {
  await db.execute(sql`UPDATE lab_specimens SET received_at = ${at.toISOString()}, received_by = ${userId}
                        WHERE order_id = ${orderId} AND received_at IS NULL`);
}

/** The order of an accession number (an HL7 filler order number). */
export async function orderOfAccession(db: Executor, accession: string): Promise<string | undefined> {
  const { rows } = await db.execute<{ id: string }>(
    sql`SELECT order_id AS id FROM lab_specimens WHERE accession_number = ${accession}`,
  );
  return rows[0]?.id;
}

export async function orderOfNumber(db: Executor, number: string): Promise<string | undefined> {
  const { rows } = await db.execute<{ id: string }>(sql`SELECT id FROM lab_orders WHERE number = ${number}`);
  return rows[0]?.id;
}

/** The outside order (no orderer) of a patient already holding results of this message, or made for this outside order number. */
export async function outsideOrderOf(
  db: Executor,
  patientId: string,
  messageId: string,
  placerOrderNumber: string | null,
): Promise<string | undefined> {
  const { rows } = await db.execute<{ id: string }>(sql`
    SELECT o.id FROM lab_orders o
     WHERE o.patient_id = ${patientId} AND o.ordered_by IS NULL AND o.status <> 'cancelled'
       AND (EXISTS (SELECT 1 FROM lab_results r WHERE r.order_id = o.id AND r.source_message_id = ${messageId}::uuid)
            ${placerOrderNumber ? sql`OR o.clinical_notes = ${`Outside order ${placerOrderNumber}`}` : sql``})
     ORDER BY o.ordered_at DESC LIMIT 1`);
  return rows[0]?.id;
}

export async function patientByMrn(db: Executor, mrn: string): Promise<{ id: string; clinicId: string } | undefined> {
  const { rows } = await db.execute<{ id: string; clinicId: string }>(
    sql`SELECT id, primary_clinic_id AS "clinicId" FROM patients WHERE mrn = ${mrn} AND status <> 'merged'`,
  );
  return rows[0];
}

// ------------------------------------------------------------------ results

export type ResultRow = {
  id: string;
  orderId: string;
  orderItemId: string;
  testId: string;
  patientId: string;
  clinicId: string;
  code: string;
  loinc: string | null;
  name: string;
  nameFr: string | null;
  resultType: ResultType;
  decimals: number;
  answers: CodedAnswer[];
  requiresVerification: boolean;
  valueNumeric: string | null;
  valueCode: string | null;
  valueText: string | null;
  unit: string | null;
  range: ReferenceRange | null;
  flag: LabFlag | null;
  critical: boolean;
  status: LabResultStatus;
  comment: string | null;
  source: 'manual' | 'hl7';
  observedAt: string | null;
  enteredAt: string;
  enteredBy: string | null;
  enteredByName: string | null;
  verifiedAt: string | null;
  verifiedBy: string | null;
  verifiedByName: string | null;
  releasedAt: string | null;
  releasedBy: string | null;
  releasedByName: string | null;
  portalHold: boolean;
  version: number;
};

const resultColumns = sql`r.id, r.order_id AS "orderId", r.order_item_id AS "orderItemId", r.test_id AS "testId",
  r.patient_id AS "patientId", r.clinic_id AS "clinicId", t.code, t.loinc, t.name, t.name_fr AS "nameFr",
  t.result_type AS "resultType", t.decimals, t.answers, t.requires_verification AS "requiresVerification",
  r.value_numeric::text AS "valueNumeric", r.value_code AS "valueCode", r.value_text AS "valueText", r.unit, r.range, r.flag,
  r.critical, r.status, r.comment, r.source, ${iso(sql`r.observed_at`)} AS "observedAt", ${iso(sql`r.entered_at`)} AS "enteredAt",
  r.entered_by AS "enteredBy", eu.display_name AS "enteredByName", ${iso(sql`r.verified_at`)} AS "verifiedAt",
  r.verified_by AS "verifiedBy", vu.display_name AS "verifiedByName", ${iso(sql`r.released_at`)} AS "releasedAt",
  r.released_by AS "releasedBy", lu.display_name AS "releasedByName", r.portal_hold AS "portalHold", r.version`;
const resultFrom = sql`lab_results r JOIN lab_tests t ON t.id = r.test_id LEFT JOIN users eu ON eu.id = r.entered_by
  LEFT JOIN users vu ON vu.id = r.verified_by LEFT JOIN users lu ON lu.id = r.released_by`;

export async function resultsOf(db: Executor, orderIds: string[], releasedOnly: boolean): Promise<ResultRow[]> {
  if (!orderIds.length) return [];
  const { rows } = await db.execute<ResultRow>(sql`
    SELECT ${resultColumns} FROM ${resultFrom}
     WHERE r.order_id = ANY(${sql.param(orderIds)}::uuid[]) ${releasedOnly ? sql`AND r.status = 'released'` : sql``}
     ORDER BY r.order_id, r.entered_at, r.id`);
  return rows;
}

export async function resultById(db: Executor, id: string, lock = false): Promise<ResultRow | undefined> {
  if (lock) await db.execute(sql`SELECT 1 FROM lab_results WHERE id = ${id} FOR UPDATE`);
  const { rows } = await db.execute<ResultRow>(sql`SELECT ${resultColumns} FROM ${resultFrom} WHERE r.id = ${id}`);
  return rows[0];
}

export type ResultValues = {
  valueNumeric: number | null;
  valueCode: string | null;
  valueText: string | null;
  unit: string | null;
  range: ReferenceRange | null;
  flag: LabFlag | null;
  critical: boolean;
  comment: string | null;
  observedAt: string | null;
};

/** Writes the result of an analyte of an item: a new one, or the replacement of the one there (not released). */
export async function upsertResult(
  db: Executor,
  v: ResultValues & {
    orderId: string;
    orderItemId: string;
    testId: string;
    patientId: string;
    clinicId: string;
    status: LabResultStatus;
    source: 'manual' | 'hl7';
    sourceMessageId: string | null;
    userId: string | null;
    released: boolean;
  },
): Promise<string> {
  const rel = v.released ? sql`now()` : sql`NULL`;
  const { rows } = await db.execute<{ id: string }>(sql`
    INSERT INTO lab_results (order_id, order_item_id, test_id, patient_id, clinic_id, value_numeric, value_code, value_text, unit,
                             range, flag, critical, status, comment, source, source_message_id, observed_at, entered_by,
                             released_at, released_by)
    VALUES (${v.orderId}, ${v.orderItemId}, ${v.testId}, ${v.patientId}, ${v.clinicId}, ${v.valueNumeric}, ${v.valueCode},
            ${v.valueText}, ${v.unit}, ${v.range ? JSON.stringify(v.range) : null}::jsonb, ${v.flag}, ${v.critical}, ${v.status},
            ${v.comment}, ${v.source}, ${v.sourceMessageId}, ${v.observedAt}, ${v.userId}, ${rel}, ${v.released ? v.userId : null})
    ON CONFLICT (order_item_id, test_id) DO UPDATE SET
      value_numeric = excluded.value_numeric, value_code = excluded.value_code, value_text = excluded.value_text,
      unit = excluded.unit, range = excluded.range, flag = excluded.flag, critical = excluded.critical, status = excluded.status,
      comment = excluded.comment, source = excluded.source, source_message_id = excluded.source_message_id,
      observed_at = excluded.observed_at, entered_at = now(), entered_by = excluded.entered_by, verified_at = NULL,
      verified_by = NULL, released_at = excluded.released_at, released_by = excluded.released_by,
      version = lab_results.version + 1
    RETURNING id`);
  return rows[0]!.id;
}

export async function verifyResults(db: Executor, ids: string[], userId: string): Promise<void> {
  await db.execute(sql`UPDATE lab_results SET status = 'released', verified_at = now(), verified_by = ${userId},
                        released_at = now(), released_by = ${userId}, version = version + 1
                        WHERE id = ANY(${sql.param(ids)}::uuid[])`);
}

export async function releaseResults(db: Executor, ids: string[], userId: string): Promise<void> {
  await db.execute(sql`UPDATE lab_results SET status = 'released', released_at = now(), released_by = ${userId},
                        version = version + 1 WHERE id = ANY(${sql.param(ids)}::uuid[])`);
}

export async function setPortalHold(db: Executor, id: string, hold: boolean): Promise<void> {
  await db.execute(sql`UPDATE lab_results SET portal_hold = ${hold}, version = version + 1 WHERE id = ${id}`);
}

/** Test ids released per item of an order. */
export async function releasedByItem(db: Executor, orderId: string): Promise<Set<string>> {
  const { rows } = await db.execute<{ k: string }>(
    sql`SELECT order_item_id || ':' || test_id AS k FROM lab_results WHERE order_id = ${orderId} AND status = 'released'`,
  );
  return new Set(rows.map((r) => r.k));
}

/** A patient's results over a period, by test and observation time (the results table, the trend). */
export async function patientResults(
  db: Executor,
  patientId: string,
  f: {
    releasedOnly: boolean;
    testId?: string;
    from?: string;
    to?: string;
    numericOnly?: boolean;
    /** only the results of the latest this many days with any (the results table's columns) */
    days?: number;
    limit: number;
  },
): Promise<(ResultRow & { day: string; unitOfTest: string | null })[]> {
  const day = (r: string, c: string) =>
    sql.raw(`to_char(coalesce(${r}.observed_at, ${r}.entered_at) AT TIME ZONE ${c}.timezone, 'YYYY-MM-DD')`);
  const filters = (r: string, c: string) => sql`
       ${f.releasedOnly ? sql.raw(`AND ${r}.status = 'released'`) : sql``}
       ${f.testId ? sql`AND ${sql.raw(r)}.test_id = ${f.testId}` : sql``}
       ${f.numericOnly ? sql.raw(`AND ${r}.value_numeric IS NOT NULL`) : sql``}
       ${f.from ? sql`AND ${day(r, c)} >= ${f.from}` : sql``}
       ${f.to ? sql`AND ${day(r, c)} <= ${f.to}` : sql``}`;
  // the days first (a long history is not read to keep its last columns)
  const days = !f.days
    ? sql``
    : f.from || f.to
      ? // a period: its days, newest first
        sql`AND ${day('r', 'c')} IN (SELECT d FROM (SELECT DISTINCT ${day('r2', 'c2')} AS d
            FROM lab_results r2 JOIN clinics c2 ON c2.id = r2.clinic_id
           WHERE r2.patient_id = ${patientId} ${filters('r2', 'c2')}) x ORDER BY d DESC LIMIT ${f.days})`
      : // the whole history: the start of the oldest of the latest `days` days, found by walking the
        // (patient_id, observed_at) index back a day at a time — one probe a day, whatever the history's length
        sql`AND (r.observed_at >= b.since OR (r.observed_at IS NULL AND r.entered_at >= b.since))`;
  const since = sql`(WITH RECURSIVE tz(z) AS (
        SELECT coalesce((SELECT c2.timezone FROM lab_results r2 JOIN clinics c2 ON c2.id = r2.clinic_id
                          WHERE r2.patient_id = ${patientId} AND r2.observed_at IS NOT NULL
                          ORDER BY r2.observed_at DESC LIMIT 1), 'UTC')),
      d(start, n) AS (
        SELECT date_trunc('day', (SELECT max(r2.observed_at) FROM lab_results r2
                                   WHERE r2.patient_id = ${patientId} ${filters('r2', 'x')}) AT TIME ZONE tz.z) AT TIME ZONE tz.z, 1
          FROM tz
        UNION ALL
        SELECT date_trunc('day', (SELECT max(r2.observed_at) FROM lab_results r2
                                   WHERE r2.patient_id = ${patientId} AND r2.observed_at < d.start ${filters('r2', 'x')})
                                 AT TIME ZONE tz.z) AT TIME ZONE tz.z, d.n + 1
          FROM d, tz WHERE d.start IS NOT NULL AND d.n < ${f.days ?? 1})
      SELECT min(start) AS since FROM d) b`;
  const walk = !!f.days && !f.from && !f.to;
  const { rows } = await db.execute<ResultRow & { day: string; unitOfTest: string | null }>(sql`
    SELECT ${resultColumns}, t.unit AS "unitOfTest", ${day('r', 'c')} AS day
      FROM ${resultFrom} JOIN clinics c ON c.id = r.clinic_id ${walk ? sql`CROSS JOIN ${since}` : sql``}
     WHERE r.patient_id = ${patientId} ${filters('r', 'c')} ${days}
     ORDER BY coalesce(r.observed_at, r.entered_at) DESC, r.id LIMIT ${f.limit}`);
  return rows;
}

/** The portal's results of a patient: released, not held, newest first. */
export async function portalResults(db: Executor, patientId: string, limit: number) {
  const { rows } = await db.execute<ResultRow & { orderNumber: string }>(sql`
    SELECT ${resultColumns}, o.number AS "orderNumber"
      FROM ${resultFrom} JOIN lab_orders o ON o.id = r.order_id
     WHERE r.patient_id = ${patientId} AND r.status = 'released' AND NOT r.portal_hold
       -- a critical value reaches the portal once its doctor has acknowledged it
       AND NOT EXISTS (SELECT 1 FROM lab_critical_alerts a WHERE a.result_id = r.id AND a.status = 'open')
     ORDER BY coalesce(r.observed_at, r.released_at) DESC, r.id LIMIT ${limit}`);
  return rows;
}

// ------------------------------------------------------------------ documents

export async function documentIdsOf(db: Executor, orderIds: string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  if (!orderIds.length) return out;
  const { rows } = await db.execute<{ orderId: string; documentId: string }>(sql`
    SELECT order_id AS "orderId", document_id AS "documentId" FROM lab_order_documents
     WHERE order_id = ANY(${sql.param(orderIds)}::uuid[]) ORDER BY linked_at`);
  for (const r of rows) out.set(r.orderId, [...(out.get(r.orderId) ?? []), r.documentId]);
  return out;
}

export async function documentOf(
  db: Executor,
  id: string,
): Promise<{ id: string; patientId: string; category: string; status: string } | undefined> {
  const { rows } = await db.execute<{ id: string; patientId: string; category: string; status: string }>(
    sql`SELECT id, patient_id AS "patientId", category, status FROM patient_documents WHERE id = ${id}`,
  );
  return rows[0];
}

export async function linkDocument(db: Executor, orderId: string, documentId: string, userId: string): Promise<void> {
  await db.execute(sql`INSERT INTO lab_order_documents (order_id, document_id, linked_by) VALUES (${orderId}, ${documentId}, ${userId})
                        ON CONFLICT DO NOTHING`);
}

// ------------------------------------------------------------------ verification and merge

export async function orderByCode(
  db: Executor,
  code: string,
): Promise<{ status: string; orderedAt: string; clinic: string } | undefined> {
  const { rows } = await db.execute<{ status: string; orderedAt: string; clinic: string }>(sql`
    SELECT o.status, ${iso(sql`o.ordered_at`)} AS "orderedAt", c.name AS clinic
      FROM lab_orders o JOIN clinics c ON c.id = o.clinic_id WHERE o.verification_code = ${code}`);
  return rows[0];
}

export async function movePatient(db: Executor, fromId: string, toId: string): Promise<void> {
  await db.execute(sql`UPDATE lab_orders SET patient_id = ${toId} WHERE patient_id = ${fromId}`);
  await db.execute(sql`UPDATE lab_results SET patient_id = ${toId} WHERE patient_id = ${fromId}`);
  await db.execute(sql`UPDATE lab_critical_alerts SET patient_id = ${toId} WHERE patient_id = ${fromId}`);
}
