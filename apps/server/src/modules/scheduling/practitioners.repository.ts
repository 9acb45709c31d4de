import { and, asc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../platform/db/database.ts';
import { clinics, memberships, users } from '../../db/schema/identity.ts';
import {
  availabilityTemplates,
  practitionerClinics,
  practitioners,
  practitionerSpecialties,
  specialties,
} from '../../db/schema/scheduling.ts';

export interface PractitionerRow {
  id: string;
  userId: string | null;
  displayName: string;
  licenceNumber: string | null;
  bio: string | null;
  languages: string[];
  feeAmount: string | null;
  feeCurrency: string | null;
  requiresConfirmation: boolean;
  icalEnabled: boolean;
  active: boolean;
  specialties: { id: string; code: string; name: string; nameFr: string }[];
  clinicIds: string[];
}

const columns = {
  id: practitioners.id,
  userId: practitioners.userId,
  displayName: practitioners.displayName,
  licenceNumber: practitioners.licenceNumber,
  bio: practitioners.bio,
  languages: practitioners.languages,
  feeAmount: practitioners.feeAmount,
  feeCurrency: practitioners.feeCurrency,
  requiresConfirmation: practitioners.requiresConfirmation,
  icalEnabled: sql<boolean>`${practitioners.icalTokenHash} IS NOT NULL`,
  active: practitioners.active,
  specialties: sql<PractitionerRow['specialties']>`coalesce((
    SELECT json_agg(json_build_object('id', s.id, 'code', s.code, 'name', s.name, 'nameFr', s.name_fr) ORDER BY s.name)
    FROM ${practitionerSpecialties} ps JOIN ${specialties} s ON s.id = ps.specialty_id
    WHERE ps.practitioner_id = practitioners.id), '[]'::json)`,
  clinicIds: sql<string[]>`coalesce((SELECT array_agg(pc.clinic_id ORDER BY pc.clinic_id) FROM ${practitionerClinics} pc
    WHERE pc.practitioner_id = practitioners.id), '{}'::uuid[])`,
};

export interface ListFilters {
  specialtyId?: string;
  clinicId?: string;
  language?: string;
  q?: string;
  visitTypeId?: string;
  includeInactive?: boolean;
}

const likeEscape = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

export async function listPractitioners(db: Executor, f: ListFilters): Promise<PractitionerRow[]> {
  const where: SQL[] = [];
  if (!f.includeInactive) where.push(eq(practitioners.active, true));
  if (f.specialtyId)
    where.push(
      sql`EXISTS (SELECT 1 FROM ${practitionerSpecialties} ps WHERE ps.practitioner_id = practitioners.id AND ps.specialty_id = ${f.specialtyId})`,
    );
  if (f.clinicId)
    where.push(
      sql`EXISTS (SELECT 1 FROM ${practitionerClinics} pc WHERE pc.practitioner_id = practitioners.id AND pc.clinic_id = ${f.clinicId})`,
    );
  if (f.language) where.push(sql`${f.language} = ANY(${practitioners.languages})`);
  if (f.q?.trim())
    where.push(sql`unaccent(lower(${practitioners.displayName})) LIKE '%' || unaccent(lower(${likeEscape(f.q.trim())})) || '%'`);
  if (f.visitTypeId)
    where.push(sql`EXISTS (SELECT 1 FROM ${availabilityTemplates} t WHERE t.practitioner_id = practitioners.id
      AND (cardinality(t.visit_type_ids) = 0 OR ${f.visitTypeId}::uuid = ANY(t.visit_type_ids))
      ${f.clinicId ? sql`AND t.clinic_id = ${f.clinicId}` : sql``})`);
  return db
    .select(columns)
    .from(practitioners)
    .where(and(...where))
    .orderBy(asc(practitioners.displayName), asc(practitioners.id))
    .limit(500);
}

export async function getPractitioner(db: Executor, id: string): Promise<PractitionerRow | undefined> {
  const [row] = await db.select(columns).from(practitioners).where(eq(practitioners.id, id)).limit(1);
  return row;
}

export async function practitionerIdOfUser(db: Executor, userId: string): Promise<string | undefined> {
  const [row] = await db.select({ id: practitioners.id }).from(practitioners).where(eq(practitioners.userId, userId)).limit(1);
  return row?.id;
}

/** A staff account (not a patient's portal account) that exists. */
export async function staffUserExists(db: Executor, userId: string): Promise<boolean> {
  const rows = await db
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.id, userId), sql`${users.patientId} IS NULL`))
    .limit(1);
  return rows.length > 0;
}

export async function existingSpecialtyIds(db: Executor, ids: string[]): Promise<Set<string>> {
  if (!ids.length) return new Set();
  const rows = await db.select({ id: specialties.id }).from(specialties).where(inArray(specialties.id, ids));
  return new Set(rows.map((r) => r.id));
}

export async function existingClinicIds(db: Executor, ids: string[]): Promise<Set<string>> {
  if (!ids.length) return new Set();
  const rows = await db.select({ id: clinics.id }).from(clinics).where(inArray(clinics.id, ids));
  return new Set(rows.map((r) => r.id));
}

/** Clinics where the user has a membership. */
export async function memberClinicIds(db: Executor, userId: string): Promise<Set<string>> {
  const rows = await db.select({ id: memberships.clinicId }).from(memberships).where(eq(memberships.userId, userId));
  return new Set(rows.map((r) => r.id));
}

export type NewPractitioner = typeof practitioners.$inferInsert;

export async function insertPractitioner(tx: Executor, row: NewPractitioner): Promise<string> {
  const [created] = await tx.insert(practitioners).values(row).returning({ id: practitioners.id });
  return created!.id;
}

export async function updatePractitioner(tx: Executor, id: string, patch: Partial<NewPractitioner>): Promise<void> {
  await tx
    .update(practitioners)
    .set({ ...patch, updatedAt: new Date() })
    .where(eq(practitioners.id, id));
}

export async function setSpecialties(tx: Executor, id: string, specialtyIds: string[]): Promise<void> {
  await tx.delete(practitionerSpecialties).where(eq(practitionerSpecialties.practitionerId, id));
  if (specialtyIds.length)
    await tx.insert(practitionerSpecialties).values(specialtyIds.map((specialtyId) => ({ practitionerId: id, specialtyId })));
}

export async function setClinics(tx: Executor, id: string, clinicIds: string[]): Promise<void> {
  await tx.delete(practitionerClinics).where(eq(practitionerClinics.practitionerId, id));
  if (clinicIds.length)
    await tx.insert(practitionerClinics).values(clinicIds.map((clinicId) => ({ practitionerId: id, clinicId })));
}

export async function setIcalTokenHash(tx: Executor, id: string, hash: string): Promise<void> {
  await tx.update(practitioners).set({ icalTokenHash: hash, updatedAt: new Date() }).where(eq(practitioners.id, id));
}
