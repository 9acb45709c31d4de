import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Executor } from '../../platform/db/database.ts';
import { patients } from '../../db/schema/patients.ts';
import { appointmentReminders, appointments, practitioners } from '../../db/schema/scheduling.ts';
import { clinics } from '../../db/schema/identity.ts';

export type ReminderRow = typeof appointmentReminders.$inferSelect;

export async function insertReminders(
  db: Executor,
  rows: { appointmentId: string; channel: 'email' | 'sms'; leadMinutes: number; dueAt: Date }[],
): Promise<{ id: string; dueAt: Date }[]> {
  if (!rows.length) return [];
  // a confirmed booking plans the same reminders again: the unique index keeps the first set
  return db
    .insert(appointmentReminders)
    .values(rows.map((r) => ({ ...r, status: 'scheduled' as const })))
    .onConflictDoNothing()
    .returning({ id: appointmentReminders.id, dueAt: appointmentReminders.dueAt });
}

export async function cancelScheduled(db: Executor, appointmentId: string): Promise<void> {
  await db
    .update(appointmentReminders)
    .set({ status: 'cancelled' })
    .where(and(eq(appointmentReminders.appointmentId, appointmentId), eq(appointmentReminders.status, 'scheduled')));
}

/** Whether the patient has an email address and a phone number to be reminded by. */
export async function patientContact(db: Executor, patientId: string): Promise<{ email: boolean; phone: boolean }> {
  const [row] = await db
    .select({ email: patients.email, phones: patients.phones })
    .from(patients)
    .where(eq(patients.id, patientId))
    .limit(1);
  return { email: !!row?.email?.trim(), phone: (row?.phones ?? []).some((p) => !!p?.trim()) };
}

/** The reminder, locked, with what the message needs. */
export async function lockReminder(db: Executor, id: string) {
  const [row] = await db
    .select({
      r: appointmentReminders,
      appointmentId: appointments.id,
      status: appointments.status,
      startsAt: appointments.startsAt,
      patientId: appointments.patientId,
      clinicId: appointments.clinicId,
      givenName: patients.givenName,
      familyName: patients.familyName,
      email: patients.email,
      phones: patients.phones,
      language: patients.preferredLanguage,
      practitionerName: practitioners.displayName,
      clinicName: clinics.name,
      timezone: clinics.timezone,
    })
    .from(appointmentReminders)
    .innerJoin(appointments, eq(appointments.id, appointmentReminders.appointmentId))
    .innerJoin(patients, eq(patients.id, appointments.patientId))
    .innerJoin(practitioners, eq(practitioners.id, appointments.practitionerId))
    .innerJoin(clinics, eq(clinics.id, appointments.clinicId))
    .where(eq(appointmentReminders.id, id))
    .for('update', { of: appointmentReminders })
    .limit(1);
  return row;
}

export async function markReminder(
  db: Executor,
  id: string,
  status: 'sent' | 'skipped' | 'failed' | 'cancelled',
  error: string | null = null,
): Promise<void> {
  await db
    .update(appointmentReminders)
    .set({ status, error, sentAt: status === 'sent' ? sql`now()` : null })
    .where(eq(appointmentReminders.id, id));
}

/** The reminders of some appointments, earliest due first. */
export async function remindersOf(db: Executor, appointmentIds: string[]): Promise<ReminderRow[]> {
  if (!appointmentIds.length) return [];
  return db
    .select()
    .from(appointmentReminders)
    .where(inArray(appointmentReminders.appointmentId, appointmentIds))
    .orderBy(asc(appointmentReminders.dueAt), asc(appointmentReminders.channel));
}

/** Every reminder still waiting to be sent, with its due time. */
export async function scheduledReminders(db: Executor): Promise<{ id: string; dueAt: Date }[]> {
  return db
    .select({ id: appointmentReminders.id, dueAt: appointmentReminders.dueAt })
    .from(appointmentReminders)
    .where(eq(appointmentReminders.status, 'scheduled'));
}
