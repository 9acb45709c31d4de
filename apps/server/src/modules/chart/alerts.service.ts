import {
  NEWS2_MAX_ESCALATION,
  type AcknowledgeAlertBody,
  type News2Alert,
  type News2AlertsQuery,
  type News2Settings,
  type PatientAlertsQuery,
} from '@sanita/contracts/chart';
import type { Principal } from '../../platform/access.ts';
import { systemActor, writeAudit, type AuditActor } from '../../platform/audit/audit.ts';
import { denied, runAudited } from '../../platform/audit/audited.ts';
import type { Db, Tx } from '../../platform/db/database.ts';
import { Conflict, Forbidden, NotFound } from '../../platform/errors.ts';
import type { JobQueue } from '../../platform/jobs.ts';
import type { Mailer } from '../../platform/mail.ts';
import { decidePatientAccess, patientRefusal, planPatientAccess } from '../../platform/patient-access.ts';
import type { EventBus, Room } from '../../platform/realtime/events.ts';
import { escalationEmail } from './alerts.emails.ts';
import * as repo from './alerts.repository.ts';
import { patientForChart, type VitalsRow } from './chart.repository.ts';

/** The durable job that escalates an open alert: `{ alertId, level }`, due `escalationMinutes` after the last step. */
export const ESCALATE_JOB = 'news2.escalate';
const PATIENT_LIST_LIMIT = 100;

/** The chart room of a clinic (see `chartRoom` in chart.service.ts): its doctors and nurses, nobody else. */
const room = (clinicId: string): Room => `chart:${clinicId}`;

/** An alert raised in the transaction of its set, to announce once that transaction has committed. */
export interface RaisedAlert {
  alert: repo.AlertRow;
  minutes: number;
}

/**
 * NEWS2 alerts. A set whose NEWS2 calls for a clinical response (total ≥ 5, or 3 in one parameter)
 * raises an alert in the transaction that records it; the clinic's chart room hears of it; while
 * nobody acknowledges it, a durable job raises its escalation level every `escalationMinutes` of the
 * clinic (up to NEWS2_MAX_ESCALATION), telling the room and e-mailing the clinic's doctors each time.
 */
export class News2AlertsService {
  constructor(
    private readonly db: Db,
    private readonly events: EventBus,
    private readonly jobs: JobQueue,
    private readonly mailer: Mailer,
    private readonly publicUrl: string,
    private readonly log: { error(obj: object, msg: string): void },
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Registers the escalation worker and queues the jobs of open alerts that have none (seeded ones). */
  async start(): Promise<void> {
    await this.jobs.work<{ alertId: string; level: number }>(ESCALATE_JOB, async (d) => {
      await this.escalate(d.alertId, d.level);
    });
    await this.enqueuePending();
  }

  /** Queues the next escalation of every open alert that may still escalate (singleton keys: never twice). */
  async enqueuePending(): Promise<number> {
    const pending = await repo.pendingEscalations(this.db);
    await this.jobs.sendMany(
      ESCALATE_JOB,
      pending.map((p) => ({ data: { alertId: p.id, level: p.level }, startAfter: p.dueAt, singletonKey: `${p.id}:${p.level}` })),
    );
    return pending.length;
  }

  /** Inside the transaction recording `set`: raises its alert when its NEWS2 calls for one. */
  async raise(tx: Tx, set: VitalsRow): Promise<RaisedAlert | null> {
    const score = set.news2;
    if (!score?.alert) return null;
    const alert = await repo.insertAlert(tx, {
      clinicId: set.clinicId,
      patientId: set.patientId,
      vitalsId: set.id,
      total: score.total,
      risk: score.risk,
      trigger: score.total >= 5 ? 'total' : 'single_parameter',
      raisedAt: set.recordedAt,
    });
    return { alert, minutes: await repo.escalationMinutes(tx, set.clinicId) };
  }

  /**
   * After the commit: tells the clinic's chart room and queues the first escalation. A queue that
   * cannot be reached does not undo the recorded set: the next start queues what is missing.
   */
  async announce({ alert: a, minutes }: RaisedAlert): Promise<void> {
    this.events.publish(
      'news2.alert.raised',
      { alertId: a.id, patientId: a.patientId, clinicId: a.clinicId, vitalsId: a.vitalsId, total: a.total, risk: a.risk },
      [room(a.clinicId)],
    );
    await this.scheduleEscalation(a.id, 1, new Date(a.raisedAt.getTime() + minutes * 60_000)).catch((err: unknown) =>
      this.log.error({ err: { message: (err as Error).message } }, 'NEWS2 escalation could not be queued'),
    );
  }

  private async scheduleEscalation(alertId: string, level: number, at: Date): Promise<void> {
    if (level > NEWS2_MAX_ESCALATION) return;
    await this.jobs.send(ESCALATE_JOB, { alertId, level }, { startAfter: at, singletonKey: `${alertId}:${level}` });
  }

  /**
   * The job: an alert still open rises to `level`, its room hears of it and the clinic's doctors are
   * e-mailed (in the transaction: a delivery error rolls back and the job is retried); then the next
   * level is queued. Idempotent: a level already reached only makes sure that the next is queued.
   */
  async escalate(alertId: string, level: number): Promise<'escalated' | 'ignored'> {
    const done = await this.db.transaction(async (tx) => {
      const a = await repo.lockAlert(tx, alertId);
      if (!a || a.status !== 'open' || a.escalationLevel < level - 1) return null;
      const minutes = await repo.escalationMinutes(tx, a.clinicId);
      if (a.escalationLevel >= level) return { alert: a, minutes, fresh: false };
      const at = this.now();
      const raised = await repo.escalateAlert(tx, alertId, level, at);
      const [clinic, doctors] = await Promise.all([repo.clinicOf(tx, a.clinicId), repo.clinicDoctors(tx, a.clinicId)]);
      await writeAudit(tx, systemActor, {
        action: 'news2_alert.escalate',
        patientId: a.patientId,
        resourceType: 'news2_alert',
        resourceId: a.id,
        details: { level, doctorsNotified: doctors.length },
      });
      const minutesOpen = Math.round((at.getTime() - a.raisedAt.getTime()) / 60_000);
      for (const d of doctors) {
        const mail = escalationEmail(d.locale, {
          clinicName: clinic.name,
          timezone: clinic.timezone,
          raisedAt: a.raisedAt,
          level,
          minutesOpen,
          appUrl: `${this.publicUrl.replace(/\/$/, '')}/`,
        });
        await this.mailer.send({ to: d.email, ...mail });
      }
      return { alert: raised, minutes, fresh: true };
    });
    if (!done) return 'ignored';
    const a = done.alert;
    if (done.fresh)
      this.events.publish(
        'news2.alert.escalated',
        { alertId: a.id, patientId: a.patientId, clinicId: a.clinicId, level: a.escalationLevel, total: a.total, risk: a.risk },
        [room(a.clinicId)],
      );
    await this.scheduleEscalation(a.id, level + 1, new Date((a.escalatedAt ?? this.now()).getTime() + done.minutes * 60_000));
    return done.fresh ? 'escalated' : 'ignored';
  }

  /** The active clinic's alerts of a status (open by default), with the patients' names: audited as one read listing them. */
  async listClinic(p: Principal, actor: AuditActor, q: News2AlertsQuery): Promise<{ data: News2Alert[] }> {
    const status = q.status ?? 'open';
    return runAudited(this.db, actor, async (tx) => {
      const rows = p.clinicId ? await repo.clinicAlerts(tx, p.clinicId, status, q.limit ?? 100) : [];
      await writeAudit(tx, actor, {
        action: 'news2_alert.list',
        resourceType: 'news2_alert',
        details: { status, alertIds: rows.map((r) => r.id), patientIds: [...new Set(rows.map((r) => r.patientId))] },
      });
      return { data: rows.map(toAlert) };
    });
  }

  /** A patient's alerts at the active clinic, by the chart's patient-access path (refusals audited). */
  async listPatient(p: Principal, actor: AuditActor, patientId: string, q: PatientAlertsQuery): Promise<{ data: News2Alert[] }> {
    const action = 'news2_alert.read';
    return runAudited(this.db, actor, async (tx) => {
      const plan = planPatientAccess(p, patientId, { permission: 'chart:read' });
      const found = await patientForChart(tx, patientId, p.clinicId);
      let verdict = decidePatientAccess(plan, found);
      if (verdict === 'ok' && found!.status === 'merged') verdict = 'hidden';
      if (verdict !== 'ok') throw patientRefusal(verdict, patientId, !!found, action);
      const rows = await repo.patientAlerts(tx, patientId, p.clinicId!, q.status, PATIENT_LIST_LIMIT);
      await writeAudit(tx, actor, {
        action,
        patientId,
        resourceType: 'patient',
        resourceId: patientId,
        details: { ids: rows.map((r) => r.id) },
      });
      return { data: rows.map(toAlert) };
    });
  }

  /**
   * Acknowledges an open alert of the active clinic (chart:write): who and when are recorded, with
   * an optional note. 403 without the permission, 404 for an alert of another clinic, 409 once done.
   */
  async acknowledge(p: Principal, actor: AuditActor, id: string, body: AcknowledgeAlertBody): Promise<News2Alert> {
    const action = 'news2_alert.acknowledge';
    const row = await runAudited(this.db, actor, async (tx) => {
      if (p.patientId || !p.permissions.has('chart:write')) throw denied(new Forbidden(), action, { type: 'news2_alert', id });
      const a = await repo.lockAlert(tx, id);
      if (!a || a.clinicId !== p.clinicId) throw denied(new NotFound('Alert not found'), action, { type: 'news2_alert', id });
      if (a.status !== 'open')
        throw new Conflict('This alert was already acknowledged', 'ALERT_ALREADY_ACKNOWLEDGED', {
          acknowledgedAt: a.acknowledgedAt?.toISOString() ?? null,
        });
      const updated = await repo.acknowledgeAlert(tx, id, p.userId, this.now(), body.note ?? null);
      await writeAudit(tx, actor, {
        action,
        patientId: a.patientId,
        resourceType: 'news2_alert',
        resourceId: id,
        details: { total: a.total, escalationLevel: a.escalationLevel, note: body.note !== undefined },
      });
      return updated;
    });
    this.events.publish('news2.alert.acknowledged', { alertId: row.id, patientId: row.patientId, clinicId: row.clinicId }, [
      room(row.clinicId),
    ]);
    return toAlert({ ...row, acknowledgedByName: p.displayName });
  }

  /** The active clinic's alert settings. */
  async settings(p: Principal): Promise<News2Settings> {
    if (!p.clinicId) throw new NotFound('No active clinic');
    return { escalationMinutes: await repo.escalationMinutes(this.db, p.clinicId) };
  }

  /** Changes the active clinic's settings (settings:write, checked by the route); alerts raised from now on use them. */
  async saveSettings(p: Principal, actor: AuditActor, body: News2Settings): Promise<News2Settings> {
    if (!p.clinicId) throw new NotFound('No active clinic');
    await this.db.transaction(async (tx) => {
      await repo.saveSettings(tx, p.clinicId!, body.escalationMinutes, p.userId);
      await writeAudit(tx, actor, {
        action: 'news2.settings.update',
        resourceType: 'clinic',
        resourceId: p.clinicId!,
        details: { escalationMinutes: body.escalationMinutes },
      });
    });
    return { escalationMinutes: body.escalationMinutes };
  }

  /** The patients module runs this when it merges a duplicate into a survivor. */
  mergePatients = (tx: Tx, fromId: string, toId: string): Promise<void> => repo.moveAlerts(tx, fromId, toId);
}

export function toAlert(r: repo.AlertView): News2Alert {
  return {
    id: r.id,
    clinicId: r.clinicId,
    patientId: r.patientId,
    vitalsId: r.vitalsId,
    total: r.total,
    risk: r.risk,
    trigger: r.trigger,
    raisedAt: r.raisedAt.toISOString(),
    status: r.status,
    acknowledgedBy: r.acknowledgedBy ? { id: r.acknowledgedBy, name: r.acknowledgedByName ?? '' } : null,
    acknowledgedAt: r.acknowledgedAt?.toISOString() ?? null,
    note: r.note,
    escalationLevel: r.escalationLevel,
    escalatedAt: r.escalatedAt?.toISOString() ?? null,
    ...(r.patientName !== undefined ? { patient: { id: r.patientId, name: r.patientName, mrn: r.patientMrn! } } : {}),
  };
}
