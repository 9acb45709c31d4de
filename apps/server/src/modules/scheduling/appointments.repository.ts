import { and, asc, eq, gte, inArray, lt, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../platform/db/database.ts';
import { auditInsert, auditPlaceholders, auditValues, type AuditActor, type AuditEntry } from '../../platform/audit/audit.ts';
import { namedStatement, runNamed } from '../../platform/db/queries.ts';
import { epochMs, type ClinicScheduling } from './availability.repository.ts';
import { clinics } from '../../db/schema/identity.ts';
import { patients } from '../../db/schema/patients.ts';
import { registerAtClinic } from '../../platform/patient-access.ts';
import {
  appointments,
  clinicSchedulingSettings,
  practitionerClinics,
  practitioners,
  visitTypes,
  waitlistEntries,
} from '../../db/schema/scheduling.ts';
import type { AppointmentStatus } from '@sanita/contracts/scheduling/appointments';

export type AppointmentRow = typeof appointments.$inferSelect;
export type NewAppointment = typeof appointments.$inferInsert;

/** A merge moves the duplicate's appointments and waiting-list entries to the surviving record. */
export async function reassignPatient(db: Executor, fromId: string, toId: string): Promise<void> {
  await db.update(appointments).set({ patientId: toId }).where(eq(appointments.patientId, fromId));
  await db.update(waitlistEntries).set({ patientId: toId }).where(eq(waitlistEntries.patientId, fromId));
}

const ph = (name: string) => sql.placeholder(name);
const BOOK = namedStatement(
  'appointment_book',
  sql`
WITH ins AS (
  INSERT INTO appointments (clinic_id, practitioner_id, patient_id, visit_type_id, starts_at, ends_at, block_ends_at,
                            status, source, reason, notes, booked_by, rescheduled_from_id, hold_expires_at, confirmed_at,
                            no_show_risk, no_show_factors)
  VALUES (${ph('clinicId')}::uuid, ${ph('practitionerId')}::uuid, ${ph('patientId')}::uuid, ${ph('visitTypeId')}::uuid,
          ${ph('startsAt')}::timestamptz, ${ph('endsAt')}::timestamptz, ${ph('blockEndsAt')}::timestamptz, ${ph('status')},
          ${ph('source')}, ${ph('reason')}, ${ph('notes')}, ${ph('bookedBy')}::uuid, ${ph('rescheduledFromId')}::uuid,
          ${ph('holdExpiresAt')}::timestamptz, ${ph('confirmedAt')}::timestamptz, ${ph('noShowRisk')}::real,
          ${ph('noShowFactors')}::jsonb)
  RETURNING *
), rem AS (
  INSERT INTO appointment_reminders (appointment_id, channel, lead_minutes, due_at, status)
  SELECT ins.id, r.channel, r.lead_minutes, r.due_at, 'scheduled'
    FROM ins, unnest(${ph('channels')}::text[], ${ph('leadMinutes')}::integer[], ${ph('dueAts')}::timestamptz[])
         AS r(channel, lead_minutes, due_at)
  ON CONFLICT DO NOTHING
  RETURNING id, due_at
), aud AS (
  ${auditInsert({ ...auditPlaceholders(), resourceId: sql`ins.id::text` }, sql`FROM ins WHERE ${ph('audited')}::boolean`)}
)
SELECT ins.id, ins.clinic_id AS "clinicId", ins.practitioner_id AS "practitionerId", ins.patient_id AS "patientId",
       ins.visit_type_id AS "visitTypeId", ins.starts_at AS "startsAt", ins.ends_at AS "endsAt",
       ins.block_ends_at AS "blockEndsAt", ins.status, ins.reason, ins.notes, ins.source,
       ins.rescheduled_from_id AS "rescheduledFromId", ins.cancel_reason AS "cancelReason",
       ins.cancelled_at AS "cancelledAt", ins.cancelled_by AS "cancelledBy", ins.hold_expires_at AS "holdExpiresAt",
       ins.booked_by AS "bookedBy", ins.confirmed_at AS "confirmedAt", ins.checked_in_at AS "checkedInAt",
       ins.completed_at AS "completedAt", ins.no_show_risk AS "noShowRisk", ins.no_show_factors AS "noShowFactors",
       ins.version, ins.created_at AS "createdAt", ins.updated_at AS "updatedAt",
       pt.mrn AS "patientMrn", concat_ws(' ', pt.given_name, pt.middle_name, pt.family_name) AS "patientName",
       pr.display_name AS "practitionerName",
       json_build_object('id', vt.id, 'code', vt.code, 'name', vt.name, 'nameFr', vt.name_fr, 'color', vt.color,
                         'durationMinutes', vt.duration_minutes) AS vt,
       (SELECT coalesce(json_agg(json_build_array(rem.id, ${sql.raw(epochMs('rem.due_at'))})), '[]'::json) FROM rem) AS reminders
  FROM ins
  JOIN patients pt ON pt.id = ins.patient_id
  JOIN practitioners pr ON pr.id = ins.practitioner_id
  JOIN visit_types vt ON vt.id = ins.visit_type_id`,
);

type Stamp =
  | 'startsAt'
  | 'endsAt'
  | 'blockEndsAt'
  | 'cancelledAt'
  | 'holdExpiresAt'
  | 'confirmedAt'
  | 'checkedInAt'
  | 'completedAt'
  | 'createdAt'
  | 'updatedAt';
type BookedRow = Omit<AppointmentRow, Stamp> &
  Record<Stamp, string | null> &
  Omit<AppointmentView, 'a'> & { reminders: [string, number][] };

const date = (v: string | null) => (v === null ? null : new Date(v));

/**
 * Inserts an appointment, its reminders and (with `audit`) its audit row in one statement: one
 * round trip, and the three commit or fail together even outside a transaction. The audit row is
 * the one `writeAudit` would write, its resource id the new appointment's. Overlaps surface as the
 * exclusion constraints' 23P01, and then nothing is written. Returns the row, the view the API
 * answers with (as `appointmentView` reads it), and the reminders inserted.
 */
export async function insertBooking(
  db: Executor,
  v: NewAppointment,
  reminders: { channel: 'email' | 'sms'; leadMinutes: number; dueAt: Date }[],
  audit: { actor: AuditActor; entry: AuditEntry } | null,
): Promise<{ row: AppointmentRow; view: AppointmentView; reminderIds: { id: string; dueAt: Date }[] }> {
  const [r] = await runNamed<BookedRow>(db, BOOK, {
    // the columns by their field names (node-postgres sends a missing optional one as NULL)
    ...v,
    noShowFactors: v.noShowFactors == null ? null : JSON.stringify(v.noShowFactors),
    channels: reminders.map((x) => x.channel),
    leadMinutes: reminders.map((x) => x.leadMinutes),
    dueAts: reminders.map((x) => x.dueAt.toISOString()),
    ...auditValues(audit),
    audited: !!audit,
  });
  const { patientMrn, patientName, practitionerName, vt, reminders: planned, ...cols } = r!;
  const row: AppointmentRow = {
    ...cols,
    startsAt: new Date(cols.startsAt!),
    endsAt: new Date(cols.endsAt!),
    blockEndsAt: new Date(cols.blockEndsAt!),
    cancelledAt: date(cols.cancelledAt),
    holdExpiresAt: date(cols.holdExpiresAt),
    confirmedAt: date(cols.confirmedAt),
    checkedInAt: date(cols.checkedInAt),
    completedAt: date(cols.completedAt),
    createdAt: new Date(cols.createdAt!),
    updatedAt: new Date(cols.updatedAt!),
  };
  return {
    row,
    view: { a: row, patientMrn, patientName, practitionerName, vt },
    reminderIds: planned.map(([id, dueAt]) => ({ id, dueAt: new Date(dueAt) })),
  };
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

/** A portal booking at a clinic the patient never visited registers them there. */
export async function linkPatientToClinic(db: Executor, patientId: string, clinicId: string): Promise<void> {
  await db.execute(registerAtClinic(patientId, clinicId));
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

export type { ClinicScheduling } from './availability.repository.ts';

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
