import { expect, it } from 'vitest';
import { auditSince, lastAuditId } from '../../../test/helpers.ts';
import {
  call,
  clinicOf,
  has,
  isPatient,
  matrixContext,
  next,
  patientIds,
  sessionOf,
  staffWith,
  targets,
  type Actor,
  type MatrixSection,
  type Target,
} from '../../../test/matrix.ts';
import type { Permission } from '../../platform/access.ts';
import { catalogueSection } from './catalogue.matrix.ts';
import { encounter, labTests, type LabFixtureTests } from './lab.fixtures.ts';

/**
 * The laboratory: the permission first (403, audited as denied with the patient), then the patient
 * registered at the active clinic and, for a change, the order written there (404, audited). The lab
 * (lab:process) works the worklist, verification needs lab:verify, prescribers (lab:order) order,
 * cancel, hold from the portal and acknowledge; every clinical role with lab:read reads results.
 */
function can(perm: Permission) {
  return (a: Actor, t: Target): 200 | 403 | 404 => {
    if (isPatient(a) || !has(a, perm)) return 403;
    return clinicOf[t] === a.clinic ? 200 : 404;
  };
}

let T: LabFixtureTests;
type Stage = 'ordered' | 'collected' | 'received' | 'entered' | 'entered_verify' | 'released' | 'alert';

/**
 * An order of the target patient at the target's clinic, at a stage (written behind the API's back):
 * its id, its version, the id of its result (entered by nobody of the matrix), of its alert.
 */
async function fixture(t: Target, stage: Stage): Promise<{ order: string; result: string; alert: string }> {
  const { sql, ids } = matrixContext();
  const patientId = patientIds()[t];
  const clinicId = clinicOf[t] === 'kin' ? ids.kin : ids.gom;
  const orderedBy = ids.users[clinicOf[t] === 'kin' ? 'doctor@sanita.test' : 'doctor.goma@sanita.test']!;
  const n = next();
  const testId = stage === 'entered_verify' ? T.hgb : T.k;
  const status = { ordered: 'ordered', collected: 'collected', received: 'received' }[stage as string] ?? 'in_progress';
  const o = await sql.query<{ id: string }>(
    `INSERT INTO lab_orders (number, clinic_id, patient_id, ordered_by, priority, status, due_at, verification_code)
     VALUES ($1, $2, $3, $4, 'routine', $5, now() + interval '1 day', $6) RETURNING id`,
    [
      `MX-${n}-${Date.now()}`,
      clinicId,
      patientId,
      orderedBy,
      status,
      `MX${String(n).padStart(4, '0')}${Date.now().toString(36).slice(-6)}`.slice(0, 12),
    ],
  );
  const order = o.rows[0]!.id;
  let specimen: string | null = null;
  if (stage !== 'ordered') {
    const s = await sql.query<{ id: string }>(
      `INSERT INTO lab_specimens (order_id, accession_number, specimen_type, collected_at, received_at)
       VALUES ($1, $2, 'serum', now() - interval '1 hour', $3) RETURNING id`,
      [order, `9${n}${Date.now() % 100000}`, stage === 'collected' ? null : new Date()],
    );
    specimen = s.rows[0]!.id;
  }
  const item = await sql.query<{ id: string }>(
    `INSERT INTO lab_order_items (order_id, test_id, specimen_id, position) VALUES ($1, $2, $3, 0) RETURNING id`,
    [order, testId, specimen],
  );
  let result = '';
  let alert = '';
  if (['entered', 'entered_verify', 'released', 'alert'].includes(stage)) {
    const released = stage === 'released' || stage === 'alert';
    const r = await sql.query<{ id: string }>(
      `INSERT INTO lab_results (order_id, order_item_id, test_id, patient_id, clinic_id, value_numeric, unit, status, flag, critical,
         observed_at, released_at)
       VALUES ($1, $2, $3, $4, $5, $6, 'mmol/L', $7, $8, $9, now() - interval '1 hour', $10) RETURNING id`,
      [
        order,
        item.rows[0]!.id,
        testId,
        patientId,
        clinicId,
        stage === 'alert' ? 7 : 4,
        released ? 'released' : 'entered',
        stage === 'alert' ? 'HH' : null,
        stage === 'alert',
        released ? new Date() : null,
      ],
    );
    result = r.rows[0]!.id;
    if (stage === 'alert') {
      const a = await sql.query<{ id: string }>(
        `INSERT INTO lab_critical_alerts (result_id, order_id, patient_id, clinic_id, ordered_by) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
        [result, order, patientId, clinicId, orderedBy],
      );
      alert = a.rows[0]!.id;
    }
  }
  return { order, result, alert };
}

/** per target: an order with a released result (reads, labels, report) */
const reads = {} as Record<Target, { order: string }>;

interface Change {
  route: string;
  perm: Permission;
  stage: Stage;
  action: string;
  url: (f: { order: string; result: string; alert: string }) => string;
  body: (f: { order: string; result: string; alert: string }, t: Target) => unknown;
  ok?: number;
}

const changes: Change[] = [
  {
    route: 'POST /api/patients/:patientId/lab-orders',
    perm: 'lab:order',
    stage: 'ordered',
    action: 'lab_order.create',
    url: () => '',
    body: async (_f, t) => {
      const { sql, ids } = matrixContext();
      return { encounterId: await encounter(sql, patientIds()[t], clinicOf[t] === 'kin' ? ids.kin : ids.gom), testIds: [T.k] };
    },
    ok: 201,
  },
  {
    route: 'POST /api/lab/orders/:orderId/cancel',
    perm: 'lab:order',
    stage: 'ordered',
    action: 'lab_order.cancel',
    url: (f) => `/api/lab/orders/${f.order}/cancel`,
    body: () => ({ reason: 'Matrix', version: 1 }),
  },
  {
    route: 'POST /api/lab/orders/:orderId/collect',
    perm: 'lab:process',
    stage: 'ordered',
    action: 'lab_order.collect',
    url: (f) => `/api/lab/orders/${f.order}/collect`,
    body: () => ({ version: 1 }),
  },
  {
    route: 'POST /api/lab/orders/:orderId/receive',
    perm: 'lab:process',
    stage: 'collected',
    action: 'lab_order.receive',
    url: (f) => `/api/lab/orders/${f.order}/receive`,
    body: () => ({ version: 1 }),
  },
  {
    route: 'POST /api/lab/orders/:orderId/results',
    perm: 'lab:process',
    stage: 'received',
    action: 'lab_result.enter',
    url: (f) => `/api/lab/orders/${f.order}/results`,
    body: async (f) => {
      const { sql } = matrixContext();
      const item = (await sql.query<{ id: string }>('SELECT id FROM lab_order_items WHERE order_id = $1', [f.order])).rows[0]!.id;
      return { results: [{ orderItemId: item, testId: T.k, valueNumeric: 4.2 }], version: 1 };
    },
  },
  {
    route: 'POST /api/lab/orders/:orderId/verify',
    perm: 'lab:verify',
    stage: 'entered_verify',
    action: 'lab_result.verify',
    url: (f) => `/api/lab/orders/${f.order}/verify`,
    body: (f) => ({ resultIds: [f.result], version: 1 }),
  },
  {
    route: 'POST /api/lab/orders/:orderId/release',
    perm: 'lab:process',
    stage: 'entered',
    action: 'lab_result.release',
    url: (f) => `/api/lab/orders/${f.order}/release`,
    body: (f) => ({ resultIds: [f.result], version: 1 }),
  },
  {
    route: 'POST /api/lab/results/:resultId/portal-hold',
    perm: 'lab:order',
    stage: 'released',
    action: 'lab_result.portal_hold',
    url: (f) => `/api/lab/results/${f.result}/portal-hold`,
    body: () => ({ hold: true, version: 1 }),
  },
];

const ACK = 'POST /api/lab/alerts/:alertId/acknowledge';
const LINK = 'POST /api/lab/orders/:orderId/documents';

const section: MatrixSection = {
  async setup() {
    await catalogueSection.setup?.();
    T = await labTests(matrixContext().sql);
    for (const t of targets) reads[t] = { order: (await fixture(t, 'released')).order };
  },
  routes: [
    // the catalogue's rows (its own file)
    ...(catalogueSection.routes ?? []),
    {
      route: 'GET /api/lab/worklist',
      method: 'GET',
      url: '/api/lab/worklist',
      verdict: (a) => staffWith(a, 'lab:process'),
      action: 'lab.worklist.read',
      listAudit: true,
    },
    {
      route: 'GET /api/lab/worklist/counts',
      method: 'GET',
      url: '/api/lab/worklist/counts',
      verdict: (a) => staffWith(a, 'lab:process'),
      action: 'lab.worklist.count',
      listAudit: true,
    },
    {
      route: 'GET /api/lab/alerts',
      method: 'GET',
      url: '/api/lab/alerts?status=open',
      verdict: (a) => staffWith(a, 'lab:order'),
      action: 'lab_alert.list',
      listAudit: true,
    },
    {
      route: 'GET /api/portal/lab-results',
      method: 'GET',
      url: '/api/portal/lab-results',
      verdict: (a) => (isPatient(a) ? 'ok' : 403),
      action: 'lab_results.read',
    },
  ],
  targetRoutes: [
    ...(catalogueSection.targetRoutes ?? []),
    {
      route: 'GET /api/patients/:patientId/lab-orders',
      method: 'GET',
      url: (id) => `/api/patients/${id}/lab-orders`,
      verdict: can('lab:read'),
      action: 'lab_order.list',
      auditOnce: true,
    },
    {
      route: 'GET /api/lab/orders/:orderId',
      method: 'GET',
      url: (_id, t) => `/api/lab/orders/${reads[t].order}`,
      verdict: can('lab:read'),
      action: 'lab_order.read',
      auditOnce: true,
    },
    {
      route: 'GET /api/lab/orders/:orderId/labels.pdf',
      method: 'GET',
      url: (_id, t) => `/api/lab/orders/${reads[t].order}/labels.pdf`,
      verdict: can('lab:process'),
      action: 'lab_order.labels',
      auditOnce: true,
    },
    {
      route: 'GET /api/lab/orders/:orderId/report.pdf',
      method: 'GET',
      url: (_id, t) => `/api/lab/orders/${reads[t].order}/report.pdf`,
      verdict: can('lab:read'),
      action: 'lab_order.report',
      auditOnce: true,
    },
    {
      route: 'GET /api/patients/:patientId/lab-results/table',
      method: 'GET',
      url: (id) => `/api/patients/${id}/lab-results/table`,
      verdict: can('lab:read'),
      action: 'lab_results.table',
      auditOnce: true,
    },
    {
      route: 'GET /api/patients/:patientId/lab-results/trend',
      method: 'GET',
      url: (id) => `/api/patients/${id}/lab-results/trend?testId=${T.k}`,
      verdict: can('lab:read'),
      action: 'lab_results.trend',
      auditOnce: true,
    },
  ],
  // changes need a fresh order at the right step for each call: checked below, with what was written
  covers: [...changes.map((c) => c.route), ACK, LINK, ...(catalogueSection.covers ?? [])],
  publicRoutes: catalogueSection.publicRoutes,
  tests: (actor) => {
    catalogueSection.tests?.(actor);
    for (const c of changes)
      it.each(targets.map((t) => [t, can(c.perm)(actor, t)] as const))(
        `${c.route} for the %s patient → %s, audited`,
        async (t, verdict) => {
          const { sql } = matrixContext();
          const f = await fixture(t, c.stage);
          const body = await c.body(f, t);
          const url = c.url(f) || `/api/patients/${patientIds()[t]}/lab-orders`;
          const since = await lastAuditId(sql);
          const res = await call(actor, 'POST', url, body);
          expect(res.statusCode, res.body).toBe(verdict === 200 ? (c.ok ?? 200) : verdict);
          if (verdict !== 200) expect(res.body).not.toMatch(/"mrn"|"patient"/);
          const rows = (await auditSince(sql, since)).filter(
            (r) => r.actor_user_id === sessionOf(actor).userId && r.action === c.action,
          );
          expect(rows).toEqual([
            expect.objectContaining({ patient_id: patientIds()[t], outcome: verdict === 200 ? 'success' : 'denied' }),
          ]);
        },
      );

    const ackVerdict = (t: Target) =>
      isPatient(actor) || !has(actor, 'lab:order') ? 403 : clinicOf[t] === actor.clinic ? 200 : 404;
    it.each(targets.map((t) => [t, ackVerdict(t)] as const))(`${ACK} of the %s patient → %s, audited`, async (t, verdict) => {
      const { sql } = matrixContext();
      const f = await fixture(t, 'alert');
      const since = await lastAuditId(sql);
      const res = await call(actor, 'POST', `/api/lab/alerts/${f.alert}/acknowledge`, {});
      expect(res.statusCode, res.body).toBe(verdict);
      const rows = (await auditSince(sql, since)).filter(
        (r) => r.actor_user_id === sessionOf(actor).userId && r.action === 'lab_alert.acknowledge',
      );
      expect(rows).toHaveLength(1);
      expect(rows[0]!.outcome).toBe(verdict === 200 ? 'success' : 'denied');
    });

    const linkVerdict = (t: Target) =>
      isPatient(actor) || !(has(actor, 'lab:order') || has(actor, 'lab:process'))
        ? 403
        : clinicOf[t] === actor.clinic
          ? 200
          : 404;
    it.each(targets.map((t) => [t, linkVerdict(t)] as const))(`${LINK} for the %s patient → %s`, async (t, verdict) => {
      const { sql, ids } = matrixContext();
      const f = await fixture(t, 'released');
      const doc = await sql.query<{ id: string }>(
        `INSERT INTO patient_documents (id, patient_id, clinic_id, category, title, filename, content_type, size_bytes, sha256,
           uploaded_by, source, storage_key, wrapped_key, iv, auth_tag)
         VALUES (gen_random_uuid(), $1, $2, 'lab_report', 'Outside report', 'r.pdf', 'application/pdf', 1, 'x', $3, 'staff', $4, 'k',
           '\\x00', '\\x00') RETURNING id`,
        [patientIds()[t], clinicOf[t] === 'kin' ? ids.kin : ids.gom, ids.users['admin@sanita.test'], `matrix-${next()}`],
      );
      const res = await call(actor, 'POST', `/api/lab/orders/${f.order}/documents`, { documentId: doc.rows[0]!.id });
      expect(res.statusCode, res.body).toBe(verdict);
    });
  },
};
export default section;
