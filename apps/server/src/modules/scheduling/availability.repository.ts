import { and, asc, eq, gt, gte, inArray, isNull, lt, ne, or, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../platform/db/database.ts';
import { clinics } from '../../db/schema/identity.ts';
import {
  appointments,
  availabilityExceptions,
  availabilityTemplates,
  practitionerClinics,
  practitioners,
  visitTypes,
} from '../../db/schema/scheduling.ts';

export type TemplateRow = typeof availabilityTemplates.$inferSelect;
export type ExceptionRow = typeof availabilityExceptions.$inferSelect;
export type NewTemplate = typeof availabilityTemplates.$inferInsert;
export type NewException = typeof availabilityExceptions.$inferInsert;

/** the longest [starts_at, block_ends_at) an appointment can have: 480-minute visit, 240-minute buffer */
export const MAX_BLOCK_MS = 12 * 3600_000;

/** statuses whose appointments hold the practitioner's time (the exclusion constraint's list) */
export const TIME_HOLDING = ['held', 'requested', 'booked', 'checked_in', 'in_progress', 'completed'] as const;

export interface PractitionerAtClinic {
  id: string;
  userId: string | null;
  displayName: string;
  active: boolean;
  /** the clinics the practitioner works at */
  clinicIds: string[];
}

export async function findPractitioner(db: Executor, id: string): Promise<PractitionerAtClinic | undefined> {
  const [row] = await db
    .select({
      id: practitioners.id,
      userId: practitioners.userId,
      displayName: practitioners.displayName,
      active: practitioners.active,
      clinicIds: sql<
        string[]
      >`coalesce((SELECT array_agg(pc.clinic_id ORDER BY pc.clinic_id) FROM ${practitionerClinics} pc WHERE pc.practitioner_id = practitioners.id), '{}'::uuid[])`,
    })
    .from(practitioners)
    .where(eq(practitioners.id, id))
    .limit(1);
  return row;
}

export async function clinicTimezones(db: Executor, ids: string[]): Promise<Map<string, string>> {
  if (!ids.length) return new Map();
  const rows = await db.select({ id: clinics.id, timezone: clinics.timezone }).from(clinics).where(inArray(clinics.id, ids));
  return new Map(rows.map((r) => [r.id, r.timezone]));
}

export async function clinicExists(db: Executor, id: string): Promise<boolean> {
  const rows = await db.select({ id: clinics.id }).from(clinics).where(eq(clinics.id, id)).limit(1);
  return rows.length > 0;
}

export async function visitType(db: Executor, id: string) {
  const [row] = await db.select().from(visitTypes).where(eq(visitTypes.id, id)).limit(1);
  return row;
}

export async function existingVisitTypeIds(db: Executor, ids: string[]): Promise<Set<string>> {
  if (!ids.length) return new Set();
  const rows = await db.select({ id: visitTypes.id }).from(visitTypes).where(inArray(visitTypes.id, ids));
  return new Set(rows.map((r) => r.id));
}

/** Templates of these practitioners, at these clinics (all when `clinicIds` is null). */
export async function templatesFor(db: Executor, practitionerIds: string[], clinicIds: string[] | null): Promise<TemplateRow[]> {
  if (!practitionerIds.length || (clinicIds && !clinicIds.length)) return [];
  const where: SQL[] = [inArray(availabilityTemplates.practitionerId, practitionerIds)];
  if (clinicIds) where.push(inArray(availabilityTemplates.clinicId, clinicIds));
  return db
    .select()
    .from(availabilityTemplates)
    .where(and(...where))
    .orderBy(
      asc(availabilityTemplates.clinicId),
      asc(availabilityTemplates.weekday),
      asc(availabilityTemplates.startTime),
      asc(availabilityTemplates.id),
    );
}

/**
 * Exceptions that touch [from, to) and apply to any of these practitioners at any of these
 * clinics: their own (for one clinic or all) and the clinic-wide ones.
 */
export async function exceptionsFor(
  db: Executor,
  practitionerIds: string[],
  clinicIds: string[],
  from: Date,
  to: Date,
): Promise<ExceptionRow[]> {
  if (!practitionerIds.length && !clinicIds.length) return [];
  const who: SQL[] = [];
  if (practitionerIds.length) who.push(inArray(availabilityExceptions.practitionerId, practitionerIds));
  if (clinicIds.length)
    who.push(and(isNull(availabilityExceptions.practitionerId), inArray(availabilityExceptions.clinicId, clinicIds))!);
  return db
    .select()
    .from(availabilityExceptions)
    .where(and(or(...who), lt(availabilityExceptions.startsAt, to), gt(availabilityExceptions.endsAt, from)))
    .orderBy(asc(availabilityExceptions.startsAt));
}

export interface BusyRow {
  practitionerId: string;
  startsAt: Date;
  blockEndsAt: Date;
}

/** Time held by appointments of these practitioners that touches [from, to), at any clinic. */
export async function busyFor(
  db: Executor,
  practitionerIds: string[],
  from: Date,
  to: Date,
  ignoreAppointmentId?: string,
): Promise<BusyRow[]> {
  if (!practitionerIds.length) return [];
  const where: SQL[] = [
    inArray(appointments.practitionerId, practitionerIds),
    inArray(appointments.status, [...TIME_HOLDING]),
    lt(appointments.startsAt, to),
    // a visit plus its buffer lasts at most 12 hours (480 + 240 minutes): a lower bound on
    // starts_at keeps the (practitioner_id, starts_at) index scan to the window
    gte(appointments.startsAt, new Date(from.getTime() - MAX_BLOCK_MS)),
    gt(appointments.blockEndsAt, from),
  ];
  if (ignoreAppointmentId) where.push(ne(appointments.id, ignoreAppointmentId));
  return db
    .select({
      practitionerId: appointments.practitionerId,
      startsAt: appointments.startsAt,
      blockEndsAt: appointments.blockEndsAt,
    })
    .from(appointments)
    .where(and(...where));
}

/** Replaces the practitioner's templates at one clinic. */
export async function replaceTemplates(
  tx: Executor,
  practitionerId: string,
  clinicId: string,
  rows: Omit<NewTemplate, 'practitionerId' | 'clinicId'>[],
): Promise<void> {
  await tx
    .delete(availabilityTemplates)
    .where(and(eq(availabilityTemplates.practitionerId, practitionerId), eq(availabilityTemplates.clinicId, clinicId)));
  if (rows.length) await tx.insert(availabilityTemplates).values(rows.map((r) => ({ ...r, practitionerId, clinicId })));
}

/** The practitioner's own exceptions and the clinic-wide ones of `clinicIds` that end after `after`. */
export async function listExceptions(
  db: Executor,
  practitionerId: string,
  clinicIds: string[],
  after: Date,
): Promise<ExceptionRow[]> {
  const who: SQL[] = [eq(availabilityExceptions.practitionerId, practitionerId)];
  if (clinicIds.length)
    who.push(and(isNull(availabilityExceptions.practitionerId), inArray(availabilityExceptions.clinicId, clinicIds))!);
  return db
    .select()
    .from(availabilityExceptions)
    .where(and(or(...who), gt(availabilityExceptions.endsAt, after)))
    .orderBy(asc(availabilityExceptions.startsAt))
    .limit(500);
}

export async function insertException(tx: Executor, row: NewException): Promise<ExceptionRow> {
  const [created] = await tx.insert(availabilityExceptions).values(row).returning();
  return created!;
}

export async function findException(db: Executor, id: string): Promise<ExceptionRow | undefined> {
  const [row] = await db.select().from(availabilityExceptions).where(eq(availabilityExceptions.id, id)).limit(1);
  return row;
}

export async function deleteException(tx: Executor, id: string): Promise<void> {
  await tx.delete(availabilityExceptions).where(eq(availabilityExceptions.id, id));
}

/** Active practitioners working at a clinic (whom a clinic-wide change affects). */
export async function practitionerIdsAtClinic(db: Executor, clinicId: string): Promise<string[]> {
  const rows = await db
    .select({ id: practitionerClinics.practitionerId })
    .from(practitionerClinics)
    .where(eq(practitionerClinics.clinicId, clinicId));
  return rows.map((r) => r.id);
}
