import { and, asc, eq, gte, inArray, lt, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../platform/db/database.ts';
import { clinics } from '../../db/schema/identity.ts';
import { patientClinics, patients } from '../../db/schema/patients.ts';
import {
  appointments,
  clinicSchedulingSettings,
  practitionerClinics,
  practitioners,
  visitTypes,
  waitlistEntries,
  type AppointmentStatus,
} from '../../db/schema/scheduling.ts';

export type AppointmentRow = typeof appointments.$inferSelect;
export type NewAppointment = typeof appointments.$inferInsert;

/** The SQLSTATE and constraint of a driver error, looked up through drizzle's wrapping. */
export function pgError(err: unknown): { code: string; constraint?: string } | undefined {
  for (let e = err as { code?: string; constraint?: string; cause?: unknown } | undefined, i = 0; e && i < 4; i++) {
    if (typeof e.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code)) return { code: e.code, constraint: e.constraint };
    e = e.cause as typeof e;
  }
  return undefined;
}

/** A merge moves the duplicate's appointments and waiting-list entries to the surviving record. */
export async function reassignPatient(db: Executor, fromId: string, toId: string): Promise<void> {
  await db.update(appointments).set({ patientId: toId }).where(eq(appointments.patientId, fromId));
  await db.update(waitlistEntries).set({ patientId: toId }).where(eq(waitlistEntries.patientId, fromId));
}

export async function insertAppointment(db: Executor, values: NewAppointment): Promise<AppointmentRow> {
  const [row] = await db.insert(appointments).values(values).returning();
  return row!;
}

/** Locks the row for the rest of the transaction: status changes are decided on what is current. */
export async function lockAppointment(db: Executor, id: string): Promise<AppointmentRow | undefined> {
  const [row] = await db.select().from(appointments).where(eq(appointments.id, id)).for('update').limit(1);
  return row;
}

export async function updateAppointment(
  db: Executor,
  id: string,
  patch: Partial<Omit<NewAppointment, 'id' | 'version'>>,
): Promise<AppointmentRow> {
  const [row] = await db
    .update(appointments)
    .set({ ...patch, version: sql`${appointments.version} + 1`, updatedAt: sql`now()` })
    .where(eq(appointments.id, id))
    .returning();
  return row!;
}

const viewColumns = {
  a: appointments,
  patientMrn: patients.mrn,
  patientName: sql<string>`concat_ws(' ', ${patients.givenName}, ${patients.middleName}, ${patients.familyName})`,
  practitionerName: practitioners.displayName,
  vt: {
    id: visitTypes.id,
    code: visitTypes.code,
    name: visitTypes.name,
    nameFr: visitTypes.nameFr,
    color: visitTypes.color,
    durationMinutes: visitTypes.durationMinutes,
  },
};
export interface AppointmentView {
  a: AppointmentRow;
  patientMrn: string;
  patientName: string;
  practitionerName: string;
  vt: { id: string; code: string; name: string; nameFr: string; color: string; durationMinutes: number };
}

function viewQuery(db: Executor) {
  return db
    .select(viewColumns)
    .from(appointments)
    .innerJoin(patients, eq(patients.id, appointments.patientId))
    .innerJoin(practitioners, eq(practitioners.id, appointments.practitionerId))
    .innerJoin(visitTypes, eq(visitTypes.id, appointments.visitTypeId));
}

export interface ListFilters {
  clinicId?: string;
  from: Date;
  to: Date;
  practitionerId?: string;
  patientId?: string;
  status?: AppointmentStatus;
}

export async function listAppointments(db: Executor, f: ListFilters, limit = 5000): Promise<AppointmentView[]> {
  const where: SQL[] = [gte(appointments.startsAt, f.from), lt(appointments.startsAt, f.to)];
  if (f.clinicId) where.push(eq(appointments.clinicId, f.clinicId));
  if (f.practitionerId) where.push(eq(appointments.practitionerId, f.practitionerId));
  if (f.patientId) where.push(eq(appointments.patientId, f.patientId));
  if (f.status) where.push(eq(appointments.status, f.status));
  return viewQuery(db)
    .where(and(...where))
    .orderBy(asc(appointments.startsAt), asc(appointments.id))
    .limit(limit);
}

export async function appointmentView(db: Executor, id: string): Promise<AppointmentView | undefined> {
  const [row] = await viewQuery(db).where(eq(appointments.id, id)).limit(1);
  return row;
}

/** Every appointment of a patient (the portal's list: upcoming and past), newest first. */
export async function patientAppointments(db: Executor, patientId: string, limit = 200): Promise<AppointmentView[]> {
  return viewQuery(db)
    .where(eq(appointments.patientId, patientId))
    .orderBy(sql`${appointments.startsAt} DESC`)
    .limit(limit);
}

/** Past visits that count for the no-show rate: attended or missed, before `before`. */
export async function attendanceHistory(
  db: Executor,
  patientId: string,
  before: Date,
): Promise<{ missed: number; total: number }> {
  const [row] = await db
    .select({
      missed: sql<number>`count(*) FILTER (WHERE ${appointments.status} = 'no_show')::int`,
      total: sql<number>`count(*)::int`,
    })
    .from(appointments)
    .where(
      and(
        eq(appointments.patientId, patientId),
        lt(appointments.startsAt, before),
        inArray(appointments.status, ['no_show', 'completed', 'checked_in', 'in_progress']),
      ),
    );
  return row ?? { missed: 0, total: 0 };
}

/** Is the patient registered at the clinic (the relationship that lets its staff book them)? */
export async function patientAtClinic(
  db: Executor,
  patientId: string,
  clinicId: string,
): Promise<{ exists: boolean; linked: boolean; status: string | null }> {
  const [row] = await db
    .select({
      status: patients.status,
      linked: sql<boolean>`EXISTS (SELECT 1 FROM ${patientClinics} pc WHERE pc.patient_id = ${patients.id} AND pc.clinic_id = ${clinicId}::uuid)`,
    })
    .from(patients)
    .where(eq(patients.id, patientId))
    .limit(1);
  return { exists: !!row, linked: !!row?.linked, status: row?.status ?? null };
}

/** A portal booking at a clinic the patient never visited registers them there. */
export async function linkPatientToClinic(db: Executor, patientId: string, clinicId: string): Promise<void> {
  await db.insert(patientClinics).values({ patientId, clinicId }).onConflictDoNothing();
}

export interface PractitionerInfo {
  id: string;
  userId: string | null;
  displayName: string;
  requiresConfirmation: boolean;
  active: boolean;
  clinicIds: string[];
}

export async function practitionerInfo(db: Executor, id: string): Promise<PractitionerInfo | undefined> {
  const [row] = await db
    .select({
      id: practitioners.id,
      userId: practitioners.userId,
      displayName: practitioners.displayName,
      requiresConfirmation: practitioners.requiresConfirmation,
      active: practitioners.active,
      clinicIds: sql<
        string[]
      >`coalesce((SELECT array_agg(pc.clinic_id) FROM ${practitionerClinics} pc WHERE pc.practitioner_id = ${practitioners.id}), '{}'::uuid[])`,
    })
    .from(practitioners)
    .where(eq(practitioners.id, id))
    .limit(1);
  return row;
}

export interface ClinicScheduling {
  id: string;
  name: string;
  timezone: string;
  patientCancelNoticeHours: number;
  patientBookingHorizonDays: number;
  reminderLeadMinutes: number[];
  reminderChannels: string[];
  waitlistHoldMinutes: number;
}

/** A clinic's scheduling rules; the column defaults when the clinic has no settings row. */
export async function clinicScheduling(db: Executor, clinicId: string): Promise<ClinicScheduling | undefined> {
  const [row] = await db
    .select({
      id: clinics.id,
      name: clinics.name,
      timezone: clinics.timezone,
      patientCancelNoticeHours: sql<number>`coalesce(${clinicSchedulingSettings.patientCancelNoticeHours}, 24)`,
      patientBookingHorizonDays: sql<number>`coalesce(${clinicSchedulingSettings.patientBookingHorizonDays}, 60)`,
      reminderLeadMinutes: sql<number[]>`coalesce(${clinicSchedulingSettings.reminderLeadMinutes}, '{1440,120}'::integer[])`,
      reminderChannels: sql<string[]>`coalesce(${clinicSchedulingSettings.reminderChannels}, '{email,sms}'::text[])`,
      waitlistHoldMinutes: sql<number>`coalesce(${clinicSchedulingSettings.waitlistHoldMinutes}, 30)`,
    })
    .from(clinics)
    .leftJoin(clinicSchedulingSettings, eq(clinicSchedulingSettings.clinicId, clinics.id))
    .where(eq(clinics.id, clinicId))
    .limit(1);
  return row;
}
