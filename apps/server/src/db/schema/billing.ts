import { sql } from 'drizzle-orm';
import { DISCOUNT_STATUSES, INVOICE_STATUSES, ITEM_KINDS, LINE_SOURCES } from '@sanita/contracts/billing';
import { PAYMENT_METHODS, PLAN_STATUSES, SESSION_STATUSES } from '@sanita/contracts/payments';
import {
  boolean,
  check,
  date,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { encounters } from './encounters.ts';
import { clinics, users } from './identity.ts';
import { patients } from './patients.ts';
import { visits } from './queue.ts';
import { practitioners } from './scheduling.ts';

const ts = (name: string) => timestamp(name, { withTimezone: true });
/** Money: exact decimal, 2 decimals stored; each currency rounds to its own minor units before it is stored. */
const money = (name: string) => numeric(name, { precision: 14, scale: 2 });
const percent = (name: string) => numeric(name, { precision: 6, scale: 3 });

/** A clinic's billing settings (one row per clinic; missing: the defaults). */
export const billingSettings = pgTable('billing_settings', {
  clinicId: uuid('clinic_id')
    .primaryKey()
    .references(() => clinics.id),
  defaultCurrency: text('default_currency').notNull(),
  discountApprovalPercent: percent('discount_approval_percent').notNull().default('10'),
  paymentTermsDays: integer('payment_terms_days').notNull().default(30),
});

/** A clinic's tax rate for a category of items, with effective dates ([from, to)). */
export const taxRates = pgTable(
  'tax_rates',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    clinicId: uuid('clinic_id')
      .notNull()
      .references(() => clinics.id),
    category: text('category').notNull(),
    name: text('name').notNull(),
    rate: percent('rate').notNull(),
    effectiveFrom: date('effective_from').notNull(),
    effectiveTo: date('effective_to'),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    index('tax_rates_clinic_category').on(t.clinicId, t.category, t.effectiveFrom),
    check('tax_rates_rate', sql`${t.rate} >= 0 AND ${t.rate} <= 100`),
    check('tax_rates_dates', sql`${t.effectiveTo} IS NULL OR ${t.effectiveTo} > ${t.effectiveFrom}`),
  ],
);

/**
 * The price list: a clinic's price of an item in one currency from a date ([from, to)). Charges
 * captured from events look their item up by (clinic, kind, code, currency) on the service date.
 * It is the one source of what is charged (see docs/billing.md).
 */
export const priceItems = pgTable(
  'price_items',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    clinicId: uuid('clinic_id')
      .notNull()
      .references(() => clinics.id),
    kind: text('kind', { enum: ITEM_KINDS }).notNull(),
    code: text('code').notNull(),
    name: text('name').notNull(),
    nameFr: text('name_fr'),
    taxCategory: text('tax_category'),
    procedureCode: text('procedure_code'),
    currency: text('currency').notNull(),
    unitPrice: money('unit_price').notNull(),
    effectiveFrom: date('effective_from').notNull(),
    effectiveTo: date('effective_to'),
    active: boolean('active').notNull().default(true),
    /** lower case, accents folded: code and names (trigram search) */
    searchText: text('search_text').notNull().default(''),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: ts('created_at').notNull().defaultNow(),
    version: integer('version').notNull().default(1),
  },
  (t) => [
    index('price_items_lookup').on(t.clinicId, t.kind, t.code, t.currency, t.effectiveFrom),
    index('price_items_search').using('gin', sql`${t.searchText} gin_trgm_ops`),
    check('price_items_price', sql`${t.unitPrice} >= 0`),
    check('price_items_dates', sql`${t.effectiveTo} IS NULL OR ${t.effectiveTo} > ${t.effectiveFrom}`),
  ],
);

/**
 * Gapless numbers per clinic, document type (INV, CN, RCT, CLM) and year: the row is locked and
 * moved forward inside the transaction that issues the document, so a rolled-back transaction gives
 * its number back and two concurrent issues wait for each other (never a sequence, which leaves gaps).
 */
export const documentNumbers = pgTable(
  'document_numbers',
  {
    clinicId: uuid('clinic_id')
      .notNull()
      .references(() => clinics.id),
    docType: text('doc_type').notNull(),
    year: smallint('year').notNull(),
    last: integer('last').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.clinicId, t.docType, t.year] })],
);

/**
 * An invoice: a draft collects the patient's charges at the clinic (one open draft per patient and
 * clinic) until it is issued (numbered, payable). Totals are kept on the row, recomputed from the
 * lines in the transaction that changes them; `paid` and `credited` move with payments, refunds and
 * credit notes. balance = total − paid − credited.
 */
export const invoices = pgTable(
  'invoices',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    clinicId: uuid('clinic_id')
      .notNull()
      .references(() => clinics.id),
    patientId: uuid('patient_id')
      .notNull()
      .references(() => patients.id),
    visitId: uuid('visit_id').references(() => visits.id),
    encounterId: uuid('encounter_id').references(() => encounters.id),
    number: text('number').unique(),
    status: text('status', { enum: INVOICE_STATUSES }).notNull().default('draft'),
    currency: text('currency').notNull(),
    subtotal: money('subtotal').notNull().default('0'),
    discountTotal: money('discount_total').notNull().default('0'),
    taxTotal: money('tax_total').notNull().default('0'),
    total: money('total').notNull().default('0'),
    paid: money('paid').notNull().default('0'),
    credited: money('credited').notNull().default('0'),
    insurerShare: money('insurer_share').notNull().default('0'),
    patientShare: money('patient_share').notNull().default('0'),
    issuedAt: ts('issued_at'),
    issuedBy: uuid('issued_by').references(() => users.id),
    dueDate: date('due_date'),
    voidReason: text('void_reason'),
    voidedAt: ts('voided_at'),
    voidedBy: uuid('voided_by').references(() => users.id),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: ts('created_at').notNull().defaultNow(),
    version: integer('version').notNull().default(1),
  },
  (t) => [
    uniqueIndex('invoices_open_draft')
      .on(t.clinicId, t.patientId)
      .where(sql`${t.status} = 'draft'`),
    index('invoices_patient').on(t.patientId, t.createdAt.desc()),
    index('invoices_clinic_status').on(t.clinicId, t.status, t.createdAt.desc()),
    // revenue by day and aging: issued invoices of a clinic by date
    index('invoices_clinic_issued')
      .on(t.clinicId, t.issuedAt)
      .where(sql`${t.issuedAt} IS NOT NULL`),
    check('invoices_amounts', sql`${t.total} >= 0 AND ${t.paid} >= 0 AND ${t.credited} >= 0`),
  ],
);

/**
 * A line of an invoice. `source_key` ('encounter:<id>', 'lab_order_item:<id>', 'dispense_line:<id>')
 * makes capture idempotent: the same event never bills twice, whatever invoice it went to.
 */
export const invoiceLines = pgTable(
  'invoice_lines',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    invoiceId: uuid('invoice_id')
      .notNull()
      .references(() => invoices.id),
    kind: text('kind', { enum: ITEM_KINDS }).notNull(),
    code: text('code').notNull(),
    description: text('description').notNull(),
    descriptionFr: text('description_fr'),
    source: text('source', { enum: LINE_SOURCES }).notNull(),
    sourceId: uuid('source_id'),
    sourceKey: text('source_key').unique(),
    priceItemId: uuid('price_item_id').references(() => priceItems.id),
    serviceDate: date('service_date').notNull(),
    practitionerId: uuid('practitioner_id').references(() => practitioners.id),
    procedureCode: text('procedure_code'),
    quantity: numeric('quantity', { precision: 12, scale: 3 }).notNull(),
    /** null: no price found; the invoice cannot be issued until it is priced */
    unitPrice: money('unit_price'),
    taxCategory: text('tax_category'),
    taxRate: percent('tax_rate').notNull().default('0'),
    amount: money('amount').notNull().default('0'),
    discount: money('discount').notNull().default('0'),
    tax: money('tax').notNull().default('0'),
    total: money('total').notNull().default('0'),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    index('invoice_lines_invoice').on(t.invoiceId),
    // the anomaly score's peers and the revenue by service
    index('invoice_lines_code').on(t.code, t.serviceDate),
    check('invoice_lines_quantity', sql`${t.quantity} > 0`),
  ],
);

/** A discount on an invoice: applied at once up to the clinic's threshold, else pending a second person's approval. */
export const invoiceDiscounts = pgTable(
  'invoice_discounts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    invoiceId: uuid('invoice_id')
      .notNull()
      .references(() => invoices.id),
    percent: percent('percent'),
    amount: money('amount'),
    reason: text('reason').notNull(),
    status: text('status', { enum: DISCOUNT_STATUSES }).notNull(),
    requestedBy: uuid('requested_by')
      .notNull()
      .references(() => users.id),
    requestedAt: ts('requested_at').notNull().defaultNow(),
    decidedBy: uuid('decided_by').references(() => users.id),
    decidedAt: ts('decided_at'),
    decisionNote: text('decision_note'),
  },
  (t) => [
    index('invoice_discounts_invoice').on(t.invoiceId),
    check('invoice_discounts_one', sql`(${t.percent} IS NULL) <> (${t.amount} IS NULL)`),
  ],
);

/** A credit note against an issued invoice (its own gapless number, CN-…). */
export const creditNotes = pgTable(
  'credit_notes',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    invoiceId: uuid('invoice_id')
      .notNull()
      .references(() => invoices.id),
    clinicId: uuid('clinic_id')
      .notNull()
      .references(() => clinics.id),
    number: text('number').notNull().unique(),
    amount: money('amount').notNull(),
    reason: text('reason').notNull(),
    createdBy: uuid('created_by')
      .notNull()
      .references(() => users.id),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [index('credit_notes_invoice').on(t.invoiceId), check('credit_notes_amount', sql`${t.amount} > 0`)],
);

// ------------------------------------------------------------------ payments

/** 1 `from` = rate `to`, from `effective_at` until the pair's next rate. */
export const exchangeRates = pgTable(
  'exchange_rates',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    fromCurrency: text('from_currency').notNull(),
    toCurrency: text('to_currency').notNull(),
    rate: numeric('rate', { precision: 18, scale: 6 }).notNull(),
    effectiveAt: ts('effective_at').notNull(),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    index('exchange_rates_pair').on(t.fromCurrency, t.toCurrency, t.effectiveAt.desc()),
    check('exchange_rates_rate', sql`${t.rate} > 0`),
    check('exchange_rates_pair', sql`${t.fromCurrency} <> ${t.toCurrency}`),
  ],
);

/**
 * A cashier's session at a clinic: opened with floats per currency, closed with counts per currency
 * and method (`counts`: [{currency, method, counted, expected}]), one open per cashier and clinic.
 */
export const cashierSessions = pgTable(
  'cashier_sessions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    clinicId: uuid('clinic_id')
      .notNull()
      .references(() => clinics.id),
    cashierId: uuid('cashier_id')
      .notNull()
      .references(() => users.id),
    status: text('status', { enum: SESSION_STATUSES }).notNull().default('open'),
    floats: jsonb('floats').$type<{ currency: string; amount: string }[]>().notNull().default([]),
    counts: jsonb('counts').$type<{ currency: string; method: string; counted: string; expected: string }[]>(),
    closingNote: text('closing_note'),
    openedAt: ts('opened_at').notNull().defaultNow(),
    closedAt: ts('closed_at'),
    reopenedBy: uuid('reopened_by').references(() => users.id),
    reopenedAt: ts('reopened_at'),
    reopenReason: text('reopen_reason'),
    version: integer('version').notNull().default(1),
  },
  (t) => [
    uniqueIndex('cashier_sessions_open')
      .on(t.clinicId, t.cashierId)
      .where(sql`${t.status} = 'open'`),
    index('cashier_sessions_clinic').on(t.clinicId, t.openedAt.desc()),
  ],
);

/**
 * A payment (or a deposit: no invoice) with its receipt number (RCT-…). `amount` in `currency` as
 * tendered; `applied_amount` in the invoice's currency at `rate` (the rate in force at `received_at`).
 */
export const payments = pgTable(
  'payments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    clinicId: uuid('clinic_id')
      .notNull()
      .references(() => clinics.id),
    patientId: uuid('patient_id')
      .notNull()
      .references(() => patients.id),
    invoiceId: uuid('invoice_id').references(() => invoices.id),
    receiptNumber: text('receipt_number').notNull().unique(),
    method: text('method', { enum: PAYMENT_METHODS }).notNull(),
    currency: text('currency').notNull(),
    amount: money('amount').notNull(),
    appliedCurrency: text('applied_currency').notNull(),
    appliedAmount: money('applied_amount').notNull(),
    rate: numeric('rate', { precision: 18, scale: 6 }),
    reference: text('reference'),
    refunded: money('refunded').notNull().default('0'),
    sessionId: uuid('session_id').references(() => cashierSessions.id),
    receivedBy: uuid('received_by')
      .notNull()
      .references(() => users.id),
    receivedAt: ts('received_at').notNull().defaultNow(),
  },
  (t) => [
    index('payments_invoice').on(t.invoiceId),
    index('payments_patient').on(t.patientId, t.receivedAt.desc()),
    index('payments_session').on(t.sessionId),
    index('payments_clinic_received').on(t.clinicId, t.receivedAt),
    check('payments_amount', sql`${t.amount} > 0 AND ${t.appliedAmount} > 0 AND ${t.refunded} >= 0`),
  ],
);

export const refunds = pgTable(
  'refunds',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    paymentId: uuid('payment_id')
      .notNull()
      .references(() => payments.id),
    amount: money('amount').notNull(),
    reason: text('reason').notNull(),
    sessionId: uuid('session_id').references(() => cashierSessions.id),
    createdBy: uuid('created_by')
      .notNull()
      .references(() => users.id),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [index('refunds_payment').on(t.paymentId), check('refunds_amount', sql`${t.amount} > 0`)],
);

export const paymentPlans = pgTable(
  'payment_plans',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    invoiceId: uuid('invoice_id')
      .notNull()
      .references(() => invoices.id),
    clinicId: uuid('clinic_id')
      .notNull()
      .references(() => clinics.id),
    patientId: uuid('patient_id')
      .notNull()
      .references(() => patients.id),
    currency: text('currency').notNull(),
    total: money('total').notNull(),
    status: text('status', { enum: PLAN_STATUSES }).notNull().default('active'),
    createdBy: uuid('created_by')
      .notNull()
      .references(() => users.id),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('payment_plans_active_invoice')
      .on(t.invoiceId)
      .where(sql`${t.status} = 'active'`),
    index('payment_plans_patient').on(t.patientId),
  ],
);

export const paymentPlanInstalments = pgTable(
  'payment_plan_instalments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    planId: uuid('plan_id')
      .notNull()
      .references(() => paymentPlans.id),
    dueDate: date('due_date').notNull(),
    amount: money('amount').notNull(),
    paid: money('paid').notNull().default('0'),
    remindedAt: ts('reminded_at'),
  },
  (t) => [index('payment_plan_instalments_plan').on(t.planId, t.dueDate), index('payment_plan_instalments_due').on(t.dueDate)],
);

/**
 * Idempotency keys of requests that move money: per user and key, the request's hash and the
 * answer given. A retry with the same key and body gets the same answer without a second effect;
 * the same key with another body is refused. Kept 7 days.
 */
export const idempotencyKeys = pgTable(
  'idempotency_keys',
  {
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    key: text('key').notNull(),
    route: text('route').notNull(),
    requestHash: text('request_hash').notNull(),
    statusCode: smallint('status_code'),
    response: jsonb('response'),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.key] }), index('idempotency_keys_created').on(t.createdAt)],
);
