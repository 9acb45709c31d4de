import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { errors, Ok } from '@sanita/contracts/common';
import * as S from '@sanita/contracts/inventory';
import { actorOf, principalOf, requirePermission } from '../../platform/access.ts';
import type { InventoryService } from './inventory.service.ts';

const read = requirePermission('inventory:read');
const manage = requirePermission('inventory:manage');
const tags = ['inventory'];

/** Stock of the active clinic (X-Clinic-Id): reading needs inventory:read, every change inventory:manage. */
export const inventoryRoutes: FastifyPluginAsyncTypebox<{ inventory: InventoryService }> = async (app, { inventory }) => {
  app.get(
    '/api/inventory/items',
    {
      preHandler: read,
      schema: {
        tags,
        summary: "The organisation's item catalogue, by name, with the active clinic's reorder levels",
        querystring: S.ItemQuery,
        response: { 200: S.ItemList, ...errors(400, 401, 403) },
      },
    },
    async (req) => inventory.listItems(principalOf(req), req.query),
  );

  app.post(
    '/api/inventory/items',
    {
      preHandler: manage,
      schema: {
        tags,
        summary: 'Add an item to the catalogue (with the active clinic reorder level)',
        body: S.ItemInput,
        response: { 201: S.Item, ...errors(400, 401, 403) },
      },
    },
    async (req, reply) => reply.status(201).send(await inventory.createItem(principalOf(req), actorOf(req), req.body)),
  );

  app.get(
    '/api/inventory/items/:id',
    {
      preHandler: read,
      schema: {
        tags,
        summary: 'An item of the catalogue',
        params: S.ItemIdParams,
        response: { 200: S.Item, ...errors(400, 401, 403, 404) },
      },
    },
    async (req) => inventory.getItem(principalOf(req), req.params.id),
  );

  app.patch(
    '/api/inventory/items/:id',
    {
      preHandler: manage,
      schema: {
        tags,
        summary: 'Change an item (name, unit, formulary product, code, active), with the version read',
        params: S.ItemIdParams,
        body: S.ItemUpdate,
        response: { 200: S.Item, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (req) => inventory.updateItem(principalOf(req), actorOf(req), req.params.id, req.body),
  );

  app.put(
    '/api/inventory/items/:id/settings',
    {
      preHandler: manage,
      schema: {
        tags,
        summary: "The active clinic's reorder level of an item",
        params: S.ItemIdParams,
        body: S.ItemSettingsInput,
        response: { 200: S.Item, ...errors(400, 401, 403, 404) },
      },
    },
    async (req) => inventory.setSettings(principalOf(req), actorOf(req), req.params.id, req.body),
  );

  app.get(
    '/api/inventory/items/:id/lots',
    {
      preHandler: read,
      schema: {
        tags,
        summary: "The active clinic's lots of an item, first to expire first",
        params: S.ItemIdParams,
        response: { 200: S.LotList, ...errors(400, 401, 403, 404) },
      },
    },
    async (req) => inventory.lots(principalOf(req), req.params.id),
  );

  app.get(
    '/api/inventory/items/:id/movements',
    {
      preHandler: read,
      schema: {
        tags,
        summary: "An item's movements at the active clinic, newest first (cursor: the last id of the previous page)",
        params: S.ItemIdParams,
        querystring: S.MovementQuery,
        response: { 200: S.MovementPage, ...errors(400, 401, 403, 404) },
      },
    },
    async (req) => inventory.movements(principalOf(req), req.params.id, req.query),
  );

  app.get(
    '/api/inventory/stock',
    {
      preHandler: read,
      schema: {
        tags,
        summary: "The active clinic's stock per item: on hand, reserved, available, earliest expiry, low-stock flag",
        querystring: S.StockQuery,
        response: { 200: S.StockList, ...errors(400, 401, 403) },
      },
    },
    async (req) => inventory.stock(principalOf(req), req.query),
  );

  app.post(
    '/api/inventory/lots',
    {
      preHandler: manage,
      schema: {
        tags,
        summary: 'Receive a delivery: a new lot, or more of the lot of that number (same expiry)',
        body: S.ReceiveInput,
        response: { 201: S.MovementResult, ...errors(400, 401, 403, 409) },
      },
    },
    async (req, reply) => reply.status(201).send(await inventory.receive(principalOf(req), actorOf(req), req.body)),
  );

  app.post(
    '/api/inventory/lots/:id/adjust',
    {
      preHandler: manage,
      schema: {
        tags,
        summary: "Correct a lot's count (signed), with the reason",
        params: S.LotIdParams,
        body: S.AdjustInput,
        response: { 200: S.MovementResult, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (req) => inventory.adjust(principalOf(req), actorOf(req), req.params.id, req.body),
  );

  app.post(
    '/api/inventory/lots/:id/destroy',
    {
      preHandler: manage,
      schema: {
        tags,
        summary: 'Destroy units of a lot (expired, damaged, recalled), with the reason',
        params: S.LotIdParams,
        body: S.RemoveInput,
        response: { 200: S.MovementResult, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (req) => inventory.remove(principalOf(req), actorOf(req), req.params.id, 'destroy', req.body),
  );

  app.post(
    '/api/inventory/lots/:id/return',
    {
      preHandler: manage,
      schema: {
        tags,
        summary: 'Return units of a lot to the supplier, with the reason',
        params: S.LotIdParams,
        body: S.RemoveInput,
        response: { 200: S.MovementResult, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (req) => inventory.remove(principalOf(req), actorOf(req), req.params.id, 'return', req.body),
  );

  app.post(
    '/api/inventory/lots/:id/recall',
    {
      preHandler: manage,
      schema: {
        tags,
        summary: 'Mark a lot recalled: never dispensed again (destroy or return it)',
        params: S.LotIdParams,
        body: S.RecallInput,
        response: { 200: S.Lot, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (req) => inventory.recall(principalOf(req), actorOf(req), req.params.id, req.body),
  );

  app.post(
    '/api/inventory/transfers',
    {
      preHandler: manage,
      schema: {
        tags,
        summary:
          'Transfer units of lots to another clinic, all or nothing (inventory:manage needed at both clinics); 409 INSUFFICIENT_STOCK',
        body: S.TransferInput,
        response: { 201: S.Transfer, ...errors(400, 401, 403, 409) },
      },
    },
    async (req, reply) => reply.status(201).send(await inventory.transfer(principalOf(req), actorOf(req), req.body)),
  );

  app.post(
    '/api/inventory/stock-takes',
    {
      preHandler: manage,
      schema: {
        tags,
        summary: 'Reconcile a count sheet: an adjustment for each lot whose count differs, in one transaction',
        body: S.StockTakeInput,
        response: { 201: S.StockTake, ...errors(400, 401, 403, 409) },
      },
    },
    async (req, reply) => reply.status(201).send(await inventory.stockTake(principalOf(req), actorOf(req), req.body)),
  );

  app.get(
    '/api/inventory/alerts/expiry',
    {
      preHandler: read,
      schema: {
        tags,
        summary: 'Lots with stock expiring within 30, 60 or 90 days (90 by default), and expired ones',
        querystring: S.ExpiryQuery,
        response: { 200: S.ExpiryAlertList, ...errors(400, 401, 403) },
      },
    },
    async (req) => inventory.expiryAlerts(principalOf(req), req.query.days ?? 90),
  );

  app.get(
    '/api/inventory/alerts/low-stock',
    {
      preHandler: read,
      schema: {
        tags,
        summary: 'Items whose available stock is at or below their reorder level at the active clinic',
        response: { 200: S.StockList, ...errors(401, 403) },
      },
    },
    async (req) => inventory.lowStock(principalOf(req)),
  );

  app.get(
    '/api/inventory/valuation',
    {
      preHandler: read,
      schema: {
        tags,
        summary: "The active clinic's stock at cost, per lot with totals per kind (exact decimals)",
        response: { 200: S.Valuation, ...errors(401, 403) },
      },
    },
    async (req) => inventory.valuation(principalOf(req)),
  );

  app.get(
    '/api/inventory/valuation.csv',
    {
      preHandler: read,
      schema: {
        tags,
        summary: 'The valuation as a CSV download',
        response: {
          200: Type.Unsafe<string>({ type: 'string', description: 'text/csv' }),
          ...errors(401, 403),
        },
      },
    },
    async (req, reply) => {
      const csv = await inventory.valuationCsv(principalOf(req));
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="valuation-${new Date().toISOString().slice(0, 10)}.csv"`)
        .header('cache-control', 'private, no-store')
        .send(csv);
    },
  );

  app.post(
    '/api/inventory/reservations',
    {
      preHandler: manage,
      schema: {
        tags,
        summary: 'Hold units of a lot while a dispense is in progress (released by job when it expires)',
        body: S.ReservationInput,
        response: { 201: S.Reservation, ...errors(400, 401, 403, 409) },
      },
    },
    async (req, reply) => reply.status(201).send(await inventory.reserve(principalOf(req), actorOf(req), req.body)),
  );

  app.delete(
    '/api/inventory/reservations/:id',
    {
      preHandler: manage,
      schema: {
        tags,
        summary: 'Release a reservation (its owner, or someone managing the stock)',
        params: S.LotIdParams,
        response: { 200: Ok, ...errors(400, 401, 403, 404) },
      },
    },
    async (req) => {
      await inventory.release(principalOf(req), actorOf(req), req.params.id);
      return { ok: true };
    },
  );
};
