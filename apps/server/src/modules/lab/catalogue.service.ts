// the declaration of @lhncbc/ucum-lhc, for the programs that reach this module without including the server's src (bench, e2e):
// an ambient module declaration cannot be imported
// eslint-disable-next-line @typescript-eslint/triple-slash-reference
/// <reference path="./ucum-lhc.d.ts" />
import { rangeIssues } from '@sanita/clinical/lab/catalogue';
import type { ErrorCode } from '@sanita/contracts/catalogue';
import {
  LAB_CRITICAL_DEFAULT_MINUTES,
  type CatalogueQuery,
  type CreateLabTestInput,
  type LabPriceInput,
  type LabSettings,
  type LabTest,
  type LabTestList,
  type LabTestRevisionList,
  type UpdateLabTestInput,
} from '@sanita/contracts/lab';
import type { Principal } from '../../platform/access.ts';
import { writeAudit, type AuditActor } from '../../platform/audit/audit.ts';
import { runAudited } from '../../platform/audit/audited.ts';
import type { Db, Executor } from '../../platform/db/database.ts';
import { Conflict, DomainError, Forbidden, Invalid, NotFound, type FieldIssue } from '../../platform/errors.ts';
import * as repo from './catalogue.repository.ts';
import { validUnit } from './lab.units.ts';

type Permission = 'lab:read' | 'lab:manage';

/** 400 with a code of the lab's own (LAB_UNIT_INVALID), naming the field as other 400s do. */
export class CatalogueInputError extends DomainError {
  readonly status = 400;
  constructor(code: ErrorCode, field: string, message: string) {
    super(code, `${field}: ${message}`, [{ field, message }]);
  }
}

/** The fields an administrator edits, as the revision names them. */
const FIELDS = [
  'code',
  'loinc',
  'name',
  'nameFr',
  'specimenType',
  'resultType',
  'unit',
  'decimals',
  'answers',
  'turnaroundHours',
  'requiresVerification',
  'ranges',
  'active',
] as const;
type Field = (typeof FIELDS)[number];
type Fields = Pick<repo.LabTestRow, Field | 'kind'>;

const notFound = () => new NotFound('Lab test not found');

/** The test catalogue: search, read, administrators' edits with history, the clinic's prices and lab settings. */
export class LabCatalogueService {
  constructor(private readonly db: Db) {}

  private require(p: Principal, ...any: Permission[]) {
    if (p.patientId || !any.some((x) => p.permissions.has(x))) throw new Forbidden();
  }

  // ---------------------------------------------------------------- reads

  /** Search by code, LOINC code or name (either language, typo-tolerant); an exact code or LOINC code first. */
  async search(p: Principal, q: CatalogueQuery): Promise<LabTestList> {
    this.require(p, 'lab:read', 'lab:manage');
    const text = q.q ?? '';
    const words = repo
      .searchKey(text)
      .split(' ')
      .filter((w) => w.length > 0)
      .slice(0, 6);
    const rows = await repo.searchTests(this.db, p.clinicId, {
      text,
      words,
      kind: q.kind,
      includeInactive: q.includeInactive,
      limit: q.limit ?? 50,
    });
    return { data: await this.toTests(this.db, rows) };
  }

  async get(p: Principal, id: string): Promise<LabTest> {
    this.require(p, 'lab:read', 'lab:manage');
    const [test] = await this.byIds(this.db, [id], p.clinicId);
    if (!test) throw notFound();
    return test;
  }

  /** Tests and panels by id, with members, ranges and the clinic's price (in the caller's transaction): id → test. */
  async byIds(tx: Executor, ids: string[], clinicId: string | null): Promise<LabTest[]> {
    return this.toTests(tx, await repo.testsByIds(tx, [...new Set(ids)], clinicId));
  }

  /** As `byIds`, keyed by id (orders read many at once). */
  async mapByIds(tx: Executor, ids: string[], clinicId: string | null = null): Promise<Map<string, LabTest>> {
    return new Map((await this.byIds(tx, ids, clinicId)).map((t) => [t.id, t]));
  }

  /**
   * The active test a result coded with this LOINC code is for (outside messages): the test carrying the
   * code (a test before a panel), else the shipped test that recognises it as another code of the same
   * observation (e.g. 26464-8 for WBC's 6690-2). Null when none.
   */
  async byLoinc(tx: Executor, loinc: string, clinicId: string | null = null): Promise<LabTest | null> {
    const row =
      (await repo.testBy(tx, 'loinc', loinc, clinicId)) ??
      (repo.shippedCodeOfLoinc(loinc) ? await repo.testBy(tx, 'code', repo.shippedCodeOfLoinc(loinc)!, clinicId) : undefined);
    return row ? (await this.toTests(tx, [row]))[0]! : null;
  }

  /** The active test or panel of one of the catalogue's codes ('K', 'CBC'), exactly. Null when none. */
  async byCode(tx: Executor, code: string, clinicId: string | null = null): Promise<LabTest | null> {
    const row = await repo.testBy(tx, 'code', code, clinicId);
    return row ? (await this.toTests(tx, [row]))[0]! : null;
  }

  async revisions(p: Principal, id: string): Promise<LabTestRevisionList> {
    this.require(p, 'lab:manage');
    if (!(await repo.testsByIds(this.db, [id], null)).length) throw notFound();
    const rows = await repo.revisionsOf(this.db, id);
    return {
      data: rows.map((r) => ({
        version: r.version,
        at: new Date(r.at).toISOString(),
        by: r.by_id ? { id: r.by_id, name: r.by_name ?? '' } : null,
        changes: r.changes,
      })),
    };
  }

  // ---------------------------------------------------------------- edits

  /** An administrator adds a local test or panel (units UCUM, members tests, ranges sane). Audited, revision 1. */
  async create(p: Principal, actor: AuditActor, input: CreateLabTestInput): Promise<LabTest> {
    this.require(p, 'lab:manage');
    return runAudited(this.db, actor, async (tx) => {
      const fields: Fields = {
        code: input.code,
        loinc: input.loinc ?? null,
        name: input.name,
        nameFr: input.nameFr ?? null,
        kind: input.kind,
        specimenType: input.specimenType,
        resultType: input.resultType,
        unit: input.unit ?? null,
        decimals: input.decimals ?? (input.resultType === 'numeric' && input.kind === 'test' ? 1 : 0),
        answers: input.answers ?? [],
        turnaroundHours: input.turnaroundHours,
        requiresVerification: input.requiresVerification,
        ranges: input.ranges ?? [],
        active: true,
      };
      const memberIds = input.memberIds ?? [];
      await this.check(tx, fields, memberIds, null);
      const id = await repo.insertTest(tx, {
        ...fields,
        shipped: false,
        searchText: repo.testSearchText(fields),
        createdBy: p.userId,
        updatedBy: p.userId,
      });
      if (fields.kind === 'panel') await repo.setMembers(tx, id, memberIds);
      const changes: Record<string, { before: unknown; after: unknown }> = {};
      for (const k of FIELDS) changes[k] = { before: null, after: fields[k] };
      changes.kind = { before: null, after: fields.kind };
      if (fields.kind === 'panel') changes.memberIds = { before: null, after: memberIds };
      await repo.insertRevision(tx, { testId: id, version: 1, action: 'created', changes, by: p.userId });
      await writeAudit(tx, actor, {
        action: 'lab.test.create',
        resourceType: 'lab_test',
        resourceId: id,
        details: { code: fields.code },
      });
      return (await this.byIds(tx, [id], p.clinicId))[0]!;
    });
  }

  /**
   * An administrator edits a test or panel (shipped or local) with the version read: each change is a
   * revision with the fields before and after; withdrawing is `active: false`. A shipped entry keeps its
   * code (orders, messages and the release name it) and, once edited, is no longer refreshed at start.
   */
  async update(p: Principal, actor: AuditActor, id: string, patch: UpdateLabTestInput): Promise<LabTest> {
    this.require(p, 'lab:manage');
    return runAudited(this.db, actor, async (tx) => {
      const cur = await repo.lockTest(tx, id);
      if (!cur) throw notFound();
      if (cur.version !== patch.version)
        throw new Conflict('This test was changed by someone else', 'STALE_VERSION', { current: cur.version });
      if (patch.kind !== undefined && patch.kind !== cur.kind)
        throw new Invalid([{ field: 'kind', message: 'a test cannot become a panel, nor a panel a test: add a new one' }]);
      if (patch.code !== undefined && patch.code !== cur.code && cur.shipped)
        throw new Invalid([{ field: 'code', message: 'a shipped test keeps its code' }]);
      const next: Fields = { ...cur };
      const changes: Record<string, { before: unknown; after: unknown }> = {};
      for (const k of FIELDS) {
        const after = patch[k];
        if (after === undefined) continue;
        if (JSON.stringify(cur[k]) === JSON.stringify(after)) continue;
        changes[k] = { before: cur[k], after };
        (next as Record<string, unknown>)[k] = after;
      }
      // a test that is no longer numeric keeps no unit
      if (next.resultType !== 'numeric' && next.unit !== null && patch.unit === undefined) {
        changes.unit = { before: cur.unit, after: null };
        next.unit = null;
      }
      let memberIds: string[] | null = null;
      if (patch.memberIds !== undefined) {
        const before = ((await repo.membersOf(tx, [id])).get(id) ?? []).map((m) => m.id);
        if (JSON.stringify(before) !== JSON.stringify(patch.memberIds)) {
          memberIds = patch.memberIds;
          changes.memberIds = { before, after: memberIds };
        }
      }
      if (!Object.keys(changes).length) return (await this.byIds(tx, [id], p.clinicId))[0]!;
      const members = memberIds ?? ((await repo.membersOf(tx, [id])).get(id) ?? []).map((m) => m.id);
      await this.check(tx, next, members, cur, memberIds !== null);
      const set: Record<string, unknown> = {};
      for (const k of Object.keys(changes)) if (k !== 'memberIds') set[k] = next[k as Field];
      await repo.updateTest(tx, id, {
        ...set,
        searchText: repo.testSearchText({ ...next, ...(cur.shipped ? repo.shippedExtras(cur.code) : {}) }),
        version: cur.version + 1,
        updatedBy: p.userId,
      });
      if (memberIds !== null) await repo.setMembers(tx, id, memberIds);
      await repo.insertRevision(tx, { testId: id, version: cur.version + 1, action: 'updated', changes, by: p.userId });
      await writeAudit(tx, actor, {
        action: 'lab.test.update',
        resourceType: 'lab_test',
        resourceId: id,
        details: { code: next.code, fields: Object.keys(changes) },
      });
      return (await this.byIds(tx, [id], p.clinicId))[0]!;
    });
  }

  /** The active clinic's price of a test or panel, in the clinic's currency (null removes it). Audited. */
  async setPrice(p: Principal, actor: AuditActor, id: string, input: LabPriceInput): Promise<LabTest> {
    this.require(p, 'lab:manage');
    if (!p.clinicId) throw new Forbidden();
    const clinicId = p.clinicId;
    return runAudited(this.db, actor, async (tx) => {
      if (!(await repo.testsByIds(tx, [id], null)).length) throw notFound();
      await repo.setPrice(tx, clinicId, id, input.price, p.userId);
      await writeAudit(tx, actor, {
        action: 'lab.test.price',
        resourceType: 'lab_test',
        resourceId: id,
        details: { clinicId, price: input.price },
      });
      return (await this.byIds(tx, [id], clinicId))[0]!;
    });
  }

  async settings(p: Principal): Promise<LabSettings> {
    this.require(p, 'lab:read', 'lab:manage');
    if (!p.clinicId) throw new Forbidden();
    return (await repo.settingsOf(this.db, p.clinicId)) ?? { criticalEscalationMinutes: LAB_CRITICAL_DEFAULT_MINUTES };
  }

  async putSettings(p: Principal, actor: AuditActor, input: LabSettings): Promise<LabSettings> {
    this.require(p, 'lab:manage');
    if (!p.clinicId) throw new Forbidden();
    const clinicId = p.clinicId;
    return runAudited(this.db, actor, async (tx) => {
      await repo.putSettings(tx, clinicId, input.criticalEscalationMinutes, p.userId);
      await writeAudit(tx, actor, {
        action: 'lab.settings.update',
        resourceType: 'clinic',
        resourceId: clinicId,
        details: { ...input },
      });
      return { criticalEscalationMinutes: input.criticalEscalationMinutes };
    });
  }

  /** The demo seed and tests: prices of a clinic by test code (in its currency). */
  setPricesByCode = (tx: Executor, clinicId: string, prices: Record<string, string>, by: string | null = null) =>
    repo.setPricesByCode(tx, clinicId, prices, by);

  // ---------------------------------------------------------------- rules

  /**
   * What makes an entry unusable, each a 400 naming its field: a numeric test's unit not UCUM
   * (LAB_UNIT_INVALID), a coded test without answers, a panel without members or with a member that is
   * not a test, ranges that rangeIssues refuses; a code already taken is 409 CODE_TAKEN.
   */
  private async check(tx: Executor, f: Fields, memberIds: string[], cur: repo.LabTestRow | null, membersChanged = true) {
    const issues: FieldIssue[] = [];
    if (f.kind === 'test' && f.resultType === 'numeric') {
      if (!f.unit) issues.push({ field: 'unit', message: 'a numeric test needs its UCUM unit' });
      else if (!validUnit(f.unit)) throw new CatalogueInputError('LAB_UNIT_INVALID', 'unit', `${f.unit} is not a UCUM unit`);
    } else if (f.unit !== null) issues.push({ field: 'unit', message: 'only a numeric test has a unit' });
    if (f.kind === 'test' && f.resultType === 'coded' && !f.answers.length)
      issues.push({ field: 'answers', message: 'a coded test needs its answers' });
    if (f.resultType !== 'coded' && f.answers.length) issues.push({ field: 'answers', message: 'only a coded test has answers' });
    const seen = new Set<string>();
    f.answers.forEach((a, i) => {
      if (seen.has(a.code.toLowerCase())) issues.push({ field: `answers.${i}.code`, message: 'is there twice' });
      seen.add(a.code.toLowerCase());
    });
    if (f.kind === 'panel') {
      if (f.ranges.length) issues.push({ field: 'ranges', message: 'a panel has no ranges: its tests do' });
      if (!memberIds.length) issues.push({ field: 'memberIds', message: 'a panel needs at least one test' });
      else if (membersChanged) {
        const found = new Map((await repo.testsByIds(tx, memberIds, null)).map((t) => [t.id, t]));
        const dup = new Set<string>();
        memberIds.forEach((m, i) => {
          const t = found.get(m);
          if (dup.has(m)) issues.push({ field: `memberIds.${i}`, message: 'is there twice' });
          else if (!t) issues.push({ field: `memberIds.${i}`, message: 'is not a test of the catalogue' });
          else if (t.kind !== 'test') issues.push({ field: `memberIds.${i}`, message: `${t.code} is a panel, not a test` });
          else if (!t.active) issues.push({ field: `memberIds.${i}`, message: `${t.code} was withdrawn` });
          dup.add(m);
        });
      }
    } else if (memberIds.length) issues.push({ field: 'memberIds', message: 'only a panel has tests' });
    issues.push(...rangeIssues(f.ranges, f));
    if (issues.length) throw new Invalid(issues);
    if ((!cur || cur.code.toLowerCase() !== f.code.toLowerCase()) && (await repo.codeTaken(tx, f.code, cur?.id ?? null)))
      throw new Conflict(`The code "${f.code}" is already used`, 'CODE_TAKEN', [{ field: 'code', message: 'is already used' }]);
  }

  private async toTests(tx: Executor, rows: repo.LabTestWithPrice[]): Promise<LabTest[]> {
    const members = await repo.membersOf(
      tx,
      rows.filter((r) => r.kind === 'panel').map((r) => r.id),
    );
    return rows.map((r) => ({
      id: r.id,
      code: r.code,
      loinc: r.loinc,
      name: r.name,
      nameFr: r.nameFr,
      kind: r.kind,
      specimenType: r.specimenType,
      resultType: r.resultType,
      unit: r.unit,
      decimals: r.decimals,
      answers: r.answers,
      turnaroundHours: r.turnaroundHours,
      requiresVerification: r.requiresVerification,
      active: r.active,
      members: (members.get(r.id) ?? []).map((m) => ({ id: m.id, code: m.code, name: m.name })),
      ranges: r.ranges,
      price: r.price,
      currency: r.currency,
      shipped: r.shipped,
      version: r.version,
    }));
  }
}
