import {
  START_SOURCES,
  type Encounter,
  type EncounterEvent,
  type EncounterFinish,
  type EncounterStart,
  type EncountersQuery,
  type TodayView,
} from '@sanita/contracts/encounters';
import type { Principal } from '../../platform/access.ts';
import { writeAudit, type AuditActor } from '../../platform/audit/audit.ts';
import { denied, runAudited } from '../../platform/audit/audited.ts';
import type { Db, Tx } from '../../platform/db/database.ts';
import { isUniqueViolation } from '../../platform/db/queries.ts';
import { Conflict, Forbidden, Invalid, NotFound } from '../../platform/errors.ts';
import { decidePatientAccess, patientRefusal, planPatientAccess, type PatientAccessRule } from '../../platform/patient-access.ts';
import type { EventBus, Room } from '../../platform/realtime/events.ts';
import type { TimelineSource } from '../../platform/timeline.ts';
import { TxHooks } from '../../platform/tx-hooks.ts';
import type { QueueService } from '../queue/queue.service.ts';
import type { AppointmentsService } from '../scheduling/appointments.service.ts';
import * as repo from './encounters.repository.ts';

/** Reading encounters: encounters:read at the active clinic, for a patient registered there. */
const READ: PatientAccessRule = { permission: 'encounters:read' };
/** Starting and finishing: encounters:write at the active clinic, for a patient registered there. */
const WRITE: PatientAccessRule = { permission: 'encounters:write' };

export const DEFAULT_PAGE = 50;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The room encounter events go to: the clinic's staff who may read charts (the chart module's room),
 * so that the doctor's day and the queue refresh live; not `clinic:<id>`, which receptionists join.
 */
export const encountersRoom = (clinicId: string): Room => `chart:${clinicId}`;

/** What the encounters module needs of the appointments service (AppointmentsService satisfies it). */
export type Appointments = Pick<AppointmentsService, 'followVisit' | 'publishChanged'>;
/** What it needs of the queue service. */
export type Queue = Pick<QueueService, 'serveTicket' | 'serveAppointmentVisit' | 'endService'>;

/** A consultation: from the queue or an appointment (or a walk-in) to its end, and the practitioner's day. */
export class EncountersService {
  /** Run inside the transaction that finishes an encounter, with its id (billing captures the consultation's charge). */
  readonly finished = new TxHooks<string>();

  constructor(
    private readonly db: Db,
    private readonly events: EventBus,
    private readonly queue: Queue,
    private readonly appointments: Appointments,
  ) {}

  /** The patient by the one patient-access path; a refusal audited as `action` denied. */
  private async patient(tx: Tx, p: Principal, patientId: string, rule: PatientAccessRule, action: string) {
    const plan = planPatientAccess(p, patientId, rule);
    const found = await repo.patientAt(tx, patientId, p.clinicId);
    let verdict = decidePatientAccess(plan, found);
    if (verdict === 'ok' && found!.status === 'merged') verdict = 'hidden';
    if (verdict !== 'ok') throw patientRefusal(verdict, patientId, !!found, action);
  }

  /** An encounter the principal may act on: its patient reachable, and (for a change) at the active clinic. */
  private async encounter(tx: Tx, p: Principal, id: string, rule: PatientAccessRule, action: string, atClinic: boolean) {
    const row = await repo.encounterById(tx, id);
    // the refusal names the patient when the encounter exists (the answer does not)
    if (!p.permissions.has(rule.permission) || p.patientId)
      throw denied(new Forbidden(), action, { type: 'encounter', id }, row?.patientId ?? null);
    if (!row || (atClinic && row.clinicId !== p.clinicId))
      throw denied(new NotFound('Encounter not found'), action, { type: 'encounter', id }, row?.patientId ?? null);
    await this.patient(tx, p, row.patientId, rule, action);
    return row;
  }

  // ------------------------------------------------------------------ start

  /**
   * Starts a consultation (201), or answers the one already in progress for the same visit (or the
   * same walk-in) with `created: false` (200). From a ticket, a called one goes in service; from an
   * appointment, its check-in's visit (and ticket) are used; the practitioner is the user's own.
   */
  async start(p: Principal, actor: AuditActor, input: EncounterStart): Promise<{ encounter: Encounter; created: boolean }> {
    const given = START_SOURCES.filter((k) => input[k] !== undefined);
    if (given.length !== 1)
      throw new Invalid([
        {
          field: given.length === 0 ? 'body' : given[1]!,
          code: given.length === 0 ? 'required' : 'invalid',
          message: `give exactly one of ${START_SOURCES.join(', ')}`,
        },
      ]);
    try {
      return await this.startOnce(p, actor, input);
    } catch (err) {
      // two starts of the same visit at once: the loser answers the winner's encounter
      if (isUniqueViolation(err, 'encounters_visit_in_progress')) return this.startOnce(p, actor, input);
      throw err;
    }
  }

  private async startOnce(p: Principal, actor: AuditActor, input: EncounterStart) {
    const publish: (() => void)[] = [];
    const result = await runAudited(this.db, actor, async (tx) => {
      if (!p.permissions.has('encounters:write') || p.patientId)
        throw denied(
          new Forbidden(),
          'encounter.start',
          input.ticketId
            ? { type: 'queue_ticket', id: input.ticketId }
            : input.appointmentId
              ? { type: 'appointment', id: input.appointmentId }
              : { type: 'patient', id: input.patientId! },
          input.patientId ?? null,
        );
      const clinicId = p.clinicId!;
      let patientId: string;
      let visitId: string | null = null;
      let ticketId: string | null = null;
      let appointmentId: string | null = null;
      if (input.ticketId) {
        const served = await this.queue.serveTicket(tx, p, actor, input.ticketId);
        publish.push(served.publish);
        ({ patientId } = served.visit);
        visitId = served.visit.id;
        ticketId = served.ticketId;
        appointmentId = served.visit.appointmentId;
      } else if (input.appointmentId) {
        const appt = await repo.appointmentState(tx, input.appointmentId);
        if (!appt || appt.clinicId !== clinicId) throw new NotFound('Appointment not found');
        await this.patient(tx, p, appt.patientId, WRITE, 'encounter.start');
        const served = await this.queue.serveAppointmentVisit(tx, p, actor, input.appointmentId);
        if (!served) throw notCheckedIn(appt.status);
        const existing = await repo.inProgressOfVisit(tx, served.visit.id);
        if (!existing && !['checked_in', 'in_progress'].includes(appt.status)) throw notCheckedIn(appt.status);
        publish.push(served.publish);
        patientId = appt.patientId;
        visitId = served.visit.id;
        ticketId = served.ticketId;
        appointmentId = appt.id;
        // no ticket being served (seen straight from the calendar): the appointment is in progress now
        if (!served.ticketId) {
          const moved = await this.appointments.followVisit(tx, actor, appt.id, 'in_progress');
          if (moved) publish.push(() => this.appointments.publishChanged(moved, moved.status));
        }
      } else {
        patientId = input.patientId!;
      }
      await this.patient(tx, p, patientId, WRITE, 'encounter.start');

      const existing = visitId ? await repo.inProgressOfVisit(tx, visitId) : await repo.inProgressWalkIn(tx, patientId, clinicId);
      if (existing) return { id: existing, created: false };

      const practitioner = await repo.practitionerOfUser(tx, p.userId);
      const id = await repo.insertEncounter(tx, {
        clinicId,
        patientId,
        visitId,
        appointmentId,
        ticketId,
        practitionerId: practitioner?.id ?? null,
        type: input.type ?? 'outpatient',
        status: 'in_progress',
        reason: input.reason ?? null,
        startedBy: p.userId,
      });
      await writeAudit(tx, actor, {
        action: 'encounter.start',
        patientId,
        resourceType: 'encounter',
        resourceId: id,
        details: {
          type: input.type ?? 'outpatient',
          from: input.ticketId ? 'ticket' : input.appointmentId ? 'appointment' : 'patient',
        },
      });
      return { id, created: true };
    });
    const row = (await repo.encounterById(this.db, result.id))!;
    for (const f of publish) f();
    if (result.created) this.events.publish('encounter.started', eventOf(row), [encountersRoom(row.clinicId)]);
    return { encounter: toEncounter(row), created: result.created };
  }

  // ------------------------------------------------------------------ finish, cancel

  /**
   * Finishes an encounter in progress (optimistic `version`): in the same transaction its visit's
   * ticket is done, its appointment completed and the visit closed, through their services.
   */
  finish(p: Principal, actor: AuditActor, id: string, body: EncounterFinish): Promise<Encounter> {
    return this.close(p, actor, id, body.version, 'finished');
  }

  /** Cancels an encounter started in error: nothing else changes (the patient is still there). */
  cancel(p: Principal, actor: AuditActor, id: string, body: EncounterFinish): Promise<Encounter> {
    return this.close(p, actor, id, body.version, 'cancelled');
  }

  private async close(p: Principal, actor: AuditActor, id: string, version: number, to: 'finished' | 'cancelled') {
    const action = to === 'finished' ? 'encounter.finish' : 'encounter.cancel';
    const publish: (() => void)[] = [];
    await runAudited(this.db, actor, async (tx) => {
      const row = await this.encounter(tx, p, id, WRITE, action, true);
      const locked = (await repo.lockEncounter(tx, id))!;
      if (locked.status !== 'in_progress')
        throw new Conflict(`This encounter is already ${locked.status}`, 'ENCOUNTER_CLOSED', { status: locked.status });
      if (locked.version !== version)
        throw new Conflict('This encounter changed since you read it', 'STALE_VERSION', { version: locked.version });
      await repo.closeEncounter(tx, id, to, p.userId);
      let visitClosed = false;
      if (to === 'finished') {
        if (row.visitId) {
          const ended = await this.queue.endService(tx, p, actor, row.visitId);
          visitClosed = ended.closed;
          publish.push(ended.publish);
        }
        if (row.appointmentId) {
          const moved = await this.appointments.followVisit(tx, actor, row.appointmentId, 'completed');
          if (moved) publish.push(() => this.appointments.publishChanged(moved, moved.status));
        }
        await this.finished.run(tx, id);
      }
      await writeAudit(tx, actor, {
        action,
        patientId: row.patientId,
        resourceType: 'encounter',
        resourceId: id,
        details: { visitId: row.visitId, appointmentId: row.appointmentId, ticketId: row.ticketId, visitClosed },
      });
    });
    const row = (await repo.encounterById(this.db, id))!;
    for (const f of publish) f();
    this.events.publish('encounter.finished', { ...eventOf(row), status: row.status }, [encountersRoom(row.clinicId)]);
    return toEncounter(row);
  }

  // ------------------------------------------------------------------ reads

  /** One encounter; the read is audited. */
  get(p: Principal, actor: AuditActor, id: string): Promise<Encounter> {
    return runAudited(this.db, actor, async (tx) => {
      const row = await this.encounter(tx, p, id, READ, 'encounter.read', false);
      await writeAudit(tx, actor, {
        action: 'encounter.read',
        patientId: row.patientId,
        resourceType: 'encounter',
        resourceId: id,
      });
      return toEncounter(row);
    });
  }

  /** A patient's encounters, newest first, paged; the read is audited with the ids shown. */
  async list(
    p: Principal,
    actor: AuditActor,
    patientId: string,
    q: EncountersQuery,
  ): Promise<{ data: Encounter[]; nextCursor: string | null }> {
    const limit = q.limit ?? DEFAULT_PAGE;
    if (q.cursor !== undefined && !UUID.test(q.cursor))
      throw new Invalid([{ field: 'querystring.cursor', code: 'invalid', message: 'is not a cursor of this list' }]);
    return runAudited(this.db, actor, async (tx) => {
      await this.patient(tx, p, patientId, READ, 'encounter.read');
      const rows = await repo.listForPatient(tx, patientId, limit + 1, q.cursor ?? null);
      const page = rows.slice(0, limit);
      await writeAudit(tx, actor, {
        action: 'encounter.read',
        patientId,
        resourceType: 'patient',
        resourceId: patientId,
        details: { ids: page.map((r) => r.id) },
      });
      return { data: page.map(toEncounter), nextCursor: rows.length > limit ? page[page.length - 1]!.id : null };
    });
  }

  /**
   * The signed-in practitioner's day at the active clinic: their appointments and the walk-ins routed
   * to them, each with where it stands. Names shown are patient data: audited with the patients' ids.
   */
  async today(p: Principal, actor: AuditActor): Promise<TodayView> {
    return runAudited(this.db, actor, async (tx) => {
      if (!p.permissions.has('encounters:write') || p.patientId || !p.clinicId)
        throw denied(new Forbidden(), 'encounter.today', { type: 'clinic', id: p.clinicId ?? 'none' });
      const clinicId = p.clinicId;
      const clinic = (await repo.clinicToday(tx, clinicId))!;
      const practitioner = (await repo.practitionerOfUser(tx, p.userId)) ?? null;
      const rows = await repo.practitionerDay(tx, {
        clinicId,
        today: clinic.today,
        timezone: clinic.timezone,
        practitionerId: practitioner?.id ?? null,
        userId: p.userId,
      });
      await writeAudit(tx, actor, {
        action: 'encounter.today',
        resourceType: 'clinic',
        resourceId: clinicId,
        details: { date: clinic.today, patientIds: [...new Set(rows.map((r) => r.patientId))] },
      });
      return {
        date: clinic.today,
        practitioner,
        data: rows.map((r) => ({
          time: r.time.toISOString(),
          kind: r.kind,
          state: r.state,
          patient: { id: r.patientId, name: [r.givenName, r.middleName, r.familyName].filter(Boolean).join(' '), mrn: r.mrn },
          appointmentId: r.appointmentId,
          visitId: r.visitId,
          ticketId: r.ticketId,
          ticketCode: r.ticketCode,
          ticketStatus: r.ticketStatus,
          encounterId: r.encounterId,
          reason: r.reason,
        })),
      };
    });
  }

  /** The patients module runs this when it merges a duplicate into a survivor. */
  mergePatients = (tx: Tx, fromId: string, toId: string): Promise<void> => repo.moveEncounters(tx, fromId, toId);

  /** Encounters on the patient's timeline: type, status, reason, start and end, practitioner. */
  readonly timeline: TimelineSource = { kind: 'encounter', permission: 'encounters:read', list: repo.timelineOf };
}

function notCheckedIn(status: string): Conflict {
  return new Conflict(`An appointment that is ${status} has no consultation to start`, 'NOT_CHECKED_IN', {
    field: 'appointmentId',
    status,
  });
}

function eventOf(r: repo.EncounterRow): EncounterEvent {
  return {
    encounterId: r.id,
    clinicId: r.clinicId,
    patientId: r.patientId,
    visitId: r.visitId,
    appointmentId: r.appointmentId,
    ticketId: r.ticketId,
    practitionerId: r.practitionerId,
  };
}

export function toEncounter(r: repo.EncounterRow): Encounter {
  return {
    id: r.id,
    clinicId: r.clinicId,
    patientId: r.patientId,
    visitId: r.visitId,
    appointmentId: r.appointmentId,
    ticketId: r.ticketId,
    practitioner: r.practitionerId ? { id: r.practitionerId, name: r.practitionerName ?? '' } : null,
    type: r.type,
    status: r.status,
    reason: r.reason,
    startedAt: r.startedAt.toISOString(),
    endedAt: r.endedAt ? r.endedAt.toISOString() : null,
    startedBy: { id: r.startedBy, name: r.startedByName },
    endedBy: r.endedBy ? { id: r.endedBy, name: r.endedByName ?? '' } : null,
    version: r.version,
  };
}
