import { and, asc, eq, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Executor } from '../../platform/db/database.ts';
import { patients } from '../../db/schema/patients.ts';
import {
  appointments,
  practitionerSpecialties,
  practitioners,
  specialties,
  visitTypes,
  waitlistEntries,
  waitlistOffers,
} from '../../db/schema/scheduling.ts';

export type EntryRow = typeof waitlistEntries.$inferSelect;
export type EntryStatus = EntryRow['status'];

export async function insertEntry(db: Executor, values: typeof waitlistEntries.$inferInsert): Promise<EntryRow> {
  const [row] = await db.insert(waitlistEntries).values(values).returning();
  return row!;
}

export async function lockEntry(db: Executor, id: string): Promise<EntryRow | undefined> {
  const [row] = await db.select().from(waitlistEntries).where(eq(waitlistEntries.id, id)).for('update').limit(1);
  return row;
}

export async function entryByOffer(db: Executor, appointmentId: string): Promise<EntryRow | undefined> {
  const [row] = await db
    .select()
    .from(waitlistEntries)
    .where(eq(waitlistEntries.offerAppointmentId, appointmentId))
    .for('update')
    .limit(1);
  return row;
}

export async function updateEntry(
  db: Executor,
  id: string,
  patch: { status: EntryStatus; offerAppointmentId: string | null },
): Promise<EntryRow> {
  const [row] = await db
    .update(waitlistEntries)
    .set({ ...patch, updatedAt: sql`now()` })
    .where(eq(waitlistEntries.id, id))
    .returning();
  return row!;
}

/**
 * Waiting entries that may take a freed slot of `practitionerId` on local date `date`, oldest
 * first, excluding those already offered this slot. Rows are locked, skipping those another
 * offer is handling, so two freed slots never go to one entry.
 */
export async function candidates(
  db: Executor,
  q: { clinicId: string; practitionerId: string; date: string; startsAt: Date },
): Promise<EntryRow[]> {
  return db
    .select()
    .from(waitlistEntries)
    .where(
      and(
        eq(waitlistEntries.clinicId, q.clinicId),
        eq(waitlistEntries.status, 'waiting'),
        sql`${waitlistEntries.earliest} <= ${q.date}::date AND ${waitlistEntries.latest} >= ${q.date}::date`,
        sql`(${waitlistEntries.practitionerId} = ${q.practitionerId}::uuid OR (${waitlistEntries.practitionerId} IS NULL AND (
              ${waitlistEntries.specialtyId} IS NULL OR EXISTS (SELECT 1 FROM ${practitionerSpecialties} ps
                WHERE ps.practitioner_id = ${q.practitionerId}::uuid AND ps.specialty_id = ${waitlistEntries.specialtyId}))))`,
        sql`NOT EXISTS (SELECT 1 FROM ${waitlistOffers} o WHERE o.entry_id = ${waitlistEntries.id}
              AND o.practitioner_id = ${q.practitionerId}::uuid AND o.starts_at = ${q.startsAt.toISOString()}::timestamptz)`,
      ),
    )
    .orderBy(asc(waitlistEntries.createdAt), asc(waitlistEntries.id))
    .limit(20)
    .for('update', { skipLocked: true });
}

export async function recordOffer(
  db: Executor,
  v: { entryId: string; appointmentId: string; practitionerId: string; startsAt: Date },
): Promise<void> {
  await db.insert(waitlistOffers).values(v).onConflictDoNothing();
}

export async function closeOffer(
  db: Executor,
  appointmentId: string,
  outcome: 'accepted' | 'declined' | 'expired' | 'cancelled',
): Promise<void> {
  await db.update(waitlistOffers).set({ outcome }).where(eq(waitlistOffers.appointmentId, appointmentId));
}

const offerAppt = alias(appointments, 'offer_appt');
const offerPr = alias(practitioners, 'offer_pr');

const viewColumns = {
  e: waitlistEntries,
  patientMrn: patients.mrn,
  patientName: sql<string>`concat_ws(' ', ${patients.givenName}, ${patients.middleName}, ${patients.familyName})`,
  practitionerName: practitioners.displayName,
  specialtyName: specialties.name,
  specialtyNameFr: specialties.nameFr,
  visitTypeName: visitTypes.name,
  visitTypeNameFr: visitTypes.nameFr,
  offerStartsAt: offerAppt.startsAt,
  offerEndsAt: offerAppt.endsAt,
  offerHoldExpiresAt: offerAppt.holdExpiresAt,
  offerPractitionerName: offerPr.displayName,
};
export type EntryView = {
  e: EntryRow;
  patientMrn: string;
  patientName: string;
  practitionerName: string | null;
  specialtyName: string | null;
  specialtyNameFr: string | null;
  visitTypeName: string;
  visitTypeNameFr: string;
  offerStartsAt: Date | null;
  offerEndsAt: Date | null;
  offerHoldExpiresAt: Date | null;
  offerPractitionerName: string | null;
};

export async function listEntries(
  db: Executor,
  f: { clinicId?: string; patientId?: string; status?: EntryStatus; id?: string },
): Promise<EntryView[]> {
  const where: SQL[] = [];
  if (f.clinicId) where.push(eq(waitlistEntries.clinicId, f.clinicId));
  if (f.patientId) where.push(eq(waitlistEntries.patientId, f.patientId));
  if (f.status) where.push(eq(waitlistEntries.status, f.status));
  if (f.id) where.push(eq(waitlistEntries.id, f.id));
  return db
    .select(viewColumns)
    .from(waitlistEntries)
    .innerJoin(patients, eq(patients.id, waitlistEntries.patientId))
    .innerJoin(visitTypes, eq(visitTypes.id, waitlistEntries.visitTypeId))
    .leftJoin(practitioners, eq(practitioners.id, waitlistEntries.practitionerId))
    .leftJoin(specialties, eq(specialties.id, waitlistEntries.specialtyId))
    .leftJoin(offerAppt, eq(offerAppt.id, waitlistEntries.offerAppointmentId))
    .leftJoin(offerPr, eq(offerPr.id, offerAppt.practitionerId))
    .where(and(...where))
    .orderBy(asc(waitlistEntries.createdAt))
    .limit(500);
}

/** What the offer email needs. */
export async function patientContact(db: Executor, patientId: string) {
  const [row] = await db
    .select({
      givenName: patients.givenName,
      familyName: patients.familyName,
      email: patients.email,
      language: patients.preferredLanguage,
    })
    .from(patients)
    .where(eq(patients.id, patientId))
    .limit(1);
  return row;
}

export async function specialtyExists(db: Executor, id: string): Promise<boolean> {
  return (await db.select({ id: specialties.id }).from(specialties).where(eq(specialties.id, id)).limit(1)).length > 0;
}

export async function visitTypeExists(db: Executor, id: string): Promise<boolean> {
  return (await db.select({ id: visitTypes.id }).from(visitTypes).where(eq(visitTypes.id, id)).limit(1)).length > 0;
}
