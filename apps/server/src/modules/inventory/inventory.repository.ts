import { sql, type SQL } from 'drizzle-orm';
import type { ItemKind, MovementKind } from '@sanita/contracts/inventory';
import type { Executor } from '../../platform/db/database.ts';

// Every statement here is SQL over the inventory tables; the rules (who, what, how much) are the
// service's. A lot's balance changes only in `move`, which writes the movement in the same statement.

/** The clinic's day (in its timezone): a lot expiring on it is still usable, one before it expired. */
export const clinicToday = (clinicId: string): SQL =>
  sql`(now() AT TIME ZONE (SELECT timezone FROM clinics WHERE id = ${clinicId}))::date`;

export type ItemRow = {
  id: string;
  kind: ItemKind;
  name: string;
  unit: string;
  formularyItemId: string | null;
  code: string | null;
  active: boolean;
  version: number;
  reorderLevel: number;
};

const itemColumns = (clinicId: string) => sql`i.id, i.kind, i.name, i.unit, i.formulary_item_id AS "formularyItemId", i.code,
  i.active, i.version, COALESCE((SELECT s.reorder_level FROM inventory_item_settings s WHERE s.item_id = i.id AND s.clinic_id = ${clinicId}), 0)::int AS "reorderLevel"`;

export async function listItems(
  db: Executor,
  clinicId: string,
  f: { kind?: ItemKind; q?: string; formularyItemId?: string; includeInactive?: boolean; limit: number; offset: number },
): Promise<{ rows: ItemRow[]; total: number }> {
  const where: SQL[] = [sql`TRUE`];
  if (f.kind) where.push(sql`i.kind = ${f.kind}`);
  if (!f.includeInactive) where.push(sql`i.active`);
  if (f.formularyItemId) where.push(sql`i.formulary_item_id = ${f.formularyItemId}`);
  if (f.q) where.push(sql`(i.name ILIKE ${'%' + escapeLike(f.q) + '%'} OR i.code = ${f.q})`);
  const cond = sql.join(where, sql` AND `);
  const res = await db.execute<ItemRow & { total: number }>(
    sql`SELECT ${itemColumns(clinicId)}, count(*) OVER ()::int AS total FROM inventory_items i WHERE ${cond}
        ORDER BY i.name, i.id LIMIT ${f.limit} OFFSET ${f.offset}`,
  );
  return { rows: res.rows.map(({ total: _t, ...r }) => r), total: res.rows[0]?.total ?? 0 };
}

export const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

export async function getItem(db: Executor, id: string, clinicId: string, forUpdate = false): Promise<ItemRow | undefined> {
  const res = await db.execute<ItemRow>(
    sql`SELECT ${itemColumns(clinicId)} FROM inventory_items i WHERE i.id = ${id} ${forUpdate ? sql`FOR UPDATE` : sql``}`,
  );
  return res.rows[0];
}

export async function insertItem(
  db: Executor,
  v: { kind: ItemKind; name: string; unit: string; formularyItemId: string | null; code: string | null; userId: string },
): Promise<string> {
  const res = await db.execute<{ id: string }>(
    sql`INSERT INTO inventory_items (kind, name, unit, formulary_item_id, code, created_by, updated_by)
        VALUES (${v.kind}, ${v.name}, ${v.unit}, ${v.formularyItemId}, ${v.code}, ${v.userId}, ${v.userId}) RETURNING id`,
  );
  return res.rows[0]!.id;
}

export async function updateItem(
  db: Executor,
  id: string,
  v: { name: string; unit: string; formularyItemId: string | null; code: string | null; active: boolean; userId: string },
): Promise<void> {
  await db.execute(
    sql`UPDATE inventory_items SET name = ${v.name}, unit = ${v.unit}, formulary_item_id = ${v.formularyItemId}, code = ${v.code},
        active = ${v.active}, version = version + 1, updated_by = ${v.userId}, updated_at = now() WHERE id = ${id}`,
  );
}

export async function setReorderLevel(db: Executor, clinicId: string, itemId: string, level: number, userId: string) {
  await db.execute(
    sql`INSERT INTO inventory_item_settings (clinic_id, item_id, reorder_level, updated_by) VALUES (${clinicId}, ${itemId}, ${level}, ${userId})
        ON CONFLICT (clinic_id, item_id) DO UPDATE SET reorder_level = EXCLUDED.reorder_level, updated_by = EXCLUDED.updated_by, updated_at = now()`,
  );
}

// ------------------------------------------------------------------ lots

export type LotRow = {
  id: string;
  clinicId: string;
  itemId: string;
  lotNumber: string;
  expiresOn: string;
  unitCost: string;
  supplier: string | null;
  receivedAt: Date | string;
  recalledAt: Date | string | null;
  recallReason: string | null;
  onHand: number;
  reserved: number;
  expired: boolean;
};

const lotColumns = (clinicId: string) => sql`l.id, l.clinic_id AS "clinicId", l.item_id AS "itemId", l.lot_number AS "lotNumber",
  l.expires_on AS "expiresOn", l.unit_cost::text AS "unitCost", l.supplier, l.received_at AS "receivedAt", l.recalled_at AS "recalledAt",
  l.recall_reason AS "recallReason", l.on_hand AS "onHand", l.reserved, (l.expires_on < ${clinicToday(clinicId)}) AS expired`;

/** The clinic's lots of an item, first to expire first. */
export async function lotsOfItem(db: Executor, clinicId: string, itemId: string, withEmpty: boolean): Promise<LotRow[]> {
  const res = await db.execute<LotRow>(
    sql`SELECT ${lotColumns(clinicId)} FROM inventory_lots l WHERE l.clinic_id = ${clinicId} AND l.item_id = ${itemId}
        ${withEmpty ? sql`` : sql`AND l.on_hand > 0`} ORDER BY l.expires_on, l.received_at, l.id`,
  );
  return res.rows;
}

/** A lot of the clinic (another clinic's looks like none), locked when `forUpdate`. */
export async function getLot(db: Executor, id: string, clinicId: string, forUpdate = false): Promise<LotRow | undefined> {
  const res = await db.execute<LotRow>(
    sql`SELECT ${lotColumns(clinicId)} FROM inventory_lots l WHERE l.id = ${id} AND l.clinic_id = ${clinicId}
        ${forUpdate ? sql`FOR UPDATE` : sql``}`,
  );
  return res.rows[0];
}

/** Several lots of the clinic, locked in id order (so that two transactions never wait on each other in a cycle). */
export async function lockLots(db: Executor, ids: string[], clinicId: string): Promise<LotRow[]> {
  if (!ids.length) return [];
  const res = await db.execute<LotRow>(
    sql`SELECT ${lotColumns(clinicId)} FROM inventory_lots l WHERE l.id = ANY(${sql.param(ids)}::uuid[]) AND l.clinic_id = ${clinicId}
        ORDER BY l.id FOR UPDATE`,
  );
  return res.rows;
}

/** The lot of that number for the item at the clinic, locked, or undefined. */
export async function findLot(db: Executor, clinicId: string, itemId: string, lotNumber: string): Promise<LotRow | undefined> {
  const res = await db.execute<LotRow>(
    sql`SELECT ${lotColumns(clinicId)} FROM inventory_lots l
        WHERE l.clinic_id = ${clinicId} AND l.item_id = ${itemId} AND l.lot_number = ${lotNumber} FOR UPDATE`,
  );
  return res.rows[0];
}

/** A new empty lot (its stock arrives with a movement); on a lot number already taken, the existing lot. */
export async function insertLot(
  db: Executor,
  v: {
    clinicId: string;
    itemId: string;
    lotNumber: string;
    expiresOn: string;
    unitCost: string;
    supplier: string | null;
    recalledAt?: Date | string | null;
    recallReason?: string | null;
  },
): Promise<string | undefined> {
  const res = await db.execute<{ id: string }>(
    sql`INSERT INTO inventory_lots (clinic_id, item_id, lot_number, expires_on, unit_cost, supplier, recalled_at, recall_reason)
        VALUES (${v.clinicId}, ${v.itemId}, ${v.lotNumber}, ${v.expiresOn}, ${v.unitCost}, ${v.supplier}, ${v.recalledAt ?? null}, ${v.recallReason ?? null})
        ON CONFLICT (clinic_id, item_id, lot_number) DO NOTHING RETURNING id`,
  );
  return res.rows[0]?.id;
}

export async function recallLot(db: Executor, id: string, reason: string): Promise<void> {
  await db.execute(sql`UPDATE inventory_lots SET recalled_at = now(), recall_reason = ${reason} WHERE id = ${id}`);
}

/**
 * The lots of an item at the clinic that can be dispensed (not expired, not recalled, with units
 * available), first-expiry-first-out, locked: a concurrent dispense waits here and then sees what
 * this one left.
 */
export async function dispensableLots(db: Executor, clinicId: string, itemId: string): Promise<LotRow[]> {
  const res = await db.execute<LotRow>(
    sql`SELECT ${lotColumns(clinicId)} FROM inventory_lots l
        WHERE l.clinic_id = ${clinicId} AND l.item_id = ${itemId} AND l.recalled_at IS NULL
          AND l.expires_on >= ${clinicToday(clinicId)} AND l.on_hand > 0
        ORDER BY l.expires_on, l.received_at, l.id FOR UPDATE`,
  );
  return res.rows;
}

// ------------------------------------------------------------------ the ledger

export type MovementRow = {
  id: string;
  clinicId: string;
  itemId: string;
  lotId: string;
  lotNumber: string;
  kind: MovementKind;
  quantity: number;
  balanceAfter: number;
  reason: string | null;
  reference: string | null;
  referenceType: string | null;
  referenceId: string | null;
  transferId: string | null;
  createdAt: Date | string;
  createdBy: string;
  createdByName: string;
  lotExpiresOn: string;
};

export type NewMovement = {
  clinicId: string;
  lotId: string;
  kind: MovementKind;
  /** signed */
  quantity: number;
  reason?: string | null;
  reference?: string | null;
  referenceType?: string | null;
  referenceId?: string | null;
  transferId?: string | null;
  userId: string;
};

/**
 * One movement: the lot's balance changes and the movement is written in the same statement, with
 * the balance it left. A balance that would fall below zero (or below what is reserved) violates
 * the lot's CHECK and nothing is written.
 */
export async function move(db: Executor, m: NewMovement): Promise<MovementRow> {
  const res = await db.execute<MovementRow>(
    sql`WITH l AS (
          UPDATE inventory_lots SET on_hand = on_hand + ${m.quantity} WHERE id = ${m.lotId} AND clinic_id = ${m.clinicId}
          RETURNING id, item_id, clinic_id, lot_number, on_hand
        ), ins AS (
          INSERT INTO inventory_movements (clinic_id, item_id, lot_id, kind, quantity, balance_after, reason, reference,
            reference_type, reference_id, transfer_id, created_by)
          SELECT l.clinic_id, l.item_id, l.id, ${m.kind}, ${m.quantity}, l.on_hand, ${m.reason ?? null}, ${m.reference ?? null},
            ${m.referenceType ?? null}, ${m.referenceId ?? null}, ${m.transferId ?? null}, ${m.userId} FROM l
          RETURNING *
        )
        SELECT ins.id, ins.clinic_id AS "clinicId", ins.item_id AS "itemId", ins.lot_id AS "lotId", l.lot_number AS "lotNumber",
          ins.kind, ins.quantity, ins.balance_after AS "balanceAfter", ins.reason, ins.reference, ins.reference_type AS "referenceType",
          ins.reference_id AS "referenceId", ins.transfer_id AS "transferId", ins.created_at AS "createdAt", ins.created_by AS "createdBy",
          (SELECT display_name FROM users WHERE id = ins.created_by) AS "createdByName",
          (SELECT expires_on FROM inventory_lots WHERE id = ins.lot_id) AS "lotExpiresOn"
        FROM ins JOIN l ON l.id = ins.lot_id`,
  );
  const row = res.rows[0];
  if (!row) throw new Error('inventory: the lot of a movement vanished');
  return row;
}

const movementSelect = sql`SELECT m.id, m.clinic_id AS "clinicId", m.item_id AS "itemId", m.lot_id AS "lotId", l.lot_number AS "lotNumber",
  m.kind, m.quantity, m.balance_after AS "balanceAfter", m.reason, m.reference, m.reference_type AS "referenceType",
  m.reference_id AS "referenceId", m.transfer_id AS "transferId", m.created_at AS "createdAt", m.created_by AS "createdBy",
  u.display_name AS "createdByName", l.expires_on AS "lotExpiresOn"
  FROM inventory_movements m JOIN inventory_lots l ON l.id = m.lot_id JOIN users u ON u.id = m.created_by`;

/** An item's movements at the clinic, newest first, paged after the movement `cursor`. */
export async function movementsOfItem(
  db: Executor,
  clinicId: string,
  itemId: string,
  limit: number,
  cursor?: string,
): Promise<MovementRow[]> {
  const after = cursor
    ? sql`AND m.seq < (SELECT seq FROM inventory_movements WHERE id = ${cursor} AND clinic_id = ${clinicId} AND item_id = ${itemId})`
    : sql``;
  const res = await db.execute<MovementRow>(
    sql`${movementSelect} WHERE m.clinic_id = ${clinicId} AND m.item_id = ${itemId} ${after} ORDER BY m.seq DESC LIMIT ${limit}`,
  );
  return res.rows;
}

export async function movementsByReference(db: Executor, referenceIds: string[]): Promise<MovementRow[]> {
  if (!referenceIds.length) return [];
  const res = await db.execute<MovementRow>(
    sql`${movementSelect} WHERE m.reference_id = ANY(${sql.param(referenceIds)}::uuid[]) ORDER BY m.seq`,
  );
  return res.rows;
}

// ------------------------------------------------------------------ views

export type StockRowDb = {
  itemId: string;
  kind: ItemKind;
  name: string;
  unit: string;
  formularyItemId: string | null;
  onHand: number;
  reserved: number;
  available: number;
  earliestExpiry: string | null;
  reorderLevel: number;
};

/** The clinic's stock per item: on hand, reserved, available (usable lots only), earliest expiry, reorder level. */
export async function stock(
  db: Executor,
  clinicId: string,
  f: { kind?: ItemKind; q?: string; all?: boolean; itemIds?: string[] },
): Promise<StockRowDb[]> {
  const where: SQL[] = [sql`i.active`];
  if (f.kind) where.push(sql`i.kind = ${f.kind}`);
  if (f.q) where.push(sql`i.name ILIKE ${'%' + escapeLike(f.q) + '%'}`);
  if (f.itemIds) where.push(sql`i.id = ANY(${sql.param(f.itemIds)}::uuid[])`);
  if (!f.all) where.push(sql`EXISTS (SELECT 1 FROM inventory_lots x WHERE x.item_id = i.id AND x.clinic_id = ${clinicId})`);
  const res = await db.execute<StockRowDb>(
    sql`SELECT i.id AS "itemId", i.kind, i.name, i.unit, i.formulary_item_id AS "formularyItemId",
          COALESCE(s.on_hand, 0)::int AS "onHand", COALESCE(s.reserved, 0)::int AS reserved, COALESCE(s.available, 0)::int AS available,
          s.earliest AS "earliestExpiry", COALESCE(st.reorder_level, 0)::int AS "reorderLevel"
        FROM inventory_items i
        LEFT JOIN inventory_item_settings st ON st.item_id = i.id AND st.clinic_id = ${clinicId}
        LEFT JOIN LATERAL (
          SELECT sum(l.on_hand) AS on_hand, sum(l.reserved) AS reserved,
            sum(l.on_hand - l.reserved) FILTER (WHERE l.recalled_at IS NULL AND l.expires_on >= t.today) AS available,
            min(l.expires_on) FILTER (WHERE l.on_hand > 0) AS earliest
          FROM inventory_lots l, (SELECT ${clinicToday(clinicId)} AS today) t
          WHERE l.item_id = i.id AND l.clinic_id = ${clinicId}
        ) s ON TRUE
        WHERE ${sql.join(where, sql` AND `)}
        ORDER BY i.name, i.id`,
  );
  return res.rows;
}

/**
 * The active medication items of these formulary products, with what is available of each at the
 * clinic (usable lots, less reservations) and the lot first-expiry-first-out would take next.
 */
export async function stockForFormulary(
  db: Executor,
  clinicId: string,
  formularyItemIds: string[],
): Promise<
  (ItemRow & { available: number; nextLotId: string | null; nextLotNumber: string | null; nextLotExpiresOn: string | null })[]
> {
  const res = await db.execute<
    ItemRow & { available: number; nextLotId: string | null; nextLotNumber: string | null; nextLotExpiresOn: string | null }
  >(
    sql`SELECT ${itemColumns(clinicId)}, COALESCE(s.available, 0)::int AS available,
          n.id AS "nextLotId", n.lot_number AS "nextLotNumber", n.expires_on AS "nextLotExpiresOn"
        FROM inventory_items i CROSS JOIN (SELECT ${clinicToday(clinicId)} AS today) t
        LEFT JOIN LATERAL (
          SELECT sum(l.on_hand - l.reserved) AS available FROM inventory_lots l
          WHERE l.item_id = i.id AND l.clinic_id = ${clinicId} AND l.recalled_at IS NULL AND l.expires_on >= t.today
        ) s ON TRUE
        LEFT JOIN LATERAL (
          SELECT l.id, l.lot_number, l.expires_on FROM inventory_lots l
          WHERE l.item_id = i.id AND l.clinic_id = ${clinicId} AND l.recalled_at IS NULL AND l.expires_on >= t.today
            AND l.on_hand > l.reserved
          ORDER BY l.expires_on, l.received_at, l.id LIMIT 1
        ) n ON TRUE
        WHERE i.formulary_item_id = ANY(${sql.param(formularyItemIds)}::uuid[]) AND i.kind = 'medication' AND i.active
        ORDER BY i.name, i.id`,
  );
  return res.rows;
}

export type ExpiryRow = {
  lotId: string;
  itemId: string;
  name: string;
  unit: string;
  lotNumber: string;
  expiresOn: string;
  daysLeft: number;
  onHand: number;
  recalled: boolean;
};

/** Lots with stock expiring within `days` (or expired), soonest first. */
export async function expiring(db: Executor, clinicId: string, days: number): Promise<ExpiryRow[]> {
  const res = await db.execute<ExpiryRow>(
    sql`SELECT l.id AS "lotId", i.id AS "itemId", i.name, i.unit, l.lot_number AS "lotNumber", l.expires_on AS "expiresOn",
          (l.expires_on - t.today)::int AS "daysLeft", l.on_hand AS "onHand", (l.recalled_at IS NOT NULL) AS recalled
        FROM inventory_lots l JOIN inventory_items i ON i.id = l.item_id, (SELECT ${clinicToday(clinicId)} AS today) t
        WHERE l.clinic_id = ${clinicId} AND l.on_hand > 0 AND l.expires_on <= t.today + ${days}::int
        ORDER BY l.expires_on, i.name, l.id`,
  );
  return res.rows;
}

export type ValuationDbRow = {
  itemId: string;
  kind: ItemKind;
  name: string;
  unit: string;
  lotId: string;
  lotNumber: string;
  expiresOn: string;
  onHand: number;
  unitCost: string;
  value: string;
};

/** Every lot with stock at its unit cost; the value is computed by PostgreSQL in numeric (exact). */
export async function valuation(
  db: Executor,
  clinicId: string,
): Promise<{ rows: ValuationDbRow[]; byKind: Record<string, string> }> {
  const res = await db.execute<ValuationDbRow>(
    sql`SELECT i.id AS "itemId", i.kind, i.name, i.unit, l.id AS "lotId", l.lot_number AS "lotNumber", l.expires_on AS "expiresOn",
          l.on_hand AS "onHand", l.unit_cost::text AS "unitCost", (l.on_hand * l.unit_cost)::numeric(18,4)::text AS value
        FROM inventory_lots l JOIN inventory_items i ON i.id = l.item_id
        WHERE l.clinic_id = ${clinicId} AND l.on_hand > 0 ORDER BY i.kind, i.name, l.expires_on, l.lot_number, l.id`,
  );
  const totals = await db.execute<{ kind: string; total: string }>(
    sql`SELECT COALESCE(i.kind, 'total') AS kind, sum(l.on_hand * l.unit_cost)::numeric(18,4)::text AS total
        FROM inventory_lots l JOIN inventory_items i ON i.id = l.item_id
        WHERE l.clinic_id = ${clinicId} AND l.on_hand > 0 GROUP BY ROLLUP (i.kind)`,
  );
  return { rows: res.rows, byKind: Object.fromEntries(totals.rows.map((r) => [r.kind, r.total])) };
}

// ------------------------------------------------------------------ reservations

export type ReservationRow = {
  id: string;
  clinicId: string;
  lotId: string;
  itemId: string;
  quantity: number;
  expiresAt: Date | string;
  referenceId: string | null;
};

/** Holds units of a lot; fails (CHECK) when fewer are available than asked. */
export async function reserve(
  db: Executor,
  v: { clinicId: string; lotId: string; quantity: number; minutes: number; ownerId: string; referenceId: string | null },
): Promise<ReservationRow> {
  const res = await db.execute<ReservationRow>(
    sql`WITH l AS (UPDATE inventory_lots SET reserved = reserved + ${v.quantity} WHERE id = ${v.lotId} AND clinic_id = ${v.clinicId}
          RETURNING id, item_id)
        INSERT INTO inventory_reservations (clinic_id, lot_id, quantity, expires_at, owner_id, reference_id)
        SELECT ${v.clinicId}, l.id, ${v.quantity}, now() + make_interval(mins => ${v.minutes}::int), ${v.ownerId}, ${v.referenceId} FROM l
        RETURNING id, clinic_id AS "clinicId", lot_id AS "lotId", (SELECT item_id FROM l) AS "itemId", quantity,
          expires_at AS "expiresAt", reference_id AS "referenceId"`,
  );
  return res.rows[0]!;
}

/**
 * Releases reservations — those matching `where` — giving their units back to their lots, in one
 * statement; returns what was released.
 */
async function release(db: Executor, where: SQL): Promise<ReservationRow[]> {
  const res = await db.execute<ReservationRow>(
    sql`WITH gone AS (DELETE FROM inventory_reservations r WHERE ${where}
          RETURNING r.id, r.clinic_id, r.lot_id, r.quantity, r.expires_at, r.reference_id),
        per_lot AS (SELECT lot_id, sum(quantity)::int AS q FROM gone GROUP BY lot_id),
        upd AS (UPDATE inventory_lots l SET reserved = l.reserved - p.q FROM per_lot p WHERE l.id = p.lot_id RETURNING l.id, l.item_id)
        SELECT g.id, g.clinic_id AS "clinicId", g.lot_id AS "lotId", upd.item_id AS "itemId", g.quantity, g.expires_at AS "expiresAt",
          g.reference_id AS "referenceId"
        FROM gone g JOIN upd ON upd.id = g.lot_id`,
  );
  return res.rows;
}

export const releaseExpired = (db: Executor) => release(db, sql`r.expires_at <= now()`);
export const releaseOne = (db: Executor, id: string, clinicId: string) =>
  release(db, sql`r.id = ${id} AND r.clinic_id = ${clinicId}`);
/** A user's reservations for a reference (the dispense they were held for is happening). */
export const releaseFor = (db: Executor, clinicId: string, ownerId: string, referenceId: string) =>
  release(db, sql`r.clinic_id = ${clinicId} AND r.owner_id = ${ownerId} AND r.reference_id = ${referenceId}`);

export async function getReservation(db: Executor, id: string, clinicId: string): Promise<{ ownerId: string } | undefined> {
  const res = await db.execute<{ ownerId: string }>(
    sql`SELECT owner_id AS "ownerId" FROM inventory_reservations WHERE id = ${id} AND clinic_id = ${clinicId}`,
  );
  return res.rows[0];
}

// ------------------------------------------------------------------ stock takes

export async function insertStockTake(db: Executor, clinicId: string, note: string | null, userId: string) {
  const res = await db.execute<{ id: string; createdAt: Date | string }>(
    sql`INSERT INTO inventory_stock_takes (clinic_id, note, created_by) VALUES (${clinicId}, ${note}, ${userId})
        RETURNING id, created_at AS "createdAt"`,
  );
  return res.rows[0]!;
}

export async function insertStockTakeLines(
  db: Executor,
  stockTakeId: string,
  lines: { lotId: string; expected: number; counted: number }[],
): Promise<void> {
  if (!lines.length) return;
  await db.execute(
    sql`INSERT INTO inventory_stock_take_lines (stock_take_id, lot_id, expected, counted)
        SELECT ${stockTakeId}, x.lot_id, x.expected, x.counted
        FROM unnest(${sql.param(lines.map((l) => l.lotId))}::uuid[], ${sql.param(lines.map((l) => l.expected))}::int[],
          ${sql.param(lines.map((l) => l.counted))}::int[]) AS x(lot_id, expected, counted)`,
  );
}
