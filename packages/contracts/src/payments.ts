// Payments and the cashier: payments against issued invoices (cash, card, mobile money, bank
// transfer, insurance; partial payments and deposits; in another currency than the invoice's at the
// exchange rate of the payment date), an `Idempotency-Key` header on every route that moves money (a
// retried request is recorded once and answered the same), receipts as PDF, refunds; cashier
// sessions (opened with a float, closed with a count per currency and method, the difference shown
// and explained; a manager reopens with a reason); payment plans with instalments and reminders; and
// the reports (revenue by day, clinic, service, practitioner and payment method; outstanding
// balances and aging), per clinic and consolidated, as JSON, CSV and PDF.
import { Type, type Static } from '@sinclair/typebox';
import { Integer, IsoDate, IsoDateTime, NullableText, RequiredText, StoredDate, Uuid, Version } from './common.ts';
import { Amount, Currency, Enum, Money, Nullable, Person } from './billing.ts';

/**
 * - payments:read — payments, receipts, sessions, exchange rates, payment plans (cashiers, accountants, administrators);
 * - payments:collect — take a payment or a deposit, open and close one's cashier session, make a payment plan (cashiers);
 * - payments:refund — refund a payment (managers, administrators);
 * - payments:manage — exchange rates; reopen a closed session with a reason (managers, administrators);
 * - billing:report — revenue, outstanding balances and aging, per clinic and consolidated (accountants, managers, administrators).
 */
export const permissions = ['payments:read', 'payments:collect', 'payments:refund', 'payments:manage', 'billing:report'] as const;

/**
 * - IDEMPOTENCY_KEY_REUSED (409): the key was used for a different request (another body or route).
 * - IDEMPOTENCY_KEY_REQUIRED (400): a route that moves money was called without `Idempotency-Key`.
 * - OVERPAYMENT (409): the payment is larger than the balance (a deposit is a payment with no invoice).
 * - NO_EXCHANGE_RATE (409): no rate from the payment's currency to the invoice's on that date (`details.from`, `details.to`, `details.on`).
 * - SESSION_REQUIRED (409): taking a payment needs one's cashier session open at the clinic.
 * - SESSION_STATE (409): the session is not open (or already open: one per cashier and clinic).
 * - REFUND_EXCEEDS_PAYMENT (409): more than what is left to refund on that payment.
 */
export const errorCodes = [
  'IDEMPOTENCY_KEY_REUSED',
  'IDEMPOTENCY_KEY_REQUIRED',
  'OVERPAYMENT',
  'NO_EXCHANGE_RATE',
  'SESSION_REQUIRED',
  'SESSION_STATE',
  'REFUND_EXCEEDS_PAYMENT',
] as const;

const DateTime = Type.String({ format: 'date-time' });

export const PAYMENT_METHODS = ['cash', 'card', 'mobile_money', 'bank_transfer', 'insurance'] as const;
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];

// ------------------------------------------------------------------ exchange rates

/** 1 unit of `from` = `rate` units of `to`, from `effectiveAt` until the next rate for the pair. */
export const ExchangeRate = Type.Object({
  id: Uuid,
  from: Currency,
  to: Currency,
  rate: Type.String({ description: 'decimal text, up to 6 decimals' }),
  effectiveAt: DateTime,
  createdBy: Person,
});
export type ExchangeRate = Static<typeof ExchangeRate>;
export const ExchangeRateInput = Type.Object(
  {
    from: Currency,
    to: Currency,
    rate: Type.String({ pattern: '^[0-9]{1,12}(\\.[0-9]{1,6})?$', maxLength: 19 }),
    effectiveAt: Type.Optional(IsoDateTime),
  },
  { additionalProperties: false },
);
export type ExchangeRateInput = Static<typeof ExchangeRateInput>;
export const ExchangeRateQuery = Type.Object(
  {
    from: Type.Optional(Currency),
    to: Type.Optional(Currency),
    limit: Type.Optional(Integer({ minimum: 1, maximum: 200, default: 50 })),
  },
  { additionalProperties: false },
);
export type ExchangeRateQuery = Static<typeof ExchangeRateQuery>;

// ------------------------------------------------------------------ payments

export const Payment = Type.Object({
  id: Uuid,
  clinicId: Uuid,
  /** RCT-KIN-2026-000123 */
  receiptNumber: Type.String(),
  patient: Type.Object({ id: Uuid, name: Type.String(), mrn: Type.String() }),
  /** null: a deposit on the patient's account, applied to a later invoice */
  invoiceId: Nullable(Uuid),
  invoiceNumber: Nullable(Type.String()),
  method: Enum(PAYMENT_METHODS),
  /** what was tendered, in its currency */
  currency: Currency,
  amount: Amount,
  /** what it settles on the invoice, in the invoice's currency (amount × rate, rounded) */
  appliedCurrency: Currency,
  appliedAmount: Amount,
  /** the rate used (null: same currency) */
  rate: Nullable(Type.String()),
  /** card slip, mobile-money transaction id, bank reference */
  reference: Nullable(Type.String()),
  refunded: Money,
  sessionId: Nullable(Uuid),
  receivedBy: Person,
  receivedAt: DateTime,
});
export type Payment = Static<typeof Payment>;

/** `Idempotency-Key` header required. */
export const PaymentInput = Type.Object(
  {
    patientId: Uuid,
    invoiceId: Type.Optional(Nullable(Uuid)),
    method: Enum(PAYMENT_METHODS),
    currency: Currency,
    amount: Amount,
    reference: Type.Optional(NullableText(100)),
  },
  { additionalProperties: false },
);
export type PaymentInput = Static<typeof PaymentInput>;
/** The amount is in the payment's tendered currency (at most what is left of it to refund). `Idempotency-Key` header required. */
export const RefundInput = Type.Object({ amount: Amount, reason: RequiredText(500) }, { additionalProperties: false });
export type RefundInput = Static<typeof RefundInput>;
export const PaymentListQuery = Type.Object(
  {
    patientId: Type.Optional(Uuid),
    invoiceId: Type.Optional(Uuid),
    sessionId: Type.Optional(Uuid),
    from: Type.Optional(IsoDate),
    to: Type.Optional(IsoDate),
    limit: Type.Optional(Integer({ minimum: 1, maximum: 200, default: 50 })),
    offset: Type.Optional(Integer({ minimum: 0, maximum: 100_000, default: 0 })),
  },
  { additionalProperties: false },
);
export type PaymentListQuery = Static<typeof PaymentListQuery>;
export const IdempotencyHeaders = Type.Object({
  'idempotency-key': Type.String({ minLength: 8, maxLength: 100, pattern: '^[A-Za-z0-9_.:-]+$' }),
});

// ------------------------------------------------------------------ cashier sessions

export const SESSION_STATUSES = ['open', 'closed'] as const;
/** One currency × method total of a session: what the system expected, what was counted, the difference. */
export const SessionTotal = Type.Object({
  currency: Currency,
  method: Enum(PAYMENT_METHODS),
  float: Amount,
  taken: Money,
  refunded: Money,
  expected: Money,
  counted: Nullable(Money),
  difference: Nullable(Money),
});
export const CashierSession = Type.Object({
  id: Uuid,
  clinicId: Uuid,
  cashier: Person,
  status: Enum(SESSION_STATUSES),
  openedAt: DateTime,
  closedAt: Nullable(DateTime),
  totals: Type.Array(SessionTotal),
  /** the cashier's explanation of a difference */
  closingNote: Nullable(Type.String()),
  reopenedBy: Nullable(Person),
  reopenReason: Nullable(Type.String()),
  payments: Type.Integer(),
  version: Type.Integer(),
});
export type CashierSession = Static<typeof CashierSession>;
export const SessionOpenInput = Type.Object(
  { floats: Type.Array(Type.Object({ currency: Currency, amount: Amount }, { additionalProperties: false }), { maxItems: 10 }) },
  { additionalProperties: false },
);
export const SessionCloseInput = Type.Object(
  {
    counts: Type.Array(
      Type.Object({ currency: Currency, method: Enum(PAYMENT_METHODS), counted: Amount }, { additionalProperties: false }),
      { maxItems: 50 },
    ),
    /** required when a count differs from what was expected */
    note: Type.Optional(NullableText(1000)),
    version: Version(),
  },
  { additionalProperties: false },
);
export type SessionOpenInput = Static<typeof SessionOpenInput>;
export type SessionCloseInput = Static<typeof SessionCloseInput>;
export const SessionReopenInput = Type.Object({ reason: RequiredText(500), version: Version() }, { additionalProperties: false });
export type SessionReopenInput = Static<typeof SessionReopenInput>;
export const SessionListQuery = Type.Object(
  {
    status: Type.Optional(Enum(SESSION_STATUSES)),
    from: Type.Optional(IsoDate),
    to: Type.Optional(IsoDate),
    limit: Type.Optional(Integer({ minimum: 1, maximum: 200, default: 50 })),
  },
  { additionalProperties: false },
);
export type SessionListQuery = Static<typeof SessionListQuery>;

// ------------------------------------------------------------------ payment plans

export const PLAN_STATUSES = ['active', 'completed', 'cancelled'] as const;
export const Instalment = Type.Object({
  id: Uuid,
  dueDate: StoredDate,
  amount: Amount,
  paid: Money,
  status: Enum(['due', 'paid', 'overdue'] as const),
  remindedAt: Nullable(DateTime),
});
export const PaymentPlan = Type.Object({
  id: Uuid,
  invoiceId: Uuid,
  invoiceNumber: Nullable(Type.String()),
  patient: Type.Object({ id: Uuid, name: Type.String(), mrn: Type.String() }),
  currency: Currency,
  total: Amount,
  status: Enum(PLAN_STATUSES),
  instalments: Type.Array(Instalment),
  createdBy: Person,
  createdAt: DateTime,
});
export type PaymentPlan = Static<typeof PaymentPlan>;
export const PaymentPlanInput = Type.Object(
  {
    invoiceId: Uuid,
    instalments: Type.Array(Type.Object({ dueDate: IsoDate, amount: Amount }, { additionalProperties: false }), {
      minItems: 1,
      maxItems: 36,
    }),
  },
  { additionalProperties: false },
);
export type PaymentPlanInput = Static<typeof PaymentPlanInput>;

// ------------------------------------------------------------------ reports

export const REVENUE_GROUPS = ['day', 'clinic', 'service', 'practitioner', 'method'] as const;
export type RevenueGroup = (typeof REVENUE_GROUPS)[number];
export const ReportQuery = Type.Object(
  {
    from: IsoDate,
    to: IsoDate,
    groupBy: Type.Optional(Enum(REVENUE_GROUPS, { default: 'day' })),
    /** every clinic the user reports on, instead of the active one */
    consolidated: Type.Optional(Type.Boolean()),
    /** the currency totals are shown in (converted at each day's rate); default: the clinic's */
    currency: Type.Optional(Currency),
    format: Type.Optional(Enum(['json', 'csv', 'pdf'] as const, { default: 'json' })),
  },
  { additionalProperties: false },
);
export type ReportQuery = Static<typeof ReportQuery>;
export const RevenueRow = Type.Object({
  key: Type.String(),
  label: Type.String(),
  invoiced: Money,
  collected: Money,
  count: Type.Integer(),
});
export const RevenueReport = Type.Object({
  from: StoredDate,
  to: StoredDate,
  groupBy: Enum(REVENUE_GROUPS),
  currency: Currency,
  clinics: Type.Array(Type.Object({ id: Uuid, name: Type.String() })),
  rows: Type.Array(RevenueRow),
  totals: Type.Object({ invoiced: Money, collected: Money, count: Type.Integer() }),
});
export type RevenueReport = Static<typeof RevenueReport>;
export const AgingQuery = Type.Object(
  {
    /** balances as on that date (default today) */
    on: Type.Optional(IsoDate),
    consolidated: Type.Optional(Type.Boolean()),
    currency: Type.Optional(Currency),
    format: Type.Optional(Enum(['json', 'csv', 'pdf'] as const, { default: 'json' })),
  },
  { additionalProperties: false },
);
export type AgingQuery = Static<typeof AgingQuery>;
export const AGING_BUCKETS = ['0-30', '31-60', '61-90', '90+'] as const;
export const AgingReport = Type.Object({
  on: StoredDate,
  currency: Currency,
  buckets: Type.Array(Type.Object({ bucket: Enum(AGING_BUCKETS), amount: Money, invoices: Type.Integer() })),
  /** the largest balances, oldest first */
  invoices: Type.Array(
    Type.Object({
      invoiceId: Uuid,
      number: Type.String(),
      clinic: Type.String(),
      patient: Type.Object({ id: Uuid, name: Type.String(), mrn: Type.String() }),
      dueDate: StoredDate,
      days: Type.Integer(),
      balance: Money,
    }),
  ),
  total: Money,
});
export type AgingReport = Static<typeof AgingReport>;

export const IdParams = Type.Object({ id: Uuid }, { additionalProperties: false });

export const PaymentList = Type.Object({ items: Type.Array(Payment), total: Type.Integer() });
export type PaymentList = Static<typeof PaymentList>;
/** Apply a deposit (a payment without invoice) to an issued invoice of the same patient at the clinic. */
export const ApplyDepositInput = Type.Object({ invoiceId: Uuid }, { additionalProperties: false });
export const ExchangeRateList = Type.Object({ items: Type.Array(ExchangeRate) });
export type ExchangeRateList = Static<typeof ExchangeRateList>;
export const CashierSessionList = Type.Object({ items: Type.Array(CashierSession) });
export type CashierSessionList = Static<typeof CashierSessionList>;
/** The open session of the signed-in cashier at the active clinic, or null. */
export const CurrentSession = Type.Object({ session: Nullable(CashierSession) });
export const PaymentPlanQuery = Type.Object(
  { invoiceId: Type.Optional(Uuid), patientId: Type.Optional(Uuid) },
  { additionalProperties: false },
);
export const PaymentPlanList = Type.Object({ items: Type.Array(PaymentPlan) });
export type PaymentPlanList = Static<typeof PaymentPlanList>;

/** Realtime events: identifiers only, to `billing:<clinicId>`. */
export interface Events {
  'payment.recorded': { paymentId: string; invoiceId: string | null; patientId: string; clinicId: string };
  'cashier.session.changed': { sessionId: string; clinicId: string; status: 'open' | 'closed' };
}
export const events = ['payment.recorded', 'cashier.session.changed'] as const satisfies readonly (keyof Events)[];
