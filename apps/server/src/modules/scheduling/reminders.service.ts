import type { Db, Executor, Tx } from '../../platform/db/database.ts';
import { writeAudit, systemActor } from '../../platform/audit/audit.ts';
import type { JobQueue } from '../../platform/jobs.ts';
import type { Mailer } from '../../platform/mail.ts';
import { clinicScheduling, type AppointmentRow, type ClinicScheduling } from './appointments.repository.ts';
import * as repo from './reminders.repository.ts';
import { reminderEmail, reminderSms } from './reminders.emails.ts';

export const REMINDER_JOB = 'appointment.reminder';

/** What reminders need of the SMS provider. */
export interface SmsSender {
  send(msg: { to: string; text: string }): Promise<unknown>;
}

/** The channels of a clinic's reminder channels a patient can be reached by (no email without an address, no SMS without a phone). */
export function reachableChannels(channels: readonly string[], contact: { email: boolean; phone: boolean }): ('email' | 'sms')[] {
  return channels.filter((c): c is 'email' | 'sms' => (c === 'email' && contact.email) || (c === 'sms' && contact.phone));
}

/**
 * The reminders of a booked appointment starting at `startsAt`: channel × lead time, due after `now`,
 * on the channels the patient can be reached by (no email reminder without an email address, no
 * SMS without a phone number, none without either).
 */
export function remindersDue(
  startsAt: Date,
  clinic: Pick<ClinicScheduling, 'reminderChannels' | 'reminderLeadMinutes'>,
  now: Date,
  contact: { email: boolean; phone: boolean },
): { channel: 'email' | 'sms'; leadMinutes: number; dueAt: Date }[] {
  const rows: { channel: 'email' | 'sms'; leadMinutes: number; dueAt: Date }[] = [];
  for (const channel of reachableChannels(clinic.reminderChannels, contact)) {
    for (const lead of clinic.reminderLeadMinutes) {
      const dueAt = new Date(startsAt.getTime() - lead * 60_000);
      if (dueAt.getTime() > now.getTime()) rows.push({ channel, leadMinutes: lead, dueAt });
    }
  }
  return rows;
}

/**
 * Appointment reminders: one row per channel × lead time, one durable job per row. The row's
 * status, changed under its lock in the transaction that sends, makes a reminder go out once even
 * when its job runs twice, and never after the appointment was cancelled.
 */
export class RemindersService {
  constructor(
    private readonly db: Db,
    private readonly jobs: JobQueue,
    private readonly mailer: Mailer,
    private readonly sms: SmsSender,
    private readonly publicUrl: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /**
   * The channels the clinic reminds this patient by: its reminder channels (the clinic's scheduling
   * settings, e-mail and SMS by default) that the patient can be reached on. For the reminders of
   * other modules (payment plans), so that a clinic's choice holds for every reminder it sends.
   */
  async channelsFor(db: Executor, clinicId: string, contact: { email: boolean; phone: boolean }): Promise<('email' | 'sms')[]> {
    const clinic = await clinicScheduling(db, clinicId);
    return clinic ? reachableChannels(clinic.reminderChannels, contact) : [];
  }

  /** Registers the job handler; call once per process. */
  async start(): Promise<void> {
    await this.jobs.work<{ reminderId: string }>(REMINDER_JOB, async (data, attempt) => {
      await this.deliver(data.reminderId, attempt.last);
    });
  }

  /** Inserts the reminders of a booked appointment whose due time is still ahead. */
  async plan(tx: Tx, row: AppointmentRow, clinic: ClinicScheduling): Promise<{ id: string; dueAt: Date }[]> {
    return repo.insertReminders(
      tx,
      remindersDue(row.startsAt, clinic, this.now(), await repo.patientContact(tx, row.patientId)).map((r) => ({
        appointmentId: row.id,
        ...r,
      })),
    );
  }

  /**
   * Queues a job for every reminder still `scheduled` (one statement; singleton keys make a
   * reminder that already has its job keep just that one). For reminders written without the queue
   * at hand: the demo data seeded before the queue started.
   */
  async enqueueScheduled(): Promise<number> {
    const rows = await repo.scheduledReminders(this.db);
    await this.enqueue(rows);
    return rows.length;
  }

  /** Cancels the pending reminders of an appointment (inside its cancelling transaction). */
  async cancelFor(tx: Tx, appointmentId: string): Promise<void> {
    await repo.cancelScheduled(tx, appointmentId);
  }

  /** Queues one job per reminder (in one statement), after the booking committed. */
  async enqueue(reminders: { id: string; dueAt: Date }[]): Promise<void> {
    await this.jobs.sendMany(
      REMINDER_JOB,
      reminders.map((r) => ({ data: { reminderId: r.id }, startAfter: r.dueAt, singletonKey: r.id })),
    );
  }

  /**
   * The job handler. Sends only a `scheduled` reminder of a still-booked appointment, and marks it
   * in the same transaction. A delivery error rolls back so the job is retried; on the last attempt
   * the reminder is marked `failed` with the error instead, and the failure is audited.
   */
  async deliver(reminderId: string, lastAttempt = false): Promise<'sent' | 'skipped' | 'ignored' | 'failed'> {
    return this.db.transaction(async (tx) => {
      const row = await repo.lockReminder(tx, reminderId);
      if (!row || row.r.status !== 'scheduled') return 'ignored';
      if (row.status !== 'booked') {
        await repo.markReminder(tx, reminderId, 'cancelled', `appointment is ${row.status}`);
        return 'skipped';
      }
      const vars = {
        name: `${row.givenName} ${row.familyName}`,
        clinicName: row.clinicName,
        practitionerName: row.practitionerName,
        startsAt: row.startsAt,
        timezone: row.timezone,
        portalUrl: `${this.publicUrl.replace(/\/$/, '')}/portal/appointments`,
      };
      const to = row.r.channel === 'email' ? row.email : (row.phones[0] ?? null);
      if (!to) {
        await repo.markReminder(tx, reminderId, 'skipped', row.r.channel === 'email' ? 'no email on file' : 'no phone on file');
        return 'skipped';
      }
      const audited = (action: string, outcome: 'success' | 'failure') =>
        writeAudit(tx, systemActor, {
          action,
          outcome,
          patientId: row.patientId,
          resourceType: 'appointment',
          resourceId: row.appointmentId,
          details: { channel: row.r.channel, leadMinutes: row.r.leadMinutes },
        });
      try {
        if (row.r.channel === 'email') await this.mailer.send({ to, ...reminderEmail(row.language, vars) });
        else await this.sms.send({ to, text: reminderSms(row.language, vars) });
      } catch (err) {
        if (!lastAttempt) throw err;
        // the provider's message may quote the address: it stays on the patient's own reminder row
        await repo.markReminder(tx, reminderId, 'failed', String((err as Error).message).slice(0, 500));
        await audited('appointment.reminder.failed', 'failure');
        return 'failed';
      }
      await repo.markReminder(tx, reminderId, 'sent');
      await audited('appointment.reminder.sent', 'success');
      return 'sent';
    });
  }
}
