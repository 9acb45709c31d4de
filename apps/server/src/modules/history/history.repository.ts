import { and, asc, eq, getTableColumns, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { allergies, allergyStatements, historyEntries, historyRevisions, problems } from '../../db/schema/history.ts';
import { users } from '../../db/schema/identity.ts';
import { patients } from '../../db/schema/patients.ts';
import type { Executor } from '../../platform/db/database.ts';
import { linkedToClinic } from '../../platform/patient-access.ts';

export type ProblemRow = typeof problems.$inferSelect;
export type AllergyRow = typeof allergies.$inferSelect;
export type HistoryRow = typeof historyEntries.$inferSelect;
export type Entity = 'problem' | 'allergy' | 'history';
export interface Names {
  createdByName: string;
  updatedByName: string;
}

/** The tables of the three kinds of item, by the name revisions use. */
export const TABLES = { problem: problems, allergy: allergies, history: historyEntries } as const;
type Table = (typeof TABLES)[Entity];
const tableOf = (entity: Entity): Table => TABLES[entity];
export interface RowOf {
  problem: ProblemRow;
  allergy: AllergyRow;
  history: HistoryRow;
}

/**
 * The patient the items are about: status, birth date, and whether they are registered at
 * `clinicId` (by the one linkage fragment of the patient-access path); undefined when no such record.
 */
export async function patientOf(
  db: Executor,
  patientId: string,
  clinicId: string | null,
): Promise<{ status: string; birthDate: string; linked: boolean } | undefined> {
  const [row] = await db
    .select({
      status: patients.status,
      birthDate: patients.birthDate,
      linked: sql<boolean>`${linkedToClinic(patients.id, clinicId)}`,
    })
    .from(patients)
    .where(eq(patients.id, patientId))
    .limit(1);
  return row;
}

const created = alias(users, 'created_user');
const updated = alias(users, 'updated_user');

/** A patient's items of one kind, in the order they were recorded, with the names of who recorded and last changed them. */
export async function listItems<E extends Entity>(db: Executor, entity: E, patientId: string): Promise<(RowOf[E] & Names)[]> {
  const table = tableOf(entity);
  const rows = await db
    .select({ ...getTableColumns(table), createdByName: created.displayName, updatedByName: updated.displayName })
    .from(table)
    .innerJoin(created, eq(created.id, table.createdBy))
    .innerJoin(updated, eq(updated.id, table.updatedBy))
    .where(eq(table.patientId, patientId))
    .orderBy(asc(table.createdAt), asc(table.id));
  return rows as unknown as (RowOf[E] & Names)[];
}

/** One item of the patient, locked for an update; undefined when the patient has no such item. */
export async function lockItem<E extends Entity>(
  db: Executor,
  entity: E,
  patientId: string,
  id: string,
): Promise<RowOf[E] | undefined> {
  const table = tableOf(entity);
  const [row] = await db
    .select()
    .from(table)
    .where(and(eq(table.id, id), eq(table.patientId, patientId)))
    .for('update');
  return row as RowOf[E] | undefined;
}

/** Whether the patient has an item of this id (for revisions, which are read without a lock). */
export async function itemExists(db: Executor, entity: Entity, patientId: string, id: string): Promise<boolean> {
  const table = tableOf(entity);
  const [row] = await db
    .select({ id: table.id })
    .from(table)
    .where(and(eq(table.id, id), eq(table.patientId, patientId)));
  return !!row;
}

export async function insertItem<E extends Entity>(
  db: Executor,
  entity: E,
  row: Partial<RowOf[E]> & { patientId: string; clinicId: string; createdBy: string; updatedBy: string },
): Promise<RowOf[E]> {
  const table = tableOf(entity);
  const [stored] = await db
    .insert(table)
    .values(row as never)
    .returning();
  return stored as RowOf[E];
}

export async function updateItem<E extends Entity>(
  db: Executor,
  entity: E,
  id: string,
  set: Partial<RowOf[E]> & { version: number; updatedBy: string },
): Promise<RowOf[E]> {
  const table = tableOf(entity);
  const [stored] = await db
    .update(table)
    .set({ ...set, updatedAt: sql`now()` })
    .where(eq(table.id, id))
    .returning();
  return stored as RowOf[E];
}

export async function insertRevision(db: Executor, row: typeof historyRevisions.$inferInsert): Promise<void> {
  await db.insert(historyRevisions).values(row);
}

export async function listRevisions(db: Executor, entity: Entity, id: string) {
  return db
    .select({ ...getTableColumns(historyRevisions), changedByName: users.displayName })
    .from(historyRevisions)
    .innerJoin(users, eq(users.id, historyRevisions.changedBy))
    .where(and(eq(historyRevisions.entity, entity), eq(historyRevisions.entityId, id)))
    .orderBy(asc(historyRevisions.version));
}

// ------------------------------------------------------------------ the NKA statement

export type StatementRow = typeof allergyStatements.$inferSelect & { statedByName: string };

/** The patient's allergy statement, with who stated it; undefined when never stated. */
export async function statementOf(db: Executor, patientId: string): Promise<StatementRow | undefined> {
  const [row] = await db
    .select({ ...getTableColumns(allergyStatements), statedByName: users.displayName })
    .from(allergyStatements)
    .innerJoin(users, eq(users.id, allergyStatements.statedBy))
    .where(eq(allergyStatements.patientId, patientId));
  return row;
}

/** States "no known allergies" (again): by whom, when, at which clinic. */
export async function stateNoKnownAllergies(db: Executor, patientId: string, clinicId: string, userId: string): Promise<void> {
  await db
    .insert(allergyStatements)
    .values({ patientId, clinicId, statedBy: userId, noKnownAllergies: true })
    .onConflictDoUpdate({
      target: allergyStatements.patientId,
      set: { noKnownAllergies: true, clinicId, statedBy: userId, statedAt: sql`now()`, clearedBy: null, clearedAt: null },
    });
}

/** Clears the statement (an allergy was recorded); true when there was one to clear. */
export async function clearNoKnownAllergies(db: Executor, patientId: string, userId: string): Promise<boolean> {
  const rows = await db
    .update(allergyStatements)
    .set({ noKnownAllergies: false, clearedBy: userId, clearedAt: sql`now()` })
    .where(and(eq(allergyStatements.patientId, patientId), eq(allergyStatements.noKnownAllergies, true)))
    .returning({ patientId: allergyStatements.patientId });
  return rows.length > 0;
}

/** Locks the patient's row, so that stating NKA and recording an allergy cannot interleave. */
export async function lockPatient(db: Executor, patientId: string): Promise<void> {
  await db.execute(sql`SELECT 1 FROM patients WHERE id = ${patientId} FOR NO KEY UPDATE`);
}

/** A merge moves every item, revision and the statement of the duplicate to the survivor. */
export async function moveAll(db: Executor, fromId: string, toId: string): Promise<void> {
  for (const table of Object.values(TABLES) as Table[])
    await db.update(table).set({ patientId: toId }).where(eq(table.patientId, fromId));
  await db.update(historyRevisions).set({ patientId: toId }).where(eq(historyRevisions.patientId, fromId));
  // the survivor's own statement wins; the duplicate's moves only when the survivor has none (else it
  // stays with the merged record, which nobody reads any more: nothing is deleted)
  if (!(await statementOf(db, toId)))
    await db.update(allergyStatements).set({ patientId: toId }).where(eq(allergyStatements.patientId, fromId));
}

/** A user's display name (who recorded an item just changed). */
export async function userName(db: Executor, userId: string): Promise<string> {
  const [row] = await db.select({ name: users.displayName }).from(users).where(eq(users.id, userId));
  return row?.name ?? '';
}
