import { asc, inArray } from 'drizzle-orm';
import type { Executor } from '../../platform/db/database.ts';
import { clinics } from '../../db/schema/identity.ts';

export type ClinicRow = typeof clinics.$inferSelect;

export async function listClinics(db: Executor, ids?: string[]): Promise<ClinicRow[]> {
  if (ids && !ids.length) return [];
  const q = db.select().from(clinics);
  return (ids ? q.where(inArray(clinics.id, ids)) : q).orderBy(asc(clinics.code));
}
