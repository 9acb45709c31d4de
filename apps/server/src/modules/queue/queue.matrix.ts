import {
  actors,
  anyUuid,
  matrixContext,
  next,
  staffWith,
  type Actor,
  type MatrixSection,
  type PlainRoute,
} from '../../../test/matrix.ts';

// front desk: a matrix service point of Kinshasa with its own queue; each actor allowed to walk a
// patient in takes the next Kinshasa patient of a pool, then calls them, so call-next always finds one
const fd = { servicePoint: '', triage: '', displayToken: '', patients: [] as string[], next: 0 };
const settingsWrite = (a: Actor) => staffWith(a, 'settings:write');
const queueRead = (a: Actor) => (staffWith(a, 'queue:read') === 403 ? 403 : a.clinic === 'kin' ? 'ok' : 404);
const queueWrite = (a: Actor) => (staffWith(a, 'queue:write') === 403 ? 403 : a.clinic === 'kin' ? 'ok' : 404);
/** ticket moves on a ticket that does not exist: the permission (403) before the lookup (404) */
const noTicket = (a: Actor) => (staffWith(a, 'queue:write') === 403 ? 403 : 404);

const routes: PlainRoute[] = [
  {
    route: 'GET /api/service-points',
    method: 'GET',
    url: '/api/service-points',
    verdict: (a) => (staffWith(a, 'queue:read') === 'ok' || staffWith(a, 'appointments:read') === 'ok' ? 'ok' : 403),
  },
  {
    route: 'POST /api/service-points',
    method: 'POST',
    url: '/api/service-points',
    body: () => {
      const n = next();
      return { code: `MX${n}`, name: `Matrix ${n}`, kind: 'other', ticketPrefix: 'MX' };
    },
    verdict: settingsWrite,
    ok: 201,
  },
  {
    route: 'PATCH /api/service-points/:id',
    method: 'PATCH',
    url: () => `/api/service-points/${fd.triage}`,
    body: () => ({ name: 'Triage' }),
    verdict: (a) => (settingsWrite(a) === 403 ? 403 : a.clinic === 'kin' ? 'ok' : 404),
  },
  {
    route: 'POST /api/visits/walk-in',
    method: 'POST',
    url: '/api/visits/walk-in',
    body: () => ({ patientId: fd.patients[fd.next++], servicePointId: fd.servicePoint, priority: 'normal' }),
    verdict: queueWrite,
    ok: 201,
    action: 'visit.walk_in',
  },
  {
    route: 'GET /api/queue',
    method: 'GET',
    url: () => `/api/queue?servicePointId=${fd.servicePoint}`,
    verdict: queueRead,
    action: 'queue.list',
    listAudit: true,
  },
  {
    route: 'POST /api/queue/call-next',
    method: 'POST',
    url: '/api/queue/call-next',
    body: () => ({ servicePointId: fd.servicePoint }),
    verdict: queueWrite,
    action: 'queue.ticket.call',
  },
  {
    route: 'POST /api/appointments/:id/check-in',
    method: 'POST',
    url: `/api/appointments/${anyUuid}/check-in`,
    body: () => ({ servicePointId: fd.servicePoint, priority: 'normal' }),
    verdict: noTicket,
  },
  ...(['call', 'start', 'done', 'skip', 'requeue'] as const).map((action) => ({
    route: `POST /api/queue/tickets/:id/${action}`,
    method: 'POST',
    url: `/api/queue/tickets/${anyUuid}/${action}`,
    body: () => ({}),
    verdict: noTicket,
  })),
  {
    route: 'POST /api/queue/tickets/:id/transfer',
    method: 'POST',
    url: `/api/queue/tickets/${anyUuid}/transfer`,
    body: () => ({ servicePointId: fd.servicePoint }),
    verdict: noTicket,
  },
  { route: 'GET /api/display-tokens', method: 'GET', url: '/api/display-tokens', verdict: settingsWrite },
  {
    route: 'POST /api/display-tokens',
    method: 'POST',
    url: '/api/display-tokens',
    body: () => ({ name: `Matrix TV ${next()}`, servicePointIds: [] }),
    verdict: settingsWrite,
    ok: 201,
  },
  {
    route: 'POST /api/display-tokens/:id/revoke',
    method: 'POST',
    url: () => `/api/display-tokens/${fd.displayToken}/revoke`,
    verdict: (a) => (settingsWrite(a) === 403 ? 403 : a.clinic === 'kin' ? 'ok' : 404),
  },
];

const section: MatrixSection = {
  async setup() {
    const ctx = matrixContext();
    const kin = ctx.ids.kin;
    const q = async (text: string, params: unknown[] = []) => (await ctx.sql.query<{ id: string }>(text, params)).rows;
    fd.servicePoint = (
      await q(
        `INSERT INTO service_points (clinic_id, code, name, kind, ticket_prefix) VALUES ($1, 'MATRIX', 'Matrix', 'other', 'M') RETURNING id`,
        [kin],
      )
    )[0]!.id;
    fd.triage = (await q(`SELECT id FROM service_points WHERE clinic_id = $1 AND code = 'TRIAGE'`, [kin]))[0]!.id;
    fd.displayToken = (
      await q(
        `INSERT INTO display_tokens (clinic_id, name, token_hash) VALUES ($1, 'Matrix TV', 'matrix-not-a-real-hash') RETURNING id`,
        [kin],
      )
    )[0]!.id;
    fd.patients = (
      await q(
        `SELECT p.id FROM patients p JOIN patient_clinics pc ON pc.patient_id = p.id AND pc.clinic_id = $1
         WHERE p.status = 'active' ORDER BY p.mrn LIMIT $2`,
        [kin, actors.length + 5],
      )
    ).map((r) => r.id);
  },
  routes,
  // a waiting-room screen: its display token (header) is checked by the route, 401 without it
  publicRoutes: ['GET /api/display/board'],
};
export default section;
