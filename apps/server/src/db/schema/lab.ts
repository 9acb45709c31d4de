import { sql } from 'drizzle-orm';
import {
  LAB_ALERT_STATUSES,
  LAB_FLAGS,
  LAB_ORDER_STATUSES,
  LAB_PRIORITIES,
  LAB_RESULT_STATUSES,
  RESULT_TYPES,
  SPECIMEN_TYPES,
  TEST_KINDS,
  type CodedAnswer,
  type ReferenceRange,
} from '@sanita/contracts/lab';
import {
  boolean,
  check,
  index,
  integer,
  jsonb,
  numeric,
  pgSequence,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { patientDocuments } from './documents.ts';
import { encounters } from './encounters.ts';
import { clinics, users } from './identity.ts';
import { patients } from './patients.ts';

const ts = (name: string) => timestamp(name, { withTimezone: true });

/** The placer order numbers (LAB-<clinic prefix>-000123) and the accession numbers of specimens. */
export const labOrderSequence = pgSequence('lab_order_seq', { startWith: 1 });
export const labAccessionSequence = pgSequence('lab_accession_seq', { startWith: 100001 });

/**
 * The organisation's test catalogue: tests (one analyte) and panels (an orderable group of tests).
 * Shipped rows come from LOINC (`shipped`; inserted at start by their code when missing, never
 * overwriting an administrator's edit); local ones are created by administrators. `search_text`
 * (lower case, accents folded: code, LOINC, names) carries a trigram index.
 */
export const labTests = pgTable(
  'lab_tests',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    code: text('code').notNull().unique(),
    loinc: text('loinc'),
    name: text('name').notNull(),
    nameFr: text('name_fr'),
    kind: text('kind', { enum: TEST_KINDS }).notNull(),
    specimenType: text('specimen_type', { enum: SPECIMEN_TYPES }).notNull(),
    resultType: text('result_type', { enum: RESULT_TYPES }).notNull(),
    /** UCUM */
    unit: text('unit'),
    decimals: smallint('decimals').notNull().default(1),
    answers: jsonb('answers')
      .$type<CodedAnswer[]>()
      .notNull()
      .default(sql`'[]'::jsonb`),
    turnaroundHours: integer('turnaround_hours').notNull(),
    requiresVerification: boolean('requires_verification').notNull().default(false),
    /** the reference ranges by sex and age band (see ReferenceRange) */
    ranges: jsonb('ranges')
      .$type<ReferenceRange[]>()
      .notNull()
      .default(sql`'[]'::jsonb`),
    active: boolean('active').notNull().default(true),
    shipped: boolean('shipped').notNull().default(false),
    searchText: text('search_text').notNull(),
    version: integer('version').notNull().default(1),
    createdAt: ts('created_at').notNull().defaultNow(),
    createdBy: uuid('created_by').references(() => users.id),
    updatedAt: ts('updated_at').notNull().defaultNow(),
    updatedBy: uuid('updated_by').references(() => users.id),
  },
  (t) => [
    index('lab_tests_search').using('gin', sql`${t.searchText} gin_trgm_ops`),
    index('lab_tests_loinc').on(t.loinc),
    check('lab_tests_numeric_unit', sql`${t.resultType} <> 'numeric' OR ${t.kind} = 'panel' OR ${t.unit} IS NOT NULL`),
  ],
);

/** A panel's tests, in report order. */
export const labPanelMembers = pgTable(
  'lab_panel_members',
  {
    panelId: uuid('panel_id')
      .notNull()
      .references(() => labTests.id),
    testId: uuid('test_id')
      .notNull()
      .references(() => labTests.id),
    position: smallint('position').notNull(),
  },
  (t) => [primaryKey({ columns: [t.panelId, t.testId] }), index('lab_panel_members_test').on(t.testId)],
);

/** Every change of a catalogue entry: the fields before and after, by whom and when. */
export const labTestRevisions = pgTable(
  'lab_test_revisions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    testId: uuid('test_id')
      .notNull()
      .references(() => labTests.id),
    version: integer('version').notNull(),
    action: text('action', { enum: ['created', 'updated'] }).notNull(),
    changes: jsonb('changes').$type<Record<string, { before: unknown; after: unknown }>>().notNull(),
    changedBy: uuid('changed_by').references(() => users.id),
    changedAt: ts('changed_at').notNull().defaultNow(),
  },
  (t) => [index('lab_test_revisions_test').on(t.testId, t.version)],
);

/** A clinic's price of a test or panel. */
export const labTestPrices = pgTable(
  'lab_test_prices',
  {
    clinicId: uuid('clinic_id')
      .notNull()
      .references(() => clinics.id),
    testId: uuid('test_id')
      .notNull()
      .references(() => labTests.id),
    price: numeric('price', { precision: 12, scale: 2 }).notNull(),
    currency: text('currency').notNull(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
    updatedBy: uuid('updated_by').references(() => users.id),
  },
  (t) => [primaryKey({ columns: [t.clinicId, t.testId] }), check('lab_test_prices_price', sql`${t.price} >= 0`)],
);

/** A clinic's lab settings (absent: the defaults of the contract). */
export const labSettings = pgTable('lab_settings', {
  clinicId: uuid('clinic_id')
    .primaryKey()
    .references(() => clinics.id),
  criticalEscalationMinutes: integer('critical_escalation_minutes').notNull(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
  updatedBy: uuid('updated_by').references(() => users.id),
});

/**
 * A lab order written during an encounter (or received from outside with no encounter). `number` is
 * the placer order number (HL7 ORC-2/OBR-2), unique in the organisation.
 */
export const labOrders = pgTable(
  'lab_orders',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    number: text('number').notNull().unique(),
    clinicId: uuid('clinic_id')
      .notNull()
      .references(() => clinics.id),
    patientId: uuid('patient_id')
      .notNull()
      .references(() => patients.id),
    encounterId: uuid('encounter_id').references(() => encounters.id),
    /** null for an order that arrived from an outside laboratory (HL7) */
    orderedBy: uuid('ordered_by').references(() => users.id),
    orderedAt: ts('ordered_at').notNull().defaultNow(),
    priority: text('priority', { enum: LAB_PRIORITIES }).notNull(),
    clinicalNotes: text('clinical_notes'),
    status: text('status', { enum: LAB_ORDER_STATUSES }).notNull(),
    dueAt: ts('due_at').notNull(),
    /** the code printed on its report, checked by the public verification route */
    verificationCode: text('verification_code').unique(),
    cancelledReason: text('cancelled_reason'),
    cancelledAt: ts('cancelled_at'),
    cancelledBy: uuid('cancelled_by').references(() => users.id),
    version: integer('version').notNull().default(1),
  },
  (t) => [
    index('lab_orders_patient').on(t.patientId, t.orderedAt.desc()),
    // the worklist: a clinic's open orders
    index('lab_orders_clinic_open')
      .on(t.clinicId, t.orderedAt)
      .where(sql`${t.status} NOT IN ('completed', 'cancelled')`),
    index('lab_orders_encounter').on(t.encounterId),
  ],
);

/** A specimen taken for an order: one per specimen type, with its accession number (the barcode; HL7 filler order number). */
export const labSpecimens = pgTable(
  'lab_specimens',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orderId: uuid('order_id')
      .notNull()
      .references(() => labOrders.id),
    accessionNumber: text('accession_number').notNull().unique(),
    specimenType: text('specimen_type', { enum: SPECIMEN_TYPES }).notNull(),
    collectedAt: ts('collected_at'),
    collectedBy: uuid('collected_by').references(() => users.id),
    receivedAt: ts('received_at'),
    receivedBy: uuid('received_by').references(() => users.id),
  },
  (t) => [index('lab_specimens_order').on(t.orderId)],
);

/** An ordered test or panel. */
export const labOrderItems = pgTable(
  'lab_order_items',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orderId: uuid('order_id')
      .notNull()
      .references(() => labOrders.id),
    testId: uuid('test_id')
      .notNull()
      .references(() => labTests.id),
    specimenId: uuid('specimen_id').references(() => labSpecimens.id),
    position: smallint('position').notNull(),
  },
  (t) => [index('lab_order_items_order').on(t.orderId)],
);

/**
 * A result of one analyte (a test, or a member of an ordered panel). `patient_id` and `observed_at`
 * are copied from the order and the specimen for the patient's results table and trends. The range it
 * was judged against is a snapshot.
 */
export const labResults = pgTable(
  'lab_results',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orderId: uuid('order_id')
      .notNull()
      .references(() => labOrders.id),
    orderItemId: uuid('order_item_id')
      .notNull()
      .references(() => labOrderItems.id),
    testId: uuid('test_id')
      .notNull()
      .references(() => labTests.id),
    patientId: uuid('patient_id')
      .notNull()
      .references(() => patients.id),
    clinicId: uuid('clinic_id')
      .notNull()
      .references(() => clinics.id),
    valueNumeric: numeric('value_numeric', { precision: 18, scale: 6 }),
    valueCode: text('value_code'),
    valueText: text('value_text'),
    unit: text('unit'),
    range: jsonb('range').$type<ReferenceRange>(),
    flag: text('flag', { enum: LAB_FLAGS }),
    critical: boolean('critical').notNull().default(false),
    status: text('status', { enum: LAB_RESULT_STATUSES }).notNull(),
    comment: text('comment'),
    source: text('source', { enum: ['manual', 'hl7'] })
      .notNull()
      .default('manual'),
    /** the HL7 message it came from (hl7_messages.id; no foreign key: the interface owns that table) */
    sourceMessageId: uuid('source_message_id'),
    observedAt: ts('observed_at'),
    enteredAt: ts('entered_at').notNull().defaultNow(),
    enteredBy: uuid('entered_by').references(() => users.id),
    verifiedAt: ts('verified_at'),
    verifiedBy: uuid('verified_by').references(() => users.id),
    releasedAt: ts('released_at'),
    releasedBy: uuid('released_by').references(() => users.id),
    portalHold: boolean('portal_hold').notNull().default(false),
    version: integer('version').notNull().default(1),
  },
  (t) => [
    // one result per analyte of an ordered item
    uniqueIndex('lab_results_item_test').on(t.orderItemId, t.testId),
    // the results table and trends: a patient's results by test, newest first
    index('lab_results_patient_observed').on(t.patientId, t.observedAt.desc().nullsFirst()),
    index('lab_results_patient_test').on(t.patientId, t.testId, t.observedAt.desc().nullsFirst()),
    index('lab_results_order').on(t.orderId),
    check('lab_results_value', sql`num_nonnulls(${t.valueNumeric}, ${t.valueCode}, ${t.valueText}) >= 1`),
  ],
);

/** A critical value waiting for the ordering doctor's acknowledgement (escalated by a durable job while open). */
export const labCriticalAlerts = pgTable(
  'lab_critical_alerts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    resultId: uuid('result_id')
      .notNull()
      .unique()
      .references(() => labResults.id),
    orderId: uuid('order_id')
      .notNull()
      .references(() => labOrders.id),
    patientId: uuid('patient_id')
      .notNull()
      .references(() => patients.id),
    clinicId: uuid('clinic_id')
      .notNull()
      .references(() => clinics.id),
    /** null for an outside order: the clinic's doctors are told */
    orderedBy: uuid('ordered_by').references(() => users.id),
    status: text('status', { enum: LAB_ALERT_STATUSES }).notNull().default('open'),
    level: smallint('level').notNull().default(0),
    raisedAt: ts('raised_at').notNull().defaultNow(),
    escalatedAt: ts('escalated_at'),
    acknowledgedAt: ts('acknowledged_at'),
    acknowledgedBy: uuid('acknowledged_by').references(() => users.id),
    note: text('note'),
  },
  (t) => [
    index('lab_critical_alerts_open')
      .on(t.clinicId, t.raisedAt)
      .where(sql`${t.status} = 'open'`),
    index('lab_critical_alerts_ordered_by').on(t.orderedBy, t.status),
    index('lab_critical_alerts_patient').on(t.patientId),
  ],
);

/** Outside reports (documents of category lab_report) linked to an order. */
export const labOrderDocuments = pgTable(
  'lab_order_documents',
  {
    orderId: uuid('order_id')
      .notNull()
      .references(() => labOrders.id),
    documentId: uuid('document_id')
      .notNull()
      .references(() => patientDocuments.id),
    linkedAt: ts('linked_at').notNull().defaultNow(),
    linkedBy: uuid('linked_by')
      .notNull()
      .references(() => users.id),
  },
  (t) => [primaryKey({ columns: [t.orderId, t.documentId] })],
);
