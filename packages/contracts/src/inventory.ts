// Inventory: an organisation-wide catalogue of items (medications, optical frames, contact lenses,
// lab reagents, consumables), stocked per clinic in lots (lot number, expiry, unit cost, supplier).
// Stock is the sum of an append-only ledger of movements (receive, dispense, adjust, transfer out
// and in, destroy, return); a lot's balance is kept with each movement in the same transaction and
// can never go below zero. Reservations hold units while a dispense is in progress and expire by job.
// Quantities are whole units of the item's unit (tablet, bottle, box…); money is a decimal string.
import { Type, type Static } from '@sinclair/typebox';
import { Integer, IsoDate, NullableText, OptionalText, RequiredText, StoredDate, Uuid, Version } from './common.ts';

export const permissions = ['inventory:read', 'inventory:manage'] as const;
export const errorCodes = [
  /** a lot (or the clinic's lots of an item) holds fewer available units than asked */
  'INSUFFICIENT_STOCK',
  /** the lot is past its expiry date: it can only be destroyed or returned */
  'LOT_EXPIRED',
  /** the lot is recalled: it can only be destroyed or returned */
  'LOT_RECALLED',
  /** a lot of that number for that item exists at the clinic with another expiry date */
  'LOT_MISMATCH',
  /** a transfer to the clinic it comes from */
  'TRANSFER_SAME_CLINIC',
] as const;

export const ITEM_KINDS = ['medication', 'optical_frame', 'contact_lens', 'lab_reagent', 'consumable'] as const;
export type ItemKind = (typeof ITEM_KINDS)[number];

/**
 * What a movement did to a lot: `receive` (+, a delivery), `dispense` (−, to a patient), `adjust`
 * (±, with a reason; a stock take's differences too), `transfer_out` (−) and `transfer_in` (+)
 * paired by a transfer id, `destroy` (−, expired, damaged or recalled stock), `return` (−, to the supplier).
 */
export const MOVEMENT_KINDS = ['receive', 'dispense', 'adjust', 'transfer_out', 'transfer_in', 'destroy', 'return'] as const;
export type MovementKind = (typeof MOVEMENT_KINDS)[number];

/** Expiry alert windows, in days. */
export const EXPIRY_WINDOWS = [30, 60, 90] as const;

/** Units on a shelf: whole units of the item's unit. */
export const Quantity = (description?: string) =>
  Integer({ minimum: 1, maximum: 1_000_000, ...(description ? { description } : {}) });
/** A money amount as an exact decimal string, up to 4 decimals (never a floating-point number). */
export const Money = Type.String({
  pattern: '^[0-9]{1,8}(\\.[0-9]{1,4})?$',
  maxLength: 13,
  description: 'a decimal amount such as "0.0450" (up to 8 digits and 4 decimals)',
});

const Kind = Type.Union(ITEM_KINDS.map((k) => Type.Literal(k)));
const MovementKindSchema = Type.Union(MOVEMENT_KINDS.map((k) => Type.Literal(k)));
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const Person = Type.Object({ id: Uuid, name: Type.String() });

// ------------------------------------------------------------------ items

export const ItemInput = Type.Object(
  {
    kind: Kind,
    name: RequiredText(200),
    /** the unit stock is counted in: tablet, capsule, bottle, box, frame, pair, kit… */
    unit: RequiredText(40),
    /** the formulary product it is (medications), when it is one */
    formularyItemId: Type.Optional(Nullable(Uuid)),
    /** a barcode or stock code */
    code: Type.Optional(NullableText(64)),
    /** the active clinic's reorder level (low-stock alert at or below it) */
    reorderLevel: Type.Optional(Integer({ minimum: 0, maximum: 1_000_000 })),
  },
  { additionalProperties: false },
);
export type ItemInput = Static<typeof ItemInput>;

export const ItemUpdate = Type.Object(
  {
    version: Version('the version you read; a stale one answers 409 STALE_VERSION'),
    name: Type.Optional(RequiredText(200)),
    unit: Type.Optional(RequiredText(40)),
    formularyItemId: Type.Optional(Nullable(Uuid)),
    code: Type.Optional(NullableText(64)),
    /** an inactive item is no longer received or dispensed; its stock stays visible */
    active: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type ItemUpdate = Static<typeof ItemUpdate>;

export const ItemSettingsInput = Type.Object(
  { reorderLevel: Integer({ minimum: 0, maximum: 1_000_000 }) },
  { additionalProperties: false },
);
export type ItemSettingsInput = Static<typeof ItemSettingsInput>;

export const Item = Type.Object({
  id: Uuid,
  kind: Kind,
  name: Type.String(),
  unit: Type.String(),
  formularyItemId: Nullable(Uuid),
  code: Nullable(Type.String()),
  active: Type.Boolean(),
  version: Type.Integer(),
  /** the active clinic's reorder level (0 when none is set) */
  reorderLevel: Type.Integer(),
});
export type Item = Static<typeof Item>;

export const ItemQuery = Type.Object(
  {
    kind: Type.Optional(Kind),
    q: Type.Optional(OptionalText(100)),
    formularyItemId: Type.Optional(Uuid),
    includeInactive: Type.Optional(Type.Boolean()),
    limit: Type.Optional(Integer({ minimum: 1, maximum: 200, default: 50 })),
    offset: Type.Optional(Integer({ minimum: 0, maximum: 100_000, default: 0 })),
  },
  { additionalProperties: false },
);
export type ItemQuery = Static<typeof ItemQuery>;
export const ItemList = Type.Object({ data: Type.Array(Item), total: Type.Integer() });
export type ItemList = Static<typeof ItemList>;

// ------------------------------------------------------------------ lots and movements

export const Lot = Type.Object({
  id: Uuid,
  clinicId: Uuid,
  itemId: Uuid,
  lotNumber: Type.String(),
  expiresOn: StoredDate,
  unitCost: Type.String({ description: 'decimal string' }),
  supplier: Nullable(Type.String()),
  receivedAt: Type.String({ format: 'date-time' }),
  recalledAt: Nullable(Type.String({ format: 'date-time' })),
  recallReason: Nullable(Type.String()),
  onHand: Type.Integer(),
  reserved: Type.Integer(),
  available: Type.Integer(),
  expired: Type.Boolean(),
});
export type Lot = Static<typeof Lot>;
export const LotList = Type.Object({ data: Type.Array(Lot) });
export type LotList = Static<typeof LotList>;

export const Movement = Type.Object({
  id: Uuid,
  clinicId: Uuid,
  itemId: Uuid,
  lotId: Uuid,
  lotNumber: Type.String(),
  kind: MovementKindSchema,
  /** signed: + into the lot, − out of it */
  quantity: Type.Integer(),
  /** the lot's balance right after this movement */
  balanceAfter: Type.Integer(),
  reason: Nullable(Type.String()),
  /** what it belongs to: a delivery note, a dispense, a stock take… */
  reference: Nullable(Type.String()),
  referenceType: Nullable(Type.String()),
  referenceId: Nullable(Uuid),
  transferId: Nullable(Uuid),
  at: Type.String({ format: 'date-time' }),
  by: Person,
});
export type Movement = Static<typeof Movement>;

export const MovementQuery = Type.Object(
  {
    limit: Type.Optional(Integer({ minimum: 1, maximum: 200, default: 50 })),
    /** the last id of the previous page */
    cursor: Type.Optional(Uuid),
  },
  { additionalProperties: false },
);
export type MovementQuery = Static<typeof MovementQuery>;
export const MovementPage = Type.Object({ data: Type.Array(Movement), nextCursor: Nullable(Uuid) });
export type MovementPage = Static<typeof MovementPage>;

/** A delivery received at the active clinic: a new lot, or more of an existing one (same number and expiry). */
export const ReceiveInput = Type.Object(
  {
    itemId: Uuid,
    lotNumber: RequiredText(64),
    expiresOn: IsoDate,
    quantity: Quantity(),
    unitCost: Money,
    supplier: Type.Optional(OptionalText(200)),
    /** a delivery note or order number */
    reference: Type.Optional(OptionalText(120)),
  },
  { additionalProperties: false },
);
export type ReceiveInput = Static<typeof ReceiveInput>;

/** A correction of a lot's count: signed, with why. */
export const AdjustInput = Type.Object(
  {
    quantity: Integer({ minimum: -1_000_000, maximum: 1_000_000, description: 'signed, not 0' }),
    reason: RequiredText(500),
  },
  { additionalProperties: false },
);
export type AdjustInput = Static<typeof AdjustInput>;

/** Units leaving a lot for good: destroyed (expired, damaged, recalled) or returned to the supplier. */
export const RemoveInput = Type.Object(
  { quantity: Quantity(), reason: RequiredText(500), reference: Type.Optional(OptionalText(120)) },
  { additionalProperties: false },
);
export type RemoveInput = Static<typeof RemoveInput>;

export const RecallInput = Type.Object({ reason: RequiredText(500) }, { additionalProperties: false });
export type RecallInput = Static<typeof RecallInput>;

export const MovementResult = Type.Object({ lot: Lot, movement: Movement });
export type MovementResult = Static<typeof MovementResult>;

// ------------------------------------------------------------------ transfers and stock takes

/**
 * Units moved from the active clinic's lots to another clinic, all or nothing. The caller needs
 * inventory:manage at both clinics (a membership at the destination holding it).
 */
export const TransferInput = Type.Object(
  {
    toClinicId: Uuid,
    lines: Type.Array(Type.Object({ lotId: Uuid, quantity: Quantity() }, { additionalProperties: false }), {
      minItems: 1,
      maxItems: 100,
    }),
    note: Type.Optional(OptionalText(500)),
  },
  { additionalProperties: false },
);
export type TransferInput = Static<typeof TransferInput>;

export const Transfer = Type.Object({
  transferId: Uuid,
  fromClinicId: Uuid,
  toClinicId: Uuid,
  /** the movements, out of each source lot and into its counterpart at the destination */
  movements: Type.Array(Movement),
});
export type Transfer = Static<typeof Transfer>;

/** A count sheet: what was counted on the shelf per lot; differences become adjustments, in one transaction. */
export const StockTakeInput = Type.Object(
  {
    lines: Type.Array(
      Type.Object({ lotId: Uuid, counted: Integer({ minimum: 0, maximum: 1_000_000 }) }, { additionalProperties: false }),
      { minItems: 1, maxItems: 2000 },
    ),
    note: Type.Optional(OptionalText(500)),
  },
  { additionalProperties: false },
);
export type StockTakeInput = Static<typeof StockTakeInput>;

export const StockTake = Type.Object({
  id: Uuid,
  clinicId: Uuid,
  at: Type.String({ format: 'date-time' }),
  by: Person,
  note: Nullable(Type.String()),
  lines: Type.Array(
    Type.Object({
      lotId: Uuid,
      itemId: Uuid,
      lotNumber: Type.String(),
      expected: Type.Integer(),
      counted: Type.Integer(),
      /** counted − expected: the adjustment made (0: none) */
      difference: Type.Integer(),
    }),
  ),
});
export type StockTake = Static<typeof StockTake>;

// ------------------------------------------------------------------ stock views and alerts

export const StockRow = Type.Object({
  itemId: Uuid,
  kind: Kind,
  name: Type.String(),
  unit: Type.String(),
  formularyItemId: Nullable(Uuid),
  onHand: Type.Integer(),
  reserved: Type.Integer(),
  /** on hand − reserved, in lots neither expired nor recalled */
  available: Type.Integer(),
  /** the earliest expiry of the lots holding stock */
  earliestExpiry: Nullable(StoredDate),
  reorderLevel: Type.Integer(),
  /** available at or below the reorder level (with a reorder level set) */
  lowStock: Type.Boolean(),
});
export type StockRow = Static<typeof StockRow>;

export const StockQuery = Type.Object(
  {
    kind: Type.Optional(Kind),
    q: Type.Optional(OptionalText(100)),
    lowOnly: Type.Optional(Type.Boolean()),
    /** also items never stocked at this clinic */
    all: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type StockQuery = Static<typeof StockQuery>;
export const StockList = Type.Object({ data: Type.Array(StockRow) });
export type StockList = Static<typeof StockList>;

export const ExpiryQuery = Type.Object(
  {
    days: Type.Optional(
      Type.Union(
        EXPIRY_WINDOWS.map((d) => Type.Literal(d)),
        { default: 90 },
      ),
    ),
  },
  { additionalProperties: false },
);
export type ExpiryQuery = Static<typeof ExpiryQuery>;

export const ExpiryAlert = Type.Object({
  lotId: Uuid,
  itemId: Uuid,
  name: Type.String(),
  unit: Type.String(),
  lotNumber: Type.String(),
  expiresOn: StoredDate,
  /** days left (negative: expired that many days ago) */
  daysLeft: Type.Integer(),
  /** 0 when expired, else the smallest window (30, 60, 90) it falls in */
  window: Type.Integer(),
  onHand: Type.Integer(),
  recalled: Type.Boolean(),
});
export type ExpiryAlert = Static<typeof ExpiryAlert>;
export const ExpiryAlertList = Type.Object({ data: Type.Array(ExpiryAlert) });
export type ExpiryAlertList = Static<typeof ExpiryAlertList>;

/** Valuation: on-hand units at their lot's unit cost, exact decimals. */
export const ValuationRow = Type.Object({
  itemId: Uuid,
  kind: Kind,
  name: Type.String(),
  unit: Type.String(),
  lotId: Uuid,
  lotNumber: Type.String(),
  expiresOn: StoredDate,
  onHand: Type.Integer(),
  unitCost: Type.String(),
  value: Type.String(),
});
export type ValuationRow = Static<typeof ValuationRow>;
export const Valuation = Type.Object({
  clinicId: Uuid,
  at: Type.String({ format: 'date-time' }),
  rows: Type.Array(ValuationRow),
  /** per kind and overall, decimal strings */
  totals: Type.Object({ byKind: Type.Record(Type.String(), Type.String()), total: Type.String() }),
});
export type Valuation = Static<typeof Valuation>;

// ------------------------------------------------------------------ reservations

/** Units held while a dispense is in progress; released when it ends or by job when it expires. */
export const ReservationInput = Type.Object(
  {
    lotId: Uuid,
    quantity: Quantity(),
    /** how long it holds, 1 to 60 minutes (15 by default) */
    minutes: Type.Optional(Integer({ minimum: 1, maximum: 60, default: 15 })),
    /** what it is for (a prescription) */
    referenceId: Type.Optional(Uuid),
  },
  { additionalProperties: false },
);
export type ReservationInput = Static<typeof ReservationInput>;
export const Reservation = Type.Object({
  id: Uuid,
  lotId: Uuid,
  quantity: Type.Integer(),
  expiresAt: Type.String({ format: 'date-time' }),
  referenceId: Nullable(Uuid),
});
export type Reservation = Static<typeof Reservation>;

export const ItemIdParams = Type.Object({ id: Uuid }, { additionalProperties: false });
export const LotIdParams = Type.Object({ id: Uuid }, { additionalProperties: false });

/** Realtime events: identifiers only, to room `inventory:<clinicId>` (memberships holding inventory:read). */
export interface Events {
  /** stock of these items changed at the clinic (a movement, a recall, a reservation) */
  'inventory.changed': { clinicId: string; itemIds: string[] };
}
export const events = ['inventory.changed'] as const satisfies readonly (keyof Events)[];
