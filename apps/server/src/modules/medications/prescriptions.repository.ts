import { and, asc, desc, eq, getTableColumns, inArray, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { PrescriptionStatus } from '@sanita/contracts/medications';
import {
  medicationReconciliations,
  prescriptionFavourites,
  prescriptionItems,
  prescriptions,
  refillRequests,
  reportedMedications,
  type PrescriptionSnapshot,
} from '../../db/schema/medications.ts';
import { clinics, users } from '../../db/schema/identity.ts';
import { patients } from '../../db/schema/patients.ts';
import type { Executor } from '../../platform/db/database.ts';
import { linkedToClinic } from '../../platform/patient-access.ts';
import { signerOf } from '../../platform/signer.ts';

export type PrescriptionRow = typeof prescriptions.$inferSelect & { prescriberName: string; cancelledByName: string | null };
export type ItemRow = typeof prescriptionItems.$inferSelect;
export type NewItemRow = typeof prescriptionItems.$inferInsert;
export type ReportedRow = typeof reportedMedications.$inferSelect & { recordedByName: string };
export type FavouriteRow = typeof prescriptionFavourites.$inferSelect;
export type RefillRow = typeof refillRequests.$inferSelect;

// ------------------------------------------------------------------ patient, encounter, issuer

/**
 * The patient as a prescription prints and checks them (name, birth date, sex, MRN, preferred
 * language, latest weight), with whether they are registered at `clinicId`; undefined when no such record.
 */
export async function patientForPrescription(db: Executor, patientId: string, clinicId: string | null) {
  const [row] = await db
    .select({
      status: patients.status,
      name: sql<string>`concat_ws(' ', ${patients.givenName}, ${patients.middleName}, ${patients.familyName})`,
      birthDate: patients.birthDate,
      sex: patients.sex,
      mrn: patients.mrn,
      language: patients.preferredLanguage,
      linked: sql<boolean>`${linkedToClinic(patients.id, clinicId)}`,
      // the outer row by its table's name: drizzle writes a selected field's column unqualified ("id"),
      // which inside this subquery would be the vitals' own id (no weight ever found, every vitals row read)
      weightKg: sql<string | null>`(SELECT v.weight_kg FROM vitals v
                                     WHERE v.patient_id = "patients"."id" AND v.weight_kg IS NOT NULL
                                     ORDER BY v.taken_at DESC NULLS FIRST, v.id DESC NULLS FIRST LIMIT 1)`,
    })
    .from(patients)
    .where(eq(patients.id, patientId))
    .limit(1);
  return row;
}
export type PatientForPrescription = NonNullable<Awaited<ReturnType<typeof patientForPrescription>>>;

/**
 * Locks the patient's row until the transaction ends: signings for one patient take turns, so that
 * each checks against what the one before signed (two interacting drugs signed at once in two tabs
 * cannot both pass).
 */
export async function lockPatient(db: Executor, patientId: string): Promise<void> {
  await db.execute(sql`SELECT 1 FROM patients WHERE id = ${patientId} FOR NO KEY UPDATE`);
}

/** The encounter a prescription is written in: its patient, clinic and status. */
export async function encounterOf(db: Executor, encounterId: string) {
  const { rows } = await db.execute<{ id: string; patient_id: string; clinic_id: string; status: string }>(
    sql`SELECT id, patient_id, clinic_id, status FROM encounters WHERE id = ${encounterId}`,
  );
  const r = rows[0];
  return r ? { id: r.id, patientId: r.patient_id, clinicId: r.clinic_id, status: r.status } : undefined;
}

/** Who signs and where, for the prescription's header and signature block (the shared `signerOf`). */
export async function issuerOf(
  db: Executor,
  userId: string,
  clinicId: string,
  language: 'en' | 'fr',
): Promise<Omit<PrescriptionSnapshot, 'patient'>> {
  const { signer, clinic, organisation } = await signerOf(db, userId, clinicId, language);
  return { clinic: { ...clinic, phone: null }, organisation, prescriber: signer };
}

export async function displayNameOf(db: Executor, userId: string): Promise<string> {
  const [row] = await db.select({ name: users.displayName }).from(users).where(eq(users.id, userId));
  return row?.name ?? '';
}

// ------------------------------------------------------------------ prescriptions

const prescriber = alias(users, 'prescriber');
const canceller = alias(users, 'canceller');
const columns = {
  ...getTableColumns(prescriptions),
  prescriberName: prescriber.displayName,
  cancelledByName: canceller.displayName,
};

function selectPrescriptions(db: Executor) {
  return db
    .select(columns)
    .from(prescriptions)
    .innerJoin(prescriber, eq(prescriber.id, prescriptions.prescriberId))
    .leftJoin(canceller, eq(canceller.id, prescriptions.cancelledBy));
}

export async function insertPrescription(db: Executor, row: typeof prescriptions.$inferInsert): Promise<string> {
  const [stored] = await db.insert(prescriptions).values(row).returning({ id: prescriptions.id });
  return stored!.id;
}

export async function prescriptionById(db: Executor, id: string, lock = false): Promise<PrescriptionRow | undefined> {
  const q = selectPrescriptions(db).where(eq(prescriptions.id, id));
  const [row] = lock ? await q.for('update', { of: prescriptions }) : await q;
  return row;
}

export async function updatePrescription(db: Executor, id: string, set: Partial<typeof prescriptions.$inferInsert>) {
  await db
    .update(prescriptions)
    .set({ ...set, updatedAt: sql`now()` })
    .where(eq(prescriptions.id, id));
}

export async function insertItems(db: Executor, rows: NewItemRow[]): Promise<void> {
  if (rows.length) await db.insert(prescriptionItems).values(rows);
}

export async function deleteItems(db: Executor, prescriptionId: string): Promise<void> {
  await db.delete(prescriptionItems).where(eq(prescriptionItems.prescriptionId, prescriptionId));
}

export async function setOverrides(db: Executor, itemId: string, overrides: ItemRow['overrides']): Promise<void> {
  await db.update(prescriptionItems).set({ overrides }).where(eq(prescriptionItems.id, itemId));
}

/** The items of these prescriptions, in order. */
export async function itemsOf(db: Executor, prescriptionIds: string[]): Promise<Map<string, ItemRow[]>> {
  const out = new Map<string, ItemRow[]>(prescriptionIds.map((id) => [id, []]));
  if (!prescriptionIds.length) return out;
  const rows = await db
    .select()
    .from(prescriptionItems)
    .where(inArray(prescriptionItems.prescriptionId, prescriptionIds))
    .orderBy(asc(prescriptionItems.prescriptionId), asc(prescriptionItems.position));
  for (const r of rows) out.get(r.prescriptionId)!.push(r);
  return out;
}

/** A patient's prescriptions, newest first, after the cursor (an id of the previous page). */
export async function listForPatient(
  db: Executor,
  patientId: string,
  q: { status?: PrescriptionStatus; limit: number; cursor?: string },
): Promise<PrescriptionRow[]> {
  const where: SQL[] = [eq(prescriptions.patientId, patientId)];
  if (q.status) where.push(eq(prescriptions.status, q.status));
  if (q.cursor)
    where.push(
      sql`(${prescriptions.createdAt}, ${prescriptions.id}) < (SELECT c.created_at, c.id FROM prescriptions c WHERE c.id = ${q.cursor})`,
    );
  return selectPrescriptions(db)
    .where(and(...where))
    .orderBy(desc(prescriptions.createdAt), desc(prescriptions.id))
    .limit(q.limit);
}

/** The patient's latest signed prescription (active, completed or expired): what "repeat last" copies. */
export async function lastSigned(db: Executor, patientId: string): Promise<PrescriptionRow | undefined> {
  const [row] = await selectPrescriptions(db)
    .where(and(eq(prescriptions.patientId, patientId), inArray(prescriptions.status, ['active', 'completed', 'expired'])))
    .orderBy(desc(prescriptions.signedAt), desc(prescriptions.id))
    .limit(1);
  return row;
}

/** Active means signed, not yet fully dispensed, cancelled or past its expiry (the job may not have run yet). */
const isActive = sql`${prescriptions.status} = 'active' AND ${prescriptions.expiresAt} > now()`;

/** The items of the patient's active prescriptions (all clinics), but those of `exceptId`. */
export async function activeItems(db: Executor, patientId: string, exceptId: string | null = null) {
  return db
    .select({
      item: prescriptionItems,
      prescriptionId: prescriptions.id,
      signedAt: prescriptions.signedAt,
      prescriberId: prescriptions.prescriberId,
      prescriberName: prescriber.displayName,
    })
    .from(prescriptionItems)
    .innerJoin(prescriptions, eq(prescriptions.id, prescriptionItems.prescriptionId))
    .innerJoin(prescriber, eq(prescriber.id, prescriptions.prescriberId))
    .where(and(eq(prescriptions.patientId, patientId), isActive, exceptId ? sql`${prescriptions.id} <> ${exceptId}` : undefined))
    .orderBy(desc(prescriptions.signedAt), asc(prescriptionItems.position));
}

/** Active prescriptions past their expiry become expired (the job); returns how many. */
export async function expireDue(db: Executor): Promise<{ id: string; clinicId: string; patientId: string }[]> {
  return db
    .update(prescriptions)
    .set({ status: 'expired', updatedAt: sql`now()`, version: sql`${prescriptions.version} + 1` })
    .where(and(eq(prescriptions.status, 'active'), sql`${prescriptions.expiresAt} <= now()`))
    .returning({ id: prescriptions.id, clinicId: prescriptions.clinicId, patientId: prescriptions.patientId });
}

/** When the next active prescription expires (null: none). */
export async function nextExpiry(db: Executor): Promise<Date | null> {
  const [row] = await db
    .select({ at: sql<Date | null>`min(${prescriptions.expiresAt})`.mapWith((v) => (v ? new Date(v) : null)) })
    .from(prescriptions)
    .where(eq(prescriptions.status, 'active'));
  return row?.at ?? null;
}

/** What the public verification page may say about a code: status, date and clinic. */
export async function verification(db: Executor, code: string) {
  const [row] = await db
    .select({ status: prescriptions.status, signedAt: prescriptions.signedAt, clinic: clinics.name })
    .from(prescriptions)
    .innerJoin(clinics, eq(clinics.id, prescriptions.clinicId))
    .where(eq(prescriptions.verificationCode, code));
  return row;
}

// ------------------------------------------------------------------ pharmacy

/**
 * Active prescriptions of a clinic awaiting dispensing (oldest signed first), with their patients;
 * `needle` (lower case, accents and spaces removed) narrows to the patients whose name or MRN holds it.
 */
export async function pharmacyQueue(db: Executor, clinicId: string, q: { limit: number; patientId?: string; needle?: string }) {
  const like = q.needle ? `%${q.needle.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null;
  return db
    .select({
      ...columns,
      patientName: sql<string>`concat_ws(' ', ${patients.givenName}, ${patients.middleName}, ${patients.familyName})`,
      patientMrn: patients.mrn,
      patientBirthDate: patients.birthDate,
      patientSex: patients.sex,
    })
    .from(prescriptions)
    .innerJoin(prescriber, eq(prescriber.id, prescriptions.prescriberId))
    .leftJoin(canceller, eq(canceller.id, prescriptions.cancelledBy))
    .innerJoin(patients, eq(patients.id, prescriptions.patientId))
    .where(
      and(
        eq(prescriptions.clinicId, clinicId),
        isActive,
        q.patientId ? eq(prescriptions.patientId, q.patientId) : undefined,
        like
          ? sql`(replace(${patients.searchName}, ' ', '') LIKE ${like} OR lower(replace(${patients.mrn}, '-', '')) LIKE ${like})`
          : undefined,
      ),
    )
    .orderBy(asc(prescriptions.signedAt), asc(prescriptions.id))
    .limit(q.limit);
}

export async function pharmacyOne(db: Executor, id: string) {
  const [row] = await db
    .select({
      ...columns,
      patientName: sql<string>`concat_ws(' ', ${patients.givenName}, ${patients.middleName}, ${patients.familyName})`,
      patientMrn: patients.mrn,
      patientBirthDate: patients.birthDate,
      patientSex: patients.sex,
    })
    .from(prescriptions)
    .innerJoin(prescriber, eq(prescriber.id, prescriptions.prescriberId))
    .leftJoin(canceller, eq(canceller.id, prescriptions.cancelledBy))
    .innerJoin(patients, eq(patients.id, prescriptions.patientId))
    .where(eq(prescriptions.id, id))
    .for('update', { of: prescriptions });
  return row;
}

// ------------------------------------------------------------------ reported medications

const recorder = alias(users, 'recorder');

export async function reportedOf(db: Executor, patientId: string, current = false): Promise<ReportedRow[]> {
  return db
    .select({ ...getTableColumns(reportedMedications), recordedByName: recorder.displayName })
    .from(reportedMedications)
    .innerJoin(recorder, eq(recorder.id, reportedMedications.recordedBy))
    .where(and(eq(reportedMedications.patientId, patientId), current ? sql`${reportedMedications.stoppedOn} IS NULL` : undefined))
    .orderBy(desc(reportedMedications.recordedAt), desc(reportedMedications.id));
}

export async function reportedById(db: Executor, id: string, lock = false): Promise<ReportedRow | undefined> {
  const q = db
    .select({ ...getTableColumns(reportedMedications), recordedByName: recorder.displayName })
    .from(reportedMedications)
    .innerJoin(recorder, eq(recorder.id, reportedMedications.recordedBy))
    .where(eq(reportedMedications.id, id));
  const [row] = lock ? await q.for('update', { of: reportedMedications }) : await q;
  return row;
}

export async function insertReported(db: Executor, row: typeof reportedMedications.$inferInsert): Promise<string> {
  const [stored] = await db.insert(reportedMedications).values(row).returning({ id: reportedMedications.id });
  return stored!.id;
}

export async function stopReported(
  db: Executor,
  id: string,
  set: { stoppedOn: string; stopReason: string | null; stoppedBy: string },
): Promise<void> {
  await db.update(reportedMedications).set(set).where(eq(reportedMedications.id, id));
}

// ------------------------------------------------------------------ favourites

export function favouritesOf(db: Executor, userId: string): Promise<FavouriteRow[]> {
  return db
    .select()
    .from(prescriptionFavourites)
    .where(eq(prescriptionFavourites.userId, userId))
    .orderBy(asc(prescriptionFavourites.label), asc(prescriptionFavourites.id));
}

export async function favouriteOf(db: Executor, id: string, userId: string): Promise<FavouriteRow | undefined> {
  const [row] = await db
    .select()
    .from(prescriptionFavourites)
    .where(and(eq(prescriptionFavourites.id, id), eq(prescriptionFavourites.userId, userId)));
  return row;
}

export async function insertFavourite(db: Executor, row: typeof prescriptionFavourites.$inferInsert): Promise<FavouriteRow> {
  const [stored] = await db.insert(prescriptionFavourites).values(row).returning();
  return stored!;
}

export async function updateFavourite(
  db: Executor,
  id: string,
  userId: string,
  set: Partial<typeof prescriptionFavourites.$inferInsert>,
): Promise<FavouriteRow | undefined> {
  const [row] = await db
    .update(prescriptionFavourites)
    .set({ ...set, updatedAt: sql`now()` })
    .where(and(eq(prescriptionFavourites.id, id), eq(prescriptionFavourites.userId, userId)))
    .returning();
  return row;
}

export async function deleteFavourite(db: Executor, id: string, userId: string): Promise<boolean> {
  const rows = await db
    .delete(prescriptionFavourites)
    .where(and(eq(prescriptionFavourites.id, id), eq(prescriptionFavourites.userId, userId)))
    .returning({ id: prescriptionFavourites.id });
  return rows.length > 0;
}

// ------------------------------------------------------------------ refill requests

const decider = alias(users, 'decider');
const refillColumns = {
  ...getTableColumns(refillRequests),
  decidedByName: decider.displayName,
  patientName: sql<string>`concat_ws(' ', ${patients.givenName}, ${patients.middleName}, ${patients.familyName})`,
  patientMrn: patients.mrn,
  prescriberId: prescriptions.prescriberId,
  prescriberName: prescriber.displayName,
};
export type RefillListRow = RefillRow & {
  decidedByName: string | null;
  patientName: string;
  patientMrn: string;
  prescriberId: string;
  prescriberName: string;
};

function selectRefills(db: Executor) {
  return db
    .select(refillColumns)
    .from(refillRequests)
    .innerJoin(prescriptions, eq(prescriptions.id, refillRequests.prescriptionId))
    .innerJoin(prescriber, eq(prescriber.id, prescriptions.prescriberId))
    .innerJoin(patients, eq(patients.id, refillRequests.patientId))
    .leftJoin(decider, eq(decider.id, refillRequests.decidedBy));
}

export async function insertRefill(db: Executor, row: typeof refillRequests.$inferInsert): Promise<string | undefined> {
  const [stored] = await db
    .insert(refillRequests)
    .values(row)
    .onConflictDoNothing({ target: refillRequests.prescriptionId, where: sql`${refillRequests.status} = 'requested'` })
    .returning({ id: refillRequests.id });
  return stored?.id;
}

export function refillsOfClinic(
  db: Executor,
  clinicId: string,
  q: { status?: 'requested' | 'approved' | 'declined'; prescriberId?: string; limit: number },
): Promise<RefillListRow[]> {
  return selectRefills(db)
    .where(
      and(
        eq(refillRequests.clinicId, clinicId),
        q.status ? eq(refillRequests.status, q.status) : undefined,
        q.prescriberId ? eq(prescriptions.prescriberId, q.prescriberId) : undefined,
      ),
    )
    .orderBy(desc(refillRequests.requestedAt), desc(refillRequests.id))
    .limit(q.limit);
}

export function refillsOfPrescriptions(db: Executor, prescriptionIds: string[]): Promise<RefillListRow[]> {
  if (!prescriptionIds.length) return Promise.resolve([]);
  return selectRefills(db)
    .where(inArray(refillRequests.prescriptionId, prescriptionIds))
    .orderBy(desc(refillRequests.requestedAt));
}

export async function refillById(db: Executor, id: string, lock = false): Promise<RefillListRow | undefined> {
  const q = selectRefills(db).where(eq(refillRequests.id, id));
  const [row] = lock ? await q.for('update', { of: refillRequests }) : await q;
  return row;
}

export async function decideRefill(
  db: Executor,
  id: string,
  set: { status: 'approved' | 'declined'; decidedBy: string; decisionNote: string | null; newPrescriptionId?: string | null },
): Promise<void> {
  await db
    .update(refillRequests)
    .set({ ...set, decidedAt: sql`now()` })
    .where(eq(refillRequests.id, id));
}

/** The portal: my signed prescriptions (every clinic), newest first, with the clinic's name. */
export async function portalPrescriptions(db: Executor, patientId: string, limit: number) {
  return db
    .select({ ...columns, clinicName: clinics.name })
    .from(prescriptions)
    .innerJoin(prescriber, eq(prescriber.id, prescriptions.prescriberId))
    .leftJoin(canceller, eq(canceller.id, prescriptions.cancelledBy))
    .innerJoin(clinics, eq(clinics.id, prescriptions.clinicId))
    .where(and(eq(prescriptions.patientId, patientId), sql`${prescriptions.signedAt} IS NOT NULL`))
    .orderBy(desc(prescriptions.signedAt), desc(prescriptions.id))
    .limit(limit);
}

// ------------------------------------------------------------------ merge

/** A merge moves the duplicate's prescriptions, reported medications and refill requests to the survivor. */
export async function moveAll(db: Executor, fromId: string, toId: string): Promise<void> {
  await db.update(prescriptions).set({ patientId: toId }).where(eq(prescriptions.patientId, fromId));
  await db.update(reportedMedications).set({ patientId: toId }).where(eq(reportedMedications.patientId, fromId));
  await db.update(refillRequests).set({ patientId: toId }).where(eq(refillRequests.patientId, fromId));
  await db.update(medicationReconciliations).set({ patientId: toId }).where(eq(medicationReconciliations.patientId, fromId));
}

// ------------------------------------------------------------------ reconciliation

const reconciler = alias(users, 'reconciler');
const reconciliationColumns = { ...getTableColumns(medicationReconciliations), reconcilerName: reconciler.displayName };
export type ReconciliationRow = typeof medicationReconciliations.$inferSelect & { reconcilerName: string };

export async function reconciliationOf(db: Executor, encounterId: string): Promise<ReconciliationRow | undefined> {
  const [row] = await db
    .select(reconciliationColumns)
    .from(medicationReconciliations)
    .innerJoin(reconciler, eq(reconciler.id, medicationReconciliations.reconciledBy))
    .where(eq(medicationReconciliations.encounterId, encounterId));
  return row;
}

/** The patient's latest reconciliation (any clinic). */
export async function lastReconciliation(db: Executor, patientId: string): Promise<ReconciliationRow | undefined> {
  const [row] = await db
    .select(reconciliationColumns)
    .from(medicationReconciliations)
    .innerJoin(reconciler, eq(reconciler.id, medicationReconciliations.reconciledBy))
    .where(eq(medicationReconciliations.patientId, patientId))
    .orderBy(desc(medicationReconciliations.reconciledAt))
    .limit(1);
  return row;
}

/** Records (or records again: the new reviewer and time) an encounter's reconciliation. */
export async function upsertReconciliation(
  db: Executor,
  row: typeof medicationReconciliations.$inferInsert & { reviewed: ReconciliationRow['reviewed'] },
): Promise<void> {
  await db
    .insert(medicationReconciliations)
    .values(row)
    .onConflictDoUpdate({
      target: medicationReconciliations.encounterId,
      set: { reconciledBy: row.reconciledBy, reconciledAt: sql`now()`, note: row.note, reviewed: row.reviewed },
    });
}
