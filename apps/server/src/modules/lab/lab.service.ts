import { ageInDays, codedFlag, isCritical, numericFlag, selectRange } from '@sanita/clinical/lab/ranges';
import type { FieldIssue } from '@sanita/contracts/common';
import type {
  LabOrderStatus,
  CancelLabOrderInput,
  CollectInput,
  CreateLabOrderInput,
  EnterResultsInput,
  LabFlag,
  LabOrder,
  LabOrderItem,
  LabResult,
  LinkDocumentInput,
  PatientOrdersQuery,
  PortalHoldInput,
  PortalLabResult,
  ReceiveInput,
  ResultCell,
  ResultIdsInput,
  ResultsTable,
  ResultsTableQuery,
  Trend,
  TrendQuery,
  WorklistCounts,
  WorklistCountsQuery,
  WorklistQuery,
} from '@sanita/contracts/lab';
import type { Principal } from '../../platform/access.ts';
import { systemActor, writeAudit, type AuditActor, type AuditEntry } from '../../platform/audit/audit.ts';
import { denied, runAudited } from '../../platform/audit/audited.ts';
import type { Db, Executor, Tx } from '../../platform/db/database.ts';
import { Conflict, DomainError, Forbidden, Invalid, NotFound } from '../../platform/errors.ts';
import { decidePatientAccess, patientRefusal, planPatientAccess, type PatientAccessRule } from '../../platform/patient-access.ts';
import type { EventBus, Room } from '../../platform/realtime/events.ts';
import { newVerificationCode } from '../../platform/verification.ts';
import { TxHooks } from '../../platform/tx-hooks.ts';
import type { ErrorCode } from '@sanita/contracts/catalogue';
import type { LabAlertsService, RaisedLabAlerts } from './alerts.service.ts';
import type { LabCatalogueService } from './catalogue.service.ts';
import { rangeOf, valueText } from './lab.format.ts';
import { labelsPdf } from './lab.label.ts';
import { reportPdf } from './lab.pdf.ts';
import * as repo from './lab.repository.ts';
import { convert, validUnit } from './lab.units.ts';

/** The lab room of a clinic: whoever works its worklist. */
export const labRoom = (clinicId: string): Room => `lab:${clinicId}`;
const chartRoom = (clinicId: string): Room => `chart:${clinicId}`;
const userRoom = (userId: string): Room => `user:${userId}`;

const READ: PatientAccessRule = { permission: 'lab:read' };
const ORDER: PatientAccessRule = { permission: 'lab:order' };
const PROCESS: PatientAccessRule = { permission: 'lab:process' };
const VERIFY: PatientAccessRule = { permission: 'lab:verify' };
const PORTAL: PatientAccessRule = { permission: 'portal:self', self: true };

const HOUR = 3_600_000;

/** 400 with a code of the lab's own (LAB_RESULT_VALUE, LAB_UNIT_INVALID), naming the field as other 400s do. */
export class LabInputError extends DomainError {
  readonly status = 400;
  constructor(code: ErrorCode, field: string, message: string) {
    super(code, `${field}: ${message}`, [{ field, code: code === 'LAB_UNIT_INVALID' ? 'unit' : 'value', message }]);
  }
}

const orderState = (status: string, message: string) => new Conflict(message, 'LAB_ORDER_STATE', { status });
const stale = (version: number) => new Conflict('This order was changed elsewhere', 'STALE_VERSION', { current: version });

/** Where a change leaves the order, to announce after the commit. */
interface Changed {
  order: Pick<repo.OrderRow, 'id' | 'patientId' | 'clinicId' | 'status' | 'orderedBy'>;
  releasedIds?: string[];
  alerts?: RaisedLabAlerts;
}

/** An observation from an outside laboratory (HL7 ORU^R01 OBX), its test already matched. */
export interface ExternalObservation {
  testId: string;
  valueNumeric?: number | null;
  valueCode?: string | null;
  valueText?: string | null;
  unit?: string | null;
  abnormalFlag?: string | null;
  observedAt?: Date | string | null;
  comment?: string | null;
}

const HL7_FLAGS: Record<string, LabFlag> = { H: 'H', L: 'L', HH: 'HH', LL: 'LL', A: 'A', AA: 'A', '>': 'H', '<': 'L' };

/** Orders, the worklist, results, verification and release, a patient's results. */
export class LabService {
  /** Run inside the transaction that creates an order (the HL7 interface queues the outbound ORM there; billing captures the charges). */
  readonly orderCreated = new TxHooks<string>();
  /** Run inside the transaction that cancels an order (billing takes its charges off the patient's draft). */
  readonly orderCancelled = new TxHooks<string>();

  constructor(
    private readonly db: Db,
    private readonly events: EventBus,
    private readonly catalogue: LabCatalogueService,
    private readonly alerts: LabAlertsService,
    private readonly publicUrl: string = '',
  ) {}

  // ------------------------------------------------------------------ access

  private isLab = (p: Principal) => !p.patientId && p.permissions.has('lab:process');

  private async patient(tx: Tx, p: Principal, patientId: string, rule: PatientAccessRule, action: string) {
    const plan = planPatientAccess(p, patientId, rule);
    const found = await repo.patientAt(tx, patientId, p.clinicId);
    let verdict = decidePatientAccess(plan, found);
    if (verdict === 'ok' && found!.status === 'merged') verdict = 'hidden';
    if (verdict !== 'ok') throw patientRefusal(verdict, patientId, !!found, action);
    return found!;
  }

  /**
   * An order reached by the patient-access path: the rule's permission (403), the patient registered
   * at the active clinic (404), and for a change the order written there (another clinic's looks like none).
   */
  private async order(
    tx: Tx,
    p: Principal,
    id: string,
    rule: PatientAccessRule,
    action: string,
    opts: { atClinic: boolean; lock?: boolean; version?: number },
  ): Promise<repo.OrderRow> {
    const row = await repo.orderById(tx, id, opts.lock);
    if (planPatientAccess(p, row?.patientId ?? id, rule).verdict === 'forbidden')
      throw denied(new Forbidden(), action, { type: 'lab_order', id }, row?.patientId ?? null);
    if (!row) throw denied(new NotFound('Lab order not found'), action, { type: 'lab_order', id });
    await this.patient(tx, p, row.patientId, rule, action);
    if (opts.atClinic && row.clinicId !== p.clinicId)
      throw denied(new NotFound('Lab order not found'), action, { type: 'lab_order', id }, row.patientId);
    if (opts.version !== undefined && opts.version !== row.version) throw stale(row.version);
    return row;
  }

  // ------------------------------------------------------------------ views

  private async views(tx: Executor, rows: repo.OrderRow[], seeAll: boolean): Promise<LabOrder[]> {
    const ids = rows.map((r) => r.id);
    const [items, specimens, results, documents] = await Promise.all([
      repo.itemsOf(tx, ids),
      repo.specimensOf(tx, ids),
      repo.resultsOf(tx, ids, !seeAll),
      repo.documentIdsOf(tx, ids),
    ]);
    const tests = await repo.testsByIds(tx, [...new Set(items.map((i) => i.testId))]);
    const members = await repo.membersOf(
      tx,
      [...tests.values()].filter((t) => t.kind === 'panel').map((t) => t.id),
    );
    const specimenById = new Map(specimens.map((s) => [s.id, s]));
    return rows.map((o) => {
      const itemViews = items
        .filter((i) => i.orderId === o.id)
        .map((i): LabOrderItem => {
          const test = tests.get(i.testId)!;
          const on = (i.specimenId && specimenById.get(i.specimenId)?.collectedAt) || new Date().toISOString();
          const age = ageInDays(o.birthDate, on);
          return {
            id: i.id,
            testId: test.id,
            code: test.code,
            name: test.name,
            nameFr: test.nameFr,
            kind: test.kind,
            specimenId: i.specimenId,
            expected: expectedOf(test, members).map((t) => ({
              testId: t.id,
              code: t.code,
              name: t.name,
              nameFr: t.nameFr,
              resultType: t.resultType,
              unit: t.unit,
              answers: t.answers,
              requiresVerification: t.requiresVerification,
              range: selectRange(t.ranges, o.sex, age),
            })),
            results: results.filter((r) => r.orderItemId === i.id).map(toResult),
          };
        });
      return {
        id: o.id,
        number: o.number,
        clinicId: o.clinicId,
        patient: { id: o.patientId, name: o.patientName, mrn: o.mrn, birthDate: o.birthDate, sex: o.sex },
        encounterId: o.encounterId,
        orderedBy: o.orderedBy ? { id: o.orderedBy, name: o.orderedByName ?? '' } : null,
        orderedAt: o.orderedAt,
        priority: o.priority,
        clinicalNotes: o.clinicalNotes,
        status: o.status,
        dueAt: o.dueAt,
        items: itemViews,
        specimens: specimens
          .filter((s) => s.orderId === o.id)
          .map((s) => ({
            id: s.id,
            accessionNumber: s.accessionNumber,
            specimenType: s.specimenType,
            collectedAt: s.collectedAt,
            collectedBy: s.collectedBy ? { id: s.collectedBy, name: s.collectedByName ?? '' } : null,
            receivedAt: s.receivedAt,
            receivedBy: s.receivedBy ? { id: s.receivedBy, name: s.receivedByName ?? '' } : null,
          })),
        documentIds: documents.get(o.id) ?? [],
        cancelledReason: o.cancelledReason,
        version: o.version,
      };
    });
  }

  private async view(tx: Executor, id: string, seeAll: boolean): Promise<LabOrder> {
    return (await this.views(tx, [(await repo.orderById(tx, id))!], seeAll))[0]!;
  }

  /** After the commit: the lab and the chart rooms hear of the change; released results and critical alerts too. */
  private async announce(c: Changed): Promise<void> {
    const o = c.order;
    const rooms: Room[] = [labRoom(o.clinicId), chartRoom(o.clinicId)];
    this.events.publish(
      'lab.order.changed',
      { orderId: o.id, patientId: o.patientId, clinicId: o.clinicId, status: o.status },
      rooms,
    );
    if (c.releasedIds?.length)
      this.events.publish(
        'lab.results.released',
        { orderId: o.id, patientId: o.patientId, clinicId: o.clinicId, resultIds: c.releasedIds },
        [...rooms, ...(o.orderedBy ? [userRoom(o.orderedBy)] : [])],
      );
    if (c.alerts?.ids.length) await this.alerts.announce(c.alerts);
  }

  // ------------------------------------------------------------------ orders

  /**
   * Orders tests from an encounter in progress of the patient at the active clinic (lab:order). The
   * placer order number is LAB-<clinic prefix>-000123; due in 1 h (stat), 4 h (urgent) or the longest
   * turnaround of its tests (routine). Listeners of `orderCreated` run in the same transaction.
   */
  async create(p: Principal, actor: AuditActor, patientId: string, input: CreateLabOrderInput): Promise<LabOrder> {
    const action = 'lab_order.create';
    const issues: FieldIssue[] = [];
    input.testIds.forEach((id, i) => {
      if (input.testIds.indexOf(id) !== i)
        issues.push({ field: `testIds/${i}`, code: 'uniqueItems', message: 'names a test twice' });
    });
    if (issues.length) throw new Invalid(issues);
    const { order, view } = await runAudited(this.db, actor, async (tx) => {
      await this.patient(tx, p, patientId, ORDER, action);
      const enc = await repo.encounterOf(tx, input.encounterId);
      if (!enc || enc.clinicId !== p.clinicId || enc.patientId !== patientId)
        throw new Invalid([
          { field: 'encounterId', code: 'invalid', message: 'is not a consultation of this patient at this clinic' },
        ]);
      if (enc.status !== 'in_progress') throw new Conflict('This consultation is closed', 'ENCOUNTER_CLOSED');
      const tests = await repo.testsByIds(tx, input.testIds);
      input.testIds.forEach((id, i) => {
        if (!tests.has(id)) issues.push({ field: `testIds/${i}`, code: 'invalid', message: 'is not a test of the catalogue' });
      });
      if (issues.length) throw new Invalid(issues);
      const inactive = input.testIds.findIndex((id) => !tests.get(id)!.active);
      if (inactive >= 0)
        throw new Conflict(`${tests.get(input.testIds[inactive]!)!.name} was withdrawn from the catalogue`, 'LAB_TEST_INACTIVE', [
          { field: `testIds/${inactive}`, message: 'was withdrawn from the catalogue' },
        ]);
      const priority = input.priority ?? 'routine';
      const now = new Date();
      const hours =
        priority === 'stat'
          ? 1
          : priority === 'urgent'
            ? 4
            : Math.max(...input.testIds.map((id) => tests.get(id)!.turnaroundHours));
      const id = await repo.insertOrder(tx, {
        number: await repo.nextOrderNumber(tx, enc.clinicId),
        clinicId: enc.clinicId,
        patientId,
        encounterId: enc.id,
        orderedBy: p.userId,
        orderedAt: now,
        priority,
        clinicalNotes: input.clinicalNotes?.trim() || null,
        dueAt: new Date(now.getTime() + hours * HOUR),
        verificationCode: newVerificationCode(),
      });
      for (const [n, testId] of input.testIds.entries()) await repo.insertItem(tx, id, testId, n);
      await this.orderCreated.run(tx, id);
      await writeAudit(tx, actor, {
        action,
        patientId,
        resourceType: 'lab_order',
        resourceId: id,
        details: { encounterId: enc.id, testIds: input.testIds, priority },
      });
      const row = (await repo.orderById(tx, id))!;
      return { order: row, view: await this.view(tx, id, this.isLab(p)) };
    });
    await this.announce({ order });
    return view;
  }

  /** A patient's orders, newest first (lab:read); the lab sees every result, others the released ones. Audited. */
  async listForPatient(p: Principal, actor: AuditActor, patientId: string, q: PatientOrdersQuery): Promise<{ data: LabOrder[] }> {
    const action = 'lab_order.list';
    return runAudited(this.db, actor, async (tx) => {
      await this.patient(tx, p, patientId, READ, action);
      const ids = await repo.patientOrderIds(tx, patientId, {
        status: q.status,
        encounterId: q.encounterId,
        limit: q.limit ?? 50,
      });
      const data = await this.views(tx, await repo.ordersByIds(tx, ids), this.isLab(p));
      await writeAudit(tx, actor, {
        action,
        patientId,
        resourceType: 'patient',
        resourceId: patientId,
        details: { orderIds: ids, resultIds: data.flatMap((o) => o.items.flatMap((i) => i.results.map((r) => r.id))) },
      });
      return { data };
    });
  }

  async get(p: Principal, actor: AuditActor, id: string): Promise<LabOrder> {
    const action = 'lab_order.read';
    return runAudited(this.db, actor, async (tx) => {
      const o = await this.order(tx, p, id, READ, action, { atClinic: false });
      const view = await this.view(tx, id, this.isLab(p));
      await writeAudit(tx, actor, {
        action,
        patientId: o.patientId,
        resourceType: 'lab_order',
        resourceId: id,
        details: { resultIds: view.items.flatMap((i) => i.results.map((r) => r.id)) },
      });
      return view;
    });
  }

  /** Cancels an order not yet collected (lab:order); 409 LAB_ORDER_STATE after. */
  async cancel(p: Principal, actor: AuditActor, id: string, input: CancelLabOrderInput): Promise<LabOrder> {
    return this.change(p, actor, id, ORDER, 'lab_order.cancel', input.version, async (tx, o) => {
      if (o.status !== 'ordered') throw orderState(o.status, `The order is ${o.status}: it can no longer be cancelled`);
      await repo.setOrderStatus(tx, o.id, 'cancelled', { cancelledReason: input.reason.trim(), cancelledBy: p.userId });
      await this.orderCancelled.run(tx, o.id);
      return { details: { reason: input.reason.trim() } };
    });
  }

  /** One change of an order at the active clinic, audited, announced after the commit. */
  private async change(
    p: Principal,
    actor: AuditActor,
    id: string,
    rule: PatientAccessRule,
    action: string,
    version: number | undefined,
    fn: (
      tx: Tx,
      o: repo.OrderRow,
    ) => Promise<{ details: Record<string, unknown>; releasedIds?: string[]; alerts?: RaisedLabAlerts }>,
  ): Promise<LabOrder> {
    const { changed, view } = await runAudited(this.db, actor, async (tx) => {
      const o = await this.order(tx, p, id, rule, action, { atClinic: true, lock: true, version });
      const done = await fn(tx, o);
      await writeAudit(tx, actor, {
        action,
        patientId: o.patientId,
        resourceType: 'lab_order',
        resourceId: id,
        details: done.details,
      });
      const order = (await repo.orderById(tx, id))!;
      return {
        changed: { order, releasedIds: done.releasedIds, alerts: done.alerts },
        view: await this.view(tx, id, this.isLab(p)),
      };
    });
    await this.announce(changed);
    return view;
  }

  // ------------------------------------------------------------------ the worklist

  /** The active clinic's open orders at a step, stat first then oldest (lab:process); audited with the orders shown. */
  async worklist(p: Principal, actor: AuditActor, q: WorklistQuery): Promise<{ data: LabOrder[] }> {
    const action = 'lab.worklist.read';
    return runAudited(this.db, actor, async (tx) => {
      if (p.patientId || !p.clinicId || !p.permissions.has('lab:process'))
        throw denied(new Forbidden(), action, { type: 'clinic', id: p.clinicId ?? p.userId });
      const ids = await repo.worklistIds(tx, p.clinicId, { step: q.step, q: q.q, limit: q.limit ?? 100 });
      const rows = await repo.ordersByIds(tx, ids);
      await writeAudit(tx, actor, {
        action,
        resourceType: 'clinic',
        resourceId: p.clinicId,
        details: { step: q.step ?? null, orderIds: ids, patientIds: [...new Set(rows.map((r) => r.patientId))] },
      });
      return { data: await this.views(tx, rows, true) };
    });
  }

  /** How many orders wait at each step of the worklist (the tabs' and the home panel's counts); audited with the search. */
  async worklistCounts(p: Principal, actor: AuditActor, q: WorklistCountsQuery): Promise<WorklistCounts> {
    const action = 'lab.worklist.count';
    return runAudited(this.db, actor, async (tx) => {
      if (p.patientId || !p.clinicId || !p.permissions.has('lab:process'))
        throw denied(new Forbidden(), action, { type: 'clinic', id: p.clinicId ?? p.userId });
      const counts = await repo.worklistCounts(tx, p.clinicId, q.q);
      await writeAudit(tx, actor, { action, resourceType: 'clinic', resourceId: p.clinicId, details: { q: q.q ?? null } });
      return counts;
    });
  }

  /** Collects the specimens: one per specimen type of the ordered tests, each with a new accession number. */
  async collect(p: Principal, actor: AuditActor, id: string, input: CollectInput): Promise<LabOrder> {
    const at = input.collectedAt ? new Date(input.collectedAt) : new Date();
    if (at.getTime() > Date.now() + 5 * 60_000)
      throw new Invalid([{ field: 'collectedAt', code: 'invalid', message: 'is in the future' }]);
    return this.change(p, actor, id, PROCESS, 'lab_order.collect', input.version, async (tx, o) => {
      if (o.status !== 'ordered') throw orderState(o.status, `The order is ${o.status}: its specimens were already taken`);
      if (at.getTime() < Date.parse(o.orderedAt) - 60_000)
        throw new Invalid([{ field: 'collectedAt', code: 'invalid', message: 'is before the order was written' }]);
      const items = await repo.itemsOf(tx, [o.id]);
      const tests = await repo.testsByIds(tx, [...new Set(items.map((i) => i.testId))]);
      const byType = new Map<string, string>();
      const accessions: string[] = [];
      for (const item of items) {
        const type = tests.get(item.testId)!.specimenType;
        let specimenId = byType.get(type);
        if (!specimenId) {
          const accessionNumber = await repo.nextAccessionNumber(tx);
          accessions.push(accessionNumber);
          specimenId = await repo.insertSpecimen(tx, {
            orderId: o.id,
            accessionNumber,
            specimenType: type,
            collectedAt: at,
            collectedBy: p.userId,
          });
          byType.set(type, specimenId);
        }
        await repo.setItemSpecimen(tx, item.id, specimenId);
      }
      await repo.setOrderStatus(tx, o.id, 'collected');
      return { details: { accessionNumbers: accessions, collectedAt: at.toISOString() } };
    });
  }

  /** The specimens reached the bench. */
  async receive(p: Principal, actor: AuditActor, id: string, input: ReceiveInput): Promise<LabOrder> {
    return this.change(p, actor, id, PROCESS, 'lab_order.receive', input.version, async (tx, o) => {
      if (o.status !== 'collected') throw orderState(o.status, `The order is ${o.status}: there is no specimen on its way`);
      await repo.receiveSpecimens(tx, o.id, p.userId, new Date());
      await repo.setOrderStatus(tx, o.id, 'received');
      return { details: {} };
    });
  }

  // ------------------------------------------------------------------ results

  /**
   * Enters results (all or none): each value fits its test (400 LAB_RESULT_VALUE naming
   * `results/<i>/valueNumeric`…), a unit is UCUM and converts to the test's (400 LAB_UNIT_INVALID);
   * flagged against the range of the patient's sex and age on the collection day; replaces an
   * unreleased result of the same analyte.
   */
  async enterResults(p: Principal, actor: AuditActor, id: string, input: EnterResultsInput): Promise<LabOrder> {
    return this.change(p, actor, id, PROCESS, 'lab_result.enter', input.version, async (tx, o) => {
      if (o.status !== 'received' && o.status !== 'in_progress')
        throw orderState(o.status, `The order is ${o.status}: results are entered once its specimens are received`);
      const items = new Map((await repo.itemsOf(tx, [o.id])).map((i) => [i.id, i]));
      const tests = await repo.testsByIds(tx, [...new Set([...items.values()].map((i) => i.testId))]);
      const members = await repo.membersOf(
        tx,
        [...tests.values()].filter((t) => t.kind === 'panel').map((t) => t.id),
      );
      const specimens = new Map((await repo.specimensOf(tx, [o.id])).map((s) => [s.id, s]));
      const existing = new Map((await repo.resultsOf(tx, [o.id], false)).map((r) => [`${r.orderItemId}:${r.testId}`, r]));
      const issues: FieldIssue[] = [];
      const seen = new Set<string>();
      const plan: { i: number; item: repo.ItemRow; test: repo.TestRow }[] = [];
      input.results.forEach((r, i) => {
        const item = items.get(r.orderItemId);
        if (!item)
          return void issues.push({
            field: `results/${i}/orderItemId`,
            code: 'invalid',
            message: 'is not an item of this order',
          });
        const test = expectedOf(tests.get(item.testId)!, members).find((t) => t.id === r.testId);
        if (!test)
          return void issues.push({ field: `results/${i}/testId`, code: 'invalid', message: 'is not a test of this item' });
        const key = `${item.id}:${test.id}`;
        if (seen.has(key))
          return void issues.push({ field: `results/${i}/testId`, code: 'uniqueItems', message: 'is entered twice' });
        seen.add(key);
        plan.push({ i, item, test });
      });
      if (issues.length) throw new Invalid(issues);
      const ids: string[] = [];
      for (const { i, item, test } of plan) {
        const prior = existing.get(`${item.id}:${test.id}`);
        if (prior && prior.status !== 'entered') throw orderState(o.status, `The result of ${test.name} was already released`);
        const specimen = item.specimenId ? specimens.get(item.specimenId) : undefined;
        const observedAt = specimen?.collectedAt ?? null;
        const value = judge(test, input.results[i]!, `results/${i}`, o, observedAt ?? new Date().toISOString());
        ids.push(
          await repo.upsertResult(tx, {
            ...value,
            comment: input.results[i]!.comment?.trim() || null,
            observedAt,
            orderId: o.id,
            orderItemId: item.id,
            testId: test.id,
            patientId: o.patientId,
            clinicId: o.clinicId,
            status: 'entered',
            source: 'manual',
            sourceMessageId: null,
            userId: p.userId,
            released: false,
          }),
        );
      }
      if (o.status === 'received') await repo.setOrderStatus(tx, o.id, 'in_progress');
      else await repo.bumpOrder(tx, o.id);
      return { details: { resultIds: ids } };
    });
  }

  /**
   * Technical verification by a second person (lab:verify): the one who entered a result may not
   * (409 LAB_SELF_VERIFICATION). Verifying releases the results to the doctor at once.
   */
  async verify(p: Principal, actor: AuditActor, id: string, input: ResultIdsInput): Promise<LabOrder> {
    return this.change(p, actor, id, VERIFY, 'lab_result.verify', input.version, async (tx, o) => {
      const rows = await this.pick(tx, o, input.resultIds);
      for (const r of rows)
        if (r.enteredBy === p.userId)
          throw new Conflict(`You entered the result of ${r.name}: someone else verifies it`, 'LAB_SELF_VERIFICATION', {
            resultId: r.id,
          });
      await repo.verifyResults(tx, input.resultIds, p.userId);
      return this.released(tx, actor, o, rows, true);
    });
  }

  /** Releases entered results of tests that need no verification (lab:process); one that does → 409 LAB_ORDER_STATE. */
  async release(p: Principal, actor: AuditActor, id: string, input: ResultIdsInput): Promise<LabOrder> {
    return this.change(p, actor, id, PROCESS, 'lab_result.release', input.version, async (tx, o) => {
      const rows = await this.pick(tx, o, input.resultIds);
      for (const r of rows)
        if (r.requiresVerification)
          throw orderState(o.status, `The result of ${r.name} needs verification by a second person before release`);
      await repo.releaseResults(tx, input.resultIds, p.userId);
      return this.released(tx, actor, o, rows, false);
    });
  }

  /** The named results of the order, each entered and not yet released. */
  private async pick(tx: Tx, o: repo.OrderRow, ids: string[]): Promise<repo.ResultRow[]> {
    const all = new Map((await repo.resultsOf(tx, [o.id], false)).map((r) => [r.id, r]));
    const issues: FieldIssue[] = [];
    ids.forEach((rid, i) => {
      if (!all.has(rid)) issues.push({ field: `resultIds/${i}`, code: 'invalid', message: 'is not a result of this order' });
      else if (ids.indexOf(rid) !== i)
        issues.push({ field: `resultIds/${i}`, code: 'uniqueItems', message: 'names a result twice' });
    });
    if (issues.length) throw new Invalid(issues);
    const rows = ids.map((rid) => all.get(rid)!);
    const done = rows.find((r) => r.status !== 'entered');
    if (done) throw orderState(o.status, `The result of ${done.name} was already released`);
    return rows;
  }

  /** In the releasing transaction: critical values raise their alerts; the order completes when every result is out. */
  private async released(tx: Tx, actor: AuditActor, o: repo.OrderRow, rows: repo.ResultRow[], verified: boolean) {
    const alerts = await this.alerts.raise(
      tx,
      actor,
      rows
        .filter((r) => r.critical)
        .map((r) => ({ resultId: r.id, orderId: o.id, patientId: o.patientId, clinicId: o.clinicId, orderedBy: o.orderedBy })),
    );
    const status = await this.settle(tx, o);
    return {
      details: { resultIds: rows.map((r) => r.id), verified, completed: status === 'completed' },
      releasedIds: rows.map((r) => r.id),
      alerts,
    };
  }

  /** The order's status once results changed: completed when every expected result is released, else in progress. */
  private async settle(tx: Tx, o: { id: string; status: string }): Promise<LabOrderStatus> {
    const items = await repo.itemsOf(tx, [o.id]);
    const tests = await repo.testsByIds(tx, [...new Set(items.map((i) => i.testId))]);
    const members = await repo.membersOf(
      tx,
      [...tests.values()].filter((t) => t.kind === 'panel').map((t) => t.id),
    );
    const released = await repo.releasedByItem(tx, o.id);
    const complete = items.every((i) => expectedOf(tests.get(i.testId)!, members).every((t) => released.has(`${i.id}:${t.id}`)));
    const status = complete ? 'completed' : 'in_progress';
    if (status !== o.status) await repo.setOrderStatus(tx, o.id, status);
    else await repo.bumpOrder(tx, o.id);
    return status;
  }

  /**
   * The doctor holds a released result back from the portal, or lets it through (lab:order). A
   * critical result stays off the portal until its alert is acknowledged, whatever this says.
   */
  async portalHold(p: Principal, actor: AuditActor, resultId: string, input: PortalHoldInput): Promise<LabResult> {
    const action = 'lab_result.portal_hold';
    return runAudited(this.db, actor, async (tx) => {
      const r = await repo.resultById(tx, resultId, true);
      if (planPatientAccess(p, r?.patientId ?? resultId, ORDER).verdict === 'forbidden')
        throw denied(new Forbidden(), action, { type: 'lab_result', id: resultId }, r?.patientId ?? null);
      if (!r) throw denied(new NotFound('Result not found'), action, { type: 'lab_result', id: resultId });
      await this.order(tx, p, r.orderId, ORDER, action, { atClinic: true });
      if (input.version !== r.version)
        throw new Conflict('This result was changed elsewhere', 'STALE_VERSION', { current: r.version });
      if (r.status !== 'released') throw orderState(r.status, 'Only a released result reaches the portal');
      await repo.setPortalHold(tx, resultId, input.hold);
      await writeAudit(tx, actor, {
        action,
        patientId: r.patientId,
        resourceType: 'lab_result',
        resourceId: resultId,
        details: { hold: input.hold },
      });
      return toResult((await repo.resultById(tx, resultId))!);
    });
  }

  /** Links an uploaded outside report (a document of category lab_report of the same patient) to the order. */
  async linkDocument(p: Principal, actor: AuditActor, id: string, input: LinkDocumentInput): Promise<LabOrder> {
    const rule = p.permissions.has('lab:process') ? PROCESS : ORDER;
    return this.change(p, actor, id, rule, 'lab_order.document', undefined, async (tx, o) => {
      const doc = await repo.documentOf(tx, input.documentId);
      if (!doc || doc.patientId !== o.patientId || doc.category !== 'lab_report' || doc.status !== 'current')
        throw new Invalid([
          { field: 'documentId', code: 'invalid', message: "is not a current lab report of this order's patient" },
        ]);
      await repo.linkDocument(tx, o.id, doc.id, p.userId);
      await repo.bumpOrder(tx, o.id);
      return { details: { documentId: doc.id } };
    });
  }

  // ------------------------------------------------------------------ documents

  /** The barcode labels of the order's specimens (lab:process), audited. */
  async labels(p: Principal, actor: AuditActor, id: string): Promise<{ pdf: Buffer; filename: string }> {
    const action = 'lab_order.labels';
    return runAudited(this.db, actor, async (tx) => {
      const o = await this.order(tx, p, id, PROCESS, action, { atClinic: true });
      const view = await this.view(tx, id, true);
      if (!view.specimens.length) throw orderState(o.status, 'The specimens of this order were not collected yet');
      const clinic = await repo.clinicOf(tx, o.clinicId);
      await writeAudit(tx, actor, { action, patientId: o.patientId, resourceType: 'lab_order', resourceId: id });
      return { pdf: await labelsPdf({ clinic, order: view }), filename: `labels-${o.number}.pdf` };
    });
  }

  /** The lab report (released results), in the signed-document frame with a verification code; audited. */
  async report(p: Principal, actor: AuditActor, id: string): Promise<{ pdf: Buffer; filename: string }> {
    const action = 'lab_order.report';
    return runAudited(this.db, actor, async (tx) => {
      const o = await this.order(tx, p, id, READ, action, { atClinic: false });
      const view = await this.view(tx, id, false);
      const clinic = await repo.clinicOf(tx, o.clinicId);
      await writeAudit(tx, actor, {
        action,
        patientId: o.patientId,
        resourceType: 'lab_order',
        resourceId: id,
        details: { resultIds: view.items.flatMap((i) => i.results.map((r) => r.id)) },
      });
      const language = p.locale === 'fr' ? 'fr' : 'en';
      const names = await repo.testsByIds(
        tx,
        view.items.flatMap((i) => i.expected.map((e) => e.testId)),
      );
      return {
        pdf: await reportPdf({
          db: tx,
          order: view,
          clinic,
          code: o.verificationCode,
          language,
          publicUrl: this.publicUrl,
          frenchNames: new Map([...names.values()].map((t) => [t.id, t.nameFr])),
        }),
        filename: `${o.number}.pdf`,
      };
    });
  }

  /** The verification route's answer for a report's code: genuine (cancelled orders: cancelled). */
  verification = {
    verify: async (code: string) => {
      const r = await repo.orderByCode(this.db, code);
      if (!r) return null;
      return {
        status: r.status === 'cancelled' ? ('cancelled' as const) : ('genuine' as const),
        kind: 'lab_report',
        issuedAt: r.orderedAt,
        clinic: r.clinic,
      };
    },
  };

  // ------------------------------------------------------------------ a patient's results

  /** Tests as rows, collection days (the clinic's) as columns newest first; released results (the lab: all). Audited. */
  async table(p: Principal, actor: AuditActor, patientId: string, q: ResultsTableQuery): Promise<ResultsTable> {
    const action = 'lab_results.table';
    return runAudited(this.db, actor, async (tx) => {
      await this.patient(tx, p, patientId, READ, action);
      const rows = await repo.patientResults(tx, patientId, {
        releasedOnly: !this.isLab(p),
        from: q.from,
        to: q.to,
        days: q.columns ?? 12,
        limit: 5000,
      });
      const columns = [...new Set(rows.map((r) => r.day))].slice(0, q.columns ?? 12);
      const shown = rows.filter((r) => columns.includes(r.day));
      const tests = new Map<string, { row: ResultsTable['rows'][number] }>();
      for (const r of [...shown].reverse())
        if (!tests.has(r.testId))
          tests.set(r.testId, {
            row: {
              testId: r.testId,
              code: r.code,
              loinc: r.loinc,
              name: r.name,
              nameFr: r.nameFr,
              unit: r.unitOfTest,
              cells: columns.map(() => null),
            },
          });
      // newest first: the first result of a test on a day is that day's latest
      for (const r of shown) {
        const row = tests.get(r.testId)!.row;
        const c = columns.indexOf(r.day);
        if (!row.cells[c]) row.cells[c] = cellOf(r);
      }
      await writeAudit(tx, actor, {
        action,
        patientId,
        resourceType: 'patient',
        resourceId: patientId,
        details: { resultIds: shown.map((r) => r.id) },
      });
      return { columns, rows: [...tests.values()].map((t) => t.row).sort((a, b) => a.name.localeCompare(b.name)) };
    });
  }

  /** One numeric test over time (oldest first), with the patient's range today. Audited. */
  async trend(p: Principal, actor: AuditActor, patientId: string, q: TrendQuery): Promise<Trend> {
    const action = 'lab_results.trend';
    return runAudited(this.db, actor, async (tx) => {
      const patient = await this.patient(tx, p, patientId, READ, action);
      const test = (await repo.testsByIds(tx, [q.testId])).get(q.testId);
      if (!test) throw new Invalid([{ field: 'testId', code: 'invalid', message: 'is not a test of the catalogue' }]);
      const rows = await repo.patientResults(tx, patientId, {
        releasedOnly: !this.isLab(p),
        testId: q.testId,
        numericOnly: true,
        limit: q.limit ?? 100,
      });
      await writeAudit(tx, actor, {
        action,
        patientId,
        resourceType: 'patient',
        resourceId: patientId,
        details: { testId: q.testId, resultIds: rows.map((r) => r.id) },
      });
      return {
        testId: test.id,
        name: test.name,
        nameFr: test.nameFr,
        unit: test.unit,
        range: selectRange(test.ranges, patient.sex, ageInDays(patient.birthDate, new Date())),
        points: rows
          .reverse()
          .map((r) => ({ resultId: r.id, at: r.observedAt ?? r.enteredAt, value: Number(r.valueNumeric), flag: r.flag })),
      };
    });
  }

  /** My released results in the portal: not held, and a critical one only once acknowledged. Audited. */
  async portalList(p: Principal, actor: AuditActor): Promise<{ data: PortalLabResult[] }> {
    const action = 'lab_results.read';
    return runAudited(this.db, actor, async (tx) => {
      if (!p.patientId) throw denied(new Forbidden(), action, { type: 'patient', id: p.userId });
      await this.patient(tx, p, p.patientId, PORTAL, action);
      const rows = await repo.portalResults(tx, p.patientId, 500);
      await writeAudit(tx, actor, {
        action,
        patientId: p.patientId,
        resourceType: 'patient',
        resourceId: p.patientId,
        details: { resultIds: rows.map((r) => r.id), portal: true },
      });
      return {
        data: rows.map((r) => ({
          id: r.id,
          orderNumber: r.orderNumber,
          name: r.name,
          nameFr: r.nameFr,
          value: valueText(r, p.locale === 'fr' ? 'fr' : 'en'),
          unit: r.unit,
          rangeText: rangeOf(r.range, r.decimals, { answers: r.answers, language: p.locale === 'fr' ? 'fr' : 'en' }),
          flag: r.flag,
          observedAt: r.observedAt,
          releasedAt: r.releasedAt!,
        })),
      };
    });
  }

  // ------------------------------------------------------------------ for the HL7 interface (inside its transaction)

  /**
   * The order an outside message is about: by our placer order number, else by one of our accession
   * numbers (the filler order number), else the patient by MRN (not merged) with no order.
   */
  async matchExternal(
    tx: Executor,
    ref: { placerOrderNumber?: string | null; fillerOrderNumber?: string | null; mrn?: string | null },
  ): Promise<{ orderId: string; patientId: string; clinicId: string } | { patientId: string; clinicId: string } | null> {
    const orderId =
      (ref.placerOrderNumber && (await repo.orderOfNumber(tx, ref.placerOrderNumber.trim()))) ||
      (ref.fillerOrderNumber && (await repo.orderOfAccession(tx, ref.fillerOrderNumber.trim()))) ||
      null;
    if (orderId) {
      const o = (await repo.orderById(tx, orderId))!;
      return { orderId, patientId: o.patientId, clinicId: o.clinicId };
    }
    if (ref.mrn) {
      const pt = await repo.patientByMrn(tx, ref.mrn.trim());
      if (pt) return { patientId: pt.id, clinicId: pt.clinicId };
    }
    return null;
  }

  /**
   * Records an outside laboratory's results inside the caller's transaction: into the order (or a
   * new one with no encounter nor orderer), released at once (`source: 'hl7'`), flagged from our
   * range (else from the message's abnormal flag), critical ones raising alerts. A result of the
   * same test in the same order is replaced (a corrected result; a replay changes nothing new).
   * Call `announce()` after the commit.
   */
  async recordExternalResults(
    tx: Tx,
    input: {
      orderId?: string;
      patientId: string;
      clinicId: string;
      placerOrderNumber?: string | null;
      observedAt?: Date | string | null;
      messageId: string;
      observations: ExternalObservation[];
    },
  ): Promise<{ orderId: string; resultIds: string[]; announce: () => Promise<void> }> {
    const tests = await repo.testsByIds(tx, [...new Set(input.observations.map((o) => o.testId))]);
    let orderId = input.orderId;
    // results for a cancelled order go to an order of their own: the cancellation stands
    if (orderId && (await repo.orderById(tx, orderId))?.status === 'cancelled') orderId = undefined;
    // a replay (same message) or a correction (same outside order number) goes to the order made the first time
    orderId ??= await repo.outsideOrderOf(tx, input.patientId, input.messageId, input.placerOrderNumber ?? null);
    // a new outside order has no items, specimens or results yet: nothing to read back
    const created = !orderId;
    const audits: AuditEntry[] = [];
    if (!orderId) {
      const now = new Date();
      orderId = await repo.insertOrder(tx, {
        number: await repo.nextOrderNumber(tx, input.clinicId),
        clinicId: input.clinicId,
        patientId: input.patientId,
        encounterId: null,
        orderedBy: null,
        orderedAt: input.observedAt ? new Date(input.observedAt) : now,
        priority: 'routine',
        clinicalNotes: input.placerOrderNumber ? `Outside order ${input.placerOrderNumber}` : null,
        dueAt: now,
        verificationCode: newVerificationCode(),
      });
      audits.push({
        action: 'lab_order.external',
        patientId: input.patientId,
        resourceType: 'lab_order',
        resourceId: orderId,
        details: { messageId: input.messageId },
      });
    }
    const o = (await repo.orderById(tx, orderId, !created))!;
    if (o.patientId !== input.patientId) throw new Error('the order is not the patient’s');
    const items = created ? [] : await repo.itemsOf(tx, [o.id]);
    const itemTests = created
      ? new Map<string, repo.TestRow>()
      : await repo.testsByIds(tx, [...new Set(items.map((i) => i.testId))]);
    const members = created
      ? new Map<string, repo.TestRow[]>()
      : await repo.membersOf(
          tx,
          [...itemTests.values()].filter((t) => t.kind === 'panel').map((t) => t.id),
        );
    const specimens = created ? [] : await repo.specimensOf(tx, [o.id]);
    const ids: string[] = [];
    const critical: string[] = [];
    for (const obs of input.observations) {
      const test = tests.get(obs.testId);
      if (!test) throw new Error(`no lab test ${obs.testId}`);
      let item = items.find((i) => expectedOf(itemTests.get(i.testId)!, members).some((t) => t.id === test.id));
      if (!item) {
        const itemId = await repo.insertItem(tx, o.id, test.id, items.length);
        item = { id: itemId, orderId: o.id, testId: test.id, specimenId: null, position: items.length };
        items.push(item);
        itemTests.set(test.id, test);
      }
      const observedAt =
        obs.observedAt ?? input.observedAt ?? specimens.find((s) => s.id === item.specimenId)?.collectedAt ?? null;
      const value = external(test, obs, o, observedAt ? new Date(observedAt).toISOString() : new Date().toISOString());
      const id = await repo.upsertResult(tx, {
        ...value,
        comment: obs.comment?.trim() || null,
        observedAt: observedAt ? new Date(observedAt).toISOString() : null,
        orderId: o.id,
        orderItemId: item.id,
        testId: test.id,
        patientId: o.patientId,
        clinicId: o.clinicId,
        status: 'released',
        source: 'hl7',
        sourceMessageId: input.messageId,
        userId: null,
        released: true,
      });
      ids.push(id);
      if (value.critical) critical.push(id);
    }
    const alerts = await this.alerts.raise(
      tx,
      systemActor,
      critical.map((resultId) => ({
        resultId,
        orderId: o.id,
        patientId: o.patientId,
        clinicId: o.clinicId,
        orderedBy: o.orderedBy,
      })),
    );
    // a new outside order holds exactly the tests of its results, all released: it is complete
    let status: LabOrderStatus = 'completed';
    if (created) await repo.setOrderStatus(tx, o.id, status);
    else status = await this.settle(tx, o);
    audits.push({
      action: 'lab_result.external',
      patientId: o.patientId,
      resourceType: 'lab_order',
      resourceId: o.id,
      details: { messageId: input.messageId, resultIds: ids },
    });
    await writeAudit(tx, systemActor, ...audits);
    const order = { ...o, status };
    return { orderId: o.id, resultIds: ids, announce: () => this.announce({ order, releasedIds: ids, alerts }) };
  }

  /** The active catalogue test of a LOINC code (a test before a panel), for outside messages. */
  async testByLoinc(tx: Executor, loinc: string): Promise<string | null> {
    return repo.activeTestBy(tx, 'loinc', loinc);
  }

  /** The active catalogue test of one of our codes ('K'), for outside messages. */
  async testByCode(tx: Executor, code: string): Promise<string | null> {
    return repo.activeTestBy(tx, 'code', code);
  }

  /** The patients module's merge hook: orders, results and alerts go to the survivor. */
  mergePatients = (tx: Tx, fromId: string, toId: string) => repo.movePatient(tx, fromId, toId);

  /** For the catalogue's tests and the seed: the catalogue service. */
  get catalogueService(): LabCatalogueService {
    return this.catalogue;
  }
}

// ------------------------------------------------------------------ pure helpers

/** The tests whose results an ordered test or panel expects: a panel's members, else itself. */
function expectedOf(test: repo.TestRow, members: Map<string, repo.TestRow[]>): repo.TestRow[] {
  return test.kind === 'panel' ? (members.get(test.id) ?? []) : [test];
}

/** A value entered by hand, checked against its test and flagged from the patient's range on the collection day. */
function judge(
  test: repo.TestRow,
  r: EnterResultsInput['results'][number],
  at: string,
  o: repo.OrderRow,
  on: string,
): Omit<repo.ResultValues, 'comment' | 'observedAt'> {
  const range = selectRange(test.ranges, o.sex, ageInDays(o.birthDate, on));
  if (test.resultType === 'numeric') {
    if (r.valueNumeric === undefined)
      throw new LabInputError('LAB_RESULT_VALUE', `${at}/valueNumeric`, `${test.name} is a number`);
    if (r.valueCode !== undefined || r.valueText !== undefined)
      throw new LabInputError(
        'LAB_RESULT_VALUE',
        `${at}/${r.valueCode !== undefined ? 'valueCode' : 'valueText'}`,
        `${test.name} is a number`,
      );
    let value = r.valueNumeric;
    if (r.unit !== undefined && r.unit !== test.unit) {
      if (!validUnit(r.unit)) throw new LabInputError('LAB_UNIT_INVALID', `${at}/unit`, 'is not a UCUM unit');
      const converted = test.unit ? convert(value, r.unit, test.unit, test) : null;
      if (converted === null)
        throw new LabInputError('LAB_UNIT_INVALID', `${at}/unit`, `does not convert to ${test.unit ?? 'the test’s unit'}`);
      value = Math.round(converted * 1e6) / 1e6;
    }
    const flag = numericFlag(value, range);
    return { valueNumeric: value, valueCode: null, valueText: null, unit: test.unit, range, flag, critical: isCritical(flag) };
  }
  if (test.resultType === 'coded') {
    const answer =
      r.valueCode !== undefined ? test.answers.find((a) => a.code.toLowerCase() === r.valueCode!.toLowerCase()) : undefined;
    if (!answer)
      throw new LabInputError(
        'LAB_RESULT_VALUE',
        `${at}/valueCode`,
        `is one of ${test.answers.map((a) => a.code).join(', ') || 'the test’s answers'}`,
      );
    const flag = codedFlag(answer.code, range);
    return { valueNumeric: null, valueCode: answer.code, valueText: null, unit: null, range, flag, critical: false };
  }
  if (r.valueText === undefined || !r.valueText.trim())
    throw new LabInputError('LAB_RESULT_VALUE', `${at}/valueText`, `${test.name} is a text`);
  return { valueNumeric: null, valueCode: null, valueText: r.valueText.trim(), unit: null, range, flag: null, critical: false };
}

/** An outside value: converted to our unit and flagged from our range where it can be, else as the message says. */
function external(
  test: repo.TestRow,
  obs: ExternalObservation,
  o: repo.OrderRow,
  on: string,
): Omit<repo.ResultValues, 'comment' | 'observedAt'> {
  const theirs = obs.abnormalFlag ? (HL7_FLAGS[obs.abnormalFlag.trim().toUpperCase()] ?? null) : null;
  const range = selectRange(test.ranges, o.sex, ageInDays(o.birthDate, on));
  if (obs.valueNumeric !== null && obs.valueNumeric !== undefined && Number.isFinite(obs.valueNumeric)) {
    const unit = obs.unit?.trim() || test.unit;
    const converted = unit && test.unit ? convert(obs.valueNumeric, unit, test.unit, test) : obs.valueNumeric;
    if (converted !== null) {
      const value = Math.round(converted * 1e6) / 1e6;
      const flag = range ? numericFlag(value, range) : theirs;
      return { valueNumeric: value, valueCode: null, valueText: null, unit: test.unit, range, flag, critical: isCritical(flag) };
    }
    // a unit we cannot convert: kept as sent, judged by the outside laboratory
    return {
      valueNumeric: obs.valueNumeric,
      valueCode: null,
      valueText: null,
      unit,
      range: null,
      flag: theirs,
      critical: isCritical(theirs),
    };
  }
  if (obs.valueCode) {
    const answer = test.answers.find((a) => a.code.toLowerCase() === obs.valueCode!.toLowerCase());
    const code = answer?.code ?? obs.valueCode;
    const flag = answer && range?.normalCodes?.length ? codedFlag(code, range) : theirs;
    return { valueNumeric: null, valueCode: code, valueText: null, unit: null, range, flag, critical: isCritical(flag) };
  }
  return {
    valueNumeric: null,
    valueCode: null,
    valueText: obs.valueText?.trim() || '',
    unit: null,
    range: null,
    flag: theirs,
    critical: isCritical(theirs),
  };
}

export function toResult(r: repo.ResultRow): LabResult {
  const person = (id: string | null, name: string | null) => (id ? { id, name: name ?? '' } : null);
  return {
    id: r.id,
    orderItemId: r.orderItemId,
    testId: r.testId,
    code: r.code,
    loinc: r.loinc,
    name: r.name,
    nameFr: r.nameFr,
    resultType: r.resultType,
    valueNumeric: r.valueNumeric === null ? null : Number(r.valueNumeric),
    valueCode: r.valueCode,
    valueText: r.valueText,
    unit: r.unit,
    range: r.range,
    rangeText: rangeOf(r.range, r.decimals),
    flag: r.flag,
    critical: r.critical,
    status: r.status,
    comment: r.comment,
    source: r.source,
    observedAt: r.observedAt,
    enteredAt: r.enteredAt,
    enteredBy: person(r.enteredBy, r.enteredByName),
    verifiedAt: r.verifiedAt,
    verifiedBy: person(r.verifiedBy, r.verifiedByName),
    releasedAt: r.releasedAt,
    releasedBy: person(r.releasedBy, r.releasedByName),
    portalHold: r.portalHold,
    version: r.version,
  };
}

function cellOf(r: repo.ResultRow): ResultCell {
  return {
    resultId: r.id,
    orderId: r.orderId,
    value: valueText(r),
    valueNumeric: r.valueNumeric === null ? null : Number(r.valueNumeric),
    unit: r.unit,
    flag: r.flag,
    status: r.status,
    rangeText: rangeOf(r.range, r.decimals),
  };
}
