import { and, desc, eq, getTableColumns, inArray, isNotNull, or, sql, type SQL } from 'drizzle-orm';
import { patientDocuments } from '../../db/schema/documents.ts';
import { users } from '../../db/schema/identity.ts';
import { patients } from '../../db/schema/patients.ts';
import type { Executor } from '../../platform/db/database.ts';
import { linkedToClinic } from '../../platform/patient-access.ts';
import { timelineWindow, type TimelineEntry, type TimelineQuery } from '../../platform/timeline.ts';

export type DocumentRow = typeof patientDocuments.$inferSelect & { uploadedByName: string };
export type NewDocumentRow = typeof patientDocuments.$inferInsert;

const { pendingCiphertext: _pending, ...visible } = getTableColumns(patientDocuments);
const columns = { ...visible, pendingCiphertext: sql<null>`NULL::bytea`, uploadedByName: users.displayName };

/** The patient, their status and whether they are registered at `clinicId`; undefined when no such record. */
export async function patientFor(
  db: Executor,
  patientId: string,
  clinicId: string | null,
): Promise<{ status: string; linked: boolean } | undefined> {
  const [row] = await db
    .select({ status: patients.status, linked: sql<boolean>`${linkedToClinic(patients.id, clinicId)}` })
    .from(patients)
    .where(eq(patients.id, patientId))
    .limit(1);
  return row;
}

export async function insertDocument(db: Executor, row: NewDocumentRow, uploadedByName: string): Promise<DocumentRow> {
  const [stored] = await db.insert(patientDocuments).values(row).returning();
  return { ...stored!, pendingCiphertext: null, uploadedByName };
}

/** One document (without a pending demo ciphertext), locked for update when asked. */
export async function findDocument(db: Executor, id: string, lock = false): Promise<DocumentRow | undefined> {
  const q = db
    .select(columns)
    .from(patientDocuments)
    .innerJoin(users, eq(users.id, patientDocuments.uploadedBy))
    .where(eq(patientDocuments.id, id))
    .limit(1);
  const [row] = lock ? await q.for('update', { of: patientDocuments }) : await q;
  return row;
}

/**
 * A patient's documents, newest first, `limit` of them after the document `afterId`; only the
 * `categories` given (all when null); `portal`: only what the patient sent or was shared with them,
 * not entered in error.
 */
export function listDocuments(
  db: Executor,
  patientId: string,
  opts: { limit: number; afterId: string | null; categories: readonly string[] | null; portal?: boolean },
): Promise<DocumentRow[]> {
  const t = patientDocuments;
  const after = opts.afterId
    ? sql`(${t.uploadedAt}, ${t.id}) < (SELECT c.uploaded_at, c.id FROM patient_documents c WHERE c.id = ${opts.afterId} AND c.patient_id = ${patientId})`
    : undefined;
  const conditions: (SQL | undefined)[] = [eq(t.patientId, patientId), after];
  if (opts.categories) conditions.push(inArray(t.category, [...opts.categories]));
  if (opts.portal) conditions.push(eq(t.status, 'current'), or(eq(t.source, 'portal'), eq(t.sharedWithPatient, true)));
  return db
    .select(columns)
    .from(t)
    .innerJoin(users, eq(users.id, t.uploadedBy))
    .where(and(...conditions))
    .orderBy(desc(t.uploadedAt), desc(t.id))
    .limit(opts.limit);
}

export async function updateDocument(db: Executor, id: string, set: Partial<NewDocumentRow>): Promise<void> {
  await db.update(patientDocuments).set(set).where(eq(patientDocuments.id, id));
}

/** Demo documents whose ciphertext is still in the database, `limit` at a time. */
export function pendingDocuments(db: Executor, limit: number) {
  return db
    .select({ id: patientDocuments.id, storageKey: patientDocuments.storageKey, ciphertext: patientDocuments.pendingCiphertext })
    .from(patientDocuments)
    .where(isNotNull(patientDocuments.pendingCiphertext))
    .limit(limit);
}

export async function clearPending(db: Executor, id: string): Promise<void> {
  await db.update(patientDocuments).set({ pendingCiphertext: null }).where(eq(patientDocuments.id, id));
}

/** A merge moves the duplicate's documents to the surviving record. */
export async function moveDocuments(db: Executor, fromId: string, toId: string): Promise<void> {
  await db.update(patientDocuments).set({ patientId: toId }).where(eq(patientDocuments.patientId, fromId));
}

/** The clinic a patient registered at first: where what they send through the portal is filed. */
export async function primaryClinicOf(db: Executor, patientId: string): Promise<string> {
  const [row] = await db.select({ clinicId: patients.primaryClinicId }).from(patients).where(eq(patients.id, patientId)).limit(1);
  if (!row) throw new Error('the portal user has no patient record');
  return row.clinicId;
}

/**
 * The patient's documents as timeline entries, newest first by when they were added (index
 * patient_documents_patient_idx): what the card shows and the preview needs, never the content.
 */
export async function timelineOf(db: Executor, q: TimelineQuery): Promise<TimelineEntry[]> {
  const rows = await db
    .select({
      id: patientDocuments.id,
      at: patientDocuments.uploadedAt,
      clinicId: patientDocuments.clinicId,
      by: users.displayName,
      title: patientDocuments.title,
      category: patientDocuments.category,
      contentType: patientDocuments.contentType,
      filename: patientDocuments.filename,
      source: patientDocuments.source,
      status: patientDocuments.status,
    })
    .from(patientDocuments)
    .innerJoin(users, eq(users.id, patientDocuments.uploadedBy))
    .where(
      and(eq(patientDocuments.patientId, q.patientId), ...timelineWindow(patientDocuments.uploadedAt, patientDocuments.id, q)),
    )
    .orderBy(desc(patientDocuments.uploadedAt), desc(patientDocuments.id))
    .limit(q.limit);
  return rows.map(({ id, at, clinicId, by, ...data }) => ({ kind: 'document', id, at, clinicId, by, data }));
}
