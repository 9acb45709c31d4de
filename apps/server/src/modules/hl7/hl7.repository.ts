import { and, eq, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../platform/db/database.ts';
import { hl7CodeMappings, hl7Messages, hl7PatientLinks } from '../../db/schema/hl7.ts';
import type { MessageQuery } from '@sanita/contracts/hl7';

export type MessageRow = typeof hl7Messages.$inferSelect;
export type NewMessageRow = typeof hl7Messages.$inferInsert;

const deliveryKey = [hl7Messages.sendingFacility, hl7Messages.sendingApplication, hl7Messages.controlId, hl7Messages.contentHash];
const deliveryWhere = sql`${hl7Messages.direction} = 'in' AND ${hl7Messages.controlId} <> ''`;

/**
 * Logs an inbound message, or — when the same message (sender, control id, content) is already
 * logged — takes it over only if it had failed (`error`: a redelivery is a new attempt). Returns
 * the id, or undefined when an earlier delivery was processed (the caller answers its ACK).
 */
export async function upsertInbound(db: Executor, row: NewMessageRow): Promise<string | undefined> {
  const [r] = await db
    .insert(hl7Messages)
    .values(row)
    .onConflictDoUpdate({
      target: deliveryKey,
      targetWhere: deliveryWhere,
      set: {
        // the new attempt's id (results recorded by it name this id)
        id: row.id,
        status: row.status,
        ackCode: row.ackCode,
        ack: row.ack,
        error: row.error ?? null,
        unmapped: row.unmapped ?? null,
        patientId: row.patientId ?? null,
        orderId: row.orderId ?? null,
        clinicId: row.clinicId ?? null,
        processedAt: row.processedAt ?? null,
        attempts: sql`${hl7Messages.attempts} + 1`,
        deliveries: sql`${hl7Messages.deliveries} + 1`,
      },
      setWhere: sql`${hl7Messages.status} = 'error'`,
    })
    .returning({ id: hl7Messages.id });
  return r?.id;
}

/** A redelivery of a message already answered: counted, and its ACK returned. */
export async function redelivered(
  db: Executor,
  key: { sendingFacility: string; sendingApplication: string; controlId: string; contentHash: string },
): Promise<string | null> {
  const [r] = await db
    .update(hl7Messages)
    .set({ deliveries: sql`${hl7Messages.deliveries} + 1` })
    .where(
      and(
        eq(hl7Messages.direction, 'in'),
        eq(hl7Messages.sendingFacility, key.sendingFacility),
        eq(hl7Messages.sendingApplication, key.sendingApplication),
        eq(hl7Messages.controlId, key.controlId),
        eq(hl7Messages.contentHash, key.contentHash),
      ),
    )
    .returning({ ack: hl7Messages.ack });
  return r?.ack ?? null;
}

/** A rejected (AR) or unreadable message: logged; a redelivery of the same one is counted. */
export async function insertRejected(db: Executor, row: NewMessageRow): Promise<void> {
  await db
    .insert(hl7Messages)
    .values(row)
    .onConflictDoUpdate({
      target: deliveryKey,
      targetWhere: deliveryWhere,
      set: { deliveries: sql`${hl7Messages.deliveries} + 1` },
    });
}

export async function updateMessage(db: Executor, id: string, changes: Partial<NewMessageRow>): Promise<void> {
  await db.update(hl7Messages).set(changes).where(eq(hl7Messages.id, id));
}

/** A replay's or resolution's attempt on a logged message: its new outcome, one attempt more, by whom. */
export async function recordAttempt(db: Executor, id: string, changes: Partial<NewMessageRow>, by: string | null): Promise<void> {
  await db
    .update(hl7Messages)
    .set({ ...changes, attempts: sql`${hl7Messages.attempts} + 1`, resolvedBy: by, resolvedAt: new Date() })
    .where(eq(hl7Messages.id, id));
}

export async function insertOutbound(db: Executor, row: NewMessageRow): Promise<string> {
  const [r] = await db.insert(hl7Messages).values(row).returning({ id: hl7Messages.id });
  return r!.id;
}

export async function findMessage(db: Executor, id: string, forUpdate = false): Promise<MessageRow | undefined> {
  const q = db.select().from(hl7Messages).where(eq(hl7Messages.id, id));
  const [r] = forUpdate ? await q.for('update') : await q;
  return r;
}

export type ListedRow = Omit<MessageRow, 'raw' | 'ack' | 'contentHash' | 'resolution'> & {
  mrn: string | null;
  ourName: string | null;
};

const listColumns = sql`m.id, m.direction, m.received_at AS "receivedAt", m.sending_application AS "sendingApplication",
  m.sending_facility AS "sendingFacility", m.control_id AS "controlId", m.message_type AS "messageType", m.status,
  m.ack_code AS "ackCode", m.error, m.unmapped, m.patient_identifier AS "patientIdentifier", m.patient_name AS "patientName",
  m.placer_order_number AS "placerOrderNumber", m.filler_order_number AS "fillerOrderNumber", m.patient_id AS "patientId",
  m.order_id AS "orderId", m.clinic_id AS "clinicId", m.attempts, m.deliveries, m.processed_at AS "processedAt",
  m.resolved_by AS "resolvedBy", m.resolved_at AS "resolvedAt",
  p.mrn, CASE WHEN p.id IS NULL THEN NULL ELSE concat_ws(' ', p.given_name, p.family_name) END AS "ourName"`;

/** The log, newest first, filtered; `q` is a control id, type, identifier, MRN, order number, a name or text of the message. */
export async function listMessages(
  db: Executor,
  f: MessageQuery & { limit: number; clinicId?: string | null },
): Promise<ListedRow[]> {
  const where: SQL[] = [];
  // a clinic's staff see its messages and those that name no clinic (rejected, or matching nobody yet)
  if (f.clinicId !== undefined) where.push(sql`(m.clinic_id IS NULL OR m.clinic_id = ${f.clinicId})`);
  if (f.status) where.push(sql`m.status = ${f.status}`);
  if (f.direction) where.push(sql`m.direction = ${f.direction}`);
  if (f.type) where.push(f.type.includes('^') ? sql`m.message_type = ${f.type}` : sql`m.message_type LIKE ${`${f.type}^%`}`);
  if (f.q) {
    const q = f.q.trim();
    const like = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    where.push(sql`(m.control_id = ${q} OR m.message_type = ${q.toUpperCase()} OR m.patient_identifier = ${q}
      OR p.mrn = ${q.toUpperCase()} OR m.placer_order_number = ${q} OR m.filler_order_number = ${q}
      OR m.patient_name ILIKE ${like} OR concat_ws(' ', p.given_name, p.family_name) ILIKE ${like} OR m.raw ILIKE ${like})`);
  }
  const res = await db.execute<ListedRow>(sql`
    SELECT ${listColumns}
      FROM hl7_messages m LEFT JOIN patients p ON p.id = m.patient_id
     ${where.length ? sql`WHERE ${sql.join(where, sql` AND `)}` : sql``}
     ORDER BY m.received_at DESC, m.id DESC
     LIMIT ${f.limit}`);
  return res.rows;
}

export async function messageDetail(
  db: Executor,
  id: string,
): Promise<(ListedRow & { raw: string; ack: string | null; resolverName: string | null }) | undefined> {
  const res = await db.execute<ListedRow & { raw: string; ack: string | null; resolverName: string | null }>(sql`
    SELECT ${listColumns}, m.raw, m.ack, u.display_name AS "resolverName"
      FROM hl7_messages m LEFT JOIN patients p ON p.id = m.patient_id LEFT JOIN users u ON u.id = m.resolved_by
     WHERE m.id = ${id}`);
  return res.rows[0];
}

export async function findMappings(
  db: Executor,
  sendingApplication: string,
  codes: { system: string; code: string }[],
): Promise<Map<string, string>> {
  if (!codes.length) return new Map();
  const res = await db.execute<{ system: string; code: string; testId: string }>(sql`
    SELECT system, code, test_id AS "testId" FROM hl7_code_mappings
     WHERE sending_application = ${sendingApplication}
       AND (system, code) IN (${sql.join(
         codes.map((c) => sql`(${c.system}, ${c.code})`),
         sql`, `,
       )})`);
  return new Map(res.rows.map((r) => [`${r.system}\u0000${r.code}`, r.testId]));
}

export async function upsertMapping(
  db: Executor,
  m: { sendingApplication: string; system: string; code: string; testId: string; createdBy: string },
): Promise<void> {
  await db
    .insert(hl7CodeMappings)
    .values(m)
    .onConflictDoUpdate({
      target: [hl7CodeMappings.sendingApplication, hl7CodeMappings.system, hl7CodeMappings.code],
      set: { testId: m.testId, createdBy: m.createdBy, createdAt: new Date() },
    });
}

/** The patients a sender's identifiers were linked to (first match wins). */
export async function findLinkedPatient(
  db: Executor,
  ids: { authority: string; identifier: string }[],
): Promise<{ patientId: string; clinicId: string } | undefined> {
  if (!ids.length) return undefined;
  const res = await db.execute<{ patientId: string; clinicId: string }>(sql`
    SELECT l.patient_id AS "patientId", p.primary_clinic_id AS "clinicId"
      FROM hl7_patient_links l JOIN patients p ON p.id = l.patient_id AND p.status <> 'merged'
     WHERE (l.authority, l.identifier) IN (${sql.join(
       ids.map((i) => sql`(${i.authority}, ${i.identifier})`),
       sql`, `,
     )})
     LIMIT 1`);
  return res.rows[0];
}

export async function linkPatient(
  db: Executor,
  patientId: string,
  ids: { authority: string; identifier: string }[],
): Promise<void> {
  if (!ids.length) return;
  await db
    .insert(hl7PatientLinks)
    .values(ids.map((i) => ({ ...i, patientId })))
    .onConflictDoNothing();
}

/** Moves a merged duplicate's links and log rows to the survivor. */
export async function mergePatients(db: Executor, fromId: string, toId: string): Promise<void> {
  await db.update(hl7PatientLinks).set({ patientId: toId }).where(eq(hl7PatientLinks.patientId, fromId));
  await db.update(hl7Messages).set({ patientId: toId }).where(eq(hl7Messages.patientId, fromId));
}

/** The clinic ADT registrations go to: the configured code, else the organisation's first clinic. */
export async function adtClinic(db: Executor, code: string | undefined): Promise<string | undefined> {
  const res = await db.execute<{ id: string }>(
    code
      ? sql`SELECT id FROM clinics WHERE code = ${code.toUpperCase()}`
      : sql`SELECT id FROM clinics ORDER BY created_at, code LIMIT 1`,
  );
  return res.rows[0]?.id;
}

/** An order of the lab, for a technician's resolution (its patient and clinic). */
export async function orderRef(
  db: Executor,
  orderId: string,
): Promise<{ orderId: string; patientId: string; clinicId: string } | undefined> {
  const res = await db.execute<{ orderId: string; patientId: string; clinicId: string }>(sql`
    SELECT id AS "orderId", patient_id AS "patientId", clinic_id AS "clinicId" FROM lab_orders WHERE id = ${orderId}`);
  return res.rows[0];
}

/** An order of the lab by its number (case-insensitive). */
export async function orderByNumber(
  db: Executor,
  number: string,
): Promise<{ orderId: string; patientId: string; clinicId: string } | undefined> {
  const res = await db.execute<{ orderId: string; patientId: string; clinicId: string }>(sql`
    SELECT id AS "orderId", patient_id AS "patientId", clinic_id AS "clinicId" FROM lab_orders WHERE number = ${number.toUpperCase()}`);
  return res.rows[0];
}

export type OrderForMessage = {
  id: string;
  number: string;
  clinicId: string;
  clinicCode: string;
  patientId: string;
  mrn: string;
  givenName: string;
  middleName: string | null;
  familyName: string;
  birthDate: string;
  sex: string;
  priority: string;
  orderedAt: string;
  clinicalNotes: string | null;
  ordererId: string | null;
  ordererName: string | null;
  items: { code: string; loinc: string | null; name: string }[];
};

/** What an ORM^O01 says of a lab order: its number, patient, orderer and tests (one read). */
export async function orderForMessage(db: Executor, orderId: string): Promise<OrderForMessage | undefined> {
  const res = await db.execute<OrderForMessage>(sql`
    SELECT o.id, o.number, o.clinic_id AS "clinicId", c.code AS "clinicCode", o.patient_id AS "patientId", p.mrn,
           p.given_name AS "givenName", p.middle_name AS "middleName", p.family_name AS "familyName",
           p.birth_date::text AS "birthDate", p.sex, o.priority, o.ordered_at AS "orderedAt",
           o.clinical_notes AS "clinicalNotes", o.ordered_by AS "ordererId", u.display_name AS "ordererName",
           coalesce((SELECT json_agg(json_build_object('code', t.code, 'loinc', t.loinc, 'name', t.name) ORDER BY i.position)
                       FROM lab_order_items i JOIN lab_tests t ON t.id = i.test_id WHERE i.order_id = o.id), '[]') AS items
      FROM lab_orders o JOIN patients p ON p.id = o.patient_id JOIN clinics c ON c.id = o.clinic_id
      LEFT JOIN users u ON u.id = o.ordered_by
     WHERE o.id = ${orderId}`);
  return res.rows[0];
}

/** A patient registered at `clinicId` (or null when not there). */
export async function patientAtClinic(
  db: Executor,
  patientId: string,
  clinicId: string,
): Promise<{ patientId: string; clinicId: string } | undefined> {
  const res = await db.execute<{ patientId: string; clinicId: string }>(sql`
    SELECT p.id AS "patientId", ${clinicId}::uuid AS "clinicId" FROM patients p
     WHERE p.id = ${patientId} AND p.status <> 'merged'
       AND EXISTS (SELECT 1 FROM patient_clinics pc WHERE pc.patient_id = p.id AND pc.clinic_id = ${clinicId})`);
  return res.rows[0];
}
