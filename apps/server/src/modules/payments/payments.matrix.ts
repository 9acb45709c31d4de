import { expect, it } from 'vitest';
import { auditSince, lastAuditId } from '../../../test/helpers.ts';
import {
  clinicId,
  clinicOf,
  has,
  isPatient,
  matrixContext,
  patientIds,
  sessionOf,
  staffWith,
  targets,
  type Actor,
  type MatrixSection,
  type Target,
} from '../../../test/matrix.ts';
import type { Permission } from '../../platform/access.ts';
import { issuedInvoice, key, rawPayment } from './payments.fixtures.ts';

/**
 * Payments: the permission first (403, audited as denied), then the payment, invoice or patient at
 * the active clinic (another clinic's looks like none: 404, audited). Cashiers collect, managers
 * refund and manage rates and sessions, accountants report; patients see only their own invoices and
 * receipts in the portal (404 for anyone else's).
 */
function can(perm: Permission) {
  return (a: Actor, t: Target): 200 | 403 | 404 => {
    if (isPatient(a) || !has(a, perm)) return 403;
    return clinicOf[t] === a.clinic ? 200 : 404;
  };
}
const portal = (a: Actor, t: Target): 200 | 403 | 404 => (!isPatient(a) ? 403 : t === 'own' ? 200 : 404);

const reads = {} as Record<Target, { invoice: string; payment: string }>;
const sessions = { kinClosed: '', kinOpen: '' };
const cashierOf = (t: Target) => (clinicOf[t] === 'kin' ? 'cashier@sanita.test' : 'manager@sanita.test');

async function invoiceOf(t: Target, total = '100.00'): Promise<string> {
  const { sql } = matrixContext();
  return issuedInvoice(sql, { clinicId: clinicId(clinicOf[t]), patientId: patientIds()[t], total });
}
async function paymentOf(t: Target, invoiceId: string | null): Promise<string> {
  const { sql, ids } = matrixContext();
  return rawPayment(sql, {
    clinicId: clinicId(clinicOf[t]),
    patientId: patientIds()[t],
    invoiceId,
    method: 'cash',
    currency: 'USD',
    amount: '10.00',
    appliedCurrency: 'USD',
    appliedAmount: '10.00',
    receivedAt: new Date(),
    userId: ids.users[cashierOf(t)]!,
  });
}

/** A call with an idempotency key, as the desk sends it. */
const keyed = (a: Actor, url: string, body: unknown) =>
  sessionOf(a).req('POST', url, body, { 'x-clinic-id': clinicId(a.clinic), 'idempotency-key': key() });

async function expectAudited(since: number, a: Actor, action: string, patientId: string, status: number) {
  const { sql } = matrixContext();
  const rows = (await auditSince(sql, since)).filter((r) => r.actor_user_id === sessionOf(a).userId && r.action === action);
  expect(rows).toContainEqual(expect.objectContaining({ patient_id: patientId, outcome: status < 300 ? 'success' : 'denied' }));
}

const day = (d: number) => new Date(Date.now() + d * 86_400_000).toISOString().slice(0, 10);
const COLLECT = 'POST /api/payments';
const REFUND = 'POST /api/payments/:id/refunds';
const APPLY = 'POST /api/payments/:id/apply';

const section: MatrixSection = {
  async setup() {
    const { sql, ids } = matrixContext();
    for (const t of targets) {
      const invoice = await invoiceOf(t);
      reads[t] = { invoice, payment: await paymentOf(t, invoice) };
    }
    // every collector at Kinshasa has their session open; a closed one of the manager's; the cashier's open one
    for (const email of ['super_admin@sanita.test', 'admin@sanita.test', 'cashier@sanita.test'])
      await sql.query(
        `INSERT INTO cashier_sessions (clinic_id, cashier_id, floats) VALUES ($1, $2, '[]')
         ON CONFLICT (clinic_id, cashier_id) WHERE status = 'open' DO NOTHING`,
        [ids.kin, ids.users[email]],
      );
    sessions.kinOpen = (
      await sql.query<{ id: string }>(
        `SELECT id FROM cashier_sessions WHERE clinic_id = $1 AND cashier_id = $2 AND status = 'open'`,
        [ids.kin, ids.users['cashier@sanita.test']],
      )
    ).rows[0]!.id;
    sessions.kinClosed = (
      await sql.query<{ id: string }>(
        `INSERT INTO cashier_sessions (clinic_id, cashier_id, status, floats, counts, closed_at)
         VALUES ($1, $2, 'closed', '[]', '[]', now()) RETURNING id`,
        [ids.kin, ids.users['manager@sanita.test']],
      )
    ).rows[0]!.id;
  },
  routes: [
    {
      route: 'GET /api/payments/exchange-rates',
      method: 'GET',
      url: '/api/payments/exchange-rates',
      verdict: (a) => staffWith(a, 'payments:read'),
    },
    {
      route: 'POST /api/payments/exchange-rates',
      method: 'POST',
      url: '/api/payments/exchange-rates',
      body: () => ({ from: 'USD', to: 'CDF', rate: '2850' }),
      verdict: (a) => staffWith(a, 'payments:manage'),
      ok: 201,
    },
    {
      route: 'GET /api/payments',
      method: 'GET',
      url: '/api/payments',
      verdict: (a) => staffWith(a, 'payments:read'),
      action: 'payment.list',
      listAudit: true,
    },
    {
      route: 'GET /api/cashier/sessions/current',
      method: 'GET',
      url: '/api/cashier/sessions/current',
      verdict: (a) => (!isPatient(a) && (has(a, 'payments:read') || has(a, 'payments:collect')) ? 'ok' : 403),
    },
    {
      route: 'GET /api/cashier/sessions',
      method: 'GET',
      url: '/api/cashier/sessions',
      verdict: (a) => staffWith(a, 'payments:read'),
    },
    {
      route: 'GET /api/cashier/sessions/:id',
      method: 'GET',
      url: () => `/api/cashier/sessions/${sessions.kinClosed}`,
      verdict: (a) => (isPatient(a) || !has(a, 'payments:read') ? 403 : a.clinic === 'kin' ? 'ok' : 404),
    },
    {
      // every collector of the matrix has a session open already
      route: 'POST /api/cashier/sessions',
      method: 'POST',
      url: '/api/cashier/sessions',
      body: () => ({ floats: [] }),
      verdict: (a) => (isPatient(a) || !has(a, 'payments:collect') ? 403 : 409),
    },
    {
      // the manager's session, closed: someone else's needs payments:manage, and it is closed already
      route: 'POST /api/cashier/sessions/:id/close',
      method: 'POST',
      url: () => `/api/cashier/sessions/${sessions.kinClosed}/close`,
      body: () => ({ counts: [], version: 1 }),
      verdict: (a) =>
        isPatient(a) || !has(a, 'payments:collect') || !has(a, 'payments:manage') ? 403 : a.clinic === 'kin' ? 409 : 404,
    },
    {
      // the cashier's session, open: a manager may reopen a closed one only
      route: 'POST /api/cashier/sessions/:id/reopen',
      method: 'POST',
      url: () => `/api/cashier/sessions/${sessions.kinOpen}/reopen`,
      body: () => ({ reason: 'Matrix', version: 1 }),
      verdict: (a) => (isPatient(a) || !has(a, 'payments:manage') ? 403 : a.clinic === 'kin' ? 409 : 404),
    },
    {
      // instalments that do not add up to the balance: refused once allowed
      route: 'POST /api/payment-plans',
      method: 'POST',
      url: '/api/payment-plans',
      body: () => ({ invoiceId: reads.other.invoice, instalments: [{ dueDate: '2030-01-01', amount: '1' }] }),
      verdict: (a) => (isPatient(a) || !has(a, 'payments:collect') ? 403 : a.clinic === 'kin' ? 400 : 404),
    },
    {
      route: 'GET /api/payment-plans',
      method: 'GET',
      url: '/api/payment-plans',
      verdict: (a) => staffWith(a, 'payments:read'),
      action: 'payment_plan.list',
      listAudit: true,
    },
    {
      route: 'GET /api/billing-reports/revenue',
      method: 'GET',
      // the last 30 days: the demo's exchange rates cover them
      url: () => `/api/billing-reports/revenue?from=${day(-30)}&to=${day(0)}&currency=USD`,
      verdict: (a) => staffWith(a, 'billing:report'),
      action: 'report.revenue',
      listAudit: true,
    },
    {
      route: 'GET /api/billing-reports/aging',
      method: 'GET',
      url: '/api/billing-reports/aging?currency=USD',
      verdict: (a) => staffWith(a, 'billing:report'),
      action: 'report.aging',
      listAudit: true,
    },
    {
      route: 'GET /api/portal/invoices',
      method: 'GET',
      url: '/api/portal/invoices',
      verdict: (a) => (isPatient(a) ? 'ok' : 403),
      action: 'portal.invoice.list',
    },
  ],
  targetRoutes: [
    {
      route: 'GET /api/payments/:id',
      method: 'GET',
      url: (_id, t) => `/api/payments/${reads[t].payment}`,
      verdict: can('payments:read'),
      action: 'payment.read',
      auditOnce: true,
    },
    {
      route: 'GET /api/payments/:id/receipt',
      method: 'GET',
      url: (_id, t) => `/api/payments/${reads[t].payment}/receipt`,
      verdict: can('payments:read'),
      action: 'payment.receipt',
      auditOnce: true,
    },
    {
      route: 'GET /api/portal/invoices/:id',
      method: 'GET',
      url: (_id, t) => `/api/portal/invoices/${reads[t].invoice}`,
      verdict: portal,
      action: 'portal.invoice.read',
      auditOnce: true,
    },
    {
      route: 'GET /api/portal/payments/:id/receipt',
      method: 'GET',
      url: (_id, t) => `/api/portal/payments/${reads[t].payment}/receipt`,
      verdict: portal,
      action: 'payment.receipt',
      auditOnce: true,
    },
  ],
  // the routes that move money need an Idempotency-Key, which rows do not send
  covers: [COLLECT, REFUND, APPLY],
  tests: (actor) => {
    const collect = can('payments:collect');
    it(`${COLLECT} on each patient → ${targets.map((t) => collect(actor, t)).join('/')} (201 for 200), audited`, async () => {
      for (const t of targets) {
        const invoiceId = await invoiceOf(t, '5.00');
        const since = await lastAuditId(matrixContext().sql);
        const res = await keyed(actor, '/api/payments', {
          patientId: patientIds()[t],
          invoiceId,
          method: 'cash',
          currency: 'USD',
          amount: '1.00',
        });
        const want = collect(actor, t);
        expect(res.statusCode, `${t}: ${res.body}`).toBe(want === 200 ? 201 : want);
        await expectAudited(since, actor, 'payment.create', patientIds()[t], res.statusCode);
      }
    });
    const refund = can('payments:refund');
    it(`${REFUND} on each patient's payment → ${targets.map((t) => refund(actor, t)).join('/')} (201 for 200), audited`, async () => {
      for (const t of targets) {
        const paymentId = await paymentOf(t, await invoiceOf(t, '20.00'));
        const since = await lastAuditId(matrixContext().sql);
        const res = await keyed(actor, `/api/payments/${paymentId}/refunds`, { amount: '1.00', reason: 'Matrix' });
        const want = refund(actor, t);
        expect(res.statusCode, `${t}: ${res.body}`).toBe(want === 200 ? 201 : want);
        await expectAudited(since, actor, 'payment.refund', patientIds()[t], res.statusCode);
      }
    });
    it(`${APPLY} of each patient's deposit → ${targets.map((t) => collect(actor, t)).join('/')}, audited`, async () => {
      for (const t of targets) {
        const invoiceId = await invoiceOf(t, '50.00');
        const paymentId = await paymentOf(t, null);
        const since = await lastAuditId(matrixContext().sql);
        const res = await sessionOf(actor).req(
          'POST',
          `/api/payments/${paymentId}/apply`,
          { invoiceId },
          { 'x-clinic-id': clinicId(actor.clinic) },
        );
        expect(res.statusCode, `${t}: ${res.body}`).toBe(collect(actor, t));
        await expectAudited(since, actor, 'payment.apply', patientIds()[t], res.statusCode);
      }
    });
  },
};

export default section;
