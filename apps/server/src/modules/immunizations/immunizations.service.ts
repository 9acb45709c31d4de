import type {
  EnteredInError,
  Immunization,
  ImmunizationChange,
  ImmunizationCorrection,
  ImmunizationInput,
} from '@sanita/contracts/immunizations';
import type { FieldIssue } from '@sanita/contracts/common';
import type { PortalImmunizationList } from '@sanita/contracts/portal';
import type { Principal } from '../../platform/access.ts';
import { writeAudit, type AuditActor } from '../../platform/audit/audit.ts';
import { denied, runAudited } from '../../platform/audit/audited.ts';
import type { Db, Tx } from '../../platform/db/database.ts';
import { Conflict, Forbidden, Invalid, NotFound } from '../../platform/errors.ts';
import { decidePatientAccess, patientRefusal, planPatientAccess, type PatientAccessRule } from '../../platform/patient-access.ts';
import type { TimelineSource } from '../../platform/timeline.ts';
import type { TerminologyService } from '../terminology/terminology.service.ts';
import * as repo from './immunizations.repository.ts';

/** Reading a patient's immunizations: immunizations:read at the active clinic, for a patient registered there. */
const READ: PatientAccessRule = { permission: 'immunizations:read' };
/** The portal: a patient user (`portal:self`) reads the immunizations of their own record. */
const PORTAL: PatientAccessRule = { permission: 'portal:self', self: true };
/** Recording and correcting them: immunizations:write, likewise. */
const WRITE: PatientAccessRule = { permission: 'immunizations:write' };

/** The fields a correction may change, in the order the history lists them. */
const FIELDS = [
  'cvxCode',
  'occurredOn',
  'lotNumber',
  'site',
  'route',
  'doseNumber',
  'source',
  'performerName',
  'note',
] as const satisfies readonly (keyof ImmunizationCorrection & keyof repo.ImmunizationRow)[];
type Field = (typeof FIELDS)[number];

/**
 * The latest day a vaccine can have been given: today where the day is furthest ahead (UTC+14), so
 * that a clinic east of UTC can record today's vaccines before UTC midnight.
 */
const latestDay = (now: Date) => new Date(now.getTime() + 14 * 3600_000).toISOString().slice(0, 10);

export class ImmunizationsService {
  constructor(
    private readonly db: Db,
    private readonly terminology: TerminologyService,
    private readonly now: () => Date = () => new Date(),
  ) {}

  private async patient(tx: Tx, p: Principal, patientId: string, rule: PatientAccessRule, action: string) {
    const plan = planPatientAccess(p, patientId, rule);
    const found = await repo.patientFor(tx, patientId, p.clinicId);
    let verdict = decidePatientAccess(plan, found);
    // a record merged into another has none of its own any more: they moved with the merge
    if (verdict === 'ok' && found!.status === 'merged') verdict = 'hidden';
    if (verdict !== 'ok') throw patientRefusal(verdict, patientId, !!found, action);
    return found!;
  }

  /** The rules the schema cannot state: a known CVX code, a day neither ahead nor before the birth, a lot for a vaccine given here. */
  private async check(
    tx: Tx,
    v: { cvxCode: string; occurredOn: string; source: string; lotNumber?: string | null },
    birthDate: string,
  ): Promise<string> {
    const issues: FieldIssue[] = [];
    // in the transaction: a second pool connection while it is held deadlocks the pool under load
    const cvx = (await this.terminology.findCvx([v.cvxCode], tx)).get(v.cvxCode.padStart(2, '0'));
    if (!cvx) issues.push({ field: 'cvxCode', code: 'invalid', message: 'is not a CVX vaccine code' });
    if (v.occurredOn > latestDay(this.now()))
      issues.push({ field: 'occurredOn', code: 'invalid', message: 'cannot be in the future' });
    else if (v.occurredOn < birthDate)
      issues.push({ field: 'occurredOn', code: 'invalid', message: 'cannot be before the patient was born' });
    if (v.source === 'administered' && !v.lotNumber)
      issues.push({ field: 'lotNumber', code: 'required', message: 'is required for a vaccine given here' });
    if (issues.length) throw new Invalid(issues);
    return cvx!.code;
  }

  /** A patient's immunizations, most recent first, each with its history; the read is audited with the ids shown. */
  async list(p: Principal, actor: AuditActor, patientId: string): Promise<{ data: Immunization[] }> {
    return runAudited(this.db, actor, async (tx) => {
      await this.patient(tx, p, patientId, READ, 'immunizations.read');
      const rows = await repo.listImmunizations(tx, patientId);
      const revisions = await repo.revisionsOf(
        tx,
        rows.map((r) => r.id),
      );
      await writeAudit(tx, actor, {
        action: 'immunizations.read',
        patientId,
        resourceType: 'patient',
        resourceId: patientId,
        details: { ids: rows.map((r) => r.id) },
      });
      return { data: rows.map((r) => toImmunization(r, revisions)) };
    });
  }

  /**
   * My immunizations in the portal, most recent first (not those entered in error), without lot
   * numbers or clinicians' notes; audited with the ids shown.
   */
  async portalList(p: Principal, actor: AuditActor): Promise<PortalImmunizationList> {
    return runAudited(this.db, actor, async (tx) => {
      if (!p.patientId) throw denied(new Forbidden(), 'immunizations.read', { type: 'patient', id: p.userId });
      const patientId = p.patientId;
      await this.patient(tx, p, patientId, PORTAL, 'immunizations.read');
      const rows = (await repo.listImmunizations(tx, patientId)).filter((r) => r.status !== 'entered_in_error');
      await writeAudit(tx, actor, {
        action: 'immunizations.read',
        patientId,
        resourceType: 'patient',
        resourceId: patientId,
        details: { ids: rows.map((r) => r.id), portal: true },
      });
      return {
        data: rows.map((r) => ({
          id: r.id,
          cvxCode: r.cvxCode,
          vaccine: r.vaccine,
          occurredOn: r.occurredOn,
          doseNumber: r.doseNumber,
          site: r.site,
          route: r.route,
          source: r.source,
          givenBy: r.performerDisplayName ?? r.performerName ?? null,
        })),
      };
    });
  }

  /** Records a vaccine at the active clinic, with its first revision and audit row in the same transaction. */
  async record(p: Principal, actor: AuditActor, patientId: string, input: ImmunizationInput): Promise<Immunization> {
    return runAudited(this.db, actor, async (tx) => {
      const patient = await this.patient(tx, p, patientId, WRITE, 'immunization.record');
      const source = input.source ?? 'administered';
      const cvxCode = await this.check(tx, { ...input, source }, patient.birthDate);
      const id = await repo.insertImmunization(tx, {
        patientId,
        clinicId: p.clinicId!,
        cvxCode,
        occurredOn: input.occurredOn,
        lotNumber: input.lotNumber ?? null,
        site: input.site ?? null,
        route: input.route ?? null,
        doseNumber: input.doseNumber ?? null,
        source,
        performerId: source === 'administered' ? p.userId : null,
        performerName: input.performerName ?? null,
        note: input.note ?? null,
        createdBy: p.userId,
        updatedBy: p.userId,
      });
      await repo.insertRevision(tx, { immunizationId: id, version: 1, action: 'recorded', changes: {}, changedBy: p.userId });
      await writeAudit(tx, actor, {
        action: 'immunization.record',
        patientId,
        resourceType: 'immunization',
        resourceId: id,
        details: { cvxCode, source },
      });
      return this.read(tx, patientId, id);
    });
  }

  /** Corrects a recorded immunization (the version read must be the current one); the change and its reason join the history. */
  async correct(
    p: Principal,
    actor: AuditActor,
    patientId: string,
    id: string,
    input: ImmunizationCorrection,
  ): Promise<Immunization> {
    return runAudited(this.db, actor, async (tx) => {
      const patient = await this.patient(tx, p, patientId, WRITE, 'immunization.correct');
      const current = await this.current(tx, patientId, id, input.version, 'immunization.correct');
      const next = Object.fromEntries(FIELDS.map((f) => [f, input[f] === undefined ? current[f] : input[f]])) as {
        [F in Field]: repo.ImmunizationRow[F];
      };
      next.cvxCode = await this.check(tx, next, patient.birthDate);
      const changes: Record<string, { from: unknown; to: unknown }> = {};
      for (const f of FIELDS) if (next[f] !== current[f]) changes[f] = { from: current[f], to: next[f] };
      if (!Object.keys(changes).length) return this.read(tx, patientId, id);
      const version = current.version + 1;
      await repo.updateImmunization(tx, id, {
        ...next,
        ...(next.source === 'reported' ? { performerId: null } : {}),
        version,
        updatedBy: p.userId,
      });
      await repo.insertRevision(tx, {
        immunizationId: id,
        version,
        action: 'corrected',
        changes,
        reason: input.reason ?? null,
        changedBy: p.userId,
      });
      await writeAudit(tx, actor, {
        action: 'immunization.correct',
        patientId,
        resourceType: 'immunization',
        resourceId: id,
        details: { fields: Object.keys(changes), version },
      });
      return this.read(tx, patientId, id);
    });
  }

  /** Marks a recorded immunization entered in error (kept, shown struck through), with the reason. */
  async enteredInError(
    p: Principal,
    actor: AuditActor,
    patientId: string,
    id: string,
    input: EnteredInError,
  ): Promise<Immunization> {
    return runAudited(this.db, actor, async (tx) => {
      await this.patient(tx, p, patientId, WRITE, 'immunization.entered_in_error');
      const current = await this.current(tx, patientId, id, input.version, 'immunization.entered_in_error');
      const version = current.version + 1;
      await repo.updateImmunization(tx, id, { status: 'entered_in_error', version, updatedBy: p.userId });
      await repo.insertRevision(tx, {
        immunizationId: id,
        version,
        action: 'entered_in_error',
        changes: { status: { from: current.status, to: 'entered_in_error' } },
        reason: input.reason,
        changedBy: p.userId,
      });
      await writeAudit(tx, actor, {
        action: 'immunization.entered_in_error',
        patientId,
        resourceType: 'immunization',
        resourceId: id,
        details: { version },
      });
      return this.read(tx, patientId, id);
    });
  }

  /** The immunization, locked, at the version the client read; not one already entered in error. */
  private async current(tx: Tx, patientId: string, id: string, version: number, action: string) {
    const current = await repo.getImmunization(tx, patientId, id, true);
    if (!current) throw denied(new NotFound('Immunization not found'), action, { type: 'immunization', id }, patientId);
    if (current.status === 'entered_in_error')
      throw new Conflict('This immunization was marked entered in error: record it again instead');
    if (current.version !== version)
      throw new Conflict('This immunization was changed by someone else: reload it', 'STALE_VERSION', {
        version: current.version,
      });
    return current;
  }

  private async read(tx: Tx, patientId: string, id: string): Promise<Immunization> {
    const row = (await repo.getImmunization(tx, patientId, id))!;
    return toImmunization(row, await repo.revisionsOf(tx, [id]));
  }

  /** The patients module runs this when it merges a duplicate into a survivor. */
  mergePatients = (tx: Tx, fromId: string, toId: string): Promise<void> => repo.moveImmunizations(tx, fromId, toId);

  /** Vaccines on the patient's timeline: vaccine, day, dose, given here or reported. */
  readonly timeline: TimelineSource = { kind: 'immunization', permission: 'immunizations:read', list: repo.timelineOf };
}

function toImmunization(r: repo.ImmunizationRow, revisions: repo.RevisionRow[]): Immunization {
  const history: ImmunizationChange[] = revisions
    .filter((v) => v.immunizationId === r.id)
    .map((v) => ({
      action: v.action,
      version: v.version,
      at: v.changedAt.toISOString(),
      by: { id: v.changedBy, name: v.changedByName },
      changes: v.changes,
      reason: v.reason,
    }));
  return {
    id: r.id,
    patientId: r.patientId,
    clinicId: r.clinicId,
    cvxCode: r.cvxCode,
    vaccine: r.vaccine,
    occurredOn: r.occurredOn,
    lotNumber: r.lotNumber,
    site: r.site,
    route: r.route,
    doseNumber: r.doseNumber,
    source: r.source,
    performer: r.performerId ? { id: r.performerId, name: r.performerDisplayName ?? '' } : null,
    performerName: r.performerName,
    note: r.note,
    status: r.status,
    version: r.version,
    recordedAt: r.createdAt.toISOString(),
    recordedBy: { id: r.createdBy, name: r.createdByName },
    history,
  };
}
