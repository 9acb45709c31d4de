// Billing: the clinic's price list (per clinic and currency, with effective dates) and tax rates,
// charges captured from what happened (a finished consultation, a lab order, a dispense; idempotent
// on the source event) plus manual lines, and invoices (tax per line, discounts with approval above
// the clinic's threshold, void with a reason, credit notes, numbers per clinic and year without
// gaps). Money is exact decimal text ("1250.50"), never a float; each currency rounds to its minor
// units (CDF none, USD cents). Payments, cashier sessions, exchange rates, payment plans and the
// reports are in ./payments.ts; insurance and claims in ./claims.ts.
import { Type, type Static, type TLiteral, type TSchema, type TUnion } from '@sinclair/typebox';
import { Integer, IsoDate, NullableText, OptionalText, RequiredText, StoredDate, Uuid, Version } from './common.ts';

/**
 * - billing:read — price list, a patient's invoices and their lines (cashiers, receptionists, accountants, administrators);
 * - billing:write — add or remove manual lines, issue an invoice, apply a discount up to the clinic's threshold (cashiers, receptionists);
 * - invoices:discount — request a discount above the threshold, and approve someone else's request (managers, administrators);
 * - billing:void — void an issued invoice with a reason, issue a credit note (managers, administrators, accountants);
 * - billing:manage — the price list, tax rates and the clinic's billing settings (administrators).
 */
export const permissions = ['billing:read', 'billing:write', 'invoices:discount', 'billing:void', 'billing:manage'] as const;

/**
 * - INVOICE_STATE (409): the step does not follow from the invoice's status (`details.status`), e.g.
 *   adding a line to an issued invoice, voiding a paid one, crediting a draft.
 * - INVOICE_UNPRICED (409): a line has no price in the price list for that date and currency; it
 *   must be priced (a manual price or a price-list entry) before the invoice is issued.
 * - DISCOUNT_APPROVAL_REQUIRED (409): issuing is refused while a discount above the clinic's
 *   threshold waits for a second person with invoices:discount (`details.requestId`). The request
 *   itself is recorded (202, the discount `pending`).
 * - DISCOUNT_SELF_APPROVAL (409): the person who asked for a discount may not approve it.
 * - CREDIT_EXCEEDS_INVOICE (409): a credit note larger than what is left to credit on the invoice.
 * - PRICE_OVERLAP (409): another price-list entry for the same item and currency covers those dates.
 * - CURRENCY_NOT_ACCEPTED (400): the clinic does not take that currency (`details`: field issue).
 */
export const errorCodes = [
  'INVOICE_STATE',
  'INVOICE_UNPRICED',
  'DISCOUNT_APPROVAL_REQUIRED',
  'DISCOUNT_SELF_APPROVAL',
  'CREDIT_EXCEEDS_INVOICE',
  'PRICE_OVERLAP',
  'CURRENCY_NOT_ACCEPTED',
] as const;

export const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
export const Enum = <const T extends readonly string[]>(values: T, options: { description?: string; default?: T[number] } = {}) =>
  Type.Union(
    values.map((v) => Type.Literal(v)),
    options,
  ) as unknown as TUnion<TLiteral<T[number]>[]>;
export const Person = Type.Object({ id: Uuid, name: Type.String() });
const DateTime = Type.String({ format: 'date-time' });

/** An exact amount as decimal text: up to 12 digits and 2 decimals ("1250", "12.5", "-3.75"). */
export const Money = Type.String({
  pattern: '^-?[0-9]{1,12}(\\.[0-9]{1,2})?$',
  maxLength: 16,
  description: 'decimal text, e.g. "1250.50"',
});
/** An amount that may not be negative. */
export const Amount = Type.String({ pattern: '^[0-9]{1,12}(\\.[0-9]{1,2})?$', maxLength: 15, description: 'decimal text ≥ 0' });
/** A tax or discount percentage: "16", "7.5" (0–100, up to 3 decimals). */
export const Percent = Type.String({ pattern: '^(100(\\.0{1,3})?|[0-9]{1,2}(\\.[0-9]{1,3})?)$', maxLength: 7 });
/** ISO 4217 */
export const Currency = Type.String({ pattern: '^[A-Z]{3}$', minLength: 3, maxLength: 3 });
/** Minor units by currency (ISO 4217); a currency not listed has 2. */
export const CURRENCY_MINOR_UNITS: Readonly<Record<string, number>> = {
  CDF: 0,
  XAF: 0,
  XOF: 0,
  RWF: 0,
  BIF: 0,
  UGX: 0,
  USD: 2,
  EUR: 2,
};
export const minorUnits = (currency: string): number => CURRENCY_MINOR_UNITS[currency] ?? 2;

// ------------------------------------------------------------------ price list and taxes

/**
 * What a price-list item bills: a consultation (its code is a visit type's code, or `CONSULT-<encounter
 * type>` for a walk-in), a lab test or panel (the lab catalogue's code), a medication (the formulary
 * item's code; priced per dispensed unit), a procedure, an optical item, or anything else.
 */
export const ITEM_KINDS = ['consultation', 'lab_test', 'medication', 'procedure', 'optical', 'other'] as const;
export type ItemKind = (typeof ITEM_KINDS)[number];

/** A clinic's price for an item in one currency, from a date (to a date, exclusive; null: open). */
export const PriceItem = Type.Object({
  id: Uuid,
  clinicId: Uuid,
  kind: Enum(ITEM_KINDS),
  code: Type.String(),
  name: Type.String(),
  nameFr: Nullable(Type.String()),
  /** the tax category whose rate applies (a clinic's `TaxRate.category`); null: not taxed */
  taxCategory: Nullable(Type.String()),
  /** the procedure code a claim carries (CPT/HCPCS or local), when the item is a procedure */
  procedureCode: Nullable(Type.String()),
  currency: Currency,
  unitPrice: Amount,
  effectiveFrom: StoredDate,
  effectiveTo: Nullable(StoredDate),
  active: Type.Boolean(),
  version: Type.Integer(),
});
export type PriceItem = Static<typeof PriceItem>;

export const PriceItemInput = Type.Object(
  {
    kind: Enum(ITEM_KINDS),
    code: RequiredText(120),
    name: RequiredText(200),
    nameFr: Type.Optional(NullableText(200)),
    taxCategory: Type.Optional(Nullable(RequiredText(40))),
    procedureCode: Type.Optional(Nullable(RequiredText(20))),
    currency: Currency,
    unitPrice: Amount,
    effectiveFrom: IsoDate,
    effectiveTo: Type.Optional(Nullable(IsoDate)),
  },
  { additionalProperties: false },
);
export type PriceItemInput = Static<typeof PriceItemInput>;
export const PriceItemUpdate = Type.Object(
  { ...Type.Partial(PriceItemInput).properties, version: Version(), active: Type.Optional(Type.Boolean()) },
  { additionalProperties: false },
);
export type PriceItemUpdate = Static<typeof PriceItemUpdate>;

export const PriceListQuery = Type.Object(
  {
    q: Type.Optional(OptionalText(100)),
    kind: Type.Optional(Enum(ITEM_KINDS)),
    currency: Type.Optional(Currency),
    /** entries in force on that date (default: today) */
    on: Type.Optional(IsoDate),
    /** include entries no longer or not yet in force */
    all: Type.Optional(Type.Boolean()),
    limit: Type.Optional(Integer({ minimum: 1, maximum: 200, default: 50 })),
    offset: Type.Optional(Integer({ minimum: 0, maximum: 100_000, default: 0 })),
  },
  { additionalProperties: false },
);
export type PriceListQuery = Static<typeof PriceListQuery>;
export const PriceList = Type.Object({ data: Type.Array(PriceItem), total: Type.Integer() });

/** A clinic's tax rate for a category of items ("vat", "medicines"), with effective dates. */
export const TaxRate = Type.Object({
  id: Uuid,
  clinicId: Uuid,
  category: Type.String(),
  name: Type.String(),
  rate: Percent,
  effectiveFrom: StoredDate,
  effectiveTo: Nullable(StoredDate),
});
export type TaxRate = Static<typeof TaxRate>;
export const TaxRateInput = Type.Object(
  {
    category: RequiredText(40),
    name: RequiredText(100),
    rate: Percent,
    effectiveFrom: IsoDate,
    effectiveTo: Type.Optional(Nullable(IsoDate)),
  },
  { additionalProperties: false },
);
export type TaxRateInput = Static<typeof TaxRateInput>;
export const TaxRateList = Type.Object({ data: Type.Array(TaxRate) });

/** A clinic's billing settings. */
export const BillingSettings = Type.Object({
  clinicId: Uuid,
  /** the currency invoices are issued in unless another is chosen */
  defaultCurrency: Currency,
  /** a discount above this percentage of the invoice needs invoices:discount and a second person */
  discountApprovalPercent: Percent,
  /** days after issue when an invoice falls due */
  paymentTermsDays: Type.Integer(),
});
export type BillingSettings = Static<typeof BillingSettings>;
export const BillingSettingsInput = Type.Object(
  {
    defaultCurrency: Type.Optional(Currency),
    discountApprovalPercent: Type.Optional(Percent),
    paymentTermsDays: Type.Optional(Integer({ minimum: 0, maximum: 365 })),
  },
  { additionalProperties: false },
);

// ------------------------------------------------------------------ invoices

/**
 * draft (lines are being captured: open for the patient's visit) → issued (numbered, INV-KIN-2026-000123;
 * payable) → paid (balance zero) | void (with a reason; only when nothing was paid). A credit note
 * (CN-KIN-2026-000045) is its own numbered document against an issued or paid invoice.
 */
export const INVOICE_STATUSES = ['draft', 'issued', 'partially_paid', 'paid', 'void'] as const;
export type InvoiceStatus = (typeof INVOICE_STATUSES)[number];
/** where a line came from: captured from an event, or typed by a person */
export const LINE_SOURCES = ['encounter', 'lab_order', 'dispense', 'manual'] as const;
export type LineSource = (typeof LINE_SOURCES)[number];

export const InvoiceLine = Type.Object({
  id: Uuid,
  kind: Enum(ITEM_KINDS),
  code: Type.String(),
  description: Type.String(),
  descriptionFr: Nullable(Type.String()),
  source: Enum(LINE_SOURCES),
  /** the encounter, lab order or dispense line it was captured from */
  sourceId: Nullable(Uuid),
  /** when the service was given (the encounter's end, the order, the dispense) */
  serviceDate: StoredDate,
  practitioner: Nullable(Person),
  procedureCode: Nullable(Type.String()),
  quantity: Type.String({ description: 'decimal text' }),
  /** null: no price found for that date and currency (the invoice cannot be issued until priced) */
  unitPrice: Nullable(Amount),
  /** quantity × unit price, rounded to the currency */
  amount: Money,
  taxRate: Percent,
  tax: Money,
  /** this line's share of the invoice's discount */
  discount: Money,
  /** amount − discount + tax */
  total: Money,
});
export type InvoiceLine = Static<typeof InvoiceLine>;

export const DISCOUNT_STATUSES = ['pending', 'approved', 'rejected', 'applied'] as const;
export const Discount = Type.Object({
  id: Uuid,
  /** a percentage of the subtotal, or an amount */
  percent: Nullable(Percent),
  amount: Nullable(Amount),
  reason: Type.String(),
  status: Enum(DISCOUNT_STATUSES),
  requestedBy: Person,
  requestedAt: DateTime,
  decidedBy: Nullable(Person),
  decidedAt: Nullable(DateTime),
});
export type Discount = Static<typeof Discount>;

export const CreditNote = Type.Object({
  id: Uuid,
  number: Type.String(),
  invoiceId: Uuid,
  amount: Amount,
  reason: Type.String(),
  createdBy: Person,
  createdAt: DateTime,
});
export type CreditNote = Static<typeof CreditNote>;

export const Invoice = Type.Object({
  id: Uuid,
  clinicId: Uuid,
  /** null while draft */
  number: Nullable(Type.String()),
  patient: Type.Object({ id: Uuid, name: Type.String(), mrn: Type.String() }),
  /** the visit (check-in to discharge) whose charges it collects, when there was one */
  visitId: Nullable(Uuid),
  encounterId: Nullable(Uuid),
  status: Enum(INVOICE_STATUSES),
  currency: Currency,
  subtotal: Money,
  discountTotal: Money,
  taxTotal: Money,
  total: Money,
  /** total − payments + refunds − credits */
  paid: Money,
  credited: Money,
  balance: Money,
  /** the insured part expected from the payer (claims), when the patient has coverage */
  insurerShare: Money,
  patientShare: Money,
  issuedAt: Nullable(DateTime),
  dueDate: Nullable(StoredDate),
  voidReason: Nullable(Type.String()),
  voidedAt: Nullable(DateTime),
  createdAt: DateTime,
  lines: Type.Array(InvoiceLine),
  discounts: Type.Array(Discount),
  creditNotes: Type.Array(CreditNote),
  /** lines with no price: issuing is refused until they are priced */
  unpriced: Type.Integer(),
  version: Type.Integer(),
});
export type Invoice = Static<typeof Invoice>;

/** An invoice in a list: no lines. */
export const InvoiceSummary = Type.Omit(Invoice, ['lines', 'discounts', 'creditNotes']);
export type InvoiceSummary = Static<typeof InvoiceSummary>;

export const InvoiceListQuery = Type.Object(
  {
    patientId: Type.Optional(Uuid),
    status: Type.Optional(Enum(INVOICE_STATUSES)),
    /** MRN, invoice number or patient name */
    q: Type.Optional(OptionalText(100)),
    from: Type.Optional(IsoDate),
    to: Type.Optional(IsoDate),
    /** only invoices with something left to pay */
    open: Type.Optional(Type.Boolean()),
    limit: Type.Optional(Integer({ minimum: 1, maximum: 200, default: 50 })),
    offset: Type.Optional(Integer({ minimum: 0, maximum: 100_000, default: 0 })),
  },
  { additionalProperties: false },
);
export type InvoiceListQuery = Static<typeof InvoiceListQuery>;
export const InvoiceList = Type.Object({ data: Type.Array(InvoiceSummary), total: Type.Integer() });

export const ManualLineInput = Type.Object(
  {
    /** a price-list item: its price on the service date is used */
    priceItemId: Type.Optional(Uuid),
    /** or a free line: kind, description and unit price are then required */
    kind: Type.Optional(Enum(ITEM_KINDS)),
    code: Type.Optional(RequiredText(120)),
    description: Type.Optional(RequiredText(200)),
    unitPrice: Type.Optional(Amount),
    taxCategory: Type.Optional(Nullable(RequiredText(40))),
    quantity: Type.String({ pattern: '^[0-9]{1,6}(\\.[0-9]{1,3})?$', maxLength: 10 }),
    serviceDate: Type.Optional(IsoDate),
    version: Version(),
  },
  { additionalProperties: false },
);
export type ManualLineInput = Static<typeof ManualLineInput>;

/** Price a line captured without a price (a manual unit price, by a person with billing:write). */
export const LinePriceInput = Type.Object({ unitPrice: Amount, version: Version() }, { additionalProperties: false });

/** Opens (or returns) the patient's draft invoice at the active clinic. */
export const InvoiceCreate = Type.Object(
  { patientId: Uuid, currency: Type.Optional(Currency), visitId: Type.Optional(Uuid) },
  { additionalProperties: false },
);
export type InvoiceCreate = Static<typeof InvoiceCreate>;

export const DiscountInput = Type.Object(
  {
    percent: Type.Optional(Percent),
    amount: Type.Optional(Amount),
    reason: RequiredText(500),
    version: Version(),
  },
  { additionalProperties: false },
);
export type DiscountInput = Static<typeof DiscountInput>;
export const DiscountDecision = Type.Object(
  { approve: Type.Boolean(), note: Type.Optional(NullableText(500)) },
  { additionalProperties: false },
);

export const VersionBody = Type.Object({ version: Version() }, { additionalProperties: false });
/** The version read, for a DELETE (no body). */
export const VersionQuery = Type.Object({ version: Version() }, { additionalProperties: false });
export const VoidInput = Type.Object({ reason: RequiredText(500), version: Version() }, { additionalProperties: false });
export const CreditNoteInput = Type.Object(
  { amount: Amount, reason: RequiredText(500), version: Version() },
  { additionalProperties: false },
);

export const InvoiceIdParams = Type.Object({ id: Uuid }, { additionalProperties: false });
export const InvoiceLineParams = Type.Object({ id: Uuid, lineId: Uuid }, { additionalProperties: false });
export const DiscountParams = Type.Object({ id: Uuid, discountId: Uuid }, { additionalProperties: false });

/** Realtime events: identifiers only, to `billing:<clinicId>` (the cashier's desk). */
export interface Events {
  'invoice.changed': { invoiceId: string; patientId: string; clinicId: string; status: InvoiceStatus };
}
export const events = ['invoice.changed'] as const satisfies readonly (keyof Events)[];
