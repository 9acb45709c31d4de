import { sql } from 'drizzle-orm';
import {
  CLAIM_TRANSITIONS,
  type AttachableDocumentList,
  type Claim,
  type ClaimCreate,
  type ClaimDecisionInput,
  type ClaimListQuery,
  type ClaimPreview,
  type ClaimStatus,
  type ClaimSummary,
  type Coverage,
  type CoverageInput,
  type Eligibility,
  type LedgerVerification,
  type Payer,
  type Plan,
  type PlanRules,
} from '@sanita/contracts/claims';
import type { FieldIssue } from '@sanita/contracts/common';
import type { Principal } from '../../platform/access.ts';
import { writeAudit, type AuditActor } from '../../platform/audit/audit.ts';
import { denied, runAudited } from '../../platform/audit/audited.ts';
import type { Db, Executor, Tx } from '../../platform/db/database.ts';
import { nextDocumentNumber } from '../../platform/document-numbers.ts';
import { Conflict, DomainError, Forbidden, Invalid, NotFound } from '../../platform/errors.ts';
import { money, moneyText, sum } from '../../platform/money.ts';
import { decidePatientAccess, patientRefusal, planPatientAccess, type PatientAccessRule } from '../../platform/patient-access.ts';
import type { EventBus } from '../../platform/realtime/events.ts';
import type pg from 'pg';
import { peerP95, scoreClaim, type AnomalyResult } from './claims.anomaly.ts';
import * as repo from './claims.repository.ts';
import { covers, payerShare } from './claims.rules.ts';
import {
  appendClaimEvents,
  type AppendedEvent,
  signLedgerHead,
  verifyLedger,
  type HeadSigner,
  type HeadVerifier,
  type LedgerEntry,
  type LedgerEventType,
} from './ledger.ts';

/** What claims use of billing (services.billing.billing), inside the claim's transaction. */
export interface ClaimsBilling {
  lockInvoice(tx: Tx, id: string): Promise<unknown>;
  claimableLines(tx: Tx, invoiceId: string): Promise<repo.ClaimableLine[]>;
  setInsurerShare(tx: Tx, invoiceId: string, share: string): Promise<unknown>;
}
/** What claims use of payments (services.payments.payments): the payer's payment of a claim. */
export interface ClaimsPayments {
  recordInsurancePayment(
    tx: Tx,
    p: { invoiceId: string; amount: string; currency: string; reference: string | null; userId: string },
  ): Promise<unknown>;
}

const COVERAGE_READ: PatientAccessRule = { permission: 'coverage:read' };
const COVERAGE_WRITE: PatientAccessRule = { permission: 'coverage:write' };
const CLAIMABLE_INVOICE = ['issued', 'partially_paid', 'paid'];

export const claimsRoom = (clinicId: string) => `claims:${clinicId}` as const;
export const payerRoom = (payerId: string) => `payer:${payerId}` as const;

const iso = (d: Date | null) => (d ? d.toISOString() : null);
/** What a claim line keeps of the invoice line it claims. */
const claimLine = (
  l: Pick<repo.ClaimableLine, 'id' | 'serviceDate' | 'kind' | 'code' | 'procedureCode' | 'description' | 'quantity'>,
  claimed: string,
) => ({
  invoiceLineId: l.id,
  serviceDate: l.serviceDate,
  kind: l.kind,
  code: l.code,
  procedureCode: l.procedureCode,
  description: l.description,
  quantity: l.quantity,
  claimed,
});
const today = (now: Date) => now.toISOString().slice(0, 10);

export class ClaimsService {
  /** ledger events of an open transaction, appended last (`ledger`) */
  private readonly pendingLedger = new WeakMap<Tx, LedgerEntry[]>();

  constructor(
    private readonly db: Db,
    private readonly pool: pg.Pool,
    private readonly events: EventBus,
    private readonly billing: ClaimsBilling,
    private readonly payments: ClaimsPayments,
    private readonly sign: HeadSigner,
    private readonly verifyHead: HeadVerifier,
    private readonly now: () => Date = () => new Date(),
  ) {}

  // ------------------------------------------------------------------ payers and plans (claims:manage)

  private manage(p: Principal) {
    if (!p.permissions.has('claims:manage')) throw new Forbidden();
  }
  private readAny(p: Principal) {
    if (!p.permissions.has('claims:read') && !p.permissions.has('claims:manage')) throw new Forbidden();
  }

  async listPayers(p: Principal): Promise<{ data: (Payer & { members: { id: string; name: string; email: string }[] })[] }> {
    this.readAny(p);
    return this.db.transaction(async (tx) => {
      const payers = await repo.listPayers(tx);
      const own = await repo.payerOfUser(tx, p.userId);
      const visible = own && !p.permissions.has('claims:manage') ? payers.filter((x) => x.id === own) : payers;
      return { data: await Promise.all(visible.map(async (x) => ({ ...x, members: await repo.listMembers(tx, x.id) }))) };
    });
  }

  async getPayer(p: Principal, id: string) {
    this.readAny(p);
    return this.db.transaction(async (tx) => {
      const payer = await repo.getPayer(tx, id);
      const own = await repo.payerOfUser(tx, p.userId);
      if (!payer || (own && own !== id && !p.permissions.has('claims:manage'))) throw new NotFound('Payer not found');
      return { ...payer, members: await repo.listMembers(tx, id), plans: await repo.listPlans(tx, id) };
    });
  }

  async createPayer(
    p: Principal,
    actor: AuditActor,
    input: { code: string; name: string; email?: string | null; phone?: string | null },
  ) {
    this.manage(p);
    return this.run(actor, async (tx) => {
      if (await repo.codeTaken(tx, 'payers', input.code, null)) throw new Invalid([{ field: 'code', message: 'is taken' }]);
      const id = await repo.insertPayer(tx, {
        code: input.code,
        name: input.name,
        email: input.email ?? null,
        phone: input.phone ?? null,
      });
      await writeAudit(tx, actor, {
        action: 'payer.create',
        resourceType: 'payer',
        resourceId: id,
        details: { code: input.code },
      });
      return (await repo.getPayer(tx, id))!;
    });
  }

  async updatePayer(
    p: Principal,
    actor: AuditActor,
    id: string,
    input: { code?: string; name?: string; email?: string | null; phone?: string | null; active?: boolean; version: number },
  ) {
    this.manage(p);
    return this.run(actor, async (tx) => {
      const cur = await repo.getPayer(tx, id, true);
      if (!cur) throw new NotFound('Payer not found');
      stale(cur.version, input.version);
      const next = {
        code: input.code ?? cur.code,
        name: input.name ?? cur.name,
        email: input.email === undefined ? cur.email : input.email,
        phone: input.phone === undefined ? cur.phone : input.phone,
        active: input.active ?? cur.active,
        version: cur.version + 1,
      };
      if (next.code !== cur.code && (await repo.codeTaken(tx, 'payers', next.code, id)))
        throw new Invalid([{ field: 'code', message: 'is taken' }]);
      await repo.updatePayer(tx, id, next);
      await writeAudit(tx, actor, { action: 'payer.update', resourceType: 'payer', resourceId: id });
      return (await repo.getPayer(tx, id))!;
    });
  }

  async listPlans(p: Principal, payerId: string): Promise<{ data: Plan[] }> {
    this.readAny(p);
    return this.db.transaction(async (tx) => {
      if (!(await repo.getPayer(tx, payerId))) throw new NotFound('Payer not found');
      return { data: await repo.listPlans(tx, payerId) };
    });
  }

  async createPlan(
    p: Principal,
    actor: AuditActor,
    payerId: string,
    input: { code: string; name: string; currency: string; rules: PlanRules },
  ): Promise<Plan> {
    this.manage(p);
    return this.run(actor, async (tx) => {
      if (!(await repo.getPayer(tx, payerId))) throw new NotFound('Payer not found');
      if (await repo.codeTaken(tx, 'insurance_plans', input.code, null, payerId))
        throw new Invalid([{ field: 'code', message: 'is taken' }]);
      checkRules(input.rules);
      const id = await repo.insertPlan(tx, { payerId, ...input });
      await writeAudit(tx, actor, {
        action: 'plan.create',
        resourceType: 'insurance_plan',
        resourceId: id,
        details: { payerId },
      });
      return (await repo.getPlan(tx, id))!;
    });
  }

  async updatePlan(
    p: Principal,
    actor: AuditActor,
    id: string,
    input: { code?: string; name?: string; currency?: string; rules?: PlanRules; active?: boolean; version: number },
  ): Promise<Plan> {
    this.manage(p);
    return this.run(actor, async (tx) => {
      const cur = await repo.getPlan(tx, id, true);
      if (!cur) throw new NotFound('Plan not found');
      stale(cur.version, input.version);
      const next = {
        code: input.code ?? cur.code,
        name: input.name ?? cur.name,
        currency: input.currency ?? cur.currency,
        rules: input.rules ?? cur.rules,
        active: input.active ?? cur.active,
        version: cur.version + 1,
      };
      if (next.code !== cur.code && (await repo.codeTaken(tx, 'insurance_plans', next.code, id, cur.payerId)))
        throw new Invalid([{ field: 'code', message: 'is taken' }]);
      checkRules(next.rules);
      await repo.updatePlan(tx, id, next);
      await writeAudit(tx, actor, { action: 'plan.update', resourceType: 'insurance_plan', resourceId: id });
      return (await repo.getPlan(tx, id))!;
    });
  }

  async getPlan(p: Principal, id: string): Promise<Plan> {
    this.readAny(p);
    const plan = await repo.getPlan(this.db, id);
    if (!plan) throw new NotFound('Plan not found');
    return plan;
  }

  /** Makes an insurer user a member of the payer (a user belongs to one payer). */
  async addMember(p: Principal, actor: AuditActor, payerId: string, userId: string) {
    this.manage(p);
    return this.run(actor, async (tx) => {
      if (!(await repo.getPayer(tx, payerId))) throw new NotFound('Payer not found');
      const roles = (await repo.userRoles(tx, userId)).map((r) => r.role);
      if (!roles.includes('insurer'))
        throw new Invalid([{ field: 'userId', code: 'invalid', message: 'is not a user with the insurer role' }]);
      await repo.setMember(tx, userId, payerId);
      await writeAudit(tx, actor, {
        action: 'payer.member_add',
        resourceType: 'payer',
        resourceId: payerId,
        details: { userId },
      });
      return { data: await repo.listMembers(tx, payerId) };
    });
  }

  // ------------------------------------------------------------------ coverages and eligibility

  private async patient(tx: Tx, p: Principal, patientId: string, rule: PatientAccessRule, action: string) {
    const plan = planPatientAccess(p, patientId, rule);
    const found = await repo.patientFor(tx, patientId, p.clinicId);
    let verdict = decidePatientAccess(plan, found);
    if (verdict === 'ok' && found!.status === 'merged') verdict = 'hidden';
    if (verdict !== 'ok') throw patientRefusal(verdict, patientId, !!found, action);
    return found!;
  }

  async listCoverages(p: Principal, actor: AuditActor, patientId: string): Promise<{ data: Coverage[] }> {
    return this.run(actor, async (tx) => {
      await this.patient(tx, p, patientId, COVERAGE_READ, 'coverage.read');
      const rows = await repo.listCoverages(tx, patientId);
      await writeAudit(tx, actor, {
        action: 'coverage.read',
        patientId,
        resourceType: 'patient',
        resourceId: patientId,
        details: { ids: rows.map((r) => r.id) },
      });
      return { data: rows.map(toCoverage) };
    });
  }

  async createCoverage(p: Principal, actor: AuditActor, patientId: string, input: CoverageInput): Promise<Coverage> {
    return this.run(actor, async (tx) => {
      await this.patient(tx, p, patientId, COVERAGE_WRITE, 'coverage.create');
      const plan = await repo.getPlan(tx, input.planId);
      if (!plan) throw new Invalid([{ field: 'planId', code: 'invalid', message: 'is not a plan' }]);
      checkValidity(input.validFrom, input.validTo ?? null);
      if (await repo.memberTaken(tx, plan.payerId, input.memberId, patientId, null))
        throw new Invalid([{ field: 'memberId', message: 'already covers this patient with this payer' }]);
      const id = await repo.insertCoverage(tx, {
        patientId,
        planId: plan.id,
        payerId: plan.payerId,
        memberId: input.memberId,
        subscriberName: input.subscriberName ?? null,
        relationship: input.relationship,
        validFrom: input.validFrom,
        validTo: input.validTo ?? null,
        priority: input.priority ?? 1,
        createdBy: p.userId,
      });
      await writeAudit(tx, actor, {
        action: 'coverage.create',
        patientId,
        resourceType: 'coverage',
        resourceId: id,
        details: { planId: plan.id },
      });
      return toCoverage((await repo.getCoverage(tx, id))!);
    });
  }

  async updateCoverage(
    p: Principal,
    actor: AuditActor,
    id: string,
    input: Partial<CoverageInput> & { active?: boolean; version: number },
  ): Promise<Coverage> {
    return this.run(actor, async (tx) => {
      if (!p.permissions.has('coverage:write')) throw denied(new Forbidden(), 'coverage.update', { type: 'coverage', id });
      const cur = await repo.getCoverage(tx, id, true);
      if (!cur) throw denied(new NotFound('Coverage not found'), 'coverage.update', { type: 'coverage', id });
      // another clinic's patient: the coverage does not exist for this user
      const found = await repo.patientFor(tx, cur.patientId, p.clinicId);
      if (!found?.linked || found.status === 'merged')
        throw denied(new NotFound('Coverage not found'), 'coverage.update', { type: 'coverage', id }, cur.patientId);
      stale(cur.version, input.version);
      let planId = cur.planId;
      let payerId = cur.payerId;
      if (input.planId && input.planId !== cur.planId) {
        const plan = await repo.getPlan(tx, input.planId);
        if (!plan) throw new Invalid([{ field: 'planId', code: 'invalid', message: 'is not a plan' }]);
        planId = plan.id;
        payerId = plan.payerId;
      }
      const next = {
        planId,
        payerId,
        memberId: input.memberId ?? cur.memberId,
        subscriberName: input.subscriberName === undefined ? cur.subscriberName : input.subscriberName,
        relationship: input.relationship ?? cur.relationship,
        validFrom: input.validFrom ?? cur.validFrom,
        validTo: input.validTo === undefined ? cur.validTo : input.validTo,
        priority: input.priority ?? cur.priority,
        active: input.active ?? cur.active,
        version: cur.version + 1,
      };
      checkValidity(next.validFrom, next.validTo);
      if (await repo.memberTaken(tx, next.payerId, next.memberId, cur.patientId, id))
        throw new Invalid([{ field: 'memberId', message: 'already covers this patient with this payer' }]);
      await repo.updateCoverage(tx, id, next);
      await writeAudit(tx, actor, {
        action: 'coverage.update',
        patientId: cur.patientId,
        resourceType: 'coverage',
        resourceId: id,
        details: { version: next.version },
      });
      return toCoverage((await repo.getCoverage(tx, id))!);
    });
  }

  async eligibility(
    p: Principal,
    actor: AuditActor,
    patientId: string,
    q: { on?: string; payerId?: string },
  ): Promise<Eligibility> {
    return this.run(actor, async (tx) => {
      await this.patient(tx, p, patientId, COVERAGE_READ, 'coverage.eligibility');
      const on = q.on ?? today(this.now());
      const rows = (await repo.listCoverages(tx, patientId)).filter((c) => !q.payerId || c.payerId === q.payerId);
      const coverages = [];
      for (const c of rows) {
        let reason: string | null = null;
        let remaining: string | null = null;
        if (!c.active || !c.payerActive) reason = 'inactive';
        else if (!c.planActive) reason = 'plan_inactive';
        else if (on < c.validFrom) reason = 'not_yet_valid';
        else if (c.validTo && on > c.validTo) reason = 'expired';
        if (c.rules.annualLimit !== null) {
          const left = money(c.rules.annualLimit).minus(await repo.annualUsed(tx, c.id, on));
          remaining = moneyText(left.isNegative() ? 0 : left, c.currency);
          if (!reason && !left.greaterThan(0)) reason = 'limit_reached';
        }
        coverages.push({
          coverage: toCoverage(c),
          eligible: !reason,
          reason,
          copay: c.rules.copay,
          coinsurancePercent: c.rules.coinsurancePercent,
          remainingAnnual: remaining,
          currency: c.currency,
        });
      }
      await writeAudit(tx, actor, {
        action: 'coverage.eligibility',
        patientId,
        resourceType: 'patient',
        resourceId: patientId,
        details: { on, eligible: coverages.some((c) => c.eligible) },
      });
      return { patientId, on, eligible: coverages.some((c) => c.eligible), coverages };
    });
  }

  // ------------------------------------------------------------------ claims

  /** An insurer's payer and the clinics where it reviews; null for clinic staff. */
  private async insurerScope(tx: Executor, p: Principal): Promise<{ payerId: string; clinicIds: string[] } | null> {
    const payerId = await repo.payerOfUser(tx, p.userId);
    if (!payerId) return null;
    const clinicIds = p.memberships.filter((m) => m.permissions.includes('claims:review')).map((m) => m.clinicId);
    return { payerId, clinicIds };
  }

  /** The claim as this user may see it, or a 404 (audited) for one out of reach. */
  private async reachable(tx: Tx, p: Principal, id: string, action: string, lock = false): Promise<repo.ClaimRow> {
    const claim = await repo.getClaim(tx, id, lock);
    const scope = await this.insurerScope(tx, p);
    const ok =
      !!claim &&
      (scope
        ? // a payer sees a claim once it is submitted: a draft is still the clinic's
          claim.payerId === scope.payerId && scope.clinicIds.includes(claim.clinicId) && claim.status !== 'draft'
        : claim.clinicId === p.clinicId && (p.permissions.has('claims:read') || p.permissions.has('claims:write')));
    if (!ok) throw denied(new NotFound('Claim not found'), action, { type: 'claim', id }, claim?.patientId ?? null);
    return claim;
  }

  /** A reviewer somewhere (the claim's clinic is checked once it is read). */
  private reviewer(p: Principal, action: string, id: string) {
    if (!p.memberships.some((m) => m.permissions.includes('claims:review')))
      throw denied(new Forbidden(), action, { type: 'claim', id });
  }

  private need(
    p: Principal,
    perm: 'claims:read' | 'claims:write' | 'claims:review',
    action: string,
    id: string,
    clinicId?: string,
  ) {
    const has = clinicId
      ? p.memberships.some((m) => m.clinicId === clinicId && m.permissions.includes(perm))
      : p.permissions.has(perm);
    if (!has) throw denied(new Forbidden(), action, { type: 'claim', id });
  }

  async list(
    p: Principal,
    actor: AuditActor,
    q: ClaimListQuery,
  ): Promise<{ data: ClaimSummary[]; total: number; counts: Record<string, number> }> {
    return this.run(actor, async (tx) => {
      const insurer = await this.insurerScope(tx, p);
      if (!insurer) this.need(p, 'claims:read', 'claims.list', p.clinicId ?? '00000000-0000-0000-0000-000000000000');
      const scope: repo.ClaimScope = insurer
        ? { payerId: insurer.payerId, clinicIds: insurer.clinicIds }
        : { payerId: null, clinicIds: p.clinicId ? [p.clinicId] : [] };
      if (insurer && !insurer.clinicIds.length) throw new Forbidden();
      const { data, total } = await repo.listClaims(tx, scope, q);
      const counts = await repo.statusCounts(tx, scope);
      await writeAudit(tx, actor, {
        action: 'claims.list',
        resourceType: 'claim',
        details: { ids: data.map((c) => c.id), patientIds: [...new Set(data.map((c) => c.patientId))] },
      });
      return { data: data.map((c) => toSummary(c)), total, counts };
    });
  }

  async get(p: Principal, actor: AuditActor, id: string): Promise<Claim> {
    return this.run(actor, async (tx) => {
      if (!p.permissions.has('claims:read') && !p.memberships.some((m) => m.permissions.includes('claims:review')))
        throw denied(new Forbidden(), 'claim.read', { type: 'claim', id });
      const claim = await this.reachable(tx, p, id, 'claim.read');
      await writeAudit(tx, actor, { action: 'claim.read', patientId: claim.patientId, resourceType: 'claim', resourceId: id });
      return this.full(tx, claim);
    });
  }

  /** Builds a draft from an issued invoice's covered lines. */
  async create(p: Principal, actor: AuditActor, input: ClaimCreate, resubmissionOf: repo.ClaimRow | null = null): Promise<Claim> {
    return this.run(actor, async (tx) => {
      const claim = await this.build(tx, p, actor, input, resubmissionOf);
      return claim;
    });
  }

  /** What `create` would build from the same body, with the same refusals, writing nothing but the audit row. */
  async preview(p: Principal, actor: AuditActor, input: ClaimCreate): Promise<ClaimPreview> {
    return this.run(actor, async (tx) => {
      const d = await this.compute(tx, p, input, null, 'preview');
      await writeAudit(tx, actor, {
        action: 'claim.preview',
        patientId: d.invoice.patientId,
        resourceType: 'invoice',
        resourceId: d.invoice.id,
        details: { coverageId: d.coverage.id, claimed: d.share.claimed },
      });
      return {
        invoiceId: d.invoice.id,
        invoiceNumber: d.invoice.number,
        encounterId: d.invoice.encounterId,
        coverage: { id: d.coverage.id, memberId: d.coverage.memberId, relationship: d.coverage.relationship },
        payer: { id: d.coverage.payerId, code: d.coverage.payerCode, name: d.coverage.payerName },
        plan: { id: d.coverage.planId, code: d.coverage.planCode, name: d.coverage.planName },
        serviceDate: d.serviceDate,
        diagnoses: d.diagnoses,
        currency: d.invoice.currency,
        // in the order the claim lists its lines
        lines: d.lines
          .map((l, i) => ({ ...claimLine(l, d.share.lines[i]!), total: moneyText(money(l.total), d.invoice.currency) }))
          .sort((a, b) => a.serviceDate.localeCompare(b.serviceDate) || a.code.localeCompare(b.code)),
        totals: {
          gross: d.share.gross,
          copay: d.share.copay,
          coinsurance: d.share.coinsurance,
          capped: d.share.capped as ClaimPreview['totals']['capped'],
          claimed: d.share.claimed,
        },
      };
    });
  }

  /**
   * What a claim of the invoice is (`create`) or would be (`preview`): the coverage, the covered
   * lines asked for, the payer's share under the plan's rules and the encounter's diagnoses; or the
   * refusal both answer (403, 404, 400, 409). Creating locks the invoice first (its insurer share is
   * then written); a preview only reads.
   */
  private async compute(
    tx: Tx,
    p: Principal,
    input: ClaimCreate,
    original: repo.ClaimRow | null,
    mode: 'create' | 'preview',
  ): Promise<ComputedClaim> {
    const action = `claim.${mode}`;
    this.need(p, 'claims:write', action, input.invoiceId);
    const head = await repo.invoiceHead(tx, input.invoiceId);
    if (!head || head.clinicId !== p.clinicId)
      throw denied(new NotFound('Invoice not found'), action, { type: 'invoice', id: input.invoiceId }, head?.patientId ?? null);
    let invoice = head;
    if (mode === 'create') {
      await this.billing.lockInvoice(tx, input.invoiceId);
      invoice = (await repo.invoiceHead(tx, input.invoiceId))!;
    }
    if (!CLAIMABLE_INVOICE.includes(invoice.status))
      throw new Invalid([
        { field: 'invoiceId', code: 'invalid', message: `is ${invoice.status}: only an issued invoice is claimed` },
      ]);
    const all = await this.billing.claimableLines(tx, invoice.id);
    const asked = input.lineIds ? [...new Set(input.lineIds)] : null;
    if (asked) {
      const issues: FieldIssue[] = asked.flatMap((id, i) =>
        all.some((l) => l.id === id)
          ? []
          : [{ field: `lineIds/${i}`, code: 'invalid', message: 'is not a line of this invoice' }],
      );
      if (issues.length) throw new Invalid(issues);
    }
    const wanted = asked ? all.filter((l) => asked.includes(l.id)) : all;
    const serviceDate = wanted.map((l) => l.serviceDate).sort()[0] ?? today(this.now());
    // the coverage: the one asked, else the first valid on the service date by priority
    const coverages = (await repo.listCoverages(tx, invoice.patientId)).filter(
      (c) =>
        c.active &&
        c.payerActive &&
        c.planActive &&
        c.validFrom <= serviceDate &&
        (!c.validTo || c.validTo >= serviceDate) &&
        (!input.coverageId || c.id === input.coverageId),
    );
    const coverage = coverages[0];
    if (!coverage)
      throw new Conflict('The patient has no coverage valid on the service date', 'CLAIM_NO_COVERAGE', {
        serviceDate,
        coverageId: input.coverageId ?? null,
      });
    if (coverage.currency !== invoice.currency)
      throw new Conflict(`The plan pays in ${coverage.currency}, the invoice is in ${invoice.currency}`, 'CLAIM_NO_COVERAGE', {
        serviceDate,
        coverageId: coverage.id,
      });
    if (asked) {
      const notCovered = wanted.find((l) => !covers(coverage.rules, l));
      if (notCovered)
        throw new Conflict(`${notCovered.description} is not covered by the plan`, 'CLAIM_LINE_NOT_COVERED', {
          lineId: notCovered.id,
        });
    }
    const lines = wanted.filter((l) => covers(coverage.rules, l));
    if (!lines.length)
      throw new Conflict('No line of the invoice is covered by the plan', 'CLAIM_LINE_NOT_COVERED', { lineId: null });
    const open = await repo.openClaimFor(tx, invoice.id, coverage.payerId);
    if (open && open !== original?.id)
      throw new Conflict('The invoice already has an open claim with this payer', 'CLAIM_DUPLICATE', { claimId: open });
    let remaining = null;
    if (coverage.rules.annualLimit !== null)
      remaining = money(coverage.rules.annualLimit).minus(
        await repo.annualUsed(tx, coverage.id, serviceDate, original?.id ?? null),
      );
    const share = payerShare(lines, coverage.rules, invoice.currency, remaining);
    const diagnoses = invoice.encounterId ? await repo.diagnosesOf(tx, invoice.encounterId) : [];
    const practitionerId = lines.find((l) => l.practitionerId)?.practitionerId ?? null;
    return { invoice, coverage, serviceDate, lines, share, diagnoses, practitionerId };
  }

  private async build(
    tx: Tx,
    p: Principal,
    actor: AuditActor,
    input: ClaimCreate,
    original: repo.ClaimRow | null,
  ): Promise<Claim> {
    const { invoice, coverage, serviceDate, lines, share, diagnoses, practitionerId } = await this.compute(
      tx,
      p,
      input,
      original,
      'create',
    );
    const number = await nextDocumentNumber(tx, invoice.clinicId, 'CLM', this.now());
    const id = await repo.insertClaim(tx, {
      clinicId: invoice.clinicId,
      number,
      patientId: invoice.patientId,
      coverageId: coverage.id,
      payerId: coverage.payerId,
      planId: coverage.planId,
      invoiceId: invoice.id,
      encounterId: invoice.encounterId,
      practitionerId,
      diagnoses,
      currency: invoice.currency,
      claimed: share.claimed,
      serviceDate,
      resubmissionOf: original?.id ?? null,
      createdBy: p.userId,
    });
    await repo.insertClaimLines(
      tx,
      id,
      lines.map((l, i) => claimLine(l, share.lines[i]!)),
    );
    // the insurer's share of the invoice: every open claim on it, this one included
    await this.billing.setInsurerShare(tx, invoice.id, moneyText(await repo.openClaimedOn(tx, invoice.id), invoice.currency));
    await this.ledger(tx, id, original ? 'resubmitted' : 'created', p.userId, {
      number,
      invoiceId: invoice.id,
      claimed: share.claimed,
      gross: share.gross,
      copay: share.copay,
      coinsurance: share.coinsurance,
      capped: share.capped,
      lines: lines.map((l) => l.id),
      ...(original ? { resubmissionOf: original.id } : {}),
    });
    await writeAudit(tx, actor, {
      action: original ? 'claim.resubmit' : 'claim.create',
      patientId: invoice.patientId,
      resourceType: 'claim',
      resourceId: id,
      details: { invoiceId: invoice.id, claimed: share.claimed, ...(original ? { resubmissionOf: original.id } : {}) },
    });
    const claim = (await repo.getClaim(tx, id))!;
    this.announce(claim);
    return this.full(tx, claim);
  }

  /**
   * Queues a ledger event of this transaction. The ledger's lock serialises every claim writer until
   * commit, so events are appended last: when the claim's view is read (`full`), or else when the
   * transaction's work is done (`run`).
   */
  private async ledger(tx: Tx, claimId: string, type: LedgerEventType, actorId: string | null, payload: Record<string, unknown>) {
    const queued = this.pendingLedger.get(tx) ?? [];
    queued.push({ claimId, type, actorId, payload });
    this.pendingLedger.set(tx, queued);
  }

  private flushLedger(tx: Executor): Promise<AppendedEvent[]> {
    const queued = this.pendingLedger.get(tx as Tx);
    if (!queued) return Promise.resolve([]);
    this.pendingLedger.delete(tx as Tx);
    return appendClaimEvents(tx, queued);
  }

  /** `runAudited`, appending what the ledger still has queued as the transaction's last statements. */
  private run<T>(actor: AuditActor, fn: (tx: Tx) => Promise<T>): Promise<T> {
    return runAudited(this.db, actor, async (tx) => {
      try {
        const out = await fn(tx);
        await this.flushLedger(tx);
        return out;
      } finally {
        this.pendingLedger.delete(tx);
      }
    });
  }

  /** A transition: the claim locked, reachable, at the version read, in a status that allows `to`. */
  private async step(
    tx: Tx,
    p: Principal,
    id: string,
    version: number,
    action: string,
    to: ClaimStatus | null,
    perm?: 'claims:review',
  ) {
    const claim = await this.reachable(tx, p, id, action, true);
    if (perm) this.need(p, perm, action, id, claim.clinicId);
    stale(claim.version, version);
    if (to && !CLAIM_TRANSITIONS[claim.status].includes(to))
      throw new Conflict(`A ${claim.status.replace('_', ' ')} claim cannot become ${to.replace('_', ' ')}`, 'CLAIM_STATE', {
        status: claim.status,
        allowed: CLAIM_TRANSITIONS[claim.status],
      });
    return claim;
  }

  async attach(p: Principal, actor: AuditActor, id: string, input: { documentId: string; version: number }): Promise<Claim> {
    return this.run(actor, async (tx) => {
      this.need(p, 'claims:write', 'claim.attach', id);
      const claim = await this.step(tx, p, id, input.version, 'claim.attach', null);
      if (claim.status !== 'draft')
        throw new Conflict('Documents are attached to a draft claim', 'CLAIM_STATE', {
          status: claim.status,
          allowed: CLAIM_TRANSITIONS[claim.status],
        });
      const doc = await repo.documentOf(tx, input.documentId);
      if (!doc || doc.patientId !== claim.patientId || doc.status === 'entered_in_error')
        throw new Invalid([{ field: 'documentId', code: 'invalid', message: "is not one of the patient's documents" }]);
      if (await repo.attach(tx, id, input.documentId, p.userId)) {
        await this.bump(tx, claim, sql``);
        await this.ledger(tx, id, 'attached', p.userId, { documentId: input.documentId });
      }
      await writeAudit(tx, actor, {
        action: 'claim.attach',
        patientId: claim.patientId,
        resourceType: 'claim',
        resourceId: id,
        details: { documentId: input.documentId },
      });
      return this.after(tx, id);
    });
  }

  /**
   * The documents the attachment picker offers: the claim patient's current documents, each said
   * attached or not — titles, categories and dates, never the content. For those who may attach
   * (claims:write, the claim at the active clinic, still a draft), who need not read documents.
   */
  async attachable(p: Principal, actor: AuditActor, id: string): Promise<AttachableDocumentList> {
    return this.run(actor, async (tx) => {
      this.need(p, 'claims:write', 'claim.documents', id);
      const claim = await this.reachable(tx, p, id, 'claim.documents');
      if (claim.status !== 'draft')
        throw new Conflict('Documents are attached to a draft claim', 'CLAIM_STATE', {
          status: claim.status,
          allowed: CLAIM_TRANSITIONS[claim.status],
        });
      const rows = await repo.attachableDocuments(tx, id, claim.patientId);
      await writeAudit(tx, actor, {
        action: 'claim.documents',
        patientId: claim.patientId,
        resourceType: 'claim',
        resourceId: id,
        details: { documentIds: rows.map((r) => r.id) },
      });
      return { data: rows.map((r) => ({ ...r, uploadedAt: new Date(r.uploadedAt).toISOString() })) };
    });
  }

  async submit(p: Principal, actor: AuditActor, id: string, version: number): Promise<Claim> {
    return this.run(actor, async (tx) => {
      this.need(p, 'claims:write', 'claim.submit', id);
      const claim = await this.step(tx, p, id, version, 'claim.submit', 'submitted');
      const result = await this.score(tx, claim);
      await this.bump(
        tx,
        claim,
        sql`status = 'submitted', submitted_at = now(), anomaly_score = ${result.score}, anomaly_reasons = ${JSON.stringify(result.reasons)}::jsonb,`,
      );
      await this.ledger(tx, id, 'submitted', p.userId, { score: result.score, reasons: result.reasons.map((r) => r.code) });
      await writeAudit(tx, actor, {
        action: 'claim.submit',
        patientId: claim.patientId,
        resourceType: 'claim',
        resourceId: id,
        details: { score: result.score },
      });
      return this.after(tx, id);
    });
  }

  /** The anomaly score of a claim as it stands. */
  score(tx: Executor, claim: repo.ClaimRow): Promise<AnomalyResult> {
    return scoreFromDatabase(tx, claim);
  }

  async review(p: Principal, actor: AuditActor, id: string, version: number): Promise<Claim> {
    return this.run(actor, async (tx) => {
      this.reviewer(p, 'claim.review', id);
      const claim = await this.step(tx, p, id, version, 'claim.review', 'in_review', 'claims:review');
      await this.bump(tx, claim, sql`status = 'in_review',`);
      await this.ledger(tx, id, 'in_review', p.userId, {});
      await writeAudit(tx, actor, { action: 'claim.review', patientId: claim.patientId, resourceType: 'claim', resourceId: id });
      return this.after(tx, id);
    });
  }

  async decide(p: Principal, actor: AuditActor, id: string, input: ClaimDecisionInput): Promise<Claim> {
    return this.run(actor, async (tx) => {
      this.reviewer(p, 'claim.decide', id);
      const claim = await this.step(tx, p, id, input.version, 'claim.decide', input.decision, 'claims:review');
      const lines = await repo.claimLines(tx, id);
      const given = new Map((input.lines ?? []).map((l) => [l.lineId, l]));
      const issues: FieldIssue[] = [];
      (input.lines ?? []).forEach((l, i) => {
        if (!lines.some((x) => x.id === l.lineId))
          issues.push({ field: `lines/${i}/lineId`, code: 'invalid', message: 'is not a line of this claim' });
      });
      if (issues.length) throw new Invalid(issues);
      const decided = lines.map((l) => {
        const g = given.get(l.id);
        const approved = input.decision === 'denied' ? '0' : g ? g.approved : input.decision === 'approved' ? l.claimed : '0';
        return { line: l, approved: money(approved), reason: g?.denialReason ?? null };
      });
      const over = decided.findIndex((d) => d.approved.greaterThan(d.line.claimed));
      if (over >= 0) throw new ApprovalExceeds(decided[over]!.line.id, decided[over]!.line.claimed);
      const total = sum(decided.map((d) => d.approved));
      if (input.decision === 'approved' && !total.equals(money(claim.claimed)))
        throw new Invalid([
          { field: 'decision', code: 'invalid', message: 'approves less than claimed: decide partially_approved' },
        ]);
      if (input.decision === 'partially_approved' && (total.isZero() || total.greaterThanOrEqualTo(claim.claimed)))
        throw new Invalid([
          { field: 'lines', code: 'invalid', message: 'a partial approval approves some of the claim, not none or all' },
        ]);
      for (const d of decided)
        await repo.setLineDecision(
          tx,
          d.line.id,
          moneyText(d.approved, claim.currency),
          d.reason ?? (d.approved.lessThan(d.line.claimed) ? (input.note ?? null) : null),
        );
      const approved = moneyText(total, claim.currency);
      await this.bump(tx, claim, sql`status = ${input.decision}, approved = ${approved}, decided_at = now(),`);
      if (input.note) await repo.insertNote(tx, id, p.userId, input.note, true);
      await this.billing.setInsurerShare(
        tx,
        claim.invoiceId,
        moneyText(await repo.openClaimedOn(tx, claim.invoiceId), claim.currency),
      );
      await this.ledger(tx, id, 'decision', p.userId, {
        decision: input.decision,
        approved,
        lines: decided.map((d) => ({ id: d.line.id, approved: moneyText(d.approved, claim.currency) })),
      });
      await writeAudit(tx, actor, {
        action: 'claim.decide',
        patientId: claim.patientId,
        resourceType: 'claim',
        resourceId: id,
        details: { decision: input.decision, approved },
      });
      return this.after(tx, id);
    });
  }

  async note(p: Principal, actor: AuditActor, id: string, text: string): Promise<Claim> {
    return this.run(actor, async (tx) => {
      if (!p.permissions.has('claims:write') && !p.memberships.some((m) => m.permissions.includes('claims:review')))
        throw denied(new Forbidden(), 'claim.note', { type: 'claim', id });
      const claim = await this.reachable(tx, p, id, 'claim.note', true);
      const fromPayer = !!(await this.insurerScope(tx, p));
      if (fromPayer) this.need(p, 'claims:review', 'claim.note', id, claim.clinicId);
      else this.need(p, 'claims:write', 'claim.note', id);
      const noteId = await repo.insertNote(tx, id, p.userId, text, fromPayer);
      await this.ledger(tx, id, 'note', p.userId, { noteId, fromPayer });
      await writeAudit(tx, actor, { action: 'claim.note', patientId: claim.patientId, resourceType: 'claim', resourceId: id });
      return this.full(tx, (await repo.getClaim(tx, id))!);
    });
  }

  async paid(
    p: Principal,
    actor: AuditActor,
    id: string,
    input: { amount: string; reference?: string | null; version: number },
  ): Promise<Claim> {
    return this.run(actor, async (tx) => {
      this.need(p, 'claims:write', 'claim.paid', id);
      const claim = await this.step(tx, p, id, input.version, 'claim.paid', 'paid');
      const amount = money(input.amount);
      if (amount.isZero() || amount.greaterThan(claim.approved ?? 0))
        throw new Invalid([
          { field: 'amount', code: 'invalid', message: `must be above 0 and at most the approved ${claim.approved}` },
        ]);
      const text = moneyText(amount, claim.currency);
      await this.bump(tx, claim, sql`status = 'paid', paid = ${text}, payment_reference = ${input.reference ?? null},`);
      await this.ledger(tx, id, 'paid', p.userId, { amount: text, reference: input.reference ?? null });
      await writeAudit(tx, actor, {
        action: 'claim.paid',
        patientId: claim.patientId,
        resourceType: 'claim',
        resourceId: id,
        details: { amount: text },
      });
      // the payment numbers its receipt last (the clinic's counter row stays locked to the commit):
      // only the claim's view and its ledger event follow
      await this.payments.recordInsurancePayment(tx, {
        invoiceId: claim.invoiceId,
        amount: text,
        currency: claim.currency,
        reference: input.reference ?? claim.number,
        userId: p.userId,
      });
      return this.after(tx, id);
    });
  }

  /** A denied or partially approved claim → a new draft for the same invoice, linked to it. */
  async resubmit(p: Principal, actor: AuditActor, id: string, version: number): Promise<Claim> {
    return this.run(actor, async (tx) => {
      this.need(p, 'claims:write', 'claim.resubmit', id);
      const claim = await this.reachable(tx, p, id, 'claim.resubmit', true);
      stale(claim.version, version);
      if (!['denied', 'partially_approved'].includes(claim.status) || claim.resubmittedAs)
        throw new Conflict('Only a denied or partially approved claim is resubmitted, once', 'CLAIM_STATE', {
          status: claim.status,
          allowed: CLAIM_TRANSITIONS[claim.status],
        });
      const lines = await repo.claimLines(tx, id);
      const retry = claim.status === 'denied' ? lines : lines.filter((l) => money(l.approved ?? 0).lessThan(l.claimed));
      await this.bump(tx, claim, sql``);
      return this.build(
        tx,
        p,
        actor,
        { invoiceId: claim.invoiceId, coverageId: claim.coverageId, lineIds: retry.map((l) => l.invoiceLineId) },
        claim,
      );
    });
  }

  private async bump(tx: Tx, claim: repo.ClaimRow, set: ReturnType<typeof sql>) {
    await repo.updateClaim(tx, claim.id, sql`${set} version = version + 1`);
  }

  private async after(tx: Tx, id: string): Promise<Claim> {
    const claim = (await repo.getClaim(tx, id))!;
    this.announce(claim);
    return this.full(tx, claim);
  }

  private announce(c: repo.ClaimRow) {
    this.events.publish('claim.changed', { claimId: c.id, clinicId: c.clinicId, payerId: c.payerId, status: c.status }, [
      claimsRoom(c.clinicId),
      payerRoom(c.payerId),
    ]);
  }

  private async full(tx: Executor, c: repo.ClaimRow): Promise<Claim> {
    const [lines, notes, stored, attachments] = await Promise.all([
      repo.claimLines(tx, c.id),
      repo.claimNotes(tx, c.id),
      repo.claimEvents(tx, c.id),
      repo.claimAttachments(tx, c.id),
    ]);
    // this transaction's own events, appended now that everything else is read
    const events = [
      ...stored.map((e) => ({ ...e, seq: Number(e.seq) })),
      ...(await this.flushLedger(tx)).filter((e) => e.claimId === c.id),
    ];
    return {
      ...toSummary(c),
      lines,
      notes: notes.map((n) => ({
        id: n.id,
        author: { id: n.authorId, name: n.authorName },
        text: n.text,
        at: new Date(n.at).toISOString(),
        fromPayer: n.fromPayer,
      })),
      events: events.map((e) => ({
        seq: e.seq,
        type: e.type,
        at: new Date(e.at).toISOString(),
        actor: e.actorId ? { id: e.actorId, name: e.actorName ?? '' } : null,
        hash: e.hash,
      })),
      attachments,
    };
  }

  // ------------------------------------------------------------------ the ledger

  async verifyLedger(p: Principal, actor: AuditActor): Promise<LedgerVerification> {
    this.manage(p);
    await signLedgerHead(this.pool, this.sign);
    const r = await verifyLedger(this.pool, this.verifyHead);
    await writeAudit(this.db, actor, {
      action: 'claims_ledger.verify',
      resourceType: 'claims_ledger',
      details: { ok: r.ok, checked: r.checked },
    });
    return r;
  }

  /** Signs the head when it moved (the minute job). */
  signHead(): Promise<number | null> {
    return signLedgerHead(this.pool, this.sign);
  }
}

/** A claim as `create` writes it and `preview` shows it. */
interface ComputedClaim {
  invoice: repo.InvoiceHead;
  coverage: repo.CoverageRow;
  serviceDate: string;
  lines: repo.ClaimableLine[];
  share: ReturnType<typeof payerShare>;
  diagnoses: { code: string; description: string }[];
  practitionerId: string | null;
}

/** 400 CLAIM_APPROVAL_EXCEEDS: an approved amount above what was claimed on the line. */
class ApprovalExceeds extends DomainError {
  readonly status = 400;
  constructor(lineId: string, claimed: string) {
    super('CLAIM_APPROVAL_EXCEEDS', `An approved amount is above the ${claimed} claimed on the line`, { lineId, claimed });
  }
}

/** The anomaly score of a claim as it stands (the figures from the database, the verdict from claims.anomaly.ts). */
export async function scoreFromDatabase(tx: Executor, claim: repo.ClaimRow): Promise<AnomalyResult> {
  const lines = await repo.claimLines(tx, claim.id);
  const on = claim.serviceDate;
  const units = new Map(
    (
      await repo.unitAmounts(
        tx,
        lines.map((l) => l.invoiceLineId),
      )
    ).map((u) => [u.id, Number(u.u)]),
  );
  const peers = await repo.peersOf(
    tx,
    lines.map((l) => l.code),
    on,
    claim.id,
  );
  const dups = await repo.duplicatesOf(tx, claim.id, claim.patientId, claim.resubmissionOf, lines);
  const patientClaims30 = await repo.recentClaims(tx, 'patient', claim.patientId, on);
  const patientPeerP95 = peerP95(await repo.peerCounts(tx, 'patient', on), patientClaims30);
  const providerClaims30 = claim.practitionerId ? await repo.recentClaims(tx, 'practitioner', claim.practitionerId, on) : null;
  const providerPeerP95 =
    claim.practitionerId && providerClaims30 !== null
      ? peerP95(await repo.peerCounts(tx, 'practitioner', on), providerClaims30)
      : null;
  return scoreClaim({
    claimed: Number(claim.claimed),
    approvalThreshold: claim.rules.approvalThreshold === null ? null : Number(claim.rules.approvalThreshold),
    lines: lines.map((l) => ({
      id: l.id,
      kind: l.kind,
      code: l.code,
      procedureCode: l.procedureCode,
      description: l.description,
      unitAmount: units.get(l.invoiceLineId) ?? 0,
      peers: peers.get(l.code) ?? null,
      duplicate: dups.get(`${l.code}|${l.serviceDate}`) ?? null,
    })),
    patientSex: claim.sex,
    diagnoses: claim.diagnoses.map((d) => d.code),
    patientClaims30,
    patientPeerP95,
    providerClaims30,
    providerPeerP95,
  });
}

function stale(current: number, given: number) {
  if (current !== given) throw new Conflict('This was changed by someone else: reload it', 'STALE_VERSION', { version: current });
}

function checkRules(r: PlanRules) {
  const issues: FieldIssue[] = [];
  if (new Set(r.coveredKinds).size !== r.coveredKinds.length)
    issues.push({ field: 'rules/coveredKinds', code: 'invalid', message: 'lists a kind twice' });
  if (r.perClaimLimit !== null && r.annualLimit !== null && money(r.perClaimLimit).greaterThan(r.annualLimit))
    issues.push({ field: 'rules/perClaimLimit', code: 'invalid', message: 'is above the annual limit' });
  if (issues.length) throw new Invalid(issues);
}

function checkValidity(from: string, to: string | null) {
  if (to && to < from) throw new Invalid([{ field: 'validTo', code: 'invalid', message: 'is before validFrom' }]);
}

function toCoverage(c: repo.CoverageRow): Coverage {
  return {
    id: c.id,
    patientId: c.patientId,
    payer: { id: c.payerId, code: c.payerCode, name: c.payerName },
    plan: { id: c.planId, code: c.planCode, name: c.planName },
    memberId: c.memberId,
    subscriberName: c.subscriberName,
    relationship: c.relationship,
    validFrom: c.validFrom,
    validTo: c.validTo,
    priority: c.priority,
    active: c.active,
    version: c.version,
  };
}

function toSummary(c: repo.ClaimRow): ClaimSummary {
  return {
    id: c.id,
    clinicId: c.clinicId,
    clinicName: c.clinicName,
    number: c.number,
    status: c.status,
    patient: { id: c.patientId, name: c.patientName, mrn: c.mrn },
    coverage: { id: c.coverageId, memberId: c.memberId, relationship: c.relationship },
    payer: { id: c.payerId, code: c.payerCode, name: c.payerName },
    plan: { id: c.planId, code: c.planCode, name: c.planName },
    invoiceId: c.invoiceId,
    invoiceNumber: c.invoiceNumber,
    encounterId: c.encounterId,
    practitioner: c.practitionerId ? { id: c.practitionerId, name: c.practitionerName ?? '' } : null,
    diagnoses: c.diagnoses,
    currency: c.currency,
    claimed: c.claimed,
    approved: c.approved,
    paid: c.paid,
    anomalyScore: c.anomalyScore,
    anomalyReasons: c.anomalyReasons,
    resubmissionOf: c.resubmissionOf,
    resubmittedAs: c.resubmittedAs,
    submittedAt: iso(c.submittedAt),
    decidedAt: iso(c.decidedAt),
    createdAt: c.createdAt.toISOString(),
    version: c.version,
  };
}
