import crypto from 'node:crypto';
import type { Db, Executor } from '../../platform/db/database.ts';
import { writeAudit, type AuditActor } from '../../platform/audit/audit.ts';
import type { Principal } from '../../platform/access.ts';
import { Conflict, Invalid, NotFound, Unauthorized } from '../../platform/errors.ts';
import type { EventBus, Room, TicketEvent } from '../../platform/realtime/events.ts';
import {
  PRIORITY_RULES,
  priorityRefusal,
  type PriorityRefusal,
  type TicketPriority,
  type TicketStatus,
} from '@sanita/contracts/queue';
import { runAudited } from '../../platform/audit/audited.ts';
import { onUniqueViolation } from '../../platform/db/queries.ts';
import { patientAtClinic, patientRefusal, requireLinked } from '../../platform/patient-access.ts';
import * as repo from './queue.repository.ts';
import type {
  CheckInBody,
  CheckInResult,
  CreateDisplayTokenBody,
  CreateServicePointBody,
  DisplayBoard,
  DisplayToken,
  QueueTicket,
  QueueView,
  ServicePoint,
  Ticket,
  TransferBody,
  UpdateServicePointBody,
  WalkInBody,
} from '@sanita/contracts/queue';

/** Queue order before arrival time. */
export const PRIORITY_RANK: Record<TicketPriority, number> = { emergency: 0, elderly: 1, pregnant: 2, normal: 3 };
/** Minutes a service takes when the service point has no history yet. */
export const DEFAULT_SERVICE_MINUTES = 10;
/** How many recent calls a waiting-room board shows. */
export const BOARD_CALLS = 8;

/**
 * What the queue needs from appointments (AppointmentsService satisfies it): the check-in rule
 * runs inside the queue's transaction so the appointment, visit and ticket commit together.
 */
/** A ticket's move to publish after commit, with the appointment that followed it if any. */
interface TicketMove {
  ticket: TicketEvent;
  change: string;
  called: boolean;
  appointment?: AppointmentChange | null;
}

type AppointmentChange = {
  id: string;
  clinicId: string;
  practitionerId: string;
  patientId: string;
  status: string;
  startsAt: Date;
  endsAt: Date;
};

export interface AppointmentCheckIn {
  checkIn(
    tx: Executor,
    appointmentId: string,
    clinicId: string,
  ): Promise<{
    id: string;
    patientId: string;
    practitionerId: string;
    clinicId: string;
    startsAt: Date;
    endsAt: Date;
    status: string;
  }>;
  followVisit(
    tx: Executor,
    actor: AuditActor,
    appointmentId: string,
    to: 'in_progress' | 'completed',
  ): Promise<AppointmentChange | null>;
  publishChanged(
    row: {
      id: string;
      clinicId: string;
      practitionerId: string;
      patientId: string;
      status: string;
      startsAt: Date;
      endsAt: Date;
    },
    change: string,
  ): void;
}

type Action = 'call' | 'start' | 'done' | 'skip' | 'requeue' | 'transfer';
/** Which statuses each move starts from (docs/scheduling.md, "Front desk"). */
const ALLOWED_FROM: Record<Action, TicketStatus[]> = {
  call: ['waiting', 'called'],
  start: ['called'],
  done: ['in_service'],
  skip: ['waiting', 'called'],
  requeue: ['called'],
  transfer: ['waiting', 'called', 'in_service'],
};
const TARGET: Record<Action, TicketStatus> = {
  call: 'called',
  start: 'in_service',
  done: 'done',
  skip: 'skipped',
  requeue: 'waiting',
  transfer: 'transferred',
};

export function displayTokenHash(token: string): string {
  return crypto.createHash('sha256').update(token).digest('hex');
}

const iso = (d: Date | string | null): string | null => (d === null ? null : new Date(d).toISOString());

function requireClinic(p: Principal): string {
  if (!p.clinicId) throw new NotFound('Service point not found');
  return p.clinicId;
}

function toTicket(r: repo.TicketRow): Ticket {
  return {
    id: r.id,
    servicePointId: r.servicePointId,
    visitId: r.visitId,
    serviceDate: r.serviceDate,
    code: r.code,
    number: r.number,
    priority: r.priority,
    status: r.status,
    arrivedAt: iso(r.arrivedAt)!,
    calledAt: iso(r.calledAt),
    serviceStartedAt: iso(r.serviceStartedAt),
    finishedAt: iso(r.finishedAt),
    room: r.room,
    transferredFromId: r.transferredFromId,
    transferredToId: r.transferredToId,
    note: r.note ?? null,
    version: r.version,
  };
}

/** Age in whole years on the given local date. */
export function ageOn(birthDate: string, today: string): number | null {
  const [by, bm, bd] = birthDate.split('-').map(Number);
  const [ty, tm, td] = today.split('-').map(Number);
  if (!by || !bm || !bd || !ty || !tm || !td) return null;
  return ty - by - (tm < bm || (tm === bm && td < bd) ? 1 : 0);
}

const PRIORITY_MESSAGES: Record<PriorityRefusal, (age: number | null) => string> = {
  elderly_age: (age) =>
    `the elderly priority is for patients aged ${PRIORITY_RULES.elderlyMinAge} or over (this patient is ${age})`,
  pregnant_sex: () => 'the pregnant priority is for female patients',
  pregnant_age: (age) =>
    `the pregnant priority is for patients aged ${PRIORITY_RULES.pregnantMinAge} to ${PRIORITY_RULES.pregnantMaxAge} (this patient is ${age})`,
};

/** Refuses (400 naming `priority`) a priority that does not fit the patient (PRIORITY_RULES). */
async function checkPriority(tx: Executor, patientId: string, priority: TicketPriority, today: string): Promise<void> {
  if (priority === 'normal' || priority === 'emergency') return;
  const pat = await repo.patientSexBirth(tx, patientId);
  if (!pat) return;
  const age = pat.birthDate ? ageOn(pat.birthDate, today) : null;
  const refusal = priorityRefusal(priority, { sex: pat.sex, age });
  if (refusal) throw new Invalid([{ field: 'priority', message: PRIORITY_MESSAGES[refusal](age) }]);
}

function patientOf(r: repo.QueueRow, today: string) {
  return {
    id: r.patientId,
    mrn: r.mrn,
    name: [r.givenName, r.middleName, r.familyName].filter(Boolean).join(' '),
    sex: r.sex,
    age: ageOn(r.birthDate, today),
  };
}

/**
 * Estimated wait of the waiting ticket with `ahead` tickets before it: each takes the mean service
 * time, shared among the people serving there lately.
 */
export function estimateWait(ahead: number, meanMinutes: number | null, staff: number): number {
  return Math.round((ahead * (meanMinutes ?? DEFAULT_SERVICE_MINUTES)) / Math.max(1, staff));
}

/** Front desk: visits, tickets and their moves, service points, waiting-room displays. */
export class QueueService {
  constructor(
    private readonly db: Db,
    private readonly events: EventBus,
    private readonly publicUrl: string,
    /** the scheduling module's appointments (declared in the queue manifest): check-in from an appointment */
    private readonly appointments: AppointmentCheckIn,
  ) {}

  // ------------------------------------------------------------------ real-time access (gateway)

  /** The display a waiting-room token opens (SHA-256 lookup, not revoked; updates last_seen_at), or null. */
  async resolveDisplayToken(token: string): Promise<{ id: string; clinicId: string; servicePointIds: string[] } | null> {
    if (!token || token.length > 200) return null;
    const row = await repo.touchDisplayToken(this.db, displayTokenHash(token));
    return row ? { id: row.id, clinicId: row.clinicId, servicePointIds: row.servicePointIds } : null;
  }

  /** Whether this principal may follow the queue of this service point (queue:read in the service point's clinic). */
  async canSubscribeServicePoint(principal: Principal, servicePointId: string): Promise<boolean> {
    if (!/^[0-9a-f-]{36}$/i.test(servicePointId)) return false;
    const sp = await repo.servicePointById(this.db, servicePointId);
    if (!sp) return false;
    if (principal.clinicId === sp.clinicId && principal.permissions.has('queue:read')) return true;
    return principal.memberships.some((m) => m.clinicId === sp.clinicId && m.permissions.includes('queue:read'));
  }

  // ------------------------------------------------------------------ service points

  async listServicePoints(p: Principal): Promise<ServicePoint[]> {
    if (!p.clinicId) return [];
    return repo.listServicePoints(this.db, p.clinicId);
  }

  async createServicePoint(p: Principal, actor: AuditActor, body: CreateServicePointBody): Promise<ServicePoint> {
    const clinicId = requireClinic(p);
    return this.db.transaction(async (tx) => {
      const row = await uniqueCode(() =>
        repo.insertServicePoint(tx, {
          clinicId,
          code: body.code,
          name: body.name,
          kind: body.kind,
          ticketPrefix: body.ticketPrefix,
          room: body.room ?? null,
          active: body.active ?? true,
        }),
      );
      await writeAudit(tx, actor, { action: 'service_point.create', resourceType: 'service_point', resourceId: row.id });
      return row;
    });
  }

  async updateServicePoint(p: Principal, actor: AuditActor, id: string, body: UpdateServicePointBody): Promise<ServicePoint> {
    const clinicId = requireClinic(p);
    return this.db.transaction(async (tx) => {
      const row = await uniqueCode(() => repo.updateServicePoint(tx, id, clinicId, body));
      if (!row) throw new NotFound('Service point not found');
      await writeAudit(tx, actor, {
        action: 'service_point.update',
        resourceType: 'service_point',
        resourceId: id,
        details: { fields: Object.keys(body) },
      });
      return row;
    });
  }

  // ------------------------------------------------------------------ check-in

  async walkIn(p: Principal, actor: AuditActor, body: WalkInBody): Promise<CheckInResult> {
    const clinicId = requireClinic(p);
    const { result, event } = await runAudited(this.db, actor, async (tx) => {
      const { sp, today } = await this.openServicePoint(tx, body.servicePointId, clinicId);
      // a patient of another clinic, or merged away, is not found (and the attempt audited)
      const pat = await patientAtClinic(tx, body.patientId, clinicId);
      if (pat.status === 'merged') throw patientRefusal('hidden', body.patientId, true, 'visit.walk_in');
      requireLinked(pat, body.patientId, 'visit.walk_in');
      await checkPriority(tx, body.patientId, body.priority, today);
      const visit = await repo.insertVisit(tx, {
        clinicId,
        patientId: body.patientId,
        appointmentId: null,
        practitionerId: null,
        kind: 'walk_in',
        reason: body.reason ?? null,
        createdBy: p.userId,
      });
      const ticket = await this.issueTicket(tx, sp, today, visit.id, body.patientId, body.priority, null);
      await writeAudit(tx, actor, {
        action: 'visit.walk_in',
        patientId: body.patientId,
        resourceType: 'visit',
        resourceId: visit.id,
        details: { ticketId: ticket.id, code: ticket.code, servicePointId: sp.id, priority: body.priority },
      });
      return { result: { visit: toVisit(visit), ticket: toTicket(ticket) }, event: toEvent(ticket, sp) };
    });
    this.publishChanged(event, 'created');
    return result;
  }

  async checkIn(p: Principal, actor: AuditActor, appointmentId: string, body: CheckInBody): Promise<CheckInResult> {
    const clinicId = requireClinic(p);
    const { result, event, appointment } = await this.db.transaction(async (tx) => {
      const { sp, today } = await this.openServicePoint(tx, body.servicePointId, clinicId);
      const appt = await this.appointments.checkIn(tx, appointmentId, clinicId);
      await checkPriority(tx, appt.patientId, body.priority, today);
      const visit = await repo.insertVisit(tx, {
        clinicId,
        patientId: appt.patientId,
        appointmentId: appt.id,
        practitionerId: appt.practitionerId,
        kind: 'appointment',
        reason: null,
        createdBy: p.userId,
      });
      const ticket = await this.issueTicket(tx, sp, today, visit.id, appt.patientId, body.priority, null);
      await writeAudit(tx, actor, {
        action: 'appointment.check_in',
        patientId: appt.patientId,
        resourceType: 'appointment',
        resourceId: appt.id,
        details: { visitId: visit.id, ticketId: ticket.id, code: ticket.code, servicePointId: sp.id, priority: body.priority },
      });
      return { result: { visit: toVisit(visit), ticket: toTicket(ticket) }, event: toEvent(ticket, sp), appointment: appt };
    });
    this.appointments.publishChanged(appointment, 'checked_in');
    this.publishChanged(event, 'created');
    return result;
  }

  // ------------------------------------------------------------------ the queue

  async queue(p: Principal, actor: AuditActor, servicePointId: string): Promise<QueueView> {
    const clinicId = requireClinic(p);
    return this.db.transaction(async (tx) => {
      const sp = await repo.servicePointInClinic(tx, servicePointId, clinicId);
      if (!sp) throw new NotFound('Service point not found');
      const today = (await repo.clinicToday(tx, clinicId))!.today;
      const rows = await repo.queueOfDay(tx, sp.id, today);
      const rate = await repo.serviceRate(tx, sp.id);
      let ahead = 0;
      const data: QueueTicket[] = rows.map((r) => ({
        ...toTicket(r),
        patient: patientOf(r, today),
        estimatedWaitMinutes: r.status === 'waiting' ? estimateWait(ahead++, rate.meanMinutes, rate.staff) : null,
      }));
      // the names shown are patient data: one row says whose, even when the list is empty
      await writeAudit(tx, actor, {
        action: 'queue.list',
        resourceType: 'service_point',
        resourceId: sp.id,
        details: { serviceDate: today, patientIds: [...new Set(rows.map((r) => r.patientId))] },
      });
      const count = (...s: TicketStatus[]) => rows.filter((r) => s.includes(r.status)).length;
      return {
        servicePoint: sp,
        serviceDate: today,
        data,
        stats: {
          waiting: count('waiting'),
          called: count('called'),
          inService: count('in_service'),
          done: count('done'),
          meanServiceMinutes: rate.meanMinutes === null ? null : Math.round(rate.meanMinutes * 10) / 10,
        },
      };
    });
  }

  async callNext(p: Principal, actor: AuditActor, servicePointId: string, room?: string): Promise<QueueTicket> {
    const clinicId = requireClinic(p);
    const { view, events } = await this.db.transaction(async (tx) => {
      const sp = await repo.servicePointInClinic(tx, servicePointId, clinicId);
      if (!sp) throw new NotFound('Service point not found');
      const today = (await repo.clinicToday(tx, clinicId))!.today;
      const next = await repo.lockNextWaiting(tx, sp.id, today);
      if (!next) throw new Conflict('Nobody is waiting at this service point', 'QUEUE_EMPTY');
      return this.move(tx, p, actor, next, sp, 'call', room);
    });
    this.publishAll(events);
    return view;
  }

  async transition(
    p: Principal,
    actor: AuditActor,
    ticketId: string,
    action: Exclude<Action, 'transfer'>,
    room?: string,
  ): Promise<QueueTicket> {
    const clinicId = requireClinic(p);
    const { view, events } = await this.db.transaction(async (tx) => {
      const t = await repo.lockTicket(tx, ticketId, clinicId);
      if (!t) throw new NotFound('Ticket not found');
      const sp = (await repo.servicePointById(tx, t.servicePointId))!;
      return this.move(tx, p, actor, t, sp, action, room);
    });
    this.publishAll(events);
    return view;
  }

  async transfer(
    p: Principal,
    actor: AuditActor,
    ticketId: string,
    body: TransferBody,
  ): Promise<QueueTicket & { transferredTo: Ticket }> {
    const clinicId = requireClinic(p);
    const { view, events } = await this.db.transaction(async (tx) => {
      const t = await repo.lockTicket(tx, ticketId, clinicId);
      if (!t) throw new NotFound('Ticket not found');
      const target = await repo.servicePointInClinic(tx, body.servicePointId, clinicId);
      if (!target) throw new NotFound('Service point not found');
      if (!target.active) throw new Invalid([{ field: 'servicePointId', message: 'this service point is closed' }]);
      if (target.id === t.servicePointId)
        throw new Invalid([{ field: 'servicePointId', message: 'the ticket is already at this service point' }]);
      checkMove(t.status, 'transfer');
      const today = (await repo.clinicToday(tx, clinicId))!.today;
      if (body.priority && body.priority !== t.priority) await checkPriority(tx, t.patientId, body.priority, today);
      const note = body.note?.trim() || null;
      const created = await this.issueTicket(tx, target, today, t.visitId, t.patientId, body.priority ?? t.priority, t.id, note);
      const source = (await repo.servicePointById(tx, t.servicePointId))!;
      const moved = await this.move(tx, p, actor, t, source, 'transfer', undefined, created.id);
      moved.events.push({ ticket: toEvent(created, target), change: 'created', called: false });
      return { view: { ...moved.view, transferredTo: toTicket(created) }, events: moved.events };
    });
    this.publishAll(events);
    return view;
  }

  // ------------------------------------------------------------------ display tokens

  async listDisplayTokens(p: Principal): Promise<DisplayToken[]> {
    if (!p.clinicId) return [];
    return (await repo.listDisplayTokens(this.db, p.clinicId)).map(toDisplayToken);
  }

  async createDisplayToken(
    p: Principal,
    actor: AuditActor,
    body: CreateDisplayTokenBody,
  ): Promise<{ id: string; name: string; token: string; url: string }> {
    const clinicId = requireClinic(p);
    const token = crypto.randomBytes(32).toString('base64url');
    const row = await this.db.transaction(async (tx) => {
      const known = new Set((await repo.listServicePoints(tx, clinicId)).map((s) => s.id));
      const unknown = body.servicePointIds.findIndex((id) => !known.has(id));
      if (unknown >= 0)
        throw new Invalid([{ field: `servicePointIds.${unknown}`, message: 'not a service point of this clinic' }]);
      const created = await repo.insertDisplayToken(tx, {
        clinicId,
        name: body.name,
        tokenHash: displayTokenHash(token),
        servicePointIds: body.servicePointIds,
        createdBy: p.userId,
      });
      await writeAudit(tx, actor, { action: 'display_token.create', resourceType: 'display_token', resourceId: created.id });
      return created;
    });
    const url = `${this.publicUrl.replace(/\/$/, '')}/display?token=${encodeURIComponent(token)}`;
    return { id: row.id, name: row.name, token, url };
  }

  async revokeDisplayToken(p: Principal, actor: AuditActor, id: string): Promise<DisplayToken> {
    const clinicId = requireClinic(p);
    const revoked = await this.db.transaction(async (tx) => {
      const row = await repo.revokeDisplayToken(tx, id, clinicId);
      if (!row) throw new NotFound('Display not found');
      await writeAudit(tx, actor, { action: 'display_token.revoke', resourceType: 'display_token', resourceId: id });
      return toDisplayToken(row);
    });
    this.events.publish('display.revoked', { displayId: id }, [`screen:${id}`]);
    return revoked;
  }

  /** What a waiting-room screen shows: codes, rooms and service-point names, never patient data. */
  async board(token: string | undefined): Promise<DisplayBoard> {
    const display = token ? await this.resolveDisplayToken(token) : null;
    if (!display) throw new Unauthorized('This display link is not valid (revoked or mistyped)', 'DISPLAY_TOKEN_INVALID');
    const clinic = (await repo.clinicToday(this.db, display.clinicId))!;
    const sps = await repo.displayServicePoints(this.db, display.clinicId, display.servicePointIds);
    const ids = sps.map((s) => s.id);
    const [called, waiting] = await Promise.all([
      repo.recentCalls(this.db, ids, clinic.today, BOARD_CALLS),
      repo.waitingCounts(this.db, ids, clinic.today),
    ]);
    return {
      clinic: { name: clinic.name, timezone: clinic.timezone },
      servicePoints: sps.map((s) => ({ id: s.id, name: s.name, room: s.room })),
      called: called.map((c) => ({ ...c, calledAt: iso(c.calledAt) })),
      waiting: Object.fromEntries(ids.map((id) => [id, waiting[id] ?? 0])),
    };
  }

  // ------------------------------------------------------------------ shared with consultations (encounters)

  /**
   * A consultation starts from a ticket, inside the caller's transaction: the ticket (locked) must be
   * called or in service at the active clinic (404 otherwise not found, 409 TICKET_NOT_CALLED); a
   * called ticket goes in service (and its appointment in progress). Returns its visit and what to
   * publish after commit.
   */
  async serveTicket(
    tx: Executor,
    p: Principal,
    actor: AuditActor,
    ticketId: string,
  ): Promise<{ ticketId: string; visit: repo.VisitRow; publish: () => void }> {
    const clinicId = requireClinic(p);
    const t = await repo.lockTicket(tx, ticketId, clinicId);
    if (!t) throw new NotFound('Ticket not found');
    if (t.status !== 'called' && t.status !== 'in_service')
      throw new Conflict(`A ticket that is ${t.status} cannot start a consultation`, 'TICKET_NOT_CALLED', {
        field: 'ticketId',
        status: t.status,
      });
    let events: TicketMove[] = [];
    if (t.status === 'called') {
      const sp = (await repo.servicePointById(tx, t.servicePointId))!;
      events = (await this.move(tx, p, actor, t, sp, 'start')).events;
    }
    const visit = (await repo.visitById(tx, t.visitId))!;
    return { ticketId: t.id, visit, publish: () => this.publishAll(events) };
  }

  /**
   * The visit an appointment was checked in with, at the clinic, and its ticket being called or
   * served (the first), which goes in service as by `serveTicket`. Null when it has no visit.
   */
  async serveAppointmentVisit(
    tx: Executor,
    p: Principal,
    actor: AuditActor,
    appointmentId: string,
  ): Promise<{ ticketId: string | null; visit: repo.VisitRow; publish: () => void } | null> {
    const clinicId = requireClinic(p);
    const visit = await repo.visitOfAppointment(tx, appointmentId, clinicId);
    if (!visit) return null;
    const open = await repo.lockOpenTicketsOfVisit(tx, visit.id);
    const ticket = open.find((t) => t.status === 'in_service') ?? open.find((t) => t.status === 'called');
    if (ticket) return { ...(await this.serveTicket(tx, p, actor, ticket.id)), visit };
    // still waiting in a consultation room's queue: the practitioner took the patient from the calendar
    for (const t of open) {
      const sp = (await repo.servicePointById(tx, t.servicePointId))!;
      if (sp.kind !== 'consultation') continue;
      const called = await this.move(tx, p, actor, t, sp, 'call');
      const started = await this.move(tx, p, actor, { ...t, status: 'called' }, sp, 'start');
      const events = [...called.events, ...started.events];
      return { ticketId: t.id, visit, publish: () => this.publishAll(events) };
    }
    return { ticketId: null, visit, publish: () => {} };
  }

  /**
   * The consultation of a visit ended, inside the caller's transaction: its tickets being called or
   * served are done (a consultation's appointment completed with it); the visit is closed unless the
   * patient still waits elsewhere (the lab, the pharmacy). Returns what to publish after commit.
   */
  async endService(
    tx: Executor,
    p: Principal,
    actor: AuditActor,
    visitId: string,
  ): Promise<{ closed: boolean; publish: () => void }> {
    const events: TicketMove[] = [];
    let waiting = false;
    for (const t of await repo.lockOpenTicketsOfVisit(tx, visitId)) {
      if (t.status === 'waiting') {
        waiting = true;
        continue;
      }
      const sp = (await repo.servicePointById(tx, t.servicePointId))!;
      let current = t;
      if (t.status === 'called') {
        const started = await this.move(tx, p, actor, t, sp, 'start');
        events.push(...started.events);
        current = { ...t, status: 'in_service' };
      }
      events.push(...(await this.move(tx, p, actor, current, sp, 'done')).events);
    }
    const closed = !waiting && (await repo.closeVisit(tx, visitId));
    return { closed, publish: () => this.publishAll(events) };
  }

  // ------------------------------------------------------------------ internals

  private async openServicePoint(tx: Executor, servicePointId: string, clinicId: string) {
    const sp = await repo.servicePointInClinic(tx, servicePointId, clinicId);
    if (!sp) throw new NotFound('Service point not found');
    if (!sp.active) throw new Invalid([{ field: 'servicePointId', message: 'this service point is closed' }]);
    const today = (await repo.clinicToday(tx, clinicId))!.today;
    return { sp, today };
  }

  private async refuseIfQueued(tx: Executor, patientId: string, servicePointId: string, today: string): Promise<void> {
    if (await repo.openTicketExists(tx, patientId, servicePointId, today))
      throw new Conflict('This patient is already in the queue of this service point', 'ALREADY_QUEUED', {
        field: 'servicePointId',
      });
  }

  private async issueTicket(
    tx: Executor,
    sp: repo.ServicePointRow,
    today: string,
    visitId: string,
    patientId: string,
    priority: TicketPriority,
    transferredFromId: string | null,
    note: string | null = null,
  ): Promise<repo.TicketRow> {
    // the counter row lock serialises issuers at this service point and day, so the check below sees
    // a ticket another transaction just gave the same patient (READ COMMITTED re-reads per statement)
    const number = await repo.nextTicketNumber(tx, sp.id, today);
    await this.refuseIfQueued(tx, patientId, sp.id, today);
    return repo.insertTicket(tx, {
      clinicId: sp.clinicId,
      servicePointId: sp.id,
      visitId,
      patientId,
      serviceDate: today,
      number,
      code: `${sp.ticketPrefix}-${String(number).padStart(3, '0')}`,
      priority,
      priorityRank: PRIORITY_RANK[priority],
      transferredFromId,
      note,
    });
  }

  /** Applies one move to a locked ticket, audits it, and returns the events to publish after commit. */
  private async move(
    tx: Executor,
    p: Principal,
    actor: AuditActor,
    t: repo.TicketRow,
    sp: repo.ServicePointRow,
    action: Action,
    room?: string,
    transferredToId?: string,
  ): Promise<{ view: QueueTicket; events: TicketMove[] }> {
    checkMove(t.status, action);
    const to = TARGET[action];
    const finished = to === 'done' || to === 'skipped' || to === 'transferred';
    const updated = await repo.updateTicket(tx, t.id, {
      status: to,
      ...(action === 'call' ? { calledAt: 'now' as const, calledBy: p.userId, ...(room !== undefined ? { room } : {}) } : {}),
      ...(action === 'start' ? { serviceStartedAt: 'now' as const } : {}),
      ...(action === 'requeue' ? { calledAt: null } : {}),
      ...(finished ? { finishedAt: 'now' as const } : {}),
      ...(transferredToId ? { transferredToId } : {}),
    });
    await writeAudit(tx, actor, {
      action: `queue.ticket.${action}`,
      patientId: t.patientId,
      resourceType: 'queue_ticket',
      resourceId: t.id,
      details: { from: t.status, to, code: t.code, servicePointId: sp.id, ...(transferredToId ? { transferredToId } : {}) },
    });
    // the appointment follows its visit: serving starts it, the consultation finishing completes it
    const follow = action === 'start' ? 'in_progress' : to === 'done' && sp.kind === 'consultation' ? 'completed' : null;
    let appointment: AppointmentChange | null = null;
    if (follow && this.appointments) {
      const visit = await repo.visitById(tx, t.visitId);
      if (visit?.appointmentId) appointment = await this.appointments.followVisit(tx, actor, visit.appointmentId, follow);
    }
    const row = (await repo.queueRow(tx, t.id))!;
    const view: QueueTicket = { ...toTicket(updated), patient: patientOf(row, t.serviceDate), estimatedWaitMinutes: null };
    const change = action === 'call' && t.status === 'called' ? 'recalled' : to;
    return { view, events: [{ ticket: toEvent(updated, sp), change, called: action === 'call', appointment }] };
  }

  private publishChanged(ticket: TicketEvent, change: string): void {
    // displays hear every move too (no patient data in a TicketEvent): their waiting counts stay live
    this.events.publish('queue.ticket.changed', { ticket, change }, [
      `clinic:${ticket.clinicId}`,
      `sp:${ticket.servicePointId}`,
      `display:${ticket.clinicId}`,
    ]);
  }

  private publishAll(events: TicketMove[]): void {
    for (const e of events) {
      this.publishChanged(e.ticket, e.change);
      if (e.appointment) this.appointments.publishChanged(e.appointment, e.appointment.status);
      if (e.called) {
        const rooms: Room[] = [`display:${e.ticket.clinicId}`, `sp:${e.ticket.servicePointId}`];
        this.events.publish('queue.ticket.called', { ticket: e.ticket }, rooms);
      }
    }
  }
}

function checkMove(from: TicketStatus, action: Action): void {
  if (!ALLOWED_FROM[action].includes(from)) {
    const to = TARGET[action];
    throw new Conflict(`A ticket that is ${from} cannot become ${to}`, 'INVALID_TRANSITION', { from, to });
  }
}

function toEvent(t: repo.TicketRow, sp: repo.ServicePointRow): TicketEvent {
  return {
    id: t.id,
    clinicId: t.clinicId,
    servicePointId: t.servicePointId,
    code: t.code,
    status: t.status,
    priority: t.priority,
    room: t.room ?? sp.room,
    servicePointName: sp.name,
    calledAt: iso(t.calledAt),
  };
}

function toVisit(v: repo.VisitRow): CheckInResult['visit'] {
  return {
    id: v.id,
    patientId: v.patientId,
    appointmentId: v.appointmentId,
    kind: v.kind,
    status: v.status,
    reason: v.reason,
    startedAt: iso(v.startedAt)!,
  };
}

function toDisplayToken(r: repo.DisplayTokenRow): DisplayToken {
  return {
    id: r.id,
    name: r.name,
    servicePointIds: r.servicePointIds,
    createdAt: iso(r.createdAt)!,
    revokedAt: iso(r.revokedAt),
    lastSeenAt: iso(r.lastSeenAt),
  };
}

/** A unique-code violation becomes 409 naming the field. */
function uniqueCode<T>(fn: () => Promise<T>): Promise<T> {
  return onUniqueViolation(
    fn,
    () => new Conflict('Another service point of this clinic has this code', 'CODE_TAKEN', { field: 'code' }),
    'service_points_clinic_code',
  );
}
