import { aliasedTable, and, desc, eq, getTableColumns, sql, type SQL } from 'drizzle-orm';
import { NEWS2_DEFAULT_ESCALATION_MINUTES, NEWS2_MAX_ESCALATION, type News2AlertStatus } from '@sanita/contracts/chart';
import { news2Alerts, news2Settings } from '../../db/schema/chart.ts';
import { clinics, memberships, users } from '../../db/schema/identity.ts';
import { patients } from '../../db/schema/patients.ts';
import type { Executor } from '../../platform/db/database.ts';

export type AlertRow = typeof news2Alerts.$inferSelect;
export type NewAlertRow = typeof news2Alerts.$inferInsert;
/** An alert with who acknowledged it, and (in the clinic's list) the patient's name and MRN. */
export type AlertView = AlertRow & {
  acknowledgedByName: string | null;
  patientName?: string;
  patientMrn?: string;
};

const acker = aliasedTable(users, 'acker');
const columns = { ...getTableColumns(news2Alerts), acknowledgedByName: acker.displayName };

export async function insertAlert(db: Executor, row: NewAlertRow): Promise<AlertRow> {
  const [stored] = await db.insert(news2Alerts).values(row).returning();
  return stored!;
}

/** Minutes before an open alert of the clinic escalates (the default without a setting). */
export async function escalationMinutes(db: Executor, clinicId: string): Promise<number> {
  const [row] = await db
    .select({ minutes: news2Settings.escalationMinutes })
    .from(news2Settings)
    .where(eq(news2Settings.clinicId, clinicId));
  return row?.minutes ?? NEWS2_DEFAULT_ESCALATION_MINUTES;
}

export async function saveSettings(db: Executor, clinicId: string, minutes: number, userId: string): Promise<void> {
  await db
    .insert(news2Settings)
    .values({ clinicId, escalationMinutes: minutes, updatedBy: userId })
    .onConflictDoUpdate({
      target: news2Settings.clinicId,
      set: { escalationMinutes: minutes, updatedBy: userId, updatedAt: sql`now()` },
    });
}

function selectAlerts(db: Executor, where: SQL, limit: number, withPatient: boolean): Promise<AlertView[]> {
  const base = withPatient
    ? { ...columns, patientName: sql<string>`${patients.givenName} || ' ' || ${patients.familyName}`, patientMrn: patients.mrn }
    : columns;
  return db
    .select(base)
    .from(news2Alerts)
    .innerJoin(patients, eq(patients.id, news2Alerts.patientId))
    .leftJoin(acker, eq(acker.id, news2Alerts.acknowledgedBy))
    .where(where)
    .orderBy(desc(news2Alerts.raisedAt), desc(news2Alerts.id))
    .limit(limit);
}

/** A clinic's alerts of one status, newest first, with the patient's name and MRN. */
export function clinicAlerts(db: Executor, clinicId: string, status: News2AlertStatus, limit: number): Promise<AlertView[]> {
  return selectAlerts(db, and(eq(news2Alerts.clinicId, clinicId), eq(news2Alerts.status, status))!, limit, true);
}

/** A patient's alerts raised at a clinic, newest first. */
export function patientAlerts(
  db: Executor,
  patientId: string,
  clinicId: string,
  status: News2AlertStatus | undefined,
  limit: number,
): Promise<AlertView[]> {
  return selectAlerts(
    db,
    and(
      eq(news2Alerts.patientId, patientId),
      eq(news2Alerts.clinicId, clinicId),
      status ? eq(news2Alerts.status, status) : undefined,
    )!,
    limit,
    false,
  );
}

export async function lockAlert(db: Executor, id: string): Promise<AlertRow | undefined> {
  const [row] = await db.select().from(news2Alerts).where(eq(news2Alerts.id, id)).for('update');
  return row;
}

export async function acknowledgeAlert(
  db: Executor,
  id: string,
  userId: string,
  at: Date,
  note: string | null,
): Promise<AlertRow> {
  const [row] = await db
    .update(news2Alerts)
    .set({ status: 'acknowledged', acknowledgedBy: userId, acknowledgedAt: at, note })
    .where(eq(news2Alerts.id, id))
    .returning();
  return row!;
}

export async function escalateAlert(db: Executor, id: string, level: number, at: Date): Promise<AlertRow> {
  const [row] = await db
    .update(news2Alerts)
    .set({ escalationLevel: level, escalatedAt: at })
    .where(eq(news2Alerts.id, id))
    .returning();
  return row!;
}

/** The clinic's name and time zone, for the e-mails. */
export async function clinicOf(db: Executor, clinicId: string): Promise<{ name: string; timezone: string }> {
  const [row] = await db.select({ name: clinics.name, timezone: clinics.timezone }).from(clinics).where(eq(clinics.id, clinicId));
  return row!;
}

/** The active doctors of a clinic, to e-mail when an alert escalates. */
export function clinicDoctors(db: Executor, clinicId: string): Promise<{ email: string; locale: string }[]> {
  return db
    .selectDistinct({ email: users.email, locale: users.locale })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.clinicId, clinicId), eq(memberships.roleId, 'doctor'), eq(users.active, true)))
    .orderBy(users.email);
}

/**
 * Open alerts that may still escalate, with when their next escalation is due: for queuing their
 * jobs at start (alerts seeded without the queue, or whose job could not be queued).
 */
export async function pendingEscalations(db: Executor): Promise<{ id: string; level: number; dueAt: Date }[]> {
  const { rows } = await db.execute<{ id: string; level: number; due_at: Date | string }>(sql`
    SELECT a.id, a.escalation_level + 1 AS level,
           coalesce(a.escalated_at, a.raised_at)
             + make_interval(mins => coalesce(s.escalation_minutes, ${NEWS2_DEFAULT_ESCALATION_MINUTES})) AS due_at
      FROM news2_alerts a LEFT JOIN news2_settings s ON s.clinic_id = a.clinic_id
     WHERE a.status = 'open' AND a.escalation_level < ${NEWS2_MAX_ESCALATION}`);
  return rows.map((r) => ({ id: r.id, level: Number(r.level), dueAt: new Date(r.due_at) }));
}

/** A merge moves the duplicate's alerts to the surviving record. */
export async function moveAlerts(db: Executor, fromId: string, toId: string): Promise<void> {
  await db.update(news2Alerts).set({ patientId: toId }).where(eq(news2Alerts.patientId, fromId));
}
