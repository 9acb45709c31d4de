import { clinicToday } from '../../platform/db/queries.ts';
import {
  COMMON_SUBSTANCES,
  isActiveAllergy,
  type Allergy,
  type AllergyInput,
  type AllergyList,
  type AllergyPatch,
  type HistoryEntry,
  type HistoryInput,
  type HistoryKind,
  type HistoryPatch,
  type Problem,
  type ProblemInput,
  type ProblemPatch,
  type Revision,
  type RevisionAction,
  type SubstanceCode,
  SUBSTANCE_NAMES,
} from '@sanita/contracts/history';
import type { PortalAllergy, PortalAllergyList, PortalProblem, PortalProblemList } from '@sanita/contracts/portal';
import type { Principal } from '../../platform/access.ts';
import { writeAudit, type AuditActor } from '../../platform/audit/audit.ts';
import { denied, runAudited } from '../../platform/audit/audited.ts';
import type { Db, Tx } from '../../platform/db/database.ts';
import { Conflict, Forbidden, Invalid, NotFound, type FieldIssue } from '../../platform/errors.ts';
import { decidePatientAccess, patientRefusal, planPatientAccess, type PatientAccessRule } from '../../platform/patient-access.ts';
import type { EventBus, Room } from '../../platform/realtime/events.ts';
import * as repo from './history.repository.ts';

/** Reading the lists: history:read at the active clinic, for a patient registered there. */
const READ: PatientAccessRule = { permission: 'history:read' };
/** Recording and changing items: history:write at the active clinic, for a patient registered there. */
const WRITE: PatientAccessRule = { permission: 'history:write' };
/** The portal: a patient user (`portal:self`) reads their own problems and allergies. */
const PORTAL: PatientAccessRule = { permission: 'portal:self', self: true };

/** An ICD-10-CM code as the terminology module knows it. */
export interface Icd10Entry {
  code: string;
  description: string;
  billable: boolean;
}
/** Looks codes up in the ICD-10-CM code set (the terminology module); absent codes are not in the map. */
/** in the caller's transaction: a second pool connection while it is held deadlocks the pool under load */
export type Icd10Lookup = (codes: string[], tx: Tx) => Promise<Map<string, Icd10Entry>>;

/** The room a clinic's changes go to: its staff who may read histories (the manifest puts them there). */
export const historyRoom = (clinicId: string): Room => `history:${clinicId}`;

/** Each kind's item, as its revisions and audit rows name it. */
const ACTION = {
  problem: { read: 'problems.read', record: 'problem.record', update: 'problem.update', revisions: 'problem.revisions.read' },
  allergy: { read: 'allergies.read', record: 'allergy.record', update: 'allergy.update', revisions: 'allergy.revisions.read' },
  history: { read: 'history.read', record: 'history.record', update: 'history.update', revisions: 'history.revisions.read' },
} as const;
const NOT_FOUND = { problem: 'Problem not found', allergy: 'Allergy not found', history: 'History entry not found' } as const;

/** The fields of each kind a revision compares (everything a user can change). */
const FIELDS = {
  problem: ['code', 'description', 'status', 'onsetDate', 'resolutionDate', 'note'],
  allergy: [
    'substanceCode',
    'substance',
    'type',
    'category',
    'reaction',
    'manifestations',
    'severity',
    'criticality',
    'verificationStatus',
    'status',
    'onsetDate',
    'note',
  ],
  history: ['condition', 'relation', 'date', 'tobacco', 'packYears', 'alcohol', 'unitsPerWeek', 'occupation', 'note', 'status'],
} as const satisfies Record<repo.Entity, readonly string[]>;

type Changes = Record<string, { from: unknown; to: unknown }>;
/** The fields of a history entry, as sent (absent) or as stored (null). */
type HistoryFields = { [K in Exclude<keyof HistoryInput, 'kind'>]?: HistoryInput[K] | null };

function diff(fields: readonly string[], before: Record<string, unknown> | null, after: Record<string, unknown>): Changes {
  const out: Changes = {};
  for (const f of fields) {
    const from = before ? (before[f] ?? null) : null;
    const to = after[f] ?? null;
    if (JSON.stringify(from) !== JSON.stringify(to)) out[f] = { from, to };
  }
  return out;
}

/** A date as stored (`YYYY-MM-DD`); "today" is allowed up to the earliest time zone (UTC+14). */
const latestToday = (now: Date) => new Date(now.getTime() + 14 * 3600_000).toISOString().slice(0, 10);

const issue = (field: string, message: string): FieldIssue => ({ field, code: 'invalid', message });

/** A date of the patient's life: not in the future, not before their birth. */
function checkLifeDate(issues: FieldIssue[], field: string, value: string | null | undefined, birthDate: string, now: Date) {
  if (!value) return;
  if (value > latestToday(now)) issues.push(issue(field, 'cannot be in the future'));
  else if (value < birthDate) issues.push(issue(field, 'cannot be before the patient was born'));
}

export class HistoryService {
  constructor(
    private readonly db: Db,
    private readonly events: EventBus,
    /** the ICD-10-CM code set; without it a code is checked by its shape only and needs a description */
    private readonly icd10: Icd10Lookup | null = null,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /**
   * The patient, by the one patient-access path: 403 without the permission, 404 for a patient
   * not registered at the active clinic (or merged away), each refusal audited as `action` denied.
   */
  private async patient(tx: Tx, p: Principal, patientId: string, rule: PatientAccessRule, action: string) {
    const plan = planPatientAccess(p, patientId, rule);
    const found = await repo.patientOf(tx, patientId, p.clinicId);
    let verdict = decidePatientAccess(plan, found);
    if (verdict === 'ok' && found!.status === 'merged') verdict = 'hidden';
    if (verdict !== 'ok') throw patientRefusal(verdict, patientId, !!found, action);
    return found!;
  }

  private changed(p: Principal, patientId: string, kind: repo.Entity) {
    this.events.publish('history.changed', { patientId, clinicId: p.clinicId!, kind }, [historyRoom(p.clinicId!)]);
  }

  // ------------------------------------------------------------------ lists

  async problems(p: Principal, actor: AuditActor, patientId: string): Promise<{ data: Problem[] }> {
    return { data: (await this.list(p, actor, patientId, 'problem')).map(toProblem) };
  }

  async history(p: Principal, actor: AuditActor, patientId: string): Promise<{ data: HistoryEntry[] }> {
    return { data: (await this.list(p, actor, patientId, 'history')).map(toHistory) };
  }

  async allergies(p: Principal, actor: AuditActor, patientId: string): Promise<AllergyList> {
    return runAudited(this.db, actor, async (tx) => {
      await this.patient(tx, p, patientId, READ, ACTION.allergy.read);
      return this.allergyList(tx, actor, patientId, ACTION.allergy.read);
    });
  }

  private async allergyList(tx: Tx, actor: AuditActor, patientId: string, action: string): Promise<AllergyList> {
    const rows = await repo.listItems(tx, 'allergy', patientId);
    const statement = await repo.statementOf(tx, patientId);
    await writeAudit(tx, actor, {
      action,
      patientId,
      resourceType: 'patient',
      resourceId: patientId,
      details: { ids: rows.map((r) => r.id), noKnownAllergies: !!statement?.noKnownAllergies },
    });
    const data = rows.map(toAllergy).sort(allergyOrder);
    return {
      data,
      noKnownAllergies: statement?.noKnownAllergies
        ? { statedAt: statement.statedAt.toISOString(), statedBy: { id: statement.statedBy, name: statement.statedByName } }
        : null,
    };
  }

  private list<E extends 'problem' | 'history'>(p: Principal, actor: AuditActor, patientId: string, entity: E) {
    return runAudited(this.db, actor, async (tx) => {
      await this.patient(tx, p, patientId, READ, ACTION[entity].read);
      const rows = await repo.listItems(tx, entity, patientId);
      await writeAudit(tx, actor, {
        action: ACTION[entity].read,
        patientId,
        resourceType: 'patient',
        resourceId: patientId,
        details: { ids: rows.map((r) => r.id) },
      });
      return rows;
    });
  }

  // ------------------------------------------------------------------ the portal

  /** The portal user's own patient id: 403 to anyone else; refusals audited as `action` denied. */
  private async own(tx: Tx, p: Principal, action: string): Promise<string> {
    if (!p.patientId) throw denied(new Forbidden(), action, { type: 'patient', id: p.userId });
    await this.patient(tx, p, p.patientId, PORTAL, action);
    return p.patientId;
  }

  /** My problems (not those entered in error), without the clinicians' notes; audited with the ids. */
  async portalProblems(p: Principal, actor: AuditActor): Promise<PortalProblemList> {
    return runAudited(this.db, actor, async (tx) => {
      const patientId = await this.own(tx, p, ACTION.problem.read);
      const rows = (await repo.listItems(tx, 'problem', patientId)).filter((r) => r.status !== 'entered_in_error');
      await writeAudit(tx, actor, {
        action: ACTION.problem.read,
        patientId,
        resourceType: 'patient',
        resourceId: patientId,
        details: { ids: rows.map((r) => r.id), portal: true },
      });
      return {
        data: rows.map((r): PortalProblem => ({
          id: r.id,
          code: r.code,
          description: r.description,
          status: r.status as PortalProblem['status'],
          onsetDate: r.onsetDate,
          resolutionDate: r.resolutionDate,
        })),
      };
    });
  }

  /**
   * My allergies (not those refuted or entered in error), and whether my record says none are known
   * (a clinician's statement) or nothing was recorded yet; audited with the ids.
   */
  async portalAllergies(p: Principal, actor: AuditActor): Promise<PortalAllergyList> {
    return runAudited(this.db, actor, async (tx) => {
      const patientId = await this.own(tx, p, ACTION.allergy.read);
      const list = await this.allergyList(tx, actor, patientId, ACTION.allergy.read);
      const data = list.data
        .filter((a) => a.verificationStatus === 'unconfirmed' || a.verificationStatus === 'confirmed')
        .map((a): PortalAllergy => ({
          id: a.id,
          substanceCode: a.substanceCode,
          substance: a.substance,
          type: a.type,
          category: a.category,
          reaction: a.reaction,
          manifestations: a.manifestations,
          severity: a.severity,
          criticality: a.criticality,
          verificationStatus: a.verificationStatus as PortalAllergy['verificationStatus'],
          status: a.status,
          onsetDate: a.onsetDate,
        }));
      const statedAt = list.noKnownAllergies?.statedAt ?? null;
      return {
        state: data.length ? 'recorded' : statedAt ? 'no_known' : 'not_recorded',
        noKnownStatedAt: data.length ? null : statedAt,
        data,
      };
    });
  }

  /** Every version of one item, oldest first: who changed which fields from what to what, and when. */
  async revisions(
    p: Principal,
    actor: AuditActor,
    patientId: string,
    entity: repo.Entity,
    id: string,
  ): Promise<{ data: Revision[] }> {
    return runAudited(this.db, actor, async (tx) => {
      await this.patient(tx, p, patientId, READ, ACTION[entity].revisions);
      if (!(await repo.itemExists(tx, entity, patientId, id))) throw new NotFound(NOT_FOUND[entity]);
      const rows = await repo.listRevisions(tx, entity, id);
      await writeAudit(tx, actor, {
        action: ACTION[entity].revisions,
        patientId,
        resourceType: entity,
        resourceId: id,
      });
      return {
        data: rows.map((r) => ({
          version: r.version,
          action: r.action,
          changedAt: r.changedAt.toISOString(),
          changedBy: { id: r.changedBy, name: r.changedByName },
          changes: r.changes,
        })),
      };
    });
  }

  // ------------------------------------------------------------------ writes, shared

  /** Records a new item with its first revision and audit row, in one transaction. */
  private async create<E extends repo.Entity>(
    p: Principal,
    actor: AuditActor,
    patientId: string,
    entity: E,
    build: (tx: Tx, patient: { birthDate: string }) => Promise<Partial<repo.RowOf[E]>>,
    after?: (tx: Tx, row: repo.RowOf[E]) => Promise<void>,
  ): Promise<repo.RowOf[E] & repo.Names> {
    const row = await runAudited(this.db, actor, async (tx) => {
      const patient = await this.patient(tx, p, patientId, WRITE, ACTION[entity].record);
      const values = await build(tx, patient);
      const stored = await repo.insertItem(tx, entity, {
        ...values,
        patientId,
        clinicId: p.clinicId!,
        createdBy: p.userId,
        updatedBy: p.userId,
      });
      const changes = diff(FIELDS[entity], null, stored);
      await repo.insertRevision(tx, {
        entity,
        entityId: stored.id,
        version: 1,
        patientId,
        action: 'created',
        changedBy: p.userId,
        changes,
      });
      await after?.(tx, stored);
      await writeAudit(tx, actor, {
        action: ACTION[entity].record,
        patientId,
        resourceType: entity,
        resourceId: stored.id,
        details: { fields: Object.keys(changes) },
      });
      return stored;
    });
    this.changed(p, patientId, entity);
    return { ...row, createdByName: p.displayName, updatedByName: p.displayName };
  }

  /**
   * Changes an item at the version the client read (409 STALE_VERSION otherwise), keeping the
   * change as a revision; a patch that changes nothing returns the item as it is.
   */
  private async change<E extends repo.Entity>(
    p: Principal,
    actor: AuditActor,
    patientId: string,
    entity: E,
    id: string,
    version: number,
    build: (tx: Tx, current: repo.RowOf[E], patient: { birthDate: string }) => Promise<Partial<repo.RowOf[E]>>,
    actionOf: (before: repo.RowOf[E], after: repo.RowOf[E]) => RevisionAction,
    after?: (tx: Tx, row: repo.RowOf[E]) => Promise<void>,
  ): Promise<repo.RowOf[E] & repo.Names> {
    const row = await runAudited(this.db, actor, async (tx) => {
      const patient = await this.patient(tx, p, patientId, WRITE, ACTION[entity].update);
      const current = await repo.lockItem(tx, entity, patientId, id);
      if (!current) throw new NotFound(NOT_FOUND[entity]);
      if (current.version !== version)
        throw new Conflict('Someone else changed this since you opened it; reload to see their changes', 'STALE_VERSION', {
          currentVersion: current.version,
        });
      const next = { ...current, ...(await build(tx, current, patient)) };
      const changes = diff(FIELDS[entity], current, next);
      if (!Object.keys(changes).length) return { stored: current, changed: false };
      const set = Object.fromEntries(Object.keys(changes).map((f) => [f, (next as unknown as Record<string, unknown>)[f]]));
      const stored = await repo.updateItem(tx, entity, id, {
        ...(set as Partial<repo.RowOf[E]>),
        version: current.version + 1,
        updatedBy: p.userId,
      });
      const action = actionOf(current, stored);
      await repo.insertRevision(tx, {
        entity,
        entityId: id,
        version: stored.version,
        patientId,
        action,
        changedBy: p.userId,
        changes,
      });
      await after?.(tx, stored);
      await writeAudit(tx, actor, {
        action: ACTION[entity].update,
        patientId,
        resourceType: entity,
        resourceId: id,
        details: { fields: Object.keys(changes), version: stored.version, change: action },
      });
      return { stored, changed: true };
    });
    if (row.changed) this.changed(p, patientId, entity);
    // who recorded it: re-read with the names (the update knows only who changed it last)
    return {
      ...row.stored,
      createdByName: await this.nameOf(row.stored.createdBy),
      updatedByName: row.changed ? p.displayName : await this.nameOf(row.stored.updatedBy),
    };
  }

  private nameOf = (userId: string): Promise<string> => repo.userName(this.db, userId);

  // ------------------------------------------------------------------ problems

  private async icd(tx: Tx, code: string | null | undefined): Promise<Icd10Entry | null | undefined> {
    if (!code || !this.icd10) return undefined;
    return (await this.icd10([code], tx)).get(code) ?? null;
  }

  /** The code and description of a problem: a code must be in ICD-10-CM; without one, the description is required. */
  private async coding(
    tx: Tx,
    issues: FieldIssue[],
    code: string | null,
    description: string | null | undefined,
  ): Promise<{ code: string | null; description: string }> {
    const entry = await this.icd(tx, code);
    if (entry === null) issues.push(issue('code', 'is not an ICD-10-CM code'));
    const text = description ?? entry?.description ?? null;
    if (!text) {
      // nothing to record at all: the body says so as a whole, the description where a form shows it
      if (!code) issues.push({ field: 'body', code: 'required', message: 'send an ICD-10-CM code or a description' });
      issues.push({ field: 'description', code: 'required', message: 'is required without an ICD-10-CM code' });
    }
    return { code, description: text ?? '' };
  }

  private problemDates(
    issues: FieldIssue[],
    status: string,
    onsetDate: string | null,
    resolutionDate: string | null,
    birthDate: string,
    today: string,
  ): { onsetDate: string | null; resolutionDate: string | null } {
    const now = this.now();
    checkLifeDate(issues, 'onsetDate', onsetDate, birthDate, now);
    if (status !== 'resolved') {
      if (resolutionDate) issues.push(issue('resolutionDate', 'only a resolved problem has a resolution date'));
      return { onsetDate, resolutionDate: null };
    }
    // resolved today (the clinic's date) unless said otherwise
    const resolved = resolutionDate ?? (onsetDate && onsetDate > today ? onsetDate : today);
    if (resolved > latestToday(now)) issues.push(issue('resolutionDate', 'cannot be in the future'));
    else if (onsetDate && resolved < onsetDate) issues.push(issue('resolutionDate', 'cannot be before the onset date'));
    return { onsetDate, resolutionDate: resolved };
  }

  async recordProblem(p: Principal, actor: AuditActor, patientId: string, input: ProblemInput): Promise<Problem> {
    const row = await this.create(p, actor, patientId, 'problem', async (tx, patient) => {
      const issues: FieldIssue[] = [];
      const status = input.status ?? 'active';
      const coding = await this.coding(tx, issues, input.code ?? null, input.description);
      const { today } = (await clinicToday(tx, p.clinicId!))!;
      const dates = this.problemDates(
        issues,
        status,
        input.onsetDate ?? null,
        input.resolutionDate ?? null,
        patient.birthDate,
        today,
      );
      if (issues.length) throw new Invalid(issues);
      return { ...coding, ...dates, status, note: input.note ?? null };
    });
    return toProblem(row);
  }

  async updateProblem(p: Principal, actor: AuditActor, patientId: string, id: string, patch: ProblemPatch): Promise<Problem> {
    const row = await this.change(
      p,
      actor,
      patientId,
      'problem',
      id,
      patch.version,
      async (tx, cur, patient) => {
        const issues: FieldIssue[] = [];
        const code = patch.code === undefined ? cur.code : patch.code;
        // a new code brings its own description unless one is sent
        const description =
          patch.description ?? (patch.code !== undefined && patch.code !== cur.code ? undefined : cur.description);
        const coding =
          code === cur.code && description === cur.description
            ? { code, description }
            : await this.coding(tx, issues, code, description);
        const status = patch.status ?? cur.status;
        if (status === 'entered_in_error') {
          if (issues.length) throw new Invalid(issues);
          return { ...coding, status, note: patch.note === undefined ? cur.note : patch.note };
        }
        const onset = patch.onsetDate === undefined ? cur.onsetDate : patch.onsetDate;
        const resolution =
          patch.resolutionDate === undefined ? (status === 'resolved' ? cur.resolutionDate : null) : patch.resolutionDate;
        const { today } = (await clinicToday(tx, p.clinicId!))!;
        const dates = this.problemDates(issues, status, onset, resolution, patient.birthDate, today);
        if (issues.length) throw new Invalid(issues);
        return { ...coding, ...dates, status, note: patch.note === undefined ? cur.note : patch.note };
      },
      (before, after) =>
        after.status === 'entered_in_error' && before.status !== 'entered_in_error'
          ? 'entered_in_error'
          : after.status === 'resolved' && before.status !== 'resolved'
            ? 'resolved'
            : 'updated',
    );
    return toProblem(row);
  }

  // ------------------------------------------------------------------ allergies

  private allergyValues(
    issues: FieldIssue[],
    v: {
      substanceCode: SubstanceCode | null;
      substance: string | null | undefined;
      category: Allergy['category'] | undefined;
      onsetDate: string | null;
    },
    birthDate: string,
  ) {
    const substance = v.substance ?? (v.substanceCode ? SUBSTANCE_NAMES[v.substanceCode] : null);
    if (!substance) {
      if (!v.substanceCode) issues.push({ field: 'body', code: 'required', message: 'send a substance code or a substance' });
      issues.push({ field: 'substance', code: 'required', message: 'is required without a substance code' });
    }
    checkLifeDate(issues, 'onsetDate', v.onsetDate, birthDate, this.now());
    return {
      substanceCode: v.substanceCode,
      substance: substance ?? '',
      category: v.category ?? (v.substanceCode ? COMMON_SUBSTANCES[v.substanceCode] : 'other'),
      onsetDate: v.onsetDate,
    };
  }

  /** An allergy that counts clears the "no known allergies" statement (which stays in the audit log). */
  private clearNka = (p: Principal, actor: AuditActor, patientId: string) => async (tx: Tx, row: repo.AllergyRow) => {
    if (!isActiveAllergy(row)) return;
    if (await repo.clearNoKnownAllergies(tx, patientId, p.userId))
      await writeAudit(tx, actor, {
        action: 'allergies.no_known.clear',
        patientId,
        resourceType: 'allergy',
        resourceId: row.id,
      });
  };

  async recordAllergy(p: Principal, actor: AuditActor, patientId: string, input: AllergyInput): Promise<Allergy> {
    const row = await this.create(
      p,
      actor,
      patientId,
      'allergy',
      async (tx, patient) => {
        await repo.lockPatient(tx, patientId);
        const issues: FieldIssue[] = [];
        const values = this.allergyValues(
          issues,
          {
            substanceCode: input.substanceCode ?? null,
            substance: input.substance,
            category: input.category,
            onsetDate: input.onsetDate ?? null,
          },
          patient.birthDate,
        );
        if (issues.length) throw new Invalid(issues);
        return {
          ...values,
          type: input.type ?? 'allergy',
          reaction: input.reaction ?? null,
          manifestations: input.manifestations ?? [],
          severity: input.severity ?? null,
          criticality: input.criticality ?? 'unable_to_assess',
          verificationStatus: input.verificationStatus ?? 'unconfirmed',
          status: input.status ?? 'active',
          note: input.note ?? null,
        };
      },
      this.clearNka(p, actor, patientId),
    );
    return toAllergy(row);
  }

  async updateAllergy(p: Principal, actor: AuditActor, patientId: string, id: string, patch: AllergyPatch): Promise<Allergy> {
    const row = await this.change(
      p,
      actor,
      patientId,
      'allergy',
      id,
      patch.version,
      async (tx, cur, patient) => {
        await repo.lockPatient(tx, patientId);
        const issues: FieldIssue[] = [];
        const substanceCode = patch.substanceCode === undefined ? cur.substanceCode : patch.substanceCode;
        const values = this.allergyValues(
          issues,
          {
            substanceCode,
            // a new substance code brings its own name unless one is sent
            substance:
              patch.substance ??
              (patch.substanceCode !== undefined && substanceCode !== cur.substanceCode ? undefined : cur.substance),
            category:
              patch.category ??
              (patch.substanceCode !== undefined && substanceCode !== cur.substanceCode ? undefined : cur.category),
            onsetDate: patch.onsetDate === undefined ? cur.onsetDate : patch.onsetDate,
          },
          patient.birthDate,
        );
        if (issues.length) throw new Invalid(issues);
        const pick = <K extends keyof AllergyPatch & keyof repo.AllergyRow>(k: K) =>
          (patch[k] === undefined ? cur[k] : patch[k]) as repo.AllergyRow[K];
        return {
          ...values,
          type: pick('type'),
          reaction: pick('reaction'),
          manifestations: pick('manifestations'),
          severity: pick('severity'),
          criticality: pick('criticality'),
          verificationStatus: pick('verificationStatus'),
          status: pick('status'),
          note: pick('note'),
        };
      },
      (before, after) =>
        after.verificationStatus === 'entered_in_error' && before.verificationStatus !== 'entered_in_error'
          ? 'entered_in_error'
          : after.status === 'resolved' && before.status !== 'resolved'
            ? 'resolved'
            : 'updated',
      this.clearNka(p, actor, patientId),
    );
    return toAllergy(row);
  }

  /**
   * States "no known allergies": refused (409 ALLERGIES_RECORDED) while the patient has an active
   * allergy. Answers the allergy list as it now stands (its read audited with the statement).
   */
  async stateNoKnownAllergies(p: Principal, actor: AuditActor, patientId: string): Promise<AllergyList> {
    const list = await runAudited(this.db, actor, async (tx) => {
      await this.patient(tx, p, patientId, WRITE, 'allergies.no_known');
      await repo.lockPatient(tx, patientId);
      const rows = await repo.listItems(tx, 'allergy', patientId);
      const active = rows.filter(isActiveAllergy);
      if (active.length)
        throw new Conflict(
          'The patient has active allergies: mark them refuted, resolved or entered in error first',
          'ALLERGIES_RECORDED',
          { ids: active.map((a) => a.id) },
        );
      await repo.stateNoKnownAllergies(tx, patientId, p.clinicId!, p.userId);
      await writeAudit(tx, actor, { action: 'allergies.no_known', patientId, resourceType: 'patient', resourceId: patientId });
      return this.allergyList(tx, actor, patientId, ACTION.allergy.read);
    });
    this.changed(p, patientId, 'allergy');
    return list;
  }

  // ------------------------------------------------------------------ history

  private historyValues(issues: FieldIssue[], kind: HistoryKind, v: HistoryFields, birthDate: string) {
    const refuse = (field: keyof HistoryFields, why: string) => {
      if (v[field] !== undefined && v[field] !== null) issues.push(issue(field, why));
    };
    if (kind === 'social') {
      for (const f of ['condition', 'relation', 'date'] as const) refuse(f, 'is not part of a social history entry');
      if (!v.tobacco && !v.alcohol && !v.occupation)
        issues.push({
          field: 'tobacco',
          code: 'required',
          message: 'a social history entry needs tobacco, alcohol or occupation',
        });
      if (v.packYears != null && v.tobacco !== 'former' && v.tobacco !== 'current')
        issues.push(issue('packYears', 'only for a former or current smoker'));
      if (v.unitsPerWeek != null && v.alcohol !== 'occasional' && v.alcohol !== 'regular')
        issues.push(issue('unitsPerWeek', 'only for someone who drinks'));
    } else {
      for (const f of ['tobacco', 'packYears', 'alcohol', 'unitsPerWeek', 'occupation'] as const)
        refuse(f, `is part of the social history only, not of a ${kind} entry`);
      if (!v.condition) issues.push({ field: 'condition', code: 'required', message: `is required for a ${kind} history entry` });
      if (kind === 'family') {
        if (!v.relation) issues.push({ field: 'relation', code: 'required', message: 'is required for a family history entry' });
        refuse('date', 'is not part of a family history entry');
      } else refuse('relation', `is part of the family history only, not of a ${kind} entry`);
      if (kind !== 'family') checkLifeDate(issues, 'date', v.date, birthDate, this.now());
    }
    return {
      condition: v.condition ?? null,
      relation: v.relation ?? null,
      date: v.date ?? null,
      tobacco: v.tobacco ?? null,
      packYears: v.packYears ?? null,
      alcohol: v.alcohol ?? null,
      unitsPerWeek: v.unitsPerWeek ?? null,
      occupation: v.occupation ?? null,
      note: v.note ?? null,
    };
  }

  async recordHistory(p: Principal, actor: AuditActor, patientId: string, input: HistoryInput): Promise<HistoryEntry> {
    const row = await this.create(p, actor, patientId, 'history', async (_tx, patient) => {
      const issues: FieldIssue[] = [];
      const { kind, ...rest } = input;
      const values = this.historyValues(issues, kind, rest, patient.birthDate);
      if (issues.length) throw new Invalid(issues);
      return { kind, ...values, status: 'recorded' as const };
    });
    return toHistory(row);
  }

  async updateHistory(
    p: Principal,
    actor: AuditActor,
    patientId: string,
    id: string,
    patch: HistoryPatch,
  ): Promise<HistoryEntry> {
    const row = await this.change(
      p,
      actor,
      patientId,
      'history',
      id,
      patch.version,
      async (_tx, cur, patient) => {
        const issues: FieldIssue[] = [];
        const { version: _v, status, ...fields } = patch;
        const merged = Object.fromEntries(
          (
            ['condition', 'relation', 'date', 'tobacco', 'packYears', 'alcohol', 'unitsPerWeek', 'occupation', 'note'] as const
          ).map((f) => [f, fields[f] === undefined ? cur[f] : fields[f]]),
        ) as HistoryFields;
        const values = this.historyValues(issues, cur.kind, merged, patient.birthDate);
        if (issues.length) throw new Invalid(issues);
        return { ...values, status: status ?? cur.status };
      },
      (before, after) =>
        after.status === 'entered_in_error' && before.status !== 'entered_in_error' ? 'entered_in_error' : 'updated',
    );
    return toHistory(row);
  }

  /** The patients module runs this when it merges a duplicate into a survivor. */
  /**
   * For other modules (the medication checks), inside the caller's transaction: the patient's
   * allergies as the chart lists them. The caller has decided access and audits its own read.
   */
  allergiesOf = async (tx: Tx, patientId: string): Promise<Allergy[]> =>
    (await repo.listItems(tx, 'allergy', patientId)).map(toAllergy);

  mergePatients = (tx: Tx, fromId: string, toId: string): Promise<void> => repo.moveAll(tx, fromId, toId);
}

// ------------------------------------------------------------------ answers

const stampsOf = (r: (repo.ProblemRow | repo.AllergyRow | repo.HistoryRow) & repo.Names) => ({
  version: r.version,
  createdAt: r.createdAt.toISOString(),
  createdBy: { id: r.createdBy, name: r.createdByName },
  updatedAt: r.updatedAt.toISOString(),
  updatedBy: { id: r.updatedBy, name: r.updatedByName },
});

function toProblem(r: repo.ProblemRow & repo.Names): Problem {
  return {
    id: r.id,
    patientId: r.patientId,
    clinicId: r.clinicId,
    code: r.code,
    description: r.description,
    status: r.status,
    onsetDate: r.onsetDate,
    resolutionDate: r.resolutionDate,
    note: r.note,
    ...stampsOf(r),
  };
}

function toAllergy(r: repo.AllergyRow & repo.Names): Allergy {
  return {
    id: r.id,
    patientId: r.patientId,
    clinicId: r.clinicId,
    substanceCode: r.substanceCode,
    substance: r.substance,
    type: r.type,
    category: r.category,
    reaction: r.reaction,
    manifestations: r.manifestations,
    severity: r.severity,
    criticality: r.criticality,
    verificationStatus: r.verificationStatus,
    status: r.status,
    onsetDate: r.onsetDate,
    note: r.note,
    ...stampsOf(r),
  };
}

function toHistory(r: repo.HistoryRow & repo.Names): HistoryEntry {
  return {
    id: r.id,
    patientId: r.patientId,
    clinicId: r.clinicId,
    kind: r.kind,
    condition: r.condition,
    relation: r.relation,
    date: r.date,
    tobacco: r.tobacco,
    packYears: r.packYears === null ? null : Number(r.packYears),
    alcohol: r.alcohol,
    unitsPerWeek: r.unitsPerWeek,
    occupation: r.occupation,
    note: r.note,
    status: r.status,
    ...stampsOf(r),
  };
}

const CRITICALITY_RANK = { high: 0, unable_to_assess: 1, low: 2 } as const;
/** Active allergies first, the high-criticality ones first among them; then the rest, oldest first. */
function allergyOrder(a: Allergy, b: Allergy): number {
  const act = Number(isActiveAllergy(b)) - Number(isActiveAllergy(a));
  if (act) return act;
  return CRITICALITY_RANK[a.criticality] - CRITICALITY_RANK[b.criticality];
}
