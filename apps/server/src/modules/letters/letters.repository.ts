import { and, desc, eq, getTableColumns, sql } from 'drizzle-orm';
import { letters, type LetterSnapshot } from '../../db/schema/letters.ts';
import { clinics, users } from '../../db/schema/identity.ts';
import { patients } from '../../db/schema/patients.ts';
import type { Executor } from '../../platform/db/database.ts';
import { timelineWindow, type TimelineEntry, type TimelineQuery } from '../../platform/timeline.ts';
import { linkedToClinic } from '../../platform/patient-access.ts';
import { signerOf } from '../../platform/signer.ts';

export type LetterRow = typeof letters.$inferSelect & { issuedByName: string };
export type NewLetterRow = typeof letters.$inferInsert;

/**
 * The patient a letter is about, as it will be printed (name, birth date, sex, MRN), with whether they
 * are registered at `clinicId` (the patient-access path's linkage) and their status; undefined when no
 * such record.
 */
export async function patientForLetter(db: Executor, patientId: string, clinicId: string | null) {
  const [row] = await db
    .select({
      status: patients.status,
      name: sql<string>`concat_ws(' ', ${patients.givenName}, ${patients.middleName}, ${patients.familyName})`,
      birthDate: patients.birthDate,
      sex: patients.sex,
      mrn: patients.mrn,
      linked: sql<boolean>`${linkedToClinic(patients.id, clinicId)}`,
    })
    .from(patients)
    .where(eq(patients.id, patientId))
    .limit(1);
  return row;
}

/** Who signs and where, for the letter's header and signature (the shared `signerOf`). */
export async function issuerOf(
  db: Executor,
  userId: string,
  clinicId: string,
  language: 'en' | 'fr',
): Promise<Omit<LetterSnapshot, 'patient'>> {
  const { signer, ...where } = await signerOf(db, userId, clinicId, language);
  return { ...where, practitioner: signer };
}

/** Whether the encounter is this patient's, at this clinic (a letter may cite only such a consultation). */
export async function encounterOf(db: Executor, encounterId: string, patientId: string, clinicId: string): Promise<boolean> {
  const { rows } = await db.execute(
    sql`SELECT 1 FROM encounters WHERE id = ${encounterId} AND patient_id = ${patientId} AND clinic_id = ${clinicId}`,
  );
  return rows.length > 0;
}

const columns = { ...getTableColumns(letters), issuedByName: users.displayName };

export async function insertLetter(db: Executor, row: NewLetterRow, issuedByName: string): Promise<LetterRow> {
  const [stored] = await db.insert(letters).values(row).returning();
  return { ...stored!, issuedByName };
}

/** A visit summary, unless the encounter's in that language exists already (then undefined). */
export async function insertVisitSummary(db: Executor, row: NewLetterRow): Promise<LetterRow | undefined> {
  const [stored] = await db
    .insert(letters)
    .values(row)
    .onConflictDoNothing({
      target: [letters.encounterId, letters.language],
      where: sql`${letters.kind} = 'visit_summary' AND ${letters.revokedAt} IS NULL`,
    })
    .returning();
  if (!stored) return undefined;
  const [by] = await db.select({ name: users.displayName }).from(users).where(eq(users.id, stored.issuedBy));
  return { ...stored, issuedByName: by!.name };
}

/** The encounter's visit summary in a language, unless revoked. */
export async function visitSummaryOf(db: Executor, encounterId: string, language: 'en' | 'fr'): Promise<LetterRow | undefined> {
  const [row] = await db
    .select(columns)
    .from(letters)
    .innerJoin(users, eq(users.id, letters.issuedBy))
    .where(
      and(
        eq(letters.encounterId, encounterId),
        eq(letters.language, language),
        eq(letters.kind, 'visit_summary'),
        sql`${letters.revokedAt} IS NULL`,
      ),
    );
  return row;
}

/** A patient's letters issued at a clinic, newest first. */
export function listLetters(db: Executor, patientId: string, clinicId: string): Promise<LetterRow[]> {
  return db
    .select(columns)
    .from(letters)
    .innerJoin(users, eq(users.id, letters.issuedBy))
    .where(and(eq(letters.patientId, patientId), eq(letters.clinicId, clinicId)))
    .orderBy(desc(letters.issuedAt), desc(letters.id))
    .limit(200);
}

export async function letterById(db: Executor, id: string): Promise<LetterRow | undefined> {
  const [row] = await db.select(columns).from(letters).innerJoin(users, eq(users.id, letters.issuedBy)).where(eq(letters.id, id));
  return row;
}

export async function revokeLetter(db: Executor, id: string, userId: string, reason: string): Promise<boolean> {
  const rows = await db
    .update(letters)
    .set({ revokedAt: sql`now()`, revokedBy: userId, revokedReason: reason })
    .where(and(eq(letters.id, id), sql`${letters.revokedAt} IS NULL`))
    .returning({ id: letters.id });
  return rows.length > 0;
}

/** What the public verification page may say about a code: its status, kind, date and clinic. */
export async function verification(db: Executor, code: string) {
  const [row] = await db
    .select({ kind: letters.kind, issuedAt: letters.issuedAt, revokedAt: letters.revokedAt, clinic: clinics.name })
    .from(letters)
    .innerJoin(clinics, eq(clinics.id, letters.clinicId))
    .where(eq(letters.verificationCode, code));
  return row;
}

/** A merge moves the duplicate's letters to the surviving record (the trigger allows only that change). */
export async function moveLetters(db: Executor, fromId: string, toId: string): Promise<void> {
  await db.update(letters).set({ patientId: toId }).where(eq(letters.patientId, fromId));
}

/** The patient's letters as timeline entries (newest first, after the cursor, within the dates), with what each is about. */
export async function timelineOf(db: Executor, q: TimelineQuery): Promise<TimelineEntry[]> {
  const rows = await db
    .select({
      id: letters.id,
      at: letters.issuedAt,
      clinicId: letters.clinicId,
      by: users.displayName,
      kind: letters.kind,
      revoked: sql<boolean>`${letters.revokedAt} IS NOT NULL`,
      recipient: letters.recipient,
      restFrom: letters.restFrom,
      restTo: letters.restTo,
      // a visit summary: the consultation it summarises
      visitStartedAt: sql<string | null>`${letters.visit}->>'startedAt'`,
    })
    .from(letters)
    .innerJoin(users, eq(users.id, letters.issuedBy))
    .where(and(eq(letters.patientId, q.patientId), ...timelineWindow(letters.issuedAt, letters.id, q)))
    .orderBy(desc(letters.issuedAt), desc(letters.id))
    .limit(q.limit);
  return rows.map(({ id, at, clinicId, by, ...data }) => ({ kind: 'letter', id, at, clinicId, by, data }));
}
