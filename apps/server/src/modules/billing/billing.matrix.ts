import { expect, it } from 'vitest';
import {
  call,
  clinicId,
  clinicOf,
  has,
  isPatient,
  matrixContext,
  next,
  patientIds,
  staffWith,
  targets,
  type Actor,
  type MatrixSection,
  type Target,
} from '../../../test/matrix.ts';
import type { Permission } from '../../platform/access.ts';

/**
 * Billing: the permission at the active clinic first (403, nothing read, unaudited), then the
 * invoice of that clinic (another clinic's is 404, audited as denied with its patient). Cashiers
 * and receptionists write (lines, issue, small discounts), managers and administrators approve
 * discounts, accountants void and credit, administrators keep the price list. Nobody else — no
 * clinician, no portal user — reaches invoices here.
 */
function can(perm: Permission) {
  return (a: Actor, t: Target): 200 | 403 | 404 => {
    if (isPatient(a) || !has(a, perm)) return 403;
    return clinicOf[t] === a.clinic ? 200 : 404;
  };
}

const targetOf = (patientId: string): Target => {
  const ids = patientIds();
  return (Object.keys(ids) as Target[]).find((t) => ids[t] === patientId)!;
};

type Stage = 'draft' | 'unpriced' | 'pending' | 'issued';
/** An invoice of the target patient at its clinic, at a stage (written behind the API's back). */
async function invoice(
  target: Target,
  stage: Stage,
): Promise<{ id: string; lineId: string; discountId: string | null; version: number }> {
  const { sql, ids } = matrixContext();
  const clinic = clinicId(clinicOf[target]);
  const patient = patientIds()[target];
  // the patient's open draft would clash with the unique draft per patient: close it first
  await sql.query(
    `UPDATE invoices SET status = 'void', void_reason = 'matrix' WHERE clinic_id = $1 AND patient_id = $2 AND status = 'draft'`,
    [clinic, patient],
  );
  const issued = stage === 'issued';
  const { rows } = await sql.query<{ id: string }>(
    `INSERT INTO invoices (clinic_id, patient_id, status, currency, subtotal, total, patient_share, number, issued_at)
     VALUES ($1, $2, $3, 'USD', 10, 10, 10, $4, $5) RETURNING id`,
    [clinic, patient, issued ? 'issued' : 'draft', issued ? `INV-MATRIX-${next()}` : null, issued ? new Date() : null],
  );
  const id = rows[0]!.id;
  const line = await sql.query<{ id: string }>(
    `INSERT INTO invoice_lines (invoice_id, kind, code, description, source, service_date, quantity, unit_price, amount, total)
     VALUES ($1, 'other', 'MATRIX', 'Matrix line', 'manual', current_date, 1, $2, 10, 10) RETURNING id`,
    [id, stage === 'unpriced' ? null : 10],
  );
  let discountId: string | null = null;
  if (stage === 'pending') {
    const d = await sql.query<{ id: string }>(
      `INSERT INTO invoice_discounts (invoice_id, percent, reason, status, requested_by) VALUES ($1, 50, 'Matrix', 'pending', $2) RETURNING id`,
      [id, ids.users['lab_technician2@sanita.test'] ?? ids.users['super_admin@sanita.test']],
    );
    discountId = d.rows[0]!.id;
  }
  return { id, lineId: line.rows[0]!.id, discountId, version: 1 };
}

/** The invoice each row's next call names, made by its body (called before its url). */
const current = {} as Record<string, { id: string; lineId: string; discountId: string | null; version: number }>;
/** per target: an issued invoice that reads and prints */
const readable = {} as Record<Target, string>;

const fresh = (key: string, stage: Stage, body: (i: (typeof current)[string]) => unknown) => async (patientId: string) => {
  const t = targetOf(patientId);
  current[`${key}:${t}`] = await invoice(t, stage);
  return body(current[`${key}:${t}`]!);
};
const at = (key: string, t: Target) => current[`${key}:${t}`]!;

const CREATE = 'POST /api/billing/invoices';
const LINE = 'POST /api/billing/invoices/:id/lines';
const DISCOUNT = 'POST /api/billing/invoices/:id/discounts';
const CREDIT = 'POST /api/billing/invoices/:id/credit-notes';
const PRICE_PATCH = 'PATCH /api/billing/prices/:id';

const section: MatrixSection = {
  async setup() {
    for (const t of targets) readable[t] = (await invoice(t, 'issued')).id;
  },
  routes: [
    { route: 'GET /api/billing/prices', method: 'GET', url: '/api/billing/prices', verdict: (a) => staffWith(a, 'billing:read') },
    {
      route: 'POST /api/billing/prices',
      method: 'POST',
      url: '/api/billing/prices',
      body: () => ({
        kind: 'other',
        code: `MATRIX-${next()}`,
        name: 'Matrix',
        currency: 'USD',
        unitPrice: '1',
        effectiveFrom: '2026-01-01',
      }),
      verdict: (a) => staffWith(a, 'billing:manage'),
      ok: 201,
    },
    {
      route: 'GET /api/billing/tax-rates',
      method: 'GET',
      url: '/api/billing/tax-rates',
      verdict: (a) => staffWith(a, 'billing:read'),
    },
    {
      route: 'POST /api/billing/tax-rates',
      method: 'POST',
      url: '/api/billing/tax-rates',
      body: () => ({ category: `matrix${next()}`, name: 'Matrix', rate: '5', effectiveFrom: '2026-01-01' }),
      verdict: (a) => staffWith(a, 'billing:manage'),
      ok: 201,
    },
    {
      route: 'GET /api/billing/settings',
      method: 'GET',
      url: '/api/billing/settings',
      verdict: (a) => staffWith(a, 'billing:read'),
    },
    {
      route: 'PATCH /api/billing/settings',
      method: 'PATCH',
      url: '/api/billing/settings',
      body: () => ({ paymentTermsDays: 30 }),
      verdict: (a) => staffWith(a, 'billing:manage'),
    },
    {
      route: 'GET /api/billing/invoices',
      method: 'GET',
      url: '/api/billing/invoices',
      verdict: (a) => staffWith(a, 'billing:read'),
      action: 'invoice.list',
      listAudit: true,
    },
  ],
  targetRoutes: [
    {
      route: 'GET /api/billing/invoices/:id',
      method: 'GET',
      url: (_id, t) => `/api/billing/invoices/${readable[t]}`,
      verdict: can('billing:read'),
      action: 'invoice.read',
      forbiddenUnaudited: true,
      auditOnce: true,
    },
    {
      route: 'GET /api/billing/invoices/:id/pdf',
      method: 'GET',
      url: (_id, t) => `/api/billing/invoices/${readable[t]}/pdf`,
      verdict: can('billing:read'),
      action: 'invoice.print',
      forbiddenUnaudited: true,
      auditOnce: true,
    },
    {
      route: 'PATCH /api/billing/invoices/:id/lines/:lineId',
      method: 'PATCH',
      body: fresh('price', 'unpriced', (i) => ({ unitPrice: '12', version: i.version })),
      url: (_id, t) => `/api/billing/invoices/${at('price', t).id}/lines/${at('price', t).lineId}`,
      verdict: can('billing:write'),
      action: 'invoice.line.price',
      forbiddenUnaudited: true,
      auditOnce: true,
    },
    {
      route: 'DELETE /api/billing/invoices/:id/lines/:lineId',
      method: 'DELETE',
      body: fresh('delete', 'draft', () => undefined),
      url: (_id, t) => `/api/billing/invoices/${at('delete', t).id}/lines/${at('delete', t).lineId}?version=1`,
      verdict: can('billing:write'),
      action: 'invoice.line.delete',
      forbiddenUnaudited: true,
      auditOnce: true,
    },
    {
      route: 'POST /api/billing/invoices/:id/issue',
      method: 'POST',
      body: fresh('issue', 'draft', (i) => ({ version: i.version })),
      url: (_id, t) => `/api/billing/invoices/${at('issue', t).id}/issue`,
      verdict: can('billing:write'),
      action: 'invoice.issue',
      forbiddenUnaudited: true,
      auditOnce: true,
    },
    {
      route: 'POST /api/billing/invoices/:id/discounts/:discountId/decision',
      method: 'POST',
      body: fresh('decide', 'pending', () => ({ approve: true })),
      url: (_id, t) => `/api/billing/invoices/${at('decide', t).id}/discounts/${at('decide', t).discountId}/decision`,
      verdict: can('invoices:discount'),
      action: 'invoice.discount.decide',
      forbiddenUnaudited: true,
      auditOnce: true,
    },
    {
      route: 'POST /api/billing/invoices/:id/void',
      method: 'POST',
      body: fresh('void', 'issued', (i) => ({ reason: 'Matrix', version: i.version })),
      url: (_id, t) => `/api/billing/invoices/${at('void', t).id}/void`,
      verdict: can('billing:void'),
      action: 'invoice.void',
      forbiddenUnaudited: true,
      auditOnce: true,
    },
  ],
  // these answer 201 (or 202): checked below
  covers: [CREATE, LINE, DISCOUNT, CREDIT, PRICE_PATCH],
  tests: (actor) => {
    const cases: [string, Permission, (t: Target) => Promise<[string, string, unknown]>, number][] = [
      [CREATE, 'billing:write', async (t) => ['POST', '/api/billing/invoices', { patientId: patientIds()[t] }], 201],
      [
        LINE,
        'billing:write',
        async (t) => {
          const i = await invoice(t, 'draft');
          return [
            'POST',
            `/api/billing/invoices/${i.id}/lines`,
            { kind: 'other', description: 'X', unitPrice: '1', quantity: '1', version: 1 },
          ];
        },
        201,
      ],
      [
        DISCOUNT,
        'billing:write',
        async (t) => {
          const i = await invoice(t, 'draft');
          return ['POST', `/api/billing/invoices/${i.id}/discounts`, { percent: '5', reason: 'Matrix', version: 1 }];
        },
        201,
      ],
      [
        CREDIT,
        'billing:void',
        async (t) => {
          const i = await invoice(t, 'issued');
          return ['POST', `/api/billing/invoices/${i.id}/credit-notes`, { amount: '1', reason: 'Matrix', version: 1 }];
        },
        201,
      ],
    ];
    it.each(cases.flatMap(([route, perm, make, ok]) => targets.map((t) => [route, t, perm, make, ok] as const)))(
      '%s for the %s patient',
      async (_route, t, perm, make, ok) => {
        const verdict = can(perm)(actor, t);
        const [method, url, body] = await make(t);
        const res = await call(actor, method, url, body);
        expect([verdict === 200 ? ok : verdict, ...(verdict === 200 && ok === 201 ? [200] : [])], res.body).toContain(
          res.statusCode,
        );
        if (verdict !== 200) expect(res.body).not.toMatch(/"mrn"|"patient"/);
      },
    );
    it(`${PRICE_PATCH} needs billing:manage at the price's clinic`, async () => {
      const { sql } = matrixContext();
      const { rows } = await sql.query<{ id: string; version: number }>(
        `INSERT INTO price_items (clinic_id, kind, code, name, currency, unit_price, effective_from)
         VALUES ($1, 'other', $2, 'Matrix', 'USD', 1, '2026-01-01') RETURNING id, version`,
        [clinicId(actor.clinic), `MATRIX-P-${next()}`],
      );
      const res = await call(actor, 'PATCH', `/api/billing/prices/${rows[0]!.id}`, { unitPrice: '2', version: rows[0]!.version });
      expect(res.statusCode, res.body).toBe(staffWith(actor, 'billing:manage') === 'ok' ? 200 : 403);
    });
  },
};
export default section;
