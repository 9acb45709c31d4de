import { and, asc, eq, gt, gte, inArray, isNull, lt, ne, or, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../platform/db/database.ts';
import { namedQuery } from '../../platform/db/queries.ts';
import { linkedToClinicText } from '../../platform/patient-access.ts';
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

/** epoch milliseconds of a timestamptz expression, as a bigint (a JSON number once aggregated) */
export const epochMs = (expr: string) => `floor(extract(epoch FROM ${expr}) * 1000)::bigint`;

/** What free slots and bookings of one practitioner at one clinic need, read by one statement. */
/** A clinic's scheduling rules. */
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

export interface SchedulingContext {
  practitioner: {
    id: string;
    userId: string | null;
    displayName: string;
    active: boolean;
    requiresConfirmation: boolean;
    /** the clinics the practitioner works at */
    clinicIds: string[];
  } | null;
  visitType: { id: string; name: string; active: boolean; durationMinutes: number } | null;
  /** the clinic's scheduling rules, with the column defaults when it has no settings row */
  clinic: ClinicScheduling | null;
  /** the practitioner's templates at the clinic */
  templates: SlotTemplateRow[];
  /** exceptions touching the window: the practitioner's own (this clinic or all) and the clinic's */
  exceptions: { practitionerId: string | null; clinicId: string | null; start: Date; end: Date }[];
  /** time held by the practitioner's appointments touching the window (only when asked for) */
  busy: { start: Date; end: Date }[];
  /** when a patient was asked for: their state at this clinic and their attendance before `now` */
  patient: { exists: boolean; linked: boolean; status: string | null; missed: number; total: number } | null;
}

export type SlotTemplateRow = Pick<
  TemplateRow,
  'weekday' | 'startTime' | 'endTime' | 'slotMinutes' | 'bufferMinutes' | 'visitTypeIds' | 'validFrom' | 'validTo'
>;

const CONTEXT_SQL = `
SELECT
  (SELECT json_build_object(
            'id', p.id, 'userId', p.user_id, 'displayName', p.display_name, 'active', p.active,
            'requiresConfirmation', p.requires_confirmation,
            'clinicIds', coalesce((SELECT json_agg(pc.clinic_id ORDER BY pc.clinic_id) FROM practitioner_clinics pc
                                    WHERE pc.practitioner_id = p.id), '[]'::json))
     FROM practitioners p WHERE p.id = $1::uuid) AS practitioner,
  (SELECT json_build_object('id', v.id, 'name', v.name, 'active', v.active, 'durationMinutes', v.duration_minutes)
     FROM visit_types v WHERE v.id = $2::uuid) AS "visitType",
  (SELECT json_build_object(
            'id', c.id, 'name', c.name, 'timezone', c.timezone,
            'patientCancelNoticeHours', coalesce(s.patient_cancel_notice_hours, 24),
            'patientBookingHorizonDays', coalesce(s.patient_booking_horizon_days, 60),
            'reminderLeadMinutes', coalesce(s.reminder_lead_minutes, '{1440,120}'::integer[]),
            'reminderChannels', coalesce(s.reminder_channels, '{email,sms}'::text[]),
            'waitlistHoldMinutes', coalesce(s.waitlist_hold_minutes, 30))
     FROM clinics c LEFT JOIN clinic_scheduling_settings s ON s.clinic_id = c.id
    WHERE c.id = $3::uuid) AS clinic,
  (SELECT coalesce(json_agg(json_build_object(
            'weekday', t.weekday, 'startTime', t.start_time, 'endTime', t.end_time, 'slotMinutes', t.slot_minutes,
            'bufferMinutes', t.buffer_minutes, 'visitTypeIds', t.visit_type_ids, 'validFrom', t.valid_from,
            'validTo', t.valid_to) ORDER BY t.weekday, t.start_time, t.id), '[]'::json)
     FROM availability_templates t WHERE t.practitioner_id = $1::uuid AND t.clinic_id = $3::uuid) AS templates,
  (SELECT coalesce(json_agg(json_build_array(e.practitioner_id, e.clinic_id, ${epochMs('e.starts_at')}, ${epochMs('e.ends_at')})
            ORDER BY e.starts_at), '[]'::json)
     FROM availability_exceptions e
    WHERE (e.practitioner_id = $1::uuid OR (e.practitioner_id IS NULL AND e.clinic_id = $3::uuid))
      AND e.starts_at < $5::timestamptz AND e.ends_at > $4::timestamptz) AS exceptions,
  (SELECT coalesce(json_agg(json_build_array(${epochMs('a.starts_at')}, ${epochMs('a.block_ends_at')})), '[]'::json)
     FROM appointments a
    WHERE $6::boolean AND a.practitioner_id = $1::uuid
      AND a.status IN (${TIME_HOLDING.map((s) => `'${s}'`).join(', ')})
      AND a.starts_at < $5::timestamptz
      -- a visit plus its buffer lasts at most MAX_BLOCK_MS: a lower bound on starts_at keeps the
      -- (practitioner_id, starts_at) index scan to the window
      AND a.starts_at >= $4::timestamptz - interval '${MAX_BLOCK_MS / 1000} seconds'
      AND a.block_ends_at > $4::timestamptz
      AND ($7::uuid IS NULL OR a.id <> $7::uuid)) AS busy,
  (SELECT json_build_object(
            'status', pt.status,
            'linked', ${linkedToClinicText('pt.id', '$3::uuid')},
            'missed', h.missed, 'total', h.total)
     FROM patients pt,
          LATERAL (SELECT count(*) FILTER (WHERE ha.status = 'no_show')::int AS missed, count(*)::int AS total
                     FROM appointments ha
                    WHERE ha.patient_id = pt.id AND ha.starts_at < $9::timestamptz
                      AND ha.status IN ('no_show', 'completed', 'checked_in', 'in_progress')) h
    WHERE pt.id = $8::uuid) AS patient`;

interface ContextRow {
  practitioner: SchedulingContext['practitioner'];
  visitType: SchedulingContext['visitType'];
  clinic: SchedulingContext['clinic'];
  templates: SlotTemplateRow[];
  exceptions: [string | null, string | null, number, number][];
  busy: [number, number][];
  patient: { status: string; linked: boolean; missed: number; total: number } | null;
}

/**
 * One round trip for everything free slots and a booking check read: the practitioner, the visit
 * type, the clinic's rules, the practitioner's templates at the clinic and the exceptions touching
 * [from, to); with `busy`, the time held by their appointments touching [from, to) (less
 * `ignoreAppointmentId`); with `patientId`, the patient's state at the clinic and attendance
 * history before `now`.
 */
export async function schedulingContext(
  db: Executor,
  q: {
    practitionerId: string;
    visitTypeId: string;
    clinicId: string;
    from: Date;
    to: Date;
    busy: boolean;
    ignoreAppointmentId?: string | null;
    patientId?: string | null;
    now: Date;
  },
): Promise<SchedulingContext> {
  const [row] = await namedQuery<ContextRow>(db, 'scheduling_context', CONTEXT_SQL, [
    q.practitionerId,
    q.visitTypeId,
    q.clinicId,
    q.from,
    q.to,
    q.busy,
    q.ignoreAppointmentId ?? null,
    q.patientId ?? null,
    q.now,
  ]);
  const r = row!;
  return {
    practitioner: r.practitioner,
    visitType: r.visitType,
    clinic: r.clinic,
    templates: r.templates,
    exceptions: r.exceptions.map(([practitionerId, clinicId, start, end]) => ({
      practitionerId,
      clinicId,
      start: new Date(start),
      end: new Date(end),
    })),
    busy: r.busy.map(([start, end]) => ({ start: new Date(start), end: new Date(end) })),
    patient:
      q.patientId == null
        ? null
        : r.patient
          ? { exists: true, ...r.patient }
          : { exists: false, linked: false, status: null, missed: 0, total: 0 },
  };
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

/**
 * The practitioner's own exceptions (none when `practitionerId` is null) and the clinic-wide ones of
 * `clinicIds` that end after `after`.
 */
export async function listExceptions(
  db: Executor,
  practitionerId: string | null,
  clinicIds: string[],
  after: Date,
): Promise<ExceptionRow[]> {
  const who: SQL[] = practitionerId ? [eq(availabilityExceptions.practitionerId, practitionerId)] : [];
  if (!who.length && !clinicIds.length) return [];
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
