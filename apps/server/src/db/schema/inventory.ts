import { sql } from 'drizzle-orm';
import { ITEM_KINDS, MOVEMENT_KINDS } from '@sanita/contracts/inventory';
import {
  bigint,
  boolean,
  check,
  date,
  index,
  integer,
  numeric,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { clinics, users } from './identity.ts';
import { formularyItems } from './medications.ts';

const ts = (name: string) => timestamp(name, { withTimezone: true });

/**
 * The organisation's catalogue of stocked items. A medication may name its formulary product
 * (`formulary_item_id`, the medications domain's `formulary_items`).
 */
export const inventoryItems = pgTable(
  'inventory_items',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    kind: text('kind', { enum: ITEM_KINDS }).notNull(),
    name: text('name').notNull(),
    unit: text('unit').notNull(),
    formularyItemId: uuid('formulary_item_id').references(() => formularyItems.id),
    code: text('code'),
    active: boolean('active').notNull().default(true),
    version: integer('version').notNull().default(1),
    createdBy: uuid('created_by')
      .notNull()
      .references(() => users.id),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedBy: uuid('updated_by')
      .notNull()
      .references(() => users.id),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    index('inventory_items_formulary').on(t.formularyItemId),
    index('inventory_items_kind_name').on(t.kind, t.name),
    uniqueIndex('inventory_items_code').on(t.code),
  ],
);

/** A clinic's settings of an item: its reorder level (a low-stock alert at or below it). */
export const inventoryItemSettings = pgTable(
  'inventory_item_settings',
  {
    clinicId: uuid('clinic_id')
      .notNull()
      .references(() => clinics.id),
    itemId: uuid('item_id')
      .notNull()
      .references(() => inventoryItems.id),
    reorderLevel: integer('reorder_level').notNull().default(0),
    updatedBy: uuid('updated_by')
      .notNull()
      .references(() => users.id),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.clinicId, t.itemId] }), check('inventory_item_settings_reorder', sql`${t.reorderLevel} >= 0`)],
);

/**
 * A lot of an item at a clinic, with its balance: `on_hand` is the sum of its movements, kept by
 * every movement in the same transaction; `reserved` the units held by open reservations. Neither
 * can leave its bounds (CHECK), so concurrent dispensing can never take more than is there.
 */
export const inventoryLots = pgTable(
  'inventory_lots',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    clinicId: uuid('clinic_id')
      .notNull()
      .references(() => clinics.id),
    itemId: uuid('item_id')
      .notNull()
      .references(() => inventoryItems.id),
    lotNumber: text('lot_number').notNull(),
    expiresOn: date('expires_on').notNull(),
    unitCost: numeric('unit_cost', { precision: 12, scale: 4 }).notNull(),
    supplier: text('supplier'),
    receivedAt: ts('received_at').notNull().defaultNow(),
    recalledAt: ts('recalled_at'),
    recallReason: text('recall_reason'),
    onHand: integer('on_hand').notNull().default(0),
    reserved: integer('reserved').notNull().default(0),
  },
  (t) => [
    uniqueIndex('inventory_lots_number').on(t.clinicId, t.itemId, t.lotNumber),
    index('inventory_lots_fefo').on(t.clinicId, t.itemId, t.expiresOn),
    index('inventory_lots_expiry').on(t.clinicId, t.expiresOn),
    check('inventory_lots_on_hand', sql`${t.onHand} >= 0`),
    check('inventory_lots_reserved', sql`${t.reserved} >= 0 AND ${t.reserved} <= ${t.onHand}`),
    check('inventory_lots_unit_cost', sql`${t.unitCost} >= 0`),
  ],
);

/**
 * The ledger: every change of a lot's stock, signed (+ in, − out), append-only (a trigger refuses
 * UPDATE and DELETE, like the audit tables). A lot's `on_hand` equals the sum of its movements.
 */
export const inventoryMovements = pgTable(
  'inventory_movements',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** the order of the ledger (ids are random) */
    seq: bigint('seq', { mode: 'number' }).generatedAlwaysAsIdentity(),
    clinicId: uuid('clinic_id')
      .notNull()
      .references(() => clinics.id),
    itemId: uuid('item_id')
      .notNull()
      .references(() => inventoryItems.id),
    lotId: uuid('lot_id')
      .notNull()
      .references(() => inventoryLots.id),
    kind: text('kind', { enum: MOVEMENT_KINDS }).notNull(),
    quantity: integer('quantity').notNull(),
    /** the lot's on hand right after this movement */
    balanceAfter: integer('balance_after').notNull(),
    reason: text('reason'),
    /** free text: a delivery note, an order number */
    reference: text('reference'),
    /** what produced it: 'dispense', 'stock_take', 'transfer'… and its id */
    referenceType: text('reference_type'),
    referenceId: uuid('reference_id'),
    /** pairs a transfer's movements out of and into lots */
    transferId: uuid('transfer_id'),
    createdBy: uuid('created_by')
      .notNull()
      .references(() => users.id),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    index('inventory_movements_item').on(t.clinicId, t.itemId, t.seq),
    index('inventory_movements_lot').on(t.lotId),
    index('inventory_movements_reference').on(t.referenceId),
    index('inventory_movements_transfer').on(t.transferId),
    check(
      'inventory_movements_sign',
      sql`CASE ${t.kind}
        WHEN 'receive' THEN ${t.quantity} > 0
        WHEN 'transfer_in' THEN ${t.quantity} > 0
        WHEN 'adjust' THEN ${t.quantity} <> 0
        ELSE ${t.quantity} < 0 END`,
    ),
    check('inventory_movements_balance', sql`${t.balanceAfter} >= 0`),
    check(
      'inventory_movements_transfer_pair',
      sql`(${t.kind} IN ('transfer_out', 'transfer_in')) = (${t.transferId} IS NOT NULL)`,
    ),
  ],
);

/** Units held on a lot while a dispense is in progress; deleted when used or released (a job, once expired). */
export const inventoryReservations = pgTable(
  'inventory_reservations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    clinicId: uuid('clinic_id')
      .notNull()
      .references(() => clinics.id),
    lotId: uuid('lot_id')
      .notNull()
      .references(() => inventoryLots.id),
    quantity: integer('quantity').notNull(),
    expiresAt: ts('expires_at').notNull(),
    ownerId: uuid('owner_id')
      .notNull()
      .references(() => users.id),
    referenceId: uuid('reference_id'),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    index('inventory_reservations_expiry').on(t.expiresAt),
    index('inventory_reservations_lot').on(t.lotId),
    check('inventory_reservations_quantity', sql`${t.quantity} > 0`),
  ],
);

/** A stock take: a count sheet reconciled into adjustments (one per lot whose count differed). */
export const inventoryStockTakes = pgTable('inventory_stock_takes', {
  id: uuid('id').primaryKey().defaultRandom(),
  clinicId: uuid('clinic_id')
    .notNull()
    .references(() => clinics.id),
  note: text('note'),
  createdBy: uuid('created_by')
    .notNull()
    .references(() => users.id),
  createdAt: ts('created_at').notNull().defaultNow(),
});

export const inventoryStockTakeLines = pgTable(
  'inventory_stock_take_lines',
  {
    stockTakeId: uuid('stock_take_id')
      .notNull()
      .references(() => inventoryStockTakes.id),
    lotId: uuid('lot_id')
      .notNull()
      .references(() => inventoryLots.id),
    expected: integer('expected').notNull(),
    counted: integer('counted').notNull(),
  },
  (t) => [primaryKey({ columns: [t.stockTakeId, t.lotId] })],
);
