import { news2 } from '@sanita/clinical/news2';
import type { Vitals, VitalsInput, VitalsQuery } from '@sanita/contracts/chart';
import type { Principal } from '../../platform/access.ts';
import { writeAudit, type AuditActor } from '../../platform/audit/audit.ts';
import { denied, runAudited } from '../../platform/audit/audited.ts';
import type { Db, Tx } from '../../platform/db/database.ts';
import { Forbidden, Invalid } from '../../platform/errors.ts';
import { decidePatientAccess, patientRefusal, planPatientAccess, type PatientAccessRule } from '../../platform/patient-access.ts';
import type { EventBus, Room } from '../../platform/realtime/events.ts';
import type { TimelineSource } from '../../platform/timeline.ts';
import { moveAlerts } from './alerts.repository.ts';
import type { News2AlertsService, RaisedAlert } from './alerts.service.ts';
import * as repo from './chart.repository.ts';

/** Reading a chart: chart:read at the active clinic, for a patient registered there (no portal, no other clinics yet). */
const READ: PatientAccessRule = { permission: 'chart:read' };
/** Recording vitals: chart:write at the active clinic, for a patient registered there. */
const WRITE: PatientAccessRule = { permission: 'chart:write' };
/** The portal: a patient user (`portal:self`) reads the vitals of their own record. */
const PORTAL: PatientAccessRule = { permission: 'portal:self', self: true };

/** A set may be dated up to this much ahead of the server's clock (clocks of tablets drift). */
export const FUTURE_TOLERANCE_MS = 5 * 60_000;
export const DEFAULT_PAGE = 50;

/**
 * The room a clinic's new vitals go to: the staff of that clinic who may read charts (the chart
 * module's manifest puts them there). Not `clinic:<id>`, which every role that sees the diary or
 * the queues joins (receptionists, cashiers…): a NEWS2 score is clinical data they may not read.
 */
export const chartRoom = (clinicId: string): Room => `chart:${clinicId}`;

/** The measures of a set (what makes it a set: at least one of them). */
const MEASURES = [
  'systolic',
  'diastolic',
  'heartRate',
  'respiratoryRate',
  'temperature',
  'spo2',
  'consciousness',
  'weightKg',
  'heightCm',
  'pain',
  'glucose',
] as const satisfies readonly (keyof VitalsInput)[];

/** Plausible body-mass indexes: outside, weight or height was mistyped (and the column would overflow). */
const BMI_RANGE = { min: 2, max: 300 } as const;

const round = (v: number | undefined, decimals: number): number | null =>
  v === undefined ? null : Math.round(v * 10 ** decimals) / 10 ** decimals;

/**
 * What is stored for a set as the client sent it: the values at the precision of their columns,
 * onOxygen false when SpO2 was measured without saying (room air is the usual case), scale 1 by
 * default, BMI from weight and height, and NEWS2 computed from the stored values (never taken from
 * the client). Pure: the demo seed records its sets through it too. Throws `Invalid` for rules the
 * schema cannot state.
 */
export function measuresOf(input: VitalsInput): Omit<repo.NewVitalsRow, 'patientId' | 'clinicId' | 'recordedBy' | 'takenAt'> {
  if (!MEASURES.some((m) => input[m] !== undefined))
    throw new Invalid([{ field: 'body', code: 'required', message: `record at least one measure (${MEASURES.join(', ')})` }]);
  const temperature = round(input.temperature, 1);
  const weightKg = round(input.weightKg, 2);
  const heightCm = round(input.heightCm, 1);
  const onOxygen = input.onOxygen ?? (input.spo2 !== undefined ? false : null);
  const spo2Scale = input.spo2Scale ?? 1;
  let bmi: number | null = null;
  if (weightKg !== null && heightCm !== null) {
    bmi = round(weightKg / (heightCm / 100) ** 2, 1);
    if (bmi! < BMI_RANGE.min || bmi! > BMI_RANGE.max) {
      const message = `a weight of ${weightKg} kg and a height of ${heightCm} cm give a BMI of ${bmi}: check both`;
      throw new Invalid([
        { field: 'weightKg', code: 'invalid', message },
        { field: 'heightCm', code: 'invalid', message },
      ]);
    }
  }
  const score = news2({
    respiratoryRate: input.respiratoryRate,
    spo2: input.spo2,
    onOxygen,
    spo2Scale,
    systolic: input.systolic,
    heartRate: input.heartRate,
    consciousness: input.consciousness,
    temperature,
  });
  return {
    systolic: input.systolic ?? null,
    diastolic: input.diastolic ?? null,
    heartRate: input.heartRate ?? null,
    respiratoryRate: input.respiratoryRate ?? null,
    temperature,
    spo2: input.spo2 ?? null,
    onOxygen,
    spo2Scale,
    consciousness: input.consciousness ?? null,
    weightKg,
    heightCm,
    bmi,
    pain: input.pain ?? null,
    glucose: round(input.glucose, 1),
    note: input.note ?? null,
    news2Total: score?.total ?? null,
    news2Risk: score?.risk ?? null,
    news2: score,
  };
}

/** When the set was taken: now by default; not in the future, nor before the patient was born. */
function takenAtOf(input: VitalsInput, birthDate: string, now: Date): Date {
  if (input.takenAt === undefined) return now;
  const at = new Date(input.takenAt);
  if (at.getTime() > now.getTime() + FUTURE_TOLERANCE_MS)
    throw new Invalid([{ field: 'takenAt', code: 'invalid', message: 'cannot be in the future' }]);
  // the birth date is local to somewhere: allow for the earliest time zone (UTC+14)
  if (at.getTime() < Date.parse(`${birthDate}T00:00:00Z`) - 14 * 3600_000)
    throw new Invalid([{ field: 'takenAt', code: 'invalid', message: 'cannot be before the patient was born' }]);
  return at;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export class ChartService {
  constructor(
    private readonly db: Db,
    private readonly events: EventBus,
    private readonly alerts: News2AlertsService,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /**
   * The patient, by the one patient-access path: 403 without the permission, 404 for a patient
   * not registered at the active clinic (or merged away), each refusal audited as `action` denied
   * (by `runAudited`, after the rollback).
   */
  private async patient(tx: Tx, p: Principal, patientId: string, rule: PatientAccessRule, action: string) {
    const plan = planPatientAccess(p, patientId, rule);
    const found = await repo.patientForChart(tx, patientId, p.clinicId);
    let verdict = decidePatientAccess(plan, found);
    // a record merged into another has no chart of its own any more: its sets moved with the merge
    if (verdict === 'ok' && found!.status === 'merged') verdict = 'hidden';
    if (verdict !== 'ok') throw patientRefusal(verdict, patientId, !!found, action);
    return found!;
  }

  /** A patient's vitals, newest first; the read is audited with the ids of the sets shown. */
  async list(
    p: Principal,
    actor: AuditActor,
    patientId: string,
    q: VitalsQuery,
  ): Promise<{ data: Vitals[]; nextCursor: string | null }> {
    return this.page(actor, patientId, q, (tx) => this.patient(tx, p, patientId, READ, 'vitals.read'));
  }

  /** My own vitals, in the portal (newest first: the latest set, and the series of the trends); audited. */
  async portalList(p: Principal, actor: AuditActor, q: VitalsQuery): Promise<{ data: Vitals[]; nextCursor: string | null }> {
    const patientId = p.patientId ?? p.userId;
    return this.page(actor, patientId, q, async (tx) => {
      if (!p.patientId) throw denied(new Forbidden(), 'vitals.read', { type: 'patient', id: p.userId });
      await this.patient(tx, p, patientId, PORTAL, 'vitals.read');
    });
  }

  private async page(
    actor: AuditActor,
    patientId: string,
    q: VitalsQuery,
    check: (tx: Tx) => Promise<unknown>,
  ): Promise<{ data: Vitals[]; nextCursor: string | null }> {
    const limit = q.limit ?? DEFAULT_PAGE;
    if (q.cursor !== undefined && !UUID.test(q.cursor))
      throw new Invalid([{ field: 'querystring.cursor', code: 'invalid', message: 'is not a cursor of this list' }]);
    return runAudited(this.db, actor, async (tx) => {
      await check(tx);
      const rows = await repo.listVitals(tx, patientId, limit + 1, q.cursor ?? null);
      const page = rows.slice(0, limit);
      await writeAudit(tx, actor, {
        action: 'vitals.read',
        patientId,
        resourceType: 'patient',
        resourceId: patientId,
        details: { ids: page.map((r) => r.id) },
      });
      return { data: page.map(toVitals), nextCursor: rows.length > limit ? page[page.length - 1]!.id : null };
    });
  }

  /**
   * Records a set at the active clinic, audited in the same transaction, with its NEWS2 alert when
   * the score calls for one; staff of the clinic hear of both after commit.
   */
  async record(p: Principal, actor: AuditActor, patientId: string, input: VitalsInput): Promise<Vitals> {
    let raised: RaisedAlert | null = null;
    const row = await runAudited(this.db, actor, async (tx) => {
      const patient = await this.patient(tx, p, patientId, WRITE, 'vitals.record');
      const measures = measuresOf(input);
      const takenAt = takenAtOf(input, patient.birthDate, this.now());
      const stored = await repo.insertVitals(
        tx,
        { ...measures, patientId, clinicId: p.clinicId!, recordedBy: p.userId, takenAt },
        p.displayName,
      );
      await writeAudit(tx, actor, {
        action: 'vitals.record',
        patientId,
        resourceType: 'vitals',
        resourceId: stored.id,
        details: { measures: MEASURES.filter((m) => input[m] !== undefined), news2: stored.news2Total },
      });
      raised = await this.alerts.raise(tx, stored);
      return stored;
    });
    this.events.publish(
      'vitals.recorded',
      { vitalsId: row.id, patientId, clinicId: row.clinicId, news2: row.news2Total, alert: row.news2?.alert ?? false },
      [chartRoom(row.clinicId)],
    );
    if (raised) await this.alerts.announce(raised);
    return toVitals(row);
  }

  /** The patients module runs this when it merges a duplicate into a survivor. */
  mergePatients = async (tx: Tx, fromId: string, toId: string): Promise<void> => {
    await repo.moveVitals(tx, fromId, toId);
    await moveAlerts(tx, fromId, toId);
  };

  /** Sets of vitals on the patient's timeline: NEWS2 and the main measures. */
  readonly timeline: TimelineSource = { kind: 'vitals', list: repo.timelineOf };
}

const num = (v: number | string | null): number | null => (v === null ? null : Number(v));

function toVitals(r: repo.VitalsRow): Vitals {
  return {
    id: r.id,
    patientId: r.patientId,
    clinicId: r.clinicId,
    takenAt: r.takenAt.toISOString(),
    recordedAt: r.recordedAt.toISOString(),
    recordedBy: { id: r.recordedBy, name: r.recordedByName },
    systolic: r.systolic,
    diastolic: r.diastolic,
    heartRate: r.heartRate,
    respiratoryRate: r.respiratoryRate,
    temperature: num(r.temperature),
    spo2: r.spo2,
    onOxygen: r.onOxygen,
    spo2Scale: r.spo2Scale === 2 ? 2 : 1,
    consciousness: r.consciousness,
    weightKg: num(r.weightKg),
    heightCm: num(r.heightCm),
    bmi: num(r.bmi),
    pain: r.pain,
    glucose: num(r.glucose),
    note: r.note,
    news2: r.news2,
  };
}
