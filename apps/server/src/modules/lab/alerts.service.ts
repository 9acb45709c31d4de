import {
  LAB_CRITICAL_MAX_ESCALATION,
  type AcknowledgeLabAlertInput,
  type LabAlertsQuery,
  type LabCriticalAlert,
} from '@sanita/contracts/lab';
import type { Principal } from '../../platform/access.ts';
import { systemActor, writeAudit, type AuditActor } from '../../platform/audit/audit.ts';
import { denied, runAudited } from '../../platform/audit/audited.ts';
import type { Db, Tx } from '../../platform/db/database.ts';
import { Conflict, Forbidden, NotFound } from '../../platform/errors.ts';
import type { JobQueue } from '../../platform/jobs.ts';
import type { Mailer } from '../../platform/mail.ts';
import type { EventBus, Room } from '../../platform/realtime/events.ts';
import { criticalEmail } from './alerts.emails.ts';
import * as repo from './alerts.repository.ts';
import { rangeOf, valueText } from './lab.format.ts';

/** The durable job that escalates an open critical alert: `{ alertId, level }`. */
export const ESCALATE_JOB = 'lab.critical.escalate';

const chartRoom = (clinicId: string): Room => `chart:${clinicId}`;
const userRoom = (userId: string): Room => `user:${userId}`;

/** Alerts raised in a transaction, announced once it has committed. */
export interface RaisedLabAlerts {
  ids: string[];
}

/** A critical result released in a transaction, which raises an alert there. */
export interface CriticalRelease {
  resultId: string;
  orderId: string;
  patientId: string;
  clinicId: string;
  orderedBy: string | null;
}

/**
 * Critical-value alerts. A released result beyond a critical limit (LL/HH) raises an alert in the
 * transaction that releases it, addressed to the ordering doctor (their own room and an e-mail) and
 * the clinic's chart room; while nobody acknowledges it, a durable job raises its level every
 * `criticalEscalationMinutes` of the clinic (up to LAB_CRITICAL_MAX_ESCALATION), telling the doctors
 * on duty (else every doctor of the clinic) by realtime and e-mail. Raised, escalated and
 * acknowledged are audited. The jobs of open alerts are queued again at each start.
 */
export class LabAlertsService {
  constructor(
    private readonly db: Db,
    private readonly events: EventBus,
    private readonly jobs: JobQueue,
    private readonly mailer: Mailer,
    private readonly publicUrl: string,
    private readonly log: { error(obj: object, msg: string): void },
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Registers the escalation worker and queues the jobs of open alerts that have none (seeded ones, or lost). */
  async start(): Promise<void> {
    await this.jobs.work<{ alertId: string; level: number }>(ESCALATE_JOB, async (d) => {
      await this.escalate(d.alertId, d.level);
    });
    await this.enqueuePending();
  }

  async enqueuePending(): Promise<number> {
    const pending = await repo.pendingEscalations(this.db);
    await this.jobs.sendMany(
      ESCALATE_JOB,
      pending.map((p) => ({ data: { alertId: p.id, level: p.level }, startAfter: p.dueAt, singletonKey: `${p.id}:${p.level}` })),
    );
    return pending.length;
  }

  private get appUrl() {
    return `${this.publicUrl.replace(/\/$/, '')}/`;
  }

  /** Inside the releasing transaction: one alert per critical result (never twice for a result); audited. */
  async raise(tx: Tx, actor: AuditActor, released: CriticalRelease[]): Promise<RaisedLabAlerts> {
    if (!released.length) return { ids: [] };
    const ids = await repo.insertAlerts(tx, released);
    for (const id of ids) {
      const a = (await repo.alertById(tx, id))!;
      await writeAudit(tx, actor, {
        action: 'lab_alert.raise',
        patientId: a.patientId,
        resourceType: 'lab_critical_alert',
        resourceId: id,
        details: { resultId: a.resultId, orderId: a.orderId, flag: a.flag, orderedBy: a.orderedBy },
      });
    }
    return { ids };
  }

  /**
   * After the commit: the ordering doctor's room and the chart room hear of each alert, the doctor
   * (or, for an outside order, the clinic's doctors) is e-mailed, and the first escalation is queued.
   * A failure here does not undo the release: the next start queues what is missing.
   */
  async announce(raised: RaisedLabAlerts): Promise<void> {
    for (const id of raised.ids) {
      try {
        const a = await repo.alertById(this.db, id);
        if (!a) continue;
        this.events.publish(
          'lab.critical.raised',
          { alertId: a.id, patientId: a.patientId, clinicId: a.clinicId, orderedBy: a.orderedBy },
          [chartRoom(a.clinicId), ...(a.orderedBy ? [userRoom(a.orderedBy)] : [])],
        );
        const clinic = await repo.clinicInfo(this.db, a.clinicId);
        const to = a.orderedBy ? await repo.usersByIds(this.db, [a.orderedBy]) : await repo.clinicDoctors(this.db, a.clinicId);
        for (const u of to) {
          const mail = criticalEmail(u.locale, {
            clinicName: clinic.name,
            timezone: clinic.timezone,
            orderNumber: a.orderNumber,
            raisedAt: new Date(a.raisedAt),
            level: 0,
            minutesOpen: 0,
            appUrl: this.appUrl,
          });
          await this.mailer.send({ to: u.email, ...mail });
        }
        const minutes = await repo.escalationMinutes(this.db, a.clinicId);
        await this.jobs.send(
          ESCALATE_JOB,
          { alertId: a.id, level: 1 },
          { startAfter: new Date(new Date(a.raisedAt).getTime() + minutes * 60_000), singletonKey: `${a.id}:1` },
        );
      } catch (err) {
        this.log.error({ err: { message: (err as Error).message } }, 'a critical lab alert could not be announced');
      }
    }
  }

  /**
   * The job: an alert still open rises to `level`; the doctors on duty at the clinic (else all its
   * doctors) are e-mailed in the transaction (a delivery error rolls back and the job is retried) and
   * hear of it in their rooms; then the next level is queued. Idempotent.
   */
  async escalate(alertId: string, level: number): Promise<'escalated' | 'ignored'> {
    const done = await this.db.transaction(async (tx) => {
      const a = await repo.alertById(tx, alertId, true);
      if (!a || a.status !== 'open' || a.level < level - 1) return null;
      const minutes = await repo.escalationMinutes(tx, a.clinicId);
      if (a.level >= level) return { a, minutes, fresh: false, doctors: [] as repo.Recipient[], at: new Date(a.escalatedAt!) };
      const at = this.now();
      await repo.escalate(tx, alertId, level, at);
      const onDuty = await repo.doctorsOnDuty(tx, a.clinicId, at);
      const doctors = onDuty.length ? onDuty : await repo.clinicDoctors(tx, a.clinicId);
      await writeAudit(tx, systemActor, {
        action: 'lab_alert.escalate',
        patientId: a.patientId,
        resourceType: 'lab_critical_alert',
        resourceId: a.id,
        details: { level, onDuty: onDuty.length > 0, doctorsNotified: doctors.map((d) => d.id) },
      });
      const clinic = await repo.clinicInfo(tx, a.clinicId);
      const minutesOpen = Math.round((at.getTime() - new Date(a.raisedAt).getTime()) / 60_000);
      for (const d of doctors) {
        const mail = criticalEmail(d.locale, {
          clinicName: clinic.name,
          timezone: clinic.timezone,
          orderNumber: a.orderNumber,
          raisedAt: new Date(a.raisedAt),
          level,
          minutesOpen,
          appUrl: this.appUrl,
        });
        await this.mailer.send({ to: d.email, ...mail });
      }
      return { a, minutes, fresh: true, doctors, at };
    });
    if (!done) return 'ignored';
    const { a } = done;
    if (done.fresh)
      this.events.publish('lab.critical.escalated', { alertId: a.id, patientId: a.patientId, clinicId: a.clinicId, level }, [
        chartRoom(a.clinicId),
        ...new Set([...(a.orderedBy ? [userRoom(a.orderedBy)] : []), ...done.doctors.map((d) => userRoom(d.id))]),
      ]);
    if (level + 1 <= LAB_CRITICAL_MAX_ESCALATION)
      await this.jobs.send(
        ESCALATE_JOB,
        { alertId: a.id, level: level + 1 },
        { startAfter: new Date(done.at.getTime() + done.minutes * 60_000), singletonKey: `${a.id}:${level + 1}` },
      );
    return done.fresh ? 'escalated' : 'ignored';
  }

  private prescriber(p: Principal, action: string, id: string | null) {
    if (p.patientId || !p.permissions.has('lab:order') || !p.clinicId)
      throw denied(new Forbidden(), action, { type: 'lab_critical_alert', id: id ?? p.userId });
  }

  /** The active clinic's critical alerts (mine: of orders I wrote), newest first; audited as one read. */
  async list(p: Principal, actor: AuditActor, q: LabAlertsQuery): Promise<{ data: LabCriticalAlert[] }> {
    const action = 'lab_alert.list';
    return runAudited(this.db, actor, async (tx) => {
      this.prescriber(p, action, null);
      const rows = await repo.clinicAlerts(tx, p.clinicId!, {
        status: q.status,
        orderedBy: q.mine ? p.userId : undefined,
        limit: 200,
      });
      await writeAudit(tx, actor, {
        action,
        resourceType: 'lab_critical_alert',
        details: {
          status: q.status ?? null,
          alertIds: rows.map((r) => r.id),
          patientIds: [...new Set(rows.map((r) => r.patientId))],
        },
      });
      return { data: rows.map(toAlert) };
    });
  }

  /**
   * Acknowledges an open alert of the active clinic (lab:order: the ordering doctor, or a doctor it
   * escalated to): who and when, with a note. 404 at another clinic, 409 LAB_ALERT_ACKNOWLEDGED once done.
   * The result then reaches the portal (unless held).
   */
  async acknowledge(p: Principal, actor: AuditActor, id: string, body: AcknowledgeLabAlertInput): Promise<LabCriticalAlert> {
    const action = 'lab_alert.acknowledge';
    const row = await runAudited(this.db, actor, async (tx) => {
      this.prescriber(p, action, id);
      const a = await repo.alertById(tx, id, true);
      if (!a || a.clinicId !== p.clinicId)
        throw denied(new NotFound('Alert not found'), action, { type: 'lab_critical_alert', id }, a?.patientId ?? null);
      if (a.status !== 'open')
        throw new Conflict('This critical value was already acknowledged', 'LAB_ALERT_ACKNOWLEDGED', {
          acknowledgedAt: a.acknowledgedAt,
        });
      await repo.acknowledge(tx, id, p.userId, body.note ?? null);
      await writeAudit(tx, actor, {
        action,
        patientId: a.patientId,
        resourceType: 'lab_critical_alert',
        resourceId: id,
        details: { level: a.level, resultId: a.resultId, note: body.note !== undefined },
      });
      return (await repo.alertById(tx, id))!;
    });
    this.events.publish('lab.critical.acknowledged', { alertId: row.id, patientId: row.patientId, clinicId: row.clinicId }, [
      chartRoom(row.clinicId),
      ...(row.orderedBy ? [userRoom(row.orderedBy)] : []),
    ]);
    return toAlert(row);
  }
}

export function toAlert(r: repo.AlertRow): LabCriticalAlert {
  return {
    id: r.id,
    clinicId: r.clinicId,
    patient: { id: r.patientId, name: r.patientName, mrn: r.mrn },
    orderId: r.orderId,
    orderNumber: r.orderNumber,
    result: {
      id: r.resultId,
      name: r.testName,
      nameFr: r.testNameFr,
      value: valueText({ ...r }),
      unit: r.unit,
      flag: r.flag,
      rangeText: rangeOf(r.range as never, r.decimals),
    },
    orderedBy: r.orderedBy ? { id: r.orderedBy, name: r.orderedByName ?? '' } : null,
    status: r.status,
    level: r.level,
    raisedAt: r.raisedAt,
    escalatedAt: r.escalatedAt,
    acknowledgedAt: r.acknowledgedAt,
    acknowledgedBy: r.acknowledgedBy ? { id: r.acknowledgedBy, name: r.acknowledgedByName ?? '' } : null,
    note: r.note,
  };
}
