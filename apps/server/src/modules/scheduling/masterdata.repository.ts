import { asc, eq } from 'drizzle-orm';
import type { Executor } from '../../platform/db/database.ts';
import { specialties, visitTypes } from '../../db/schema/scheduling.ts';

export type SpecialtyRow = typeof specialties.$inferSelect;
export type VisitTypeRow = typeof visitTypes.$inferSelect;

export const listSpecialties = (db: Executor) => db.select().from(specialties).orderBy(asc(specialties.name));

export async function specialtyByCode(db: Executor, code: string): Promise<SpecialtyRow | undefined> {
  const [row] = await db.select().from(specialties).where(eq(specialties.code, code)).limit(1);
  return row;
}

export async function insertSpecialty(tx: Executor, row: typeof specialties.$inferInsert): Promise<SpecialtyRow> {
  const [created] = await tx.insert(specialties).values(row).returning();
  return created!;
}

export async function updateSpecialty(
  tx: Executor,
  id: string,
  patch: Partial<typeof specialties.$inferInsert>,
): Promise<SpecialtyRow | undefined> {
  const [row] = await tx.update(specialties).set(patch).where(eq(specialties.id, id)).returning();
  return row;
}

export const listVisitTypes = (db: Executor) =>
  db.select().from(visitTypes).orderBy(asc(visitTypes.durationMinutes), asc(visitTypes.name));

export async function visitTypeByCode(db: Executor, code: string): Promise<VisitTypeRow | undefined> {
  const [row] = await db.select().from(visitTypes).where(eq(visitTypes.code, code)).limit(1);
  return row;
}

export async function insertVisitType(tx: Executor, row: typeof visitTypes.$inferInsert): Promise<VisitTypeRow> {
  const [created] = await tx.insert(visitTypes).values(row).returning();
  return created!;
}

export async function updateVisitType(
  tx: Executor,
  id: string,
  patch: Partial<typeof visitTypes.$inferInsert>,
): Promise<VisitTypeRow | undefined> {
  const [row] = await tx.update(visitTypes).set(patch).where(eq(visitTypes.id, id)).returning();
  return row;
}
