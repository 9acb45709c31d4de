import { DateTime } from 'luxon';
import type { Db, Tx } from '../../platform/db/database.ts';
import { systemActor, writeAudit, type AuditActor } from '../../platform/audit/audit.ts';
import type { Principal } from '../../platform/access.ts';
import type { JobQueue } from '../../platform/jobs.ts';
import type { Mailer } from '../../platform/mail.ts';
import { Conflict, DomainError, Invalid, NotFound } from '../../platform/errors.ts';
import type { EventBus } from '../../platform/realtime/events.ts';
import type { AvailabilityService } from './availability.service.ts';
import type { AppointmentsService, FreedSlot } from './appointments.service.ts';
import { toEvent } from './appointments.service.ts';
import type { RemindersService } from './reminders.service.ts';
import * as appts from './appointments.repository.ts';
import * as repo from './waitlist.repository.ts';
import { ownPatient, patientOfClinic, staffClinic } from './scheduling.access.ts';
import { denied, runAudited } from '../../platform/audit/audited.ts';
import { pgError } from '../../platform/db/queries.ts';
import { waitlistOfferEmail } from './reminders.emails.ts';
import type { CreateWaitlistBody, WaitlistEntry } from '@sanita/contracts/scheduling/waitlist';

export const WAITLIST_EXPIRE_JOB = 'waitlist.expire';

interface Offer {
  entry: repo.EntryRow;
  appointment: appts.AppointmentRow;
  clinic: appts.ClinicScheduling;
  practitionerName: string;
}

/**
 * The waiting list. A freed future slot goes, as a `held` appointment, to the oldest matching
 * waiting entry; accepting books it, declining or letting the hold expire hands it to the next
 * entry that was not offered it yet (waitlist_offers remembers who was).
 */
export class WaitlistService {
  constructor(
    private readonly db: Db,
    private readonly availability: AvailabilityService,
    private readonly appointments: AppointmentsService,
    private readonly reminders: RemindersService,
    private readonly jobs: JobQueue,
    private readonly mailer: Mailer,
    private readonly events: EventBus,
    private readonly publicUrl: string,
    private readonly log: { error(obj: object, msg: string): void },
    private readonly now: () => Date = () => new Date(),
  ) {
    appointments.onFreed((slot) => this.offerFreed(slot).then(() => undefined));
  }

  /** Registers the hold-expiry job handler; call once per process. */
  async start(): Promise<void> {
    await this.jobs.work<{ appointmentId: string }>(WAITLIST_EXPIRE_JOB, async (d) => {
      await this.expire(d.appointmentId);
    });
  }

  // ------------------------------------------------------------------ offers

  /** Offers freed time to the first matching entry that can take it; returns the entry, if any. */
  async offerFreed(slot: FreedSlot): Promise<string | null> {
    if (slot.startsAt.getTime() <= this.now().getTime()) return null;
    const offer = await this.db.transaction(async (tx) => {
      const clinic = await appts.clinicScheduling(tx, slot.clinicId);
      const pr = await appts.practitionerInfo(tx, slot.practitionerId);
      if (!clinic || !pr) return null;
      const date = DateTime.fromJSDate(slot.startsAt, { zone: clinic.timezone }).toISODate()!;
      const list = await repo.candidates(tx, {
        clinicId: slot.clinicId,
        practitionerId: slot.practitionerId,
        date,
        startsAt: slot.startsAt,
      });
      for (const entry of list) {
        const held = await this.tryHold(tx, entry, slot, clinic);
        if (held) return { entry, appointment: held, clinic, practitionerName: pr.displayName };
      }
      return null;
    });
    if (!offer) return null;
    await this.announceOffer(offer);
    return offer.entry.id;
  }

  /** Holds the slot for one entry, inside a savepoint: a clash only skips this entry. */
  private async tryHold(
    tx: Tx,
    entry: repo.EntryRow,
    slot: FreedSlot,
    clinic: appts.ClinicScheduling,
  ): Promise<appts.AppointmentRow | null> {
    try {
      return await tx.transaction(async (sp) => {
        const fit = await this.availability.checkBookable(sp, {
          practitionerId: slot.practitionerId,
          clinicId: slot.clinicId,
          visitTypeId: entry.visitTypeId,
          startsAt: slot.startsAt,
          onGrid: false,
        });
        const holdExpiresAt = new Date(this.now().getTime() + clinic.waitlistHoldMinutes * 60_000);
        const { row } = await this.appointments.insertBooking(sp, {
          clinic,
          patientId: entry.patientId,
          practitionerId: slot.practitionerId,
          visitTypeId: entry.visitTypeId,
          startsAt: slot.startsAt,
          endsAt: fit.endsAt,
          blockEndsAt: fit.blockEndsAt,
          status: 'held',
          source: 'waitlist',
          reason: entry.notes,
          bookedBy: null,
          holdExpiresAt,
        });
        await repo.updateEntry(sp, entry.id, { status: 'offered', offerAppointmentId: row.id });
        await repo.recordOffer(sp, {
          entryId: entry.id,
          appointmentId: row.id,
          practitionerId: slot.practitionerId,
          startsAt: slot.startsAt,
        });
        await writeAudit(sp, systemActor, {
          action: 'waitlist.offer',
          patientId: entry.patientId,
          resourceType: 'waitlist_entry',
          resourceId: entry.id,
          details: { appointmentId: row.id, freedBy: slot.appointmentId },
        });
        return row;
      });
    } catch (err) {
      // the visit type does not fit, or the patient or the time was taken meanwhile: next entry
      if (err instanceof DomainError || pgError(err)?.code === '23P01') return null;
      throw err;
    }
  }

  /** After the offer commits: the expiry job, the events, the email. */
  private async announceOffer(o: Offer): Promise<void> {
    const a = o.appointment;
    await this.jobs.send(WAITLIST_EXPIRE_JOB, { appointmentId: a.id }, { startAfter: a.holdExpiresAt!, singletonKey: a.id });
    this.appointments.publishChanged(a, 'held');
    this.events.publish(
      'waitlist.offered',
      { waitlistEntryId: o.entry.id, appointment: toEvent(a), holdExpiresAt: a.holdExpiresAt!.toISOString() },
      [`patient:${a.patientId}`, `clinic:${a.clinicId}`],
    );
    const contact = await repo.patientContact(this.db, a.patientId);
    if (!contact?.email) return;
    const mail = waitlistOfferEmail(contact.language, {
      name: `${contact.givenName} ${contact.familyName}`,
      clinicName: o.clinic.name,
      practitionerName: o.practitionerName,
      startsAt: a.startsAt,
      timezone: o.clinic.timezone,
      portalUrl: `${this.publicUrl.replace(/\/$/, '')}/portal/appointments`,
      holdExpiresAt: a.holdExpiresAt!,
    });
    // the hold stands even if the email cannot go out now: the portal shows the offer
    await this.mailer
      .send({ to: contact.email, ...mail })
      .catch((err: unknown) => this.log.error({ err: { message: (err as Error).message } }, 'waitlist offer email failed'));
  }

  /** The hold-expiry job: an offer still held after its time is released to the next entry. */
  async expire(appointmentId: string): Promise<'expired' | 'ignored'> {
    const released = await this.db.transaction(async (tx) => {
      const a = await appts.lockAppointment(tx, appointmentId);
      if (!a || a.status !== 'held' || !a.holdExpiresAt || a.holdExpiresAt.getTime() > this.now().getTime()) return null;
      const entry = await repo.entryByOffer(tx, appointmentId);
      return this.release(tx, a, entry, 'expired', systemActor);
    });
    if (!released) return 'ignored';
    await this.afterRelease(released);
    return 'expired';
  }

  /** Cancels a held appointment and puts its entry back to waiting. */
  private async release(
    tx: Tx,
    a: appts.AppointmentRow,
    entry: repo.EntryRow | undefined,
    outcome: 'declined' | 'expired' | 'cancelled',
    actor: AuditActor,
    entryStatus: 'waiting' | 'cancelled' = 'waiting',
  ): Promise<appts.AppointmentRow> {
    const cancelled = await appts.updateAppointment(tx, a.id, {
      status: 'cancelled',
      cancelReason:
        outcome === 'expired' ? 'offer expired' : outcome === 'declined' ? 'offer declined' : 'waitlist entry cancelled',
      cancelledAt: this.now(),
      cancelledBy: actor.userId,
    });
    await repo.closeOffer(tx, a.id, outcome);
    if (entry) await repo.updateEntry(tx, entry.id, { status: entryStatus, offerAppointmentId: null });
    await writeAudit(tx, actor, {
      action: `waitlist.offer.${outcome}`,
      patientId: a.patientId,
      resourceType: 'waitlist_entry',
      resourceId: entry?.id,
      details: { appointmentId: a.id },
    });
    return cancelled;
  }

  private async afterRelease(a: appts.AppointmentRow): Promise<void> {
    this.appointments.publishChanged(a, 'cancelled');
    await this.offerFreed({
      clinicId: a.clinicId,
      practitionerId: a.practitionerId,
      startsAt: a.startsAt,
      endsAt: a.endsAt,
      appointmentId: a.id,
    }).catch((err: unknown) => this.log.error({ err: { message: (err as Error).message } }, 'waitlist offer failed'));
  }

  // ------------------------------------------------------------------ entries

  async create(p: Principal, actor: AuditActor, body: CreateWaitlistBody): Promise<WaitlistEntry> {
    const clinicId = staffClinic(p, 'write');
    if (body.latest < body.earliest) throw new Invalid([{ field: 'latest', message: 'must not be before earliest' }]);
    const id = await runAudited(this.db, actor, async (tx) => {
      await patientOfClinic(tx, body.patientId, clinicId, 'waitlist.create');
      if (body.practitionerId) {
        const pr = await appts.practitionerInfo(tx, body.practitionerId);
        if (!pr) throw new Invalid([{ field: 'practitionerId', message: 'no such practitioner' }]);
        if (!pr.clinicIds.includes(clinicId))
          throw new Invalid([{ field: 'practitionerId', message: `${pr.displayName} does not work at this clinic` }]);
      }
      if (body.specialtyId && !(await repo.specialtyExists(tx, body.specialtyId)))
        throw new Invalid([{ field: 'specialtyId', message: 'no such specialty' }]);
      if (!(await repo.visitTypeExists(tx, body.visitTypeId)))
        throw new Invalid([{ field: 'visitTypeId', message: 'no such visit type' }]);
      const row = await repo.insertEntry(tx, {
        clinicId,
        patientId: body.patientId,
        practitionerId: body.practitionerId ?? null,
        specialtyId: body.practitionerId ? null : (body.specialtyId ?? null),
        visitTypeId: body.visitTypeId,
        earliest: body.earliest,
        latest: body.latest,
        status: 'waiting',
        notes: body.notes?.trim() || null,
        createdBy: p.userId,
      });
      await writeAudit(tx, actor, {
        action: 'waitlist.create',
        patientId: body.patientId,
        resourceType: 'waitlist_entry',
        resourceId: row.id,
      });
      return row.id;
    });
    return this.view(id);
  }

  async list(p: Principal, actor: AuditActor, status: repo.EntryStatus | undefined): Promise<{ data: WaitlistEntry[] }> {
    const clinicId = staffClinic(p, 'read');
    return this.db.transaction(async (tx) => {
      const rows = await repo.listEntries(tx, { clinicId, status });
      await writeAudit(tx, actor, {
        action: 'waitlist.list',
        resourceType: 'waitlist_entry',
        details: { status: status ?? null, shown: rows.length, patientIds: [...new Set(rows.map((r) => r.e.patientId))] },
      });
      return { data: rows.map(toEntry) };
    });
  }

  async portalList(p: Principal, actor: AuditActor): Promise<{ data: WaitlistEntry[] }> {
    const patientId = ownPatient(p);
    return this.db.transaction(async (tx) => {
      const rows = await repo.listEntries(tx, { patientId });
      await writeAudit(tx, actor, {
        action: 'waitlist.list',
        patientId,
        resourceType: 'waitlist_entry',
        details: { portal: true },
      });
      return { data: rows.map(toEntry) };
    });
  }

  /** Locks an entry the principal may act on: staff of its clinic, or the patient themself. */
  private async lockFor(tx: Tx, p: Principal, id: string, action: string, portal: boolean): Promise<repo.EntryRow> {
    const entry = await repo.lockEntry(tx, id);
    const visible = portal ? entry?.patientId === ownPatient(p) : entry?.clinicId === staffClinic(p, 'write');
    if (!entry || !visible) throw denied(new NotFound('Waiting-list entry not found'), action, { type: 'waitlist_entry', id });
    return entry;
  }

  async cancel(p: Principal, actor: AuditActor, id: string): Promise<WaitlistEntry> {
    staffClinic(p, 'write');
    const released = await runAudited(this.db, actor, async (tx) => {
      const entry = await this.lockFor(tx, p, id, 'waitlist.cancel', false);
      if (entry.status !== 'waiting' && entry.status !== 'offered')
        throw new Conflict(`A waiting-list entry that is ${entry.status} cannot be cancelled`, 'INVALID_STATUS');
      let freed: appts.AppointmentRow | null = null;
      if (entry.status === 'offered' && entry.offerAppointmentId) {
        const a = await appts.lockAppointment(tx, entry.offerAppointmentId);
        if (a?.status === 'held') freed = await this.release(tx, a, entry, 'cancelled', actor, 'cancelled');
      }
      await repo.updateEntry(tx, id, { status: 'cancelled', offerAppointmentId: null });
      await writeAudit(tx, actor, {
        action: 'waitlist.cancel',
        patientId: entry.patientId,
        resourceType: 'waitlist_entry',
        resourceId: id,
      });
      return freed;
    });
    if (released) await this.afterRelease(released);
    return this.view(id);
  }

  async accept(p: Principal, actor: AuditActor, id: string, portal: boolean): Promise<WaitlistEntry> {
    if (portal) ownPatient(p);
    else staffClinic(p, 'write');
    const done = await runAudited(this.db, actor, async (tx) => {
      const entry = await this.lockFor(tx, p, id, 'waitlist.accept', portal);
      if (entry.status !== 'offered' || !entry.offerAppointmentId)
        throw new Conflict('There is no offer to accept on this entry', 'INVALID_STATUS');
      const a = await appts.lockAppointment(tx, entry.offerAppointmentId);
      if (!a || a.status !== 'held' || (a.holdExpiresAt && a.holdExpiresAt.getTime() <= this.now().getTime()))
        throw new Conflict('This offer has expired', 'OFFER_EXPIRED');
      const booked = await appts.updateAppointment(tx, a.id, { status: 'booked', confirmedAt: this.now(), holdExpiresAt: null });
      const clinic = (await appts.clinicScheduling(tx, a.clinicId))!;
      const reminderIds = await this.reminders.plan(tx, booked, clinic);
      await repo.closeOffer(tx, a.id, 'accepted');
      await repo.updateEntry(tx, id, { status: 'booked', offerAppointmentId: a.id });
      await writeAudit(tx, actor, {
        action: 'waitlist.offer.accepted',
        patientId: entry.patientId,
        resourceType: 'waitlist_entry',
        resourceId: id,
        details: { appointmentId: a.id },
      });
      return { booked, reminderIds };
    });
    await this.appointments.afterBooking(done.booked, done.reminderIds, 'booked');
    return this.view(id);
  }

  async decline(p: Principal, actor: AuditActor, id: string, portal: boolean): Promise<WaitlistEntry> {
    if (portal) ownPatient(p);
    else staffClinic(p, 'write');
    const released = await runAudited(this.db, actor, async (tx) => {
      const entry = await this.lockFor(tx, p, id, 'waitlist.decline', portal);
      if (entry.status !== 'offered' || !entry.offerAppointmentId)
        throw new Conflict('There is no offer to decline on this entry', 'INVALID_STATUS');
      const a = await appts.lockAppointment(tx, entry.offerAppointmentId);
      if (!a || a.status !== 'held') throw new Conflict('This offer has expired', 'OFFER_EXPIRED');
      return this.release(tx, a, entry, 'declined', actor);
    });
    await this.afterRelease(released);
    return this.view(id);
  }

  private async view(id: string): Promise<WaitlistEntry> {
    const [row] = await repo.listEntries(this.db, { id });
    if (!row) throw new NotFound('Waiting-list entry not found');
    return toEntry(row);
  }
}

function toEntry(v: repo.EntryView): WaitlistEntry {
  const e = v.e;
  return {
    id: e.id,
    clinicId: e.clinicId,
    status: e.status,
    earliest: e.earliest,
    latest: e.latest,
    notes: e.notes,
    createdAt: e.createdAt.toISOString(),
    patient: { id: e.patientId, mrn: v.patientMrn, name: v.patientName },
    practitioner: e.practitionerId ? { id: e.practitionerId, displayName: v.practitionerName ?? '' } : null,
    specialty: e.specialtyId ? { id: e.specialtyId, name: v.specialtyName ?? '', nameFr: v.specialtyNameFr ?? '' } : null,
    visitType: { id: e.visitTypeId, name: v.visitTypeName, nameFr: v.visitTypeNameFr },
    offer:
      e.status === 'offered' && e.offerAppointmentId && v.offerStartsAt && v.offerHoldExpiresAt
        ? {
            appointmentId: e.offerAppointmentId,
            startsAt: v.offerStartsAt.toISOString(),
            endsAt: v.offerEndsAt!.toISOString(),
            holdExpiresAt: v.offerHoldExpiresAt.toISOString(),
            practitionerName: v.offerPractitionerName ?? '',
          }
        : null,
  };
}
