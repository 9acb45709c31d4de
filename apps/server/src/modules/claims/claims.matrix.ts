import {
  clinicOf,
  has,
  isPatient,
  matrixContext,
  next,
  patientIds,
  type Actor,
  type MatrixSection,
  type Target,
  type Verdict,
} from '../../../test/matrix.ts';
import type { Permission } from '../../platform/access.ts';
import { coverage, issuedInvoice, plan } from './claims.fixtures.ts';

/**
 * Insurance and claims. Coverages follow the patient-access path (the permission, then the patient
 * registered at the active clinic, refusals audited); payers and plans need claims:read to read and
 * claims:manage to change; claims are the active clinic's for staff (claims:read, claims:write) and
 * the insurer's payer's (claims:review) — the insurer of the matrix reviews for SONAS, whose claim
 * the rows use. Transitions are called with a stale version: whoever may act gets 409, the others
 * 403 before anything is read.
 */
const fx = { payer: '', plan: '', claim: '', draft: '', coverage: '', insurer: '', invoice: '', invoiceCoverage: '' };

const can =
  (perm: Permission) =>
  (a: Actor, t: Target): 200 | 403 | 404 => {
    if (isPatient(a) || !has(a, perm)) return 403;
    return clinicOf[t] === a.clinic ? 200 : 404;
  };
const reader = (a: Actor): Verdict => (!isPatient(a) && (has(a, 'claims:read') || has(a, 'claims:manage')) ? 'ok' : 403);
const manager = (a: Actor): Verdict => (!isPatient(a) && has(a, 'claims:manage') ? 'ok' : 403);
const manageStale = (a: Actor): Verdict => (manager(a) === 'ok' ? 409 : 403);
/** the clinic's claim: clinic staff with claims:write at Kinshasa act (stale: 409); the others 403 */
const writer = (a: Actor): Verdict => (!isPatient(a) && has(a, 'claims:write') ? (a.clinic === 'kin' ? 409 : 404) : 403);
/** the payer's reviewer (or a super admin at the clinic) */
const reviewer = (a: Actor): Verdict => (!isPatient(a) && has(a, 'claims:review') ? 409 : 403);
/** reading a claim: clinic staff with claims:read, the SONAS insurer */
const claimReader = (a: Actor): Verdict =>
  isPatient(a) || !(has(a, 'claims:read') || has(a, 'claims:review')) ? 403 : a.clinic === 'kin' ? 'ok' : 404;
/** the clinic's draft or invoice, for those who build claims: Kinshasa's writers; 404 elsewhere; 403 without claims:write */
const builder = (a: Actor): Verdict => (!isPatient(a) && has(a, 'claims:write') ? (a.clinic === 'kin' ? 'ok' : 404) : 403);
const coverageWriter = (a: Actor): Verdict => (isPatient(a) || !has(a, 'coverage:write') ? 403 : a.clinic === 'kin' ? 'ok' : 404);
const coverageStale = (a: Actor): Verdict => (isPatient(a) || !has(a, 'coverage:write') ? 403 : a.clinic === 'kin' ? 409 : 404);
const stale = { version: 999 };

const section: MatrixSection = {
  setup: async () => {
    const { sql, ids } = matrixContext();
    const one = async (q: string, params: unknown[] = []) => (await sql.query<{ id: string }>(q, params)).rows[0]!.id;
    fx.payer = await one(`SELECT id FROM payers WHERE code = 'SONAS'`);
    fx.plan = await one(`SELECT id FROM insurance_plans WHERE payer_id = $1 ORDER BY code LIMIT 1`, [fx.payer]);
    fx.claim = await one(`SELECT id FROM claims WHERE payer_id = $1 AND clinic_id = $2 AND status = 'submitted' LIMIT 1`, [
      fx.payer,
      ids.kin,
    ]);
    fx.draft = await one(`SELECT id FROM claims WHERE clinic_id = $1 AND status = 'draft' ORDER BY created_at LIMIT 1`, [
      ids.kin,
    ]);
    fx.insurer = ids.users['insurer@sanita.test']!;
    // an issued invoice of a Kinshasa patient covered by a plan of its own, never claimed: previewed only
    fx.invoice = (
      await issuedInvoice(sql, ids.kin, patientIds().other, ids.users['cashier@sanita.test']!, [
        { kind: 'consultation', code: 'CONS-MX', total: '20.00' },
      ])
    ).id;
    fx.invoiceCoverage = await coverage(sql, patientIds().other, await plan(sql, {}));
    fx.coverage = await one(
      `INSERT INTO coverages (patient_id, plan_id, payer_id, member_id, relationship, valid_from)
       VALUES ($1, $2, $3, 'MX-COV', 'self', '2026-01-01') RETURNING id`,
      [patientIds().other, fx.plan, fx.payer],
    );
  },
  targetRoutes: [
    {
      route: 'GET /api/patients/:patientId/coverages',
      method: 'GET',
      url: (id) => `/api/patients/${id}/coverages`,
      verdict: can('coverage:read'),
      action: 'coverage.read',
    },
    {
      route: 'GET /api/patients/:patientId/eligibility',
      method: 'GET',
      url: (id) => `/api/patients/${id}/eligibility`,
      verdict: can('coverage:read'),
      action: 'coverage.eligibility',
    },
  ],
  routes: [
    { route: 'GET /api/payers', method: 'GET', url: '/api/payers', verdict: reader },
    { route: 'GET /api/payers/:id', method: 'GET', url: () => `/api/payers/${fx.payer}`, verdict: reader },
    { route: 'GET /api/payers/:id/plans', method: 'GET', url: () => `/api/payers/${fx.payer}/plans`, verdict: reader },
    { route: 'GET /api/plans/:id', method: 'GET', url: () => `/api/plans/${fx.plan}`, verdict: reader },
    {
      route: 'POST /api/payers',
      method: 'POST',
      url: '/api/payers',
      body: () => ({ code: `MX${next()}`, name: 'Matrix payer' }),
      verdict: manager,
      ok: 201,
    },
    {
      route: 'PATCH /api/payers/:id',
      method: 'PATCH',
      url: () => `/api/payers/${fx.payer}`,
      body: () => ({ name: 'SONAS', ...stale }),
      verdict: manageStale,
    },
    {
      route: 'POST /api/payers/:id/plans',
      method: 'POST',
      url: () => `/api/payers/${fx.payer}/plans`,
      body: () => ({
        code: `MX${next()}`,
        name: 'Matrix plan',
        currency: 'USD',
        rules: {
          coveredKinds: ['consultation'],
          excludedCodes: [],
          copay: '0',
          coinsurancePercent: '0',
          annualLimit: null,
          perClaimLimit: null,
          approvalThreshold: null,
        },
      }),
      verdict: manager,
      ok: 201,
    },
    {
      route: 'PATCH /api/plans/:id',
      method: 'PATCH',
      url: () => `/api/plans/${fx.plan}`,
      body: () => ({ name: 'x', ...stale }),
      verdict: manageStale,
    },
    {
      route: 'POST /api/payers/:id/members',
      method: 'POST',
      url: () => `/api/payers/${fx.payer}/members`,
      body: () => ({ userId: fx.insurer }),
      verdict: manager,
    },
    {
      route: 'POST /api/patients/:patientId/coverages',
      method: 'POST',
      url: () => `/api/patients/${patientIds().other}/coverages`,
      body: () => ({ planId: fx.plan, memberId: `MX-${next()}`, relationship: 'self', validFrom: '2026-01-01' }),
      verdict: coverageWriter,
      ok: 201,
      action: 'coverage.create',
      auditRefusals: true,
    },
    {
      route: 'PATCH /api/coverages/:id',
      method: 'PATCH',
      url: () => `/api/coverages/${fx.coverage}`,
      body: () => ({ active: true, ...stale }),
      verdict: coverageStale,
    },
    {
      route: 'GET /api/claims',
      method: 'GET',
      url: '/api/claims?limit=5',
      verdict: (a) => (claimReader(a) === 404 ? 'ok' : claimReader(a)),
      action: 'claims.list',
      listAudit: true,
    },
    {
      route: 'POST /api/claims',
      method: 'POST',
      url: '/api/claims',
      body: () => ({ invoiceId: '00000000-0000-4000-8000-000000000000' }),
      verdict: (a) => (!isPatient(a) && has(a, 'claims:write') ? 404 : 403),
    },
    {
      route: 'POST /api/claims/preview',
      method: 'POST',
      url: '/api/claims/preview',
      body: () => ({ invoiceId: fx.invoice, coverageId: fx.invoiceCoverage }),
      verdict: builder,
      action: 'claim.preview',
      auditRefusals: true,
    },
    {
      route: 'GET /api/claims/:id/documents',
      method: 'GET',
      url: () => `/api/claims/${fx.draft}/documents`,
      verdict: builder,
      action: 'claim.documents',
      auditRefusals: true,
    },
    {
      route: 'GET /api/claims/:id',
      method: 'GET',
      url: () => `/api/claims/${fx.claim}`,
      verdict: claimReader,
      action: 'claim.read',
      auditRefusals: true,
    },
    {
      route: 'POST /api/claims/:id/attachments',
      method: 'POST',
      url: () => `/api/claims/${fx.claim}/attachments`,
      body: () => ({ documentId: '00000000-0000-4000-8000-000000000000', ...stale }),
      verdict: writer,
    },
    {
      route: 'POST /api/claims/:id/submit',
      method: 'POST',
      url: () => `/api/claims/${fx.claim}/submit`,
      body: () => stale,
      verdict: writer,
    },
    {
      route: 'POST /api/claims/:id/review',
      method: 'POST',
      url: () => `/api/claims/${fx.claim}/review`,
      body: () => stale,
      verdict: reviewer,
    },
    {
      route: 'POST /api/claims/:id/decision',
      method: 'POST',
      url: () => `/api/claims/${fx.claim}/decision`,
      body: () => ({ decision: 'denied', ...stale }),
      verdict: reviewer,
    },
    {
      route: 'POST /api/claims/:id/paid',
      method: 'POST',
      url: () => `/api/claims/${fx.claim}/paid`,
      body: () => ({ amount: '1.00', ...stale }),
      verdict: writer,
    },
    {
      route: 'POST /api/claims/:id/resubmit',
      method: 'POST',
      url: () => `/api/claims/${fx.claim}/resubmit`,
      body: () => stale,
      verdict: writer,
    },
    {
      route: 'POST /api/claims/:id/notes',
      method: 'POST',
      url: () => `/api/claims/${fx.claim}/notes`,
      body: () => ({ text: 'Matrix note' }),
      verdict: (a) => {
        if (isPatient(a) || !(has(a, 'claims:write') || has(a, 'claims:review'))) return 403;
        return a.clinic === 'kin' ? 'ok' : 404;
      },
    },
    { route: 'GET /api/admin/claims-ledger/verify', method: 'GET', url: '/api/admin/claims-ledger/verify', verdict: manager },
    { route: 'POST /api/admin/claims-ledger/verify', method: 'POST', url: '/api/admin/claims-ledger/verify', verdict: manager },
  ],
};
export default section;
