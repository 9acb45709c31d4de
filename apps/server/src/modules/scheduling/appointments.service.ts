import { DateTime } from 'luxon';
import type { Db, Executor, Tx } from '../../platform/db/database.ts';
import { writeAudit, type AuditActor, type AuditEntry } from '../../platform/audit/audit.ts';
import type { Principal } from '../../platform/access.ts';
import { Conflict, Forbidden, Invalid, NotFound } from '../../platform/errors.ts';
import type { AppointmentEvent, EventBus } from '../../platform/realtime/events.ts';
import type { AppointmentStatus } from '@sanita/contracts/scheduling/appointments';
import type { AvailabilityService } from './availability.service.ts';
import { remindersDue, type RemindersService } from './reminders.service.ts';
import * as repo from './appointments.repository.ts';
import * as remindersRepo from './reminders.repository.ts';
import { ownPatient, staffClinic } from './scheduling.access.ts';
import { denied, runAudited, runAuditedStatements } from '../../platform/audit/audited.ts';
import { requireLinked } from '../../platform/patient-access.ts';
import { pgError } from '../../platform/db/queries.ts';
import { noShowRisk, type NoShowFactor } from './noshow.ts';
import type {
  Appointment,
  AppointmentDetail,
  CancelBody,
  CreateBody,
  ListQuery,
  PortalAppointment,
  PortalBookBody,
  RescheduleBody,
  StatusBody,
} from '@sanita/contracts/scheduling/appointments';

const DAY_MS = 86_400_000;
export const MAX_LIST_DAYS = 31;

/** Time given back by a cancellation or a reschedule: the waiting list may fill it. */
export interface FreedSlot {
  clinicId: string;
  practitionerId: string;
  startsAt: Date;
  endsAt: Date;
  /** the appointment whose cancellation freed it */
  appointmentId: string;
}

type ChangedRow = Pick<
  repo.AppointmentRow,
  'id' | 'clinicId' | 'practitionerId' | 'patientId' | 'status' | 'startsAt' | 'endsAt'
>;

/** Booking rules of staff (active clinic) and patients (their own record, the portal policy). */
export class AppointmentsService {
  private readonly freedListeners: ((slot: FreedSlot) => Promise<void>)[] = [];

  constructor(
    private readonly db: Db,
    private readonly availability: AvailabilityService,
    private readonly reminders: RemindersService,
    private readonly events: EventBus,
    private readonly log: { error(obj: object, msg: string): void },
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** The waiting list subscribes here: it runs after the freeing transaction committed. */
  onFreed(listener: (slot: FreedSlot) => Promise<void>): void {
    this.freedListeners.push(listener);
  }

  // ------------------------------------------------------------------ shared by other services

  /** The patients service's merge hook: the surviving record keeps the duplicate's diary. */
  mergePatients = async (tx: Tx, fromId: string, toId: string): Promise<void> => {
    try {
      // a savepoint, so that the overlap is reported rather than aborting the merge's transaction blindly
      await tx.transaction((sp) => repo.reassignPatient(sp, fromId, toId));
    } catch (err) {
      if (pgError(err)?.code === '23P01')
        throw new Conflict(
          'Both records have appointments at the same time; cancel one of them before merging',
          'APPOINTMENTS_OVERLAP',
        );
      throw err;
    }
  };

  /** Publishes appointment.changed for a row changed by another service after its commit. */
  publishChanged(row: ChangedRow, change: string): void {
    this.events.publish('appointment.changed', { appointment: toEvent(row), change }, [
      `clinic:${row.clinicId}`,
      `patient:${row.patientId}`,
    ]);
  }

  /**
   * Moves a checked-in appointment along with its visit, inside the queue's transaction: service
   * starting anywhere makes it `in_progress`; the consultation finishing makes it `completed`.
   * Returns the changed row (for `publishChanged` after commit), or null when the appointment is
   * not in a state this applies to (e.g. a second service point of the same visit).
   */
  async followVisit(
    tx: Executor,
    actor: AuditActor,
    appointmentId: string,
    to: 'in_progress' | 'completed',
  ): Promise<ChangedRow | null> {
    const row = await repo.lockAppointment(tx, appointmentId);
    const from: AppointmentStatus[] = to === 'in_progress' ? ['checked_in'] : ['checked_in', 'in_progress'];
    if (!row || !from.includes(row.status)) return null;
    const updated = await repo.updateAppointment(tx, row.id, {
      status: to,
      ...(to === 'completed' ? { completedAt: this.now() } : {}),
    });
    await writeAudit(tx, actor, {
      action: 'appointment.status',
      patientId: row.patientId,
      resourceType: 'appointment',
      resourceId: row.id,
      details: { from: row.status, to, by: 'queue' },
    });
    return updated;
  }

  /**
   * Locks the appointment (FOR UPDATE) in tx, requires status 'booked' ('requested' → 409
   * NOT_CONFIRMED), the clinic `clinicId`, and a start on the clinic's local today; sets status
   * 'checked_in' and checked_in_at.
   */
  async checkIn(
    tx: Executor,
    appointmentId: string,
    clinicId: string,
  ): Promise<{
    id: string;
    patientId: string;
    practitionerId: string;
    visitTypeId: string;
    clinicId: string;
    startsAt: Date;
    endsAt: Date;
    status: string;
  }> {
    const row = await repo.lockAppointment(tx, appointmentId);
    if (!row || row.clinicId !== clinicId) throw new NotFound('Appointment not found');
    if (row.status === 'requested')
      throw new Conflict('This appointment is waiting for the practitioner’s confirmation', 'NOT_CONFIRMED');
    if (row.status !== 'booked')
      throw new Conflict(`An appointment that is ${row.status} cannot be checked in`, 'INVALID_STATUS');
    const clinic = await repo.clinicScheduling(tx, clinicId);
    const tz = clinic!.timezone;
    const day = (d: Date) => DateTime.fromJSDate(d, { zone: tz }).toISODate();
    if (day(row.startsAt) !== day(this.now()))
      throw new Conflict('Only appointments of today can be checked in', 'INVALID_STATUS');
    const updated = await repo.updateAppointment(tx, row.id, { status: 'checked_in', checkedInAt: this.now() });
    // the patient is here: reminders still pending would remind them of a visit already begun
    await remindersRepo.cancelScheduled(tx, row.id);
    return {
      id: updated.id,
      patientId: updated.patientId,
      practitionerId: updated.practitionerId,
      visitTypeId: updated.visitTypeId,
      clinicId: updated.clinicId,
      startsAt: updated.startsAt,
      endsAt: updated.endsAt,
      status: updated.status,
    };
  }

  /**
   * Inserts an appointment with its no-show risk, its reminders and (with `audit`) its audit row, in
   * one statement; the caller, after commit, calls `afterBooking`. `history` (the patient's
   * attendance) is read first unless given. Overlaps surface as the exclusion constraints' 23P01,
   * and then nothing is written. The audit entry's resource id is the new appointment's.
   */
  async insertBooking(
    tx: Executor,
    v: {
      clinic: repo.ClinicScheduling;
      patientId: string;
      practitionerId: string;
      visitTypeId: string;
      startsAt: Date;
      endsAt: Date;
      blockEndsAt: Date;
      status: 'held' | 'requested' | 'booked';
      source: 'staff' | 'portal' | 'waitlist';
      reason?: string | null;
      notes?: string | null;
      bookedBy: string | null;
      rescheduledFromId?: string | null;
      holdExpiresAt?: Date | null;
      history?: { missed: number; total: number };
    },
    audit: { actor: AuditActor; entry: AuditEntry } | null = null,
  ): Promise<{ row: repo.AppointmentRow; view: repo.AppointmentView; reminderIds: { id: string; dueAt: Date }[] }> {
    const now = this.now();
    const history = v.history ?? (await repo.attendanceHistory(tx, v.patientId, now));
    const contact = v.status === 'booked' ? await remindersRepo.patientContact(tx, v.patientId) : null;
    const score = noShowRisk({ ...history, startsAt: v.startsAt, bookedAt: now, timezone: v.clinic.timezone });
    return repo.insertBooking(
      tx,
      {
        clinicId: v.clinic.id,
        practitionerId: v.practitionerId,
        patientId: v.patientId,
        visitTypeId: v.visitTypeId,
        startsAt: v.startsAt,
        endsAt: v.endsAt,
        blockEndsAt: v.blockEndsAt,
        status: v.status,
        source: v.source,
        reason: v.reason?.trim() || null,
        notes: v.notes?.trim() || null,
        bookedBy: v.bookedBy,
        rescheduledFromId: v.rescheduledFromId ?? null,
        holdExpiresAt: v.holdExpiresAt ?? null,
        confirmedAt: v.status === 'booked' ? now : null,
        noShowRisk: score.risk,
        noShowFactors: score.factors,
      },
      contact ? remindersDue(v.startsAt, v.clinic, now, contact) : [],
      audit,
    );
  }

  /** After commit: queue the reminder jobs and tell the clinic and the patient. */
  async afterBooking(row: ChangedRow, reminderIds: { id: string; dueAt: Date }[], change: string): Promise<void> {
    this.publishChanged(row, change);
    await this.reminders.enqueue(reminderIds);
  }

  // ------------------------------------------------------------------ staff

  /** 23P01 of one of the two exclusion constraints, as the 409 a person can act on. */
  private overlap(err: unknown, practitionerName: string): never {
    const e = pgError(err);
    if (e?.code === '23P01' && e.constraint === 'appointments_no_practitioner_overlap')
      throw new Conflict(`This time is already booked for ${practitionerName}; choose another slot`, 'SLOT_TAKEN', [
        { field: 'startsAt', message: 'already booked' },
      ]);
    if (e?.code === '23P01' && e.constraint === 'appointments_no_patient_overlap')
      throw new Conflict('The patient already has an appointment at this time', 'PATIENT_BUSY', [
        { field: 'startsAt', message: 'the patient is busy' },
      ]);
    throw err;
  }

  private async practitionerAt(tx: Executor, practitionerId: string, clinicId: string): Promise<repo.PractitionerInfo> {
    const pr = await repo.practitionerInfo(tx, practitionerId);
    if (!pr) throw new Invalid([{ field: 'practitionerId', message: 'no such practitioner' }]);
    if (!pr.clinicIds.includes(clinicId))
      throw new Invalid([{ field: 'practitionerId', message: `${pr.displayName} does not work at this clinic` }]);
    return pr;
  }

  private async clinic(tx: Executor, clinicId: string): Promise<repo.ClinicScheduling> {
    const c = await repo.clinicScheduling(tx, clinicId);
    if (!c) throw new NotFound('Clinic not found');
    return c;
  }

  /**
   * Staff booking in two statements: one reads everything the checks need (patient, practitioner,
   * visit type, clinic, templates, exceptions, attendance), the other inserts the appointment,
   * its reminders and its audit row (see `runAuditedStatements`); then the reminder jobs.
   */
  async create(p: Principal, actor: AuditActor, body: CreateBody): Promise<Appointment> {
    const clinicId = staffClinic(p, 'write');
    const startsAt = new Date(body.startsAt);
    let practitionerName = '';
    let done: Awaited<ReturnType<AppointmentsService['insertBooking']>>;
    try {
      done = await runAuditedStatements(this.db, actor, async (db) => {
        const c = await this.availability.bookingContext(db, {
          practitionerId: body.practitionerId,
          clinicId,
          visitTypeId: body.visitTypeId,
          startsAt,
          onGrid: false,
          patientId: body.patientId,
        });
        const pat = requireLinked(c.patient!, body.patientId, 'appointment.create');
        if (pat.status !== 'active')
          throw new Invalid([{ field: 'patientId', message: `the patient's record is ${pat.status}` }]);
        const pr = c.practitioner;
        if (!pr) throw new Invalid([{ field: 'practitionerId', message: 'no such practitioner' }]);
        if (!pr.clinicIds.includes(clinicId))
          throw new Invalid([{ field: 'practitionerId', message: `${pr.displayName} does not work at this clinic` }]);
        practitionerName = pr.displayName;
        if (!c.clinic) throw new NotFound('Clinic not found');
        const fit = this.availability.judgeBookable(c, { clinicId, startsAt, onGrid: false });
        const status = pr.requiresConfirmation ? 'requested' : 'booked';
        return this.insertBooking(
          db,
          {
            clinic: c.clinic,
            patientId: body.patientId,
            practitionerId: pr.id,
            visitTypeId: body.visitTypeId,
            startsAt,
            endsAt: fit.endsAt,
            blockEndsAt: fit.blockEndsAt,
            status,
            source: 'staff',
            reason: body.reason,
            notes: body.notes,
            bookedBy: p.userId,
            history: pat,
          },
          {
            actor,
            entry: {
              action: 'appointment.create',
              patientId: body.patientId,
              resourceType: 'appointment',
              details: { practitionerId: pr.id, startsAt: startsAt.toISOString(), status },
            },
          },
        );
      });
    } catch (err) {
      this.overlap(err, practitionerName);
    }
    await this.afterBooking(done.row, done.reminderIds, 'created');
    return toAppointment(done.view);
  }

  async list(p: Principal, actor: AuditActor, q: ListQuery): Promise<{ data: Appointment[] }> {
    const clinicId = staffClinic(p, 'read');
    if (q.to < q.from) throw new Invalid([{ field: 'to', message: 'must not be before from' }]);
    return this.db.transaction(async (tx) => {
      const clinic = await this.clinic(tx, clinicId);
      const from = DateTime.fromISO(q.from, { zone: clinic.timezone }).startOf('day');
      const to = DateTime.fromISO(q.to, { zone: clinic.timezone }).plus({ days: 1 }).startOf('day');
      if (to.diff(from, 'days').days > MAX_LIST_DAYS + 0.5)
        throw new Invalid([{ field: 'to', message: `at most ${MAX_LIST_DAYS} days after from` }]);
      const rows = await repo.listAppointments(tx, {
        clinicId,
        from: from.toJSDate(),
        to: to.toJSDate(),
        practitionerId: q.practitionerId,
        patientId: q.patientId,
        status: q.status,
      });
      const patientIds = [...new Set(rows.map((r) => r.a.patientId))];
      await writeAudit(tx, actor, {
        action: 'appointment.list',
        patientId: q.patientId ?? (patientIds.length === 1 ? patientIds[0] : null),
        resourceType: 'appointment',
        details: { from: q.from, to: q.to, practitionerId: q.practitionerId ?? null, shown: rows.length, patientIds },
      });
      return { data: rows.map(toAppointment) };
    });
  }

  async get(p: Principal, actor: AuditActor, id: string): Promise<AppointmentDetail> {
    const clinicId = staffClinic(p, 'read');
    return runAudited(this.db, actor, async (tx) => {
      const v = await repo.appointmentView(tx, id);
      if (!v || v.a.clinicId !== clinicId)
        throw denied(new NotFound('Appointment not found'), 'appointment.read', { type: 'appointment', id }, v?.a.patientId);
      await writeAudit(tx, actor, {
        action: 'appointment.read',
        patientId: v.a.patientId,
        resourceType: 'appointment',
        resourceId: id,
      });
      const reminders = await remindersRepo.remindersOf(tx, [id]);
      return {
        ...toAppointment(v),
        reminders: reminders.map((r) => ({
          channel: r.channel,
          leadMinutes: r.leadMinutes,
          dueAt: r.dueAt.toISOString(),
          // a visit no longer booked (checked in, completed, cancelled, missed) has no reminder due
          status: r.status === 'scheduled' && v.a.status !== 'booked' ? ('cancelled' as const) : r.status,
          sentAt: r.sentAt?.toISOString() ?? null,
          error: r.error,
        })),
      };
    });
  }

  /**
   * Loads and locks an appointment of the active clinic for a change; the practitioner's own user
   * may confirm theirs without appointments:write.
   */
  private async lockForChange(
    tx: Tx,
    p: Principal,
    id: string,
    action: string,
    allowPractitionerSelf = false,
  ): Promise<repo.AppointmentRow> {
    const row = await repo.lockAppointment(tx, id);
    const canWrite = !p.patientId && p.permissions.has('appointments:write');
    let self = false;
    if (allowPractitionerSelf && row && !p.patientId) {
      const pr = await repo.practitionerInfo(tx, row.practitionerId);
      self = !!pr?.userId && pr.userId === p.userId;
    }
    const deny = (e: Error) => denied(e, action, { type: 'appointment', id }, row?.patientId);
    if (!canWrite && !self) throw deny(new Forbidden());
    if (!self && !p.clinicId) throw new Forbidden('Choose a clinic first', 'NO_CLINIC');
    if (!row || (!self && row.clinicId !== p.clinicId)) throw deny(new NotFound('Appointment not found'));
    return row;
  }

  async confirm(p: Principal, actor: AuditActor, id: string, version?: number): Promise<Appointment> {
    const done = await runAudited(this.db, actor, async (tx) => {
      const row = await this.lockForChange(tx, p, id, 'appointment.confirm', true);
      checkVersion(row, version);
      if (row.status !== 'requested')
        throw new Conflict(`Only a requested appointment can be confirmed; this one is ${row.status}`, 'INVALID_STATUS');
      const updated = await repo.updateAppointment(tx, id, { status: 'booked', confirmedAt: this.now() });
      const reminderIds = await this.reminders.plan(tx, updated, await this.clinic(tx, updated.clinicId));
      await writeAudit(tx, actor, {
        action: 'appointment.confirm',
        patientId: row.patientId,
        resourceType: 'appointment',
        resourceId: id,
      });
      return { row: updated, reminderIds };
    });
    await this.afterBooking(done.row, done.reminderIds, 'confirmed');
    return this.view(this.db, id);
  }

  async cancel(p: Principal, actor: AuditActor, id: string, body: CancelBody): Promise<Appointment> {
    const reason = body.reason.trim();
    if (!reason) throw new Invalid([{ field: 'reason', message: 'say why the appointment is cancelled' }]);
    const row = await runAudited(this.db, actor, async (tx) => {
      const old = await this.lockForChange(tx, p, id, 'appointment.cancel');
      const updated = await this.cancelLocked(tx, old, reason, p.userId);
      await writeAudit(tx, actor, {
        action: 'appointment.cancel',
        patientId: old.patientId,
        resourceType: 'appointment',
        resourceId: id,
        details: { reason },
      });
      return updated;
    });
    await this.afterFreed(row, 'cancelled');
    return this.view(this.db, id);
  }

  /** Cancels a locked requested/booked row and its pending reminders. */
  private async cancelLocked(tx: Tx, row: repo.AppointmentRow, reason: string, by: string | null): Promise<repo.AppointmentRow> {
    if (row.status !== 'requested' && row.status !== 'booked')
      throw new Conflict(`An appointment that is ${row.status} cannot be cancelled`, 'INVALID_STATUS');
    const updated = await repo.updateAppointment(tx, row.id, {
      status: 'cancelled',
      cancelReason: reason,
      cancelledAt: this.now(),
      cancelledBy: by,
    });
    await this.reminders.cancelFor(tx, row.id);
    return updated;
  }

  /** After a cancellation commits: tell the rooms, then offer future time to the waiting list. */
  async afterFreed(row: repo.AppointmentRow, change: string): Promise<void> {
    this.publishChanged(row, change);
    if (row.startsAt.getTime() <= this.now().getTime()) return;
    const slot: FreedSlot = {
      clinicId: row.clinicId,
      practitionerId: row.practitionerId,
      startsAt: row.startsAt,
      endsAt: row.endsAt,
      appointmentId: row.id,
    };
    for (const l of this.freedListeners) {
      // the cancellation stands whatever happens to the offer; a failed offer is logged, not raised
      await l(slot).catch((err: unknown) =>
        this.log.error({ err: { message: (err as Error).message }, appointmentId: row.id }, 'waitlist offer failed'),
      );
    }
  }

  async reschedule(p: Principal, actor: AuditActor, id: string, body: RescheduleBody): Promise<Appointment> {
    staffClinic(p, 'write');
    return this.rescheduleAs(p, actor, id, { ...body, source: 'staff' });
  }

  private async rescheduleAs(
    p: Principal,
    actor: AuditActor,
    id: string,
    body: RescheduleBody & { source: 'staff' | 'portal' },
  ): Promise<Appointment> {
    const startsAt = new Date(body.startsAt);
    let practitionerName = '';
    let done: { old: repo.AppointmentRow; row: repo.AppointmentRow; reminderIds: { id: string; dueAt: Date }[] };
    try {
      done = await runAudited(this.db, actor, async (tx) => {
        const old =
          body.source === 'portal'
            ? await this.lockOwn(tx, p, id, 'appointment.reschedule')
            : await this.lockForChange(tx, p, id, 'appointment.reschedule');
        const clinic = await this.clinic(tx, old.clinicId);
        if (body.source === 'portal') this.checkNotice(old, clinic);
        // the old time must not block the new one: give it back first, inside this transaction
        const cancelled = await this.cancelLocked(tx, old, 'rescheduled', p.userId);
        const pr = await this.practitionerAt(tx, body.practitionerId ?? old.practitionerId, old.clinicId);
        practitionerName = pr.displayName;
        const fit = await this.availability.checkBookable(tx, {
          practitionerId: pr.id,
          clinicId: old.clinicId,
          visitTypeId: body.visitTypeId ?? old.visitTypeId,
          startsAt,
          onGrid: body.source === 'portal',
          ignoreAppointmentId: old.id,
        });
        if (body.source === 'portal') this.checkHorizon(startsAt, clinic);
        const r = await this.insertBooking(
          tx,
          {
            clinic,
            patientId: old.patientId,
            practitionerId: pr.id,
            visitTypeId: body.visitTypeId ?? old.visitTypeId,
            startsAt,
            endsAt: fit.endsAt,
            blockEndsAt: fit.blockEndsAt,
            status: pr.requiresConfirmation ? 'requested' : 'booked',
            source: old.source === 'waitlist' ? 'staff' : body.source,
            reason: body.reason ?? old.reason,
            notes: old.notes,
            bookedBy: p.userId,
            rescheduledFromId: old.id,
          },
          {
            actor,
            entry: {
              action: 'appointment.reschedule',
              patientId: old.patientId,
              resourceType: 'appointment',
              details: { from: old.id, startsAt: startsAt.toISOString(), practitionerId: pr.id },
            },
          },
        );
        return { old: cancelled, ...r };
      });
    } catch (err) {
      this.overlap(err, practitionerName);
    }
    await this.afterBooking(done.row, done.reminderIds, 'rescheduled');
    await this.afterFreed(done.old, 'rescheduled');
    return this.view(this.db, done.row.id);
  }

  async setStatus(p: Principal, actor: AuditActor, id: string, body: StatusBody): Promise<Appointment> {
    const row = await runAudited(this.db, actor, async (tx) => {
      const old = await this.lockForChange(tx, p, id, 'appointment.status');
      checkVersion(old, body.version);
      const from: Record<StatusBody['status'], AppointmentStatus[]> = {
        in_progress: ['checked_in'],
        completed: ['checked_in', 'in_progress'],
        no_show: ['booked'],
      };
      if (!from[body.status].includes(old.status))
        throw new Conflict(`An appointment that is ${old.status} cannot become ${body.status}`, 'INVALID_STATUS');
      if (body.status === 'no_show' && old.startsAt.getTime() > this.now().getTime())
        throw new Conflict('A patient can be marked absent only after the start time', 'INVALID_STATUS');
      // a visit is completed once it has started: the patient seen (in progress), or its time begun
      if (body.status === 'completed' && old.status === 'checked_in' && old.startsAt.getTime() > this.now().getTime())
        throw new Conflict(
          'An appointment cannot be completed before it starts: start it (patient being seen) or wait for its start time',
          'INVALID_STATUS',
        );
      const updated = await repo.updateAppointment(tx, id, {
        status: body.status,
        ...(body.status === 'completed' ? { completedAt: this.now() } : {}),
      });
      await this.reminders.cancelFor(tx, id);
      await writeAudit(tx, actor, {
        action: 'appointment.status',
        patientId: old.patientId,
        resourceType: 'appointment',
        resourceId: id,
        details: { from: old.status, to: body.status },
      });
      return updated;
    });
    this.publishChanged(row, body.status);
    return this.view(this.db, id);
  }

  private async view(db: Executor, id: string): Promise<Appointment> {
    const v = await repo.appointmentView(db, id);
    if (!v) throw new NotFound('Appointment not found');
    return toAppointment(v);
  }

  // ------------------------------------------------------------------ portal

  /** A patient's own appointment, locked; anyone else's looks like it does not exist. */
  private async lockOwn(tx: Tx, p: Principal, id: string, action: string): Promise<repo.AppointmentRow> {
    const patientId = ownPatient(p);
    const row = await repo.lockAppointment(tx, id);
    if (!row || row.patientId !== patientId)
      throw denied(new NotFound('Appointment not found'), action, { type: 'appointment', id });
    return row;
  }

  private checkNotice(row: repo.AppointmentRow, clinic: repo.ClinicScheduling): void {
    const limit = row.startsAt.getTime() - clinic.patientCancelNoticeHours * 3600_000;
    if (this.now().getTime() > limit)
      throw new Conflict(
        `Appointments can be changed online up to ${clinic.patientCancelNoticeHours} hours before they start; please call ${clinic.name}`,
        'NOTICE_TOO_SHORT',
      );
  }

  private checkHorizon(startsAt: Date, clinic: repo.ClinicScheduling): void {
    if (startsAt.getTime() > this.now().getTime() + clinic.patientBookingHorizonDays * DAY_MS)
      throw new Invalid([
        {
          field: 'startsAt',
          message: `appointments can be booked online at most ${clinic.patientBookingHorizonDays} days ahead`,
        },
      ]);
  }

  async portalList(p: Principal, actor: AuditActor): Promise<{ data: PortalAppointment[] }> {
    const patientId = ownPatient(p);
    return this.db.transaction(async (tx) => {
      const rows = await repo.patientAppointments(tx, patientId);
      const notice = new Map<string, number>();
      for (const c of new Set(rows.map((r) => r.a.clinicId)))
        notice.set(c, (await repo.clinicScheduling(tx, c))?.patientCancelNoticeHours ?? 24);
      await writeAudit(tx, actor, {
        action: 'appointment.list',
        patientId,
        resourceType: 'appointment',
        details: { portal: true, shown: rows.length },
      });
      const now = this.now().getTime();
      return {
        data: rows.map((v) => ({
          ...toPortal(v),
          canChange:
            (v.a.status === 'booked' || v.a.status === 'requested') &&
            v.a.startsAt.getTime() - notice.get(v.a.clinicId)! * 3600_000 > now,
        })),
      };
    });
  }

  async portalBook(p: Principal, actor: AuditActor, body: PortalBookBody): Promise<PortalAppointment> {
    const patientId = ownPatient(p);
    const startsAt = new Date(body.startsAt);
    let practitionerName = '';
    let done: { row: repo.AppointmentRow; reminderIds: { id: string; dueAt: Date }[] };
    try {
      done = await runAudited(this.db, actor, async (tx) => {
        const clinic = await repo.clinicScheduling(tx, body.clinicId);
        if (!clinic) throw new Invalid([{ field: 'clinicId', message: 'no such clinic' }]);
        const pr = await this.practitionerAt(tx, body.practitionerId, body.clinicId);
        practitionerName = pr.displayName;
        this.checkHorizon(startsAt, clinic);
        const fit = await this.availability.checkBookable(tx, {
          practitionerId: pr.id,
          clinicId: clinic.id,
          visitTypeId: body.visitTypeId,
          startsAt,
          onGrid: true,
        });
        await repo.linkPatientToClinic(tx, patientId, clinic.id);
        const status = pr.requiresConfirmation ? 'requested' : 'booked';
        return this.insertBooking(
          tx,
          {
            clinic,
            patientId,
            practitionerId: pr.id,
            visitTypeId: body.visitTypeId,
            startsAt,
            endsAt: fit.endsAt,
            blockEndsAt: fit.blockEndsAt,
            status,
            source: 'portal',
            reason: body.reason,
            bookedBy: p.userId,
          },
          {
            actor,
            entry: {
              action: 'appointment.create',
              patientId,
              resourceType: 'appointment',
              details: { portal: true, practitionerId: pr.id, startsAt: startsAt.toISOString(), status },
            },
          },
        );
      });
    } catch (err) {
      this.overlap(err, practitionerName);
    }
    await this.afterBooking(done.row, done.reminderIds, 'created');
    return this.portalView(done.row.id);
  }

  async portalCancel(p: Principal, actor: AuditActor, id: string, reason: string | undefined): Promise<PortalAppointment> {
    ownPatient(p);
    const why = reason?.trim() || 'cancelled by the patient';
    const row = await runAudited(this.db, actor, async (tx) => {
      const old = await this.lockOwn(tx, p, id, 'appointment.cancel');
      this.checkNotice(old, await this.clinic(tx, old.clinicId));
      const updated = await this.cancelLocked(tx, old, why, p.userId);
      await writeAudit(tx, actor, {
        action: 'appointment.cancel',
        patientId: old.patientId,
        resourceType: 'appointment',
        resourceId: id,
        details: { portal: true, reason: why },
      });
      return updated;
    });
    await this.afterFreed(row, 'cancelled');
    return this.portalView(id);
  }

  async portalReschedule(p: Principal, actor: AuditActor, id: string, startsAt: string): Promise<PortalAppointment> {
    ownPatient(p);
    const a = await this.rescheduleAs(p, actor, id, { startsAt, source: 'portal' });
    return this.portalView(a.id);
  }

  private async portalView(id: string): Promise<PortalAppointment> {
    const v = await repo.appointmentView(this.db, id);
    if (!v) throw new NotFound('Appointment not found');
    const clinic = await this.clinic(this.db, v.a.clinicId);
    return {
      ...toPortal(v),
      canChange:
        (v.a.status === 'booked' || v.a.status === 'requested') &&
        v.a.startsAt.getTime() - clinic.patientCancelNoticeHours * 3600_000 > this.now().getTime(),
    };
  }
}

function checkVersion(row: repo.AppointmentRow, version: number | undefined): void {
  if (version !== undefined && version !== row.version)
    throw new Conflict('This appointment was changed by someone else; reload it', 'STALE_VERSION', { current: row.version });
}

export function toEvent(row: ChangedRow): AppointmentEvent {
  return {
    id: row.id,
    clinicId: row.clinicId,
    practitionerId: row.practitionerId,
    patientId: row.patientId,
    status: row.status,
    startsAt: row.startsAt.toISOString(),
    endsAt: row.endsAt.toISOString(),
  };
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

function toAppointment(v: repo.AppointmentView): Appointment {
  const a = v.a;
  return {
    id: a.id,
    clinicId: a.clinicId,
    patientId: a.patientId,
    practitionerId: a.practitionerId,
    visitTypeId: a.visitTypeId,
    status: a.status,
    startsAt: a.startsAt.toISOString(),
    endsAt: a.endsAt.toISOString(),
    reason: a.reason,
    notes: a.notes,
    source: a.source,
    rescheduledFromId: a.rescheduledFromId,
    cancelReason: a.cancelReason,
    cancelledAt: iso(a.cancelledAt),
    holdExpiresAt: iso(a.holdExpiresAt),
    confirmedAt: iso(a.confirmedAt),
    checkedInAt: iso(a.checkedInAt),
    completedAt: iso(a.completedAt),
    noShowRisk: a.noShowRisk,
    noShowFactors: (a.noShowFactors as NoShowFactor[] | null) ?? [],
    version: a.version,
    createdAt: a.createdAt.toISOString(),
    patient: { id: a.patientId, mrn: v.patientMrn, name: v.patientName },
    practitioner: { id: a.practitionerId, displayName: v.practitionerName },
    visitType: v.vt,
  };
}

function toPortal(v: repo.AppointmentView): Omit<PortalAppointment, 'canChange'> {
  const a = v.a;
  return {
    id: a.id,
    clinicId: a.clinicId,
    practitionerId: a.practitionerId,
    status: a.status,
    startsAt: a.startsAt.toISOString(),
    endsAt: a.endsAt.toISOString(),
    reason: a.reason,
    source: a.source,
    rescheduledFromId: a.rescheduledFromId,
    cancelReason: a.cancelReason,
    holdExpiresAt: iso(a.holdExpiresAt),
    practitioner: { id: a.practitionerId, displayName: v.practitionerName },
    visitType: v.vt,
  };
}
