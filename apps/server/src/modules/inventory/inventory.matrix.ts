import { expect, it } from 'vitest';
import {
  anyUuid,
  call,
  matrixContext,
  next,
  staffWith,
  type Actor,
  type MatrixSection,
  type PlainRoute,
} from '../../../test/matrix.ts';

/**
 * Stock is no patient's: the permission at the active clinic decides (inventory:read to see it,
 * inventory:manage to change it). Another clinic's lots and reservations answer 404, as if absent.
 */
const fx = { item: '', lot: '', gomLot: '' };
const read = (a: Actor) => staffWith(a, 'inventory:read');
const manage = (a: Actor) => staffWith(a, 'inventory:manage');
const inAYear = () => new Date(Date.now() + 365 * 86400_000).toISOString().slice(0, 10);

const routes: PlainRoute[] = [
  { route: 'GET /api/inventory/items', method: 'GET', url: '/api/inventory/items', verdict: read },
  {
    route: 'POST /api/inventory/items',
    method: 'POST',
    url: '/api/inventory/items',
    body: () => ({ kind: 'consumable', name: `Matrix swabs ${next()}`, unit: 'box' }),
    verdict: manage,
    ok: 201,
  },
  { route: 'GET /api/inventory/items/:id', method: 'GET', url: () => `/api/inventory/items/${fx.item}`, verdict: read },
  {
    route: 'PUT /api/inventory/items/:id/settings',
    method: 'PUT',
    url: () => `/api/inventory/items/${fx.item}/settings`,
    body: () => ({ reorderLevel: 5 }),
    verdict: manage,
  },
  { route: 'GET /api/inventory/items/:id/lots', method: 'GET', url: () => `/api/inventory/items/${fx.item}/lots`, verdict: read },
  {
    route: 'GET /api/inventory/items/:id/movements',
    method: 'GET',
    url: () => `/api/inventory/items/${fx.item}/movements`,
    verdict: read,
  },
  { route: 'GET /api/inventory/stock', method: 'GET', url: '/api/inventory/stock', verdict: read },
  {
    route: 'POST /api/inventory/lots',
    method: 'POST',
    url: '/api/inventory/lots',
    body: () => ({ itemId: fx.item, lotNumber: `MX-${next()}`, expiresOn: inAYear(), quantity: 10, unitCost: '0.5' }),
    verdict: manage,
    ok: 201,
  },
  {
    route: 'POST /api/inventory/lots/:id/adjust',
    method: 'POST',
    url: () => `/api/inventory/lots/${fx.lot}/adjust`,
    body: () => ({ quantity: -1, reason: 'Matrix' }),
    verdict: manage,
  },
  {
    route: 'POST /api/inventory/lots/:id/destroy',
    method: 'POST',
    url: () => `/api/inventory/lots/${fx.lot}/destroy`,
    body: () => ({ quantity: 1, reason: 'Matrix' }),
    verdict: manage,
  },
  {
    route: 'POST /api/inventory/lots/:id/return',
    method: 'POST',
    url: () => `/api/inventory/lots/${fx.lot}/return`,
    body: () => ({ quantity: 1, reason: 'Matrix' }),
    verdict: manage,
  },
  {
    // no such lot here: the permission (403) before the lookup (404)
    route: 'POST /api/inventory/lots/:id/recall',
    method: 'POST',
    url: `/api/inventory/lots/${anyUuid}/recall`,
    body: () => ({ reason: 'Matrix' }),
    verdict: (a) => (manage(a) === 403 ? 403 : 404),
  },
  {
    route: 'POST /api/inventory/stock-takes',
    method: 'POST',
    url: '/api/inventory/stock-takes',
    body: () => ({ lines: [{ lotId: fx.lot, counted: 500 }] }),
    verdict: manage,
    ok: 201,
  },
  { route: 'GET /api/inventory/alerts/expiry', method: 'GET', url: '/api/inventory/alerts/expiry?days=30', verdict: read },
  { route: 'GET /api/inventory/alerts/low-stock', method: 'GET', url: '/api/inventory/alerts/low-stock', verdict: read },
  { route: 'GET /api/inventory/valuation', method: 'GET', url: '/api/inventory/valuation', verdict: read },
  { route: 'GET /api/inventory/valuation.csv', method: 'GET', url: '/api/inventory/valuation.csv', verdict: read },
  {
    route: 'DELETE /api/inventory/reservations/:id',
    method: 'DELETE',
    url: `/api/inventory/reservations/${anyUuid}`,
    verdict: (a) => (manage(a) === 403 ? 403 : 404),
  },
];

const PATCH = 'PATCH /api/inventory/items/:id';
const TRANSFER = 'POST /api/inventory/transfers';
const RESERVE = 'POST /api/inventory/reservations';

const section: MatrixSection = {
  async setup() {
    const { sql, ids } = matrixContext();
    const q = async (text: string, params: unknown[]) => (await sql.query<{ id: string }>(text, params)).rows[0]!.id;
    const admin = ids.users['admin@sanita.test'];
    fx.item = await q(
      `INSERT INTO inventory_items (kind, name, unit, created_by, updated_by) VALUES ('consumable', 'Matrix gloves', 'pair', $1, $1) RETURNING id`,
      [admin],
    );
    const lot = async (clinic: string) => {
      const id = await q(
        `INSERT INTO inventory_lots (clinic_id, item_id, lot_number, expires_on, unit_cost) VALUES ($1, $2, 'MATRIX', current_date + 400, 0.25) RETURNING id`,
        [clinic, fx.item],
      );
      await sql.query(
        `WITH l AS (UPDATE inventory_lots SET on_hand = 10000 WHERE id = $1 RETURNING id, item_id, clinic_id)
         INSERT INTO inventory_movements (clinic_id, item_id, lot_id, kind, quantity, balance_after, created_by)
         SELECT clinic_id, item_id, id, 'receive', 10000, 10000, $2 FROM l`,
        [id, admin],
      );
      return id;
    };
    fx.lot = await lot(ids.kin);
    fx.gomLot = await lot(ids.gom);
  },
  routes,
  covers: [PATCH, TRANSFER, RESERVE],
  tests: (actor) => {
    it(`${PATCH} → ${manage(actor) === 'ok' ? 200 : 403}`, async () => {
      const created = await matrixContext().sql.query<{ id: string }>(
        `INSERT INTO inventory_items (kind, name, unit, created_by, updated_by) VALUES ('consumable', 'Patch me', 'box', $1, $1) RETURNING id`,
        [matrixContext().ids.users['admin@sanita.test']],
      );
      const res = await call(actor, 'PATCH', `/api/inventory/items/${created.rows[0]!.id}`, { version: 1, name: 'Patched' });
      expect(res.statusCode, res.body).toBe(manage(actor) === 'ok' ? 200 : 403);
    });

    // to another clinic: inventory:manage there too (admins and the super admin work at both)
    const both = actor.role === 'admin' || actor.role === 'super_admin';
    const transfer = manage(actor) === 403 ? 403 : both ? 201 : 403;
    it(`${TRANSFER} to Goma → ${transfer}`, async () => {
      const res = await call(actor, 'POST', '/api/inventory/transfers', {
        toClinicId: matrixContext().ids.gom,
        lines: [{ lotId: fx.lot, quantity: 1 }],
      });
      expect(res.statusCode, res.body).toBe(transfer);
    });

    it(`${RESERVE} → ${manage(actor) === 'ok' ? 201 : 403}; another clinic's lot is none (400)`, async () => {
      const res = await call(actor, 'POST', '/api/inventory/reservations', { lotId: fx.lot, quantity: 1, minutes: 1 });
      expect(res.statusCode, res.body).toBe(manage(actor) === 'ok' ? 201 : 403);
      if (manage(actor) === 403) return;
      const release = await call(actor, 'DELETE', `/api/inventory/reservations/${res.json().id}`);
      expect(release.statusCode).toBe(200);
      const other = await call(actor, 'POST', '/api/inventory/reservations', { lotId: fx.gomLot, quantity: 1 });
      expect(other.statusCode).toBe(400);
    });

    if (manage(actor) === 'ok')
      it("another clinic's lot answers 404 (adjust, destroy, return, recall)", async () => {
        for (const verb of ['adjust', 'destroy', 'return', 'recall']) {
          const body = verb === 'recall' ? { reason: 'x' } : { quantity: verb === 'adjust' ? -1 : 1, reason: 'x' };
          const res = await call(actor, 'POST', `/api/inventory/lots/${fx.gomLot}/${verb}`, body);
          expect(res.statusCode, `${verb}: ${res.body}`).toBe(404);
        }
      });
  },
};
export default section;
