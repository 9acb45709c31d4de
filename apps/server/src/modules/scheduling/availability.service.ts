import type { Db, Executor } from '../../platform/db/database.ts';
import { writeAudit, type AuditActor } from '../../platform/audit/audit.ts';
import type { Principal } from '../../platform/access.ts';
import { Conflict, Forbidden, Invalid, NotFound, type FieldIssue } from '../../platform/errors.ts';
import type { EventBus } from '../../platform/realtime/events.ts';
import * as repo from './availability.repository.ts';
import type {
  AvailabilityException,
  CreateExceptionBody,
  PutTemplatesBody,
  Template,
  TemplateInput,
} from '@sanita/contracts/scheduling/availability';
import {
  addDays,
  checkWithinAvailability,
  computeFreeSlots,
  localDateOf,
  localDates,
  type SlotTemplate,
  type TimeRange,
} from './slots.ts';

const DAY_MS = 86_400_000;
/** the longest range of free slots one request may ask for */
export const MAX_SLOT_DAYS = 31;
/** how far ahead "next free slot" looks */
export const NEXT_FREE_DAYS = 14;

const hhmm = (t: string) => t.slice(0, 5);

export function toSlotTemplate(r: repo.SlotTemplateRow): SlotTemplate {
  return {
    weekday: r.weekday,
    startTime: r.startTime,
    endTime: r.endTime,
    slotMinutes: r.slotMinutes,
    bufferMinutes: r.bufferMinutes,
    visitTypeIds: r.visitTypeIds,
    validFrom: r.validFrom,
    validTo: r.validTo,
  };
}

function toTemplate(r: repo.TemplateRow): Template {
  return {
    id: r.id,
    practitionerId: r.practitionerId,
    clinicId: r.clinicId,
    weekday: r.weekday,
    startTime: hhmm(r.startTime),
    endTime: hhmm(r.endTime),
    slotMinutes: r.slotMinutes,
    bufferMinutes: r.bufferMinutes,
    visitTypeIds: r.visitTypeIds,
    validFrom: r.validFrom,
    validTo: r.validTo,
  };
}

function toException(r: repo.ExceptionRow): AvailabilityException {
  return {
    id: r.id,
    practitionerId: r.practitionerId,
    clinicId: r.clinicId,
    kind: r.kind,
    startsAt: r.startsAt.toISOString(),
    endsAt: r.endsAt.toISOString(),
    reason: r.reason,
  };
}

/** The exceptions that apply to `practitionerId` at `clinicId`. */
function applicable(
  rows: ({ practitionerId: string | null; clinicId: string | null } & TimeRange)[],
  practitionerId: string,
  clinicId: string,
): TimeRange[] {
  return rows
    .filter((e) =>
      e.practitionerId === null
        ? e.clinicId === clinicId
        : e.practitionerId === practitionerId && (e.clinicId ?? clinicId) === clinicId,
    )
    .map((e) => ({ start: e.start, end: e.end }));
}

const asRange = (e: repo.ExceptionRow) => ({
  practitionerId: e.practitionerId,
  clinicId: e.clinicId,
  start: e.startsAt,
  end: e.endsAt,
});

export interface NextFreeSlot {
  startsAt: string;
  clinicId: string;
}

/**
 * Weekly templates, exceptions and the free slots computed from them. Who may change what:
 * a practitioner always manages their own availability; otherwise `availability:write` in the
 * active clinic for practitioners who work there, and `settings:write` for clinic-wide closures.
 */
/** A start to check against a practitioner's availability at a clinic. */
export interface BookableQuery {
  practitionerId: string;
  clinicId: string;
  visitTypeId: string;
  startsAt: Date;
  /** the start must also be a computed free slot (portal bookings) */
  onGrid: boolean;
  ignoreAppointmentId?: string;
}

export class AvailabilityService {
  constructor(
    private readonly db: Db,
    private readonly events: EventBus,
    private readonly now: () => Date = () => new Date(),
  ) {}

  // ------------------------------------------------------------------ used by appointments

  /**
   * Reads in one statement what `judgeBookable` needs for a start at `startsAt` (the exceptions
   * and, with `onGrid`, the held time of the surrounding days), and with `patientId` the patient's
   * state at the clinic and attendance history (for the booking's checks and no-show risk).
   */
  bookingContext(db: Executor, q: BookableQuery & { patientId?: string }): Promise<repo.SchedulingContext> {
    // a day on each side covers the local day of the start in every zone, and any visit's length
    return repo.schedulingContext(db, {
      practitionerId: q.practitionerId,
      visitTypeId: q.visitTypeId,
      clinicId: q.clinicId,
      from: new Date(q.startsAt.getTime() - DAY_MS),
      to: new Date(q.startsAt.getTime() + 2 * DAY_MS),
      busy: q.onGrid,
      ignoreAppointmentId: q.ignoreAppointmentId ?? null,
      patientId: q.patientId ?? null,
      now: this.now(),
    });
  }

  /**
   * Throws Conflict('SLOT_UNAVAILABLE', message naming why) unless [startsAt, startsAt+duration)
   * lies inside the practitioner's availability at the clinic (a template window, no exception) —
   * `onGrid: true` additionally requires a computed free slot start (portal bookings). Returns
   * { endsAt, blockEndsAt } (blockEndsAt = endsAt + the template's buffer). Reads with `tx`, in
   * one statement. Overlaps with other appointments are left to the exclusion constraint, except
   * that `onGrid` uses computed free slots, which exclude held time.
   */
  async checkBookable(tx: Executor, q: BookableQuery): Promise<{ endsAt: Date; blockEndsAt: Date; durationMinutes: number }> {
    return this.judgeBookable(await this.bookingContext(tx, q), q);
  }

  /** `checkBookable` on a context read by `bookingContext` for the same practitioner, clinic, visit type and start. */
  judgeBookable(
    c: repo.SchedulingContext,
    q: { clinicId: string; startsAt: Date; onGrid: boolean },
  ): { endsAt: Date; blockEndsAt: Date; durationMinutes: number } {
    const pr = c.practitioner;
    if (!pr) throw new NotFound('Practitioner not found');
    const vt = c.visitType;
    if (!vt || !vt.active) throw new Invalid([{ field: 'visitTypeId', message: 'no such visit type' }]);
    const unavailable = (message: string, reason: string) =>
      new Conflict(message, 'SLOT_UNAVAILABLE', [{ field: 'startsAt', message, reason }]);
    if (!pr.active) throw unavailable(`${pr.displayName} no longer takes appointments`, 'inactive');
    if (!pr.clinicIds.includes(q.clinicId)) throw unavailable(`${pr.displayName} does not work at this clinic`, 'not_at_clinic');
    const timezone = c.clinic?.timezone;
    if (!timezone) throw new NotFound('Clinic not found');
    const templates = c.templates.map(toSlotTemplate);
    const exceptions = applicable(c.exceptions, pr.id, q.clinicId);
    const now = this.now();
    const verdict = checkWithinAvailability({
      timezone,
      templates,
      exceptions,
      visitTypeId: vt.id,
      durationMinutes: vt.durationMinutes,
      start: q.startsAt,
      now,
    });
    if (!verdict.ok) {
      const why = {
        past: 'This time is in the past',
        outside_hours: `${pr.displayName} does not see ${vt.name} patients at this time`,
        too_long: `A ${vt.name} (${vt.durationMinutes} min) does not fit before ${pr.displayName}'s hours end`,
        exception: `${pr.displayName} is unavailable at this time (leave, holiday or closure)`,
      }[verdict.reason];
      throw unavailable(why, verdict.reason);
    }
    if (q.onGrid) {
      const date = localDateOf(q.startsAt, timezone);
      const slots = computeFreeSlots({
        timezone,
        templates,
        exceptions,
        busy: c.busy,
        visitTypeId: vt.id,
        durationMinutes: vt.durationMinutes,
        from: date,
        to: date,
        now,
      });
      if (!slots.some((s) => new Date(s.startsAt).getTime() === q.startsAt.getTime()))
        throw unavailable(`This time is not a free slot of ${pr.displayName}; pick another slot`, 'not_free');
    }
    return { endsAt: verdict.end, blockEndsAt: verdict.blockEnd, durationMinutes: vt.durationMinutes };
  }

  /**
   * Free slots of a practitioner at a clinic on local dates from..to (at most 31 days): one
   * statement reads the practitioner, visit type, clinic, templates, exceptions and held time.
   */
  async freeSlots(q: {
    practitionerId: string;
    clinicId: string;
    visitTypeId: string;
    from: string;
    to: string;
  }): Promise<{ timezone: string; data: { startsAt: string; endsAt: string }[] }> {
    if (q.to < q.from) throw new Invalid([{ field: 'to', message: 'must not be before from' }]);
    if (localDates(q.from, q.to).length > MAX_SLOT_DAYS)
      throw new Invalid([{ field: 'to', message: `at most ${MAX_SLOT_DAYS} days after from` }]);
    // local days are at most 14 hours off UTC: a day of margin on each side covers every zone
    const lo = new Date(`${q.from}T00:00:00Z`).getTime() - DAY_MS;
    const hi = new Date(`${q.to}T00:00:00Z`).getTime() + 2 * DAY_MS;
    const now = this.now();
    const c = await repo.schedulingContext(this.db, {
      practitionerId: q.practitionerId,
      visitTypeId: q.visitTypeId,
      clinicId: q.clinicId,
      from: new Date(lo),
      to: new Date(hi),
      busy: true,
      now,
    });
    const pr = c.practitioner;
    if (!pr) throw new NotFound('Practitioner not found');
    const vt = c.visitType;
    if (!vt || !vt.active) throw new Invalid([{ field: 'visitTypeId', message: 'no such visit type' }]);
    const timezone = c.clinic?.timezone;
    if (!timezone) throw new Invalid([{ field: 'clinicId', message: 'no such clinic' }]);
    if (!pr.clinicIds.includes(q.clinicId))
      throw new Invalid([{ field: 'clinicId', message: `${pr.displayName} does not work at this clinic` }]);
    if (!pr.active) return { timezone, data: [] };
    const data = computeFreeSlots({
      timezone,
      templates: c.templates.map(toSlotTemplate),
      exceptions: applicable(c.exceptions, pr.id, q.clinicId),
      busy: c.busy,
      visitTypeId: vt.id,
      durationMinutes: vt.durationMinutes,
      from: q.from,
      to: q.to,
      now,
    });
    return { timezone, data };
  }

  /**
   * The first free slot of each practitioner in the next 14 days, over their clinics (or only
   * `clinicId`): three queries for all of them together, then pure computation.
   */
  async nextFreeSlots(
    db: Executor,
    candidates: { id: string; clinicIds: string[] }[],
    clinicId: string | null,
    visitType: { id: string; durationMinutes: number } | null,
  ): Promise<Map<string, NextFreeSlot | null>> {
    const out = new Map<string, NextFreeSlot | null>(candidates.map((c) => [c.id, null]));
    if (!candidates.length) return out;
    const ids = candidates.map((c) => c.id);
    const allClinics = [...new Set(candidates.flatMap((c) => (clinicId ? [clinicId] : c.clinicIds)))];
    const now = this.now();
    const lo = new Date(now.getTime() - DAY_MS);
    const hi = new Date(now.getTime() + (NEXT_FREE_DAYS + 1) * DAY_MS);
    const [templates, exceptions, busy, zones] = await Promise.all([
      repo.templatesFor(db, ids, allClinics),
      repo.exceptionsFor(db, ids, allClinics, lo, hi),
      repo.busyFor(db, ids, lo, hi),
      repo.clinicTimezones(db, allClinics),
    ]);
    const ranges = exceptions.map(asRange);
    for (const c of candidates) {
      let best: { at: number; slot: NextFreeSlot } | null = null;
      const mine = busy.filter((b) => b.practitionerId === c.id).map((b) => ({ start: b.startsAt, end: b.blockEndsAt }));
      for (const clinic of clinicId ? [clinicId] : c.clinicIds) {
        const timezone = zones.get(clinic);
        if (!timezone || !c.clinicIds.includes(clinic)) continue;
        const ts = templates.filter((t) => t.practitionerId === c.id && t.clinicId === clinic).map(toSlotTemplate);
        if (!ts.length) continue;
        const today = localDateOf(now, timezone);
        const [first] = computeFreeSlots({
          timezone,
          templates: ts,
          exceptions: applicable(ranges, c.id, clinic),
          busy: mine,
          visitTypeId: visitType?.id ?? null,
          durationMinutes: visitType?.durationMinutes ?? null,
          from: today,
          to: addDays(today, NEXT_FREE_DAYS - 1),
          now,
          limit: 1,
        });
        if (first) {
          const at = new Date(first.startsAt).getTime();
          if (!best || at < best.at) best = { at, slot: { startsAt: first.startsAt, clinicId: clinic } };
        }
      }
      out.set(c.id, best?.slot ?? null);
    }
    return out;
  }

  // ------------------------------------------------------------------ reads

  async availability(
    p: Principal,
    practitionerId: string,
    clinicId: string | undefined,
  ): Promise<{ templates: Template[]; exceptions: AvailabilityException[] }> {
    const pr = await repo.findPractitioner(this.db, practitionerId);
    const self = !!pr && pr.userId === p.userId;
    if (!self && (p.patientId || !p.permissions.has('appointments:read'))) throw new Forbidden();
    // scoped like the writes (`authorise`): staff read practitioners of their active clinic only
    // (404 otherwise), and there only that clinic's hours and leave — leave reasons stay in the clinic
    if (!pr || (!self && !pr.clinicIds.includes(p.clinicId ?? ''))) throw new NotFound('Practitioner not found');
    if (!self && clinicId && clinicId !== p.clinicId)
      throw new Forbidden('Switch to that clinic to see its schedules', 'CLINIC_FORBIDDEN');
    if (!self) clinicId = p.clinicId!;
    const clinics = clinicId ? [clinicId] : pr.clinicIds;
    const [templates, exceptions] = await Promise.all([
      repo.templatesFor(this.db, [pr.id], clinics),
      repo.listExceptions(this.db, pr.id, clinics, this.now()),
    ]);
    return {
      templates: templates.map(toTemplate),
      exceptions: exceptions
        .filter((e) => e.practitionerId === null || !clinicId || e.clinicId === null || e.clinicId === clinicId)
        .map(toException),
    };
  }

  /** Current and future holidays and closures of the active clinic (appointments:read or settings:write). */
  async clinicExceptions(p: Principal, clinicId: string): Promise<AvailabilityException[]> {
    if (p.patientId || !(p.permissions.has('appointments:read') || p.permissions.has('settings:write'))) throw new Forbidden();
    // staff reach their active clinic only (404 otherwise, as for its practitioners)
    if (clinicId !== p.clinicId) throw new NotFound('Clinic not found');
    return (await repo.listExceptions(this.db, null, [clinicId], this.now())).map(toException);
  }

  // ------------------------------------------------------------------ writes

  /**
   * May `p` manage this practitioner's availability at `clinicId`? Permission first (403), then
   * the relationship: staff reach practitioners of their active clinic only (404 otherwise).
   */
  private authorise(p: Principal, pr: repo.PractitionerAtClinic | undefined, clinicId: string | null, field: string) {
    const self = !!pr && pr.userId === p.userId;
    if (!self && (p.patientId || !p.permissions.has('availability:write'))) throw new Forbidden();
    if (!pr || (!self && !pr.clinicIds.includes(p.clinicId ?? ''))) throw new NotFound('Practitioner not found');
    if (clinicId && !pr.clinicIds.includes(clinicId))
      throw new Invalid([{ field, message: `${pr.displayName} does not work at this clinic` }]);
    if (!self && clinicId && clinicId !== p.clinicId)
      throw new Forbidden('Switch to that clinic to change its schedules', 'CLINIC_FORBIDDEN');
    return pr;
  }

  async replaceTemplates(p: Principal, actor: AuditActor, practitionerId: string, body: PutTemplatesBody): Promise<Template[]> {
    const pr = await repo.findPractitioner(this.db, practitionerId);
    this.authorise(p, pr, body.clinicId, 'clinicId');
    const issues = await this.checkTemplates(body.templates);
    if (issues.length) throw new Invalid(issues);
    const saved = await this.db.transaction(async (tx) => {
      await repo.replaceTemplates(
        tx,
        practitionerId,
        body.clinicId,
        body.templates.map((t) => ({
          weekday: t.weekday,
          startTime: t.startTime,
          endTime: t.endTime,
          slotMinutes: t.slotMinutes,
          bufferMinutes: t.bufferMinutes ?? 0,
          visitTypeIds: [...new Set(t.visitTypeIds ?? [])],
          validFrom: t.validFrom ?? null,
          validTo: t.validTo ?? null,
        })),
      );
      await writeAudit(tx, actor, {
        action: 'availability.templates.replace',
        resourceType: 'practitioner',
        resourceId: practitionerId,
        details: { clinicId: body.clinicId, templates: body.templates.length },
      });
      return repo.templatesFor(tx, [practitionerId], [body.clinicId]);
    });
    this.events.publish('availability.changed', { practitionerId, clinicId: body.clinicId }, [`clinic:${body.clinicId}`]);
    return saved.map(toTemplate);
  }

  /** What the schema cannot say: times in order, no overlap within a weekday, visit types exist. */
  private async checkTemplates(ts: TemplateInput[]): Promise<FieldIssue[]> {
    const issues: FieldIssue[] = [];
    const known = await repo.existingVisitTypeIds(this.db, [...new Set(ts.flatMap((t) => t.visitTypeIds ?? []))]);
    ts.forEach((t, i) => {
      if (t.startTime >= t.endTime) issues.push({ field: `templates.${i}.endTime`, message: 'must be after startTime' });
      if (t.validFrom && t.validTo && t.validFrom > t.validTo)
        issues.push({ field: `templates.${i}.validTo`, message: 'must not be before validFrom' });
      (t.visitTypeIds ?? []).forEach((v, j) => {
        if (!known.has(v)) issues.push({ field: `templates.${i}.visitTypeIds.${j}`, message: 'no such visit type' });
      });
      for (let k = 0; k < i; k++) {
        const o = ts[k]!;
        if (o.weekday !== t.weekday || !(t.startTime < o.endTime && o.startTime < t.endTime)) continue;
        // templates valid in disjoint periods may share hours (a timetable change on a date)
        const periodsMeet =
          (!t.validFrom || !o.validTo || t.validFrom <= o.validTo) && (!o.validFrom || !t.validTo || o.validFrom <= t.validTo);
        if (periodsMeet) {
          issues.push({ field: `templates.${i}.startTime`, message: `overlaps templates.${k} on the same weekday` });
          break;
        }
      }
    });
    return issues;
  }

  async createException(p: Principal, actor: AuditActor, body: CreateExceptionBody): Promise<AvailabilityException> {
    const startsAt = new Date(body.startsAt);
    const endsAt = new Date(body.endsAt);
    let clinicId: string | null;
    let affected: string[];
    if (body.practitionerId === null) {
      if (p.patientId || !p.permissions.has('settings:write')) throw new Forbidden();
      clinicId = body.clinicId ?? p.clinicId;
      if (!clinicId) throw new Invalid([{ field: 'clinicId', message: 'is required for a clinic-wide closure' }]);
      if (!(await repo.clinicExists(this.db, clinicId))) throw new Invalid([{ field: 'clinicId', message: 'no such clinic' }]);
      if (clinicId !== p.clinicId) throw new Forbidden('Switch to that clinic to close it', 'CLINIC_FORBIDDEN');
      affected = await repo.practitionerIdsAtClinic(this.db, clinicId);
    } else {
      const pr = this.authorise(p, await repo.findPractitioner(this.db, body.practitionerId), body.clinicId ?? null, 'clinicId');
      clinicId = body.clinicId ?? null;
      affected = [pr.id];
    }
    if (!(startsAt < endsAt)) throw new Invalid([{ field: 'endsAt', message: 'must be after startsAt' }]);
    if (endsAt.getTime() - startsAt.getTime() > 366 * DAY_MS)
      throw new Invalid([{ field: 'endsAt', message: 'an exception lasts at most a year' }]);
    const created = await this.db.transaction(async (tx) => {
      const row = await repo.insertException(tx, {
        practitionerId: body.practitionerId,
        clinicId,
        kind: body.kind,
        startsAt,
        endsAt,
        reason: body.reason?.trim() || null,
        createdBy: p.userId,
      });
      await writeAudit(tx, actor, {
        action: 'availability.exception.create',
        resourceType: 'availability_exception',
        resourceId: row.id,
        details: { practitionerId: body.practitionerId, clinicId, kind: body.kind },
      });
      return row;
    });
    await this.announce(affected, clinicId, body.practitionerId);
    return toException(created);
  }

  async deleteException(p: Principal, actor: AuditActor, id: string): Promise<void> {
    const row = await repo.findException(this.db, id);
    let affected: string[];
    if (!row) {
      if (p.patientId || !(p.permissions.has('availability:write') || p.permissions.has('settings:write'))) throw new Forbidden();
      throw new NotFound('Exception not found');
    }
    if (row.practitionerId === null) {
      if (p.patientId || !p.permissions.has('settings:write')) throw new Forbidden();
      if (!row.clinicId || row.clinicId !== p.clinicId) throw new NotFound('Exception not found');
      affected = await repo.practitionerIdsAtClinic(this.db, row.clinicId);
    } else {
      this.authorise(p, await repo.findPractitioner(this.db, row.practitionerId), row.clinicId, 'id');
      affected = [row.practitionerId];
    }
    await this.db.transaction(async (tx) => {
      await repo.deleteException(tx, id);
      await writeAudit(tx, actor, {
        action: 'availability.exception.delete',
        resourceType: 'availability_exception',
        resourceId: id,
        details: { practitionerId: row.practitionerId, clinicId: row.clinicId, kind: row.kind },
      });
    });
    await this.announce(affected, row.clinicId, row.practitionerId);
  }

  /** One event per practitioner whose free slots changed, to each clinic where they changed. */
  private async announce(practitionerIds: string[], clinicId: string | null, ownerId: string | null): Promise<void> {
    let clinics: string[] = clinicId ? [clinicId] : [];
    if (!clinicId && ownerId) clinics = (await repo.findPractitioner(this.db, ownerId))?.clinicIds ?? [];
    for (const practitionerId of practitionerIds)
      for (const c of clinics) this.events.publish('availability.changed', { practitionerId, clinicId: c }, [`clinic:${c}`]);
  }
}
