import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { immunizationRevisions, immunizations } from '../../db/schema/immunizations.ts';
import { users } from '../../db/schema/identity.ts';
import { patients } from '../../db/schema/patients.ts';
import { cvxCodes } from '../../db/schema/terminology.ts';
import type { Executor } from '../../platform/db/database.ts';
import { linkedToClinic } from '../../platform/patient-access.ts';
import { timelineWindow, type TimelineEntry, type TimelineQuery } from '../../platform/timeline.ts';

export type ImmunizationRow = typeof immunizations.$inferSelect & {
  vaccine: string;
  performerDisplayName: string | null;
  createdByName: string;
};
export type NewImmunizationRow = typeof immunizations.$inferInsert;
export type RevisionRow = typeof immunizationRevisions.$inferSelect & { changedByName: string };

/** The patient: status, birth date, and whether registered at `clinicId` (the patient-access linkage). */
export async function patientFor(
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

const performer = alias(users, 'performer');
const creator = alias(users, 'creator');

function select(db: Executor) {
  return db
    .select({
      row: immunizations,
      vaccine: cvxCodes.shortDescription,
      performerDisplayName: performer.displayName,
      createdByName: creator.displayName,
    })
    .from(immunizations)
    .innerJoin(cvxCodes, eq(cvxCodes.code, immunizations.cvxCode))
    .innerJoin(creator, eq(creator.id, immunizations.createdBy))
    .leftJoin(performer, eq(performer.id, immunizations.performerId));
}

type Selected = Awaited<ReturnType<ReturnType<typeof select>['where']>>[number];
const flat = (r: Selected): ImmunizationRow => ({
  ...r.row,
  vaccine: r.vaccine,
  performerDisplayName: r.performerDisplayName,
  createdByName: r.createdByName,
});

/** A patient's immunizations, the most recent first (entered-in-error ones included, marked). */
export async function listImmunizations(db: Executor, patientId: string): Promise<ImmunizationRow[]> {
  const rows = await select(db)
    .where(eq(immunizations.patientId, patientId))
    .orderBy(desc(immunizations.occurredOn), desc(immunizations.createdAt));
  return rows.map(flat);
}

export async function getImmunization(
  db: Executor,
  patientId: string,
  id: string,
  forUpdate = false,
): Promise<ImmunizationRow | undefined> {
  // the row itself is locked first (a change waits for another in progress), then read with its names
  if (forUpdate) await db.execute(sql`SELECT 1 FROM immunizations WHERE id = ${id} AND patient_id = ${patientId} FOR UPDATE`);
  const [row] = await select(db).where(and(eq(immunizations.id, id), eq(immunizations.patientId, patientId)));
  return row ? flat(row) : undefined;
}

export async function insertImmunization(db: Executor, row: NewImmunizationRow): Promise<string> {
  const [stored] = await db.insert(immunizations).values(row).returning({ id: immunizations.id });
  return stored!.id;
}

export async function updateImmunization(
  db: Executor,
  id: string,
  set: Partial<NewImmunizationRow> & { version: number; updatedBy: string },
): Promise<void> {
  await db
    .update(immunizations)
    .set({ ...set, updatedAt: sql`now()` })
    .where(eq(immunizations.id, id));
}

export async function insertRevision(db: Executor, row: typeof immunizationRevisions.$inferInsert): Promise<void> {
  await db.insert(immunizationRevisions).values(row);
}

/** The revisions of these immunizations, oldest first, with who made each. */
export async function revisionsOf(db: Executor, ids: string[]): Promise<RevisionRow[]> {
  if (!ids.length) return [];
  const rows = await db
    .select({ rev: immunizationRevisions, changedByName: users.displayName })
    .from(immunizationRevisions)
    .innerJoin(users, eq(users.id, immunizationRevisions.changedBy))
    .where(inArray(immunizationRevisions.immunizationId, ids))
    .orderBy(asc(immunizationRevisions.immunizationId), asc(immunizationRevisions.version));
  return rows.map((r) => ({ ...r.rev, changedByName: r.changedByName }));
}

/** The merge hook: a duplicate's immunizations move to the surviving record. */
export async function moveImmunizations(db: Executor, fromId: string, toId: string): Promise<void> {
  await db.update(immunizations).set({ patientId: toId }).where(eq(immunizations.patientId, fromId));
}

/** A vaccine's day as a time: 00:00 UTC that day (the expression index immunizations_patient_timeline is on). */
const immunizationAt = sql<Date>`(${immunizations.occurredOn}::timestamp AT TIME ZONE 'UTC')`;

/**
 * The patient's vaccines as timeline entries, newest first by their day (a date: the entry carries it as
 * `occurredOn`, its time is 00:00 UTC): vaccine, dose, given here or reported, entered in error or not.
 */
export async function timelineOf(db: Executor, q: TimelineQuery): Promise<TimelineEntry[]> {
  const rows = await db
    .select({
      id: immunizations.id,
      at: immunizationAt,
      clinicId: immunizations.clinicId,
      by: sql<string | null>`coalesce(${performer.displayName}, ${immunizations.performerName})`,
      vaccine: cvxCodes.shortDescription,
      cvxCode: immunizations.cvxCode,
      occurredOn: immunizations.occurredOn,
      doseNumber: immunizations.doseNumber,
      source: immunizations.source,
      status: immunizations.status,
    })
    .from(immunizations)
    .innerJoin(cvxCodes, eq(cvxCodes.code, immunizations.cvxCode))
    .leftJoin(performer, eq(performer.id, immunizations.performerId))
    .where(and(eq(immunizations.patientId, q.patientId), ...timelineWindow(immunizationAt, immunizations.id, q)))
    .orderBy(desc(immunizationAt), desc(immunizations.id))
    .limit(q.limit);
  return rows.map(({ id, at, clinicId, by, ...data }) => ({ kind: 'immunization', id, at: new Date(at), clinicId, by, data }));
}
