import { sql } from 'drizzle-orm';
import { CLAIM_STATUSES, RELATIONSHIPS, type AnomalyReason, type PlanRules } from '@sanita/contracts/claims';
import {
  bigint,
  boolean,
  check,
  date,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  primaryKey,
  real,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { invoiceLines, invoices } from './billing.ts';
import { patientDocuments } from './documents.ts';
import { encounters } from './encounters.ts';
import { clinics, users } from './identity.ts';
import { patients } from './patients.ts';
import { practitioners } from './scheduling.ts';

const ts = (name: string) => timestamp(name, { withTimezone: true });
const money = (name: string) => numeric(name, { precision: 14, scale: 2 });

/** An insurer (or any third party that pays for care). */
export const payers = pgTable('payers', {
  id: uuid('id').primaryKey().defaultRandom(),
  code: text('code').notNull().unique(),
  name: text('name').notNull(),
  email: text('email'),
  phone: text('phone'),
  active: boolean('active').notNull().default(true),
  version: integer('version').notNull().default(1),
});

/** The insurer users of a payer: a user with the `insurer` role sees only the claims of the payer named here. */
export const payerMembers = pgTable('payer_members', {
  userId: uuid('user_id')
    .primaryKey()
    .references(() => users.id),
  payerId: uuid('payer_id')
    .notNull()
    .references(() => payers.id),
});

/** A payer's plan and its coverage rules. */
export const insurancePlans = pgTable(
  'insurance_plans',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    payerId: uuid('payer_id')
      .notNull()
      .references(() => payers.id),
    code: text('code').notNull(),
    name: text('name').notNull(),
    currency: text('currency').notNull(),
    rules: jsonb('rules').$type<PlanRules>().notNull(),
    active: boolean('active').notNull().default(true),
    version: integer('version').notNull().default(1),
  },
  (t) => [uniqueIndex('insurance_plans_payer_code').on(t.payerId, t.code)],
);

/** A patient's coverage by a plan: member id, validity [from, to], relationship to the subscriber. */
export const coverages = pgTable(
  'coverages',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    patientId: uuid('patient_id')
      .notNull()
      .references(() => patients.id),
    planId: uuid('plan_id')
      .notNull()
      .references(() => insurancePlans.id),
    payerId: uuid('payer_id')
      .notNull()
      .references(() => payers.id),
    memberId: text('member_id').notNull(),
    subscriberName: text('subscriber_name'),
    relationship: text('relationship', { enum: RELATIONSHIPS }).notNull(),
    validFrom: date('valid_from').notNull(),
    validTo: date('valid_to'),
    priority: smallint('priority').notNull().default(1),
    active: boolean('active').notNull().default(true),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: ts('created_at').notNull().defaultNow(),
    version: integer('version').notNull().default(1),
  },
  (t) => [
    index('coverages_patient').on(t.patientId),
    uniqueIndex('coverages_payer_member').on(t.payerId, t.memberId, t.patientId),
    check('coverages_dates', sql`${t.validTo} IS NULL OR ${t.validTo} >= ${t.validFrom}`),
  ],
);

/**
 * A claim to a payer for an invoice's covered lines. `diagnoses` is the encounter's ICD-10-CM list
 * at the time the claim was built ([{code, description}], the primary first). The anomaly score and
 * its reasons are set at submission.
 */
export const claims = pgTable(
  'claims',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    clinicId: uuid('clinic_id')
      .notNull()
      .references(() => clinics.id),
    number: text('number').notNull().unique(),
    status: text('status', { enum: CLAIM_STATUSES }).notNull().default('draft'),
    patientId: uuid('patient_id')
      .notNull()
      .references(() => patients.id),
    coverageId: uuid('coverage_id')
      .notNull()
      .references(() => coverages.id),
    payerId: uuid('payer_id')
      .notNull()
      .references(() => payers.id),
    planId: uuid('plan_id')
      .notNull()
      .references(() => insurancePlans.id),
    invoiceId: uuid('invoice_id')
      .notNull()
      .references(() => invoices.id),
    encounterId: uuid('encounter_id').references(() => encounters.id),
    practitionerId: uuid('practitioner_id').references(() => practitioners.id),
    diagnoses: jsonb('diagnoses').$type<{ code: string; description: string }[]>().notNull().default([]),
    currency: text('currency').notNull(),
    claimed: money('claimed').notNull(),
    approved: money('approved'),
    paid: money('paid'),
    paymentReference: text('payment_reference'),
    anomalyScore: real('anomaly_score'),
    anomalyReasons: jsonb('anomaly_reasons').$type<AnomalyReason[]>().notNull().default([]),
    resubmissionOf: uuid('resubmission_of'),
    /** the earliest service date of its lines (frequency and duplicate checks) */
    serviceDate: date('service_date').notNull(),
    submittedAt: ts('submitted_at'),
    decidedAt: ts('decided_at'),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: ts('created_at').notNull().defaultNow(),
    version: integer('version').notNull().default(1),
  },
  (t) => [
    // the insurer's queue: its payer's claims by status, newest or highest score first
    index('claims_payer_status').on(t.payerId, t.status, t.submittedAt.desc()),
    index('claims_clinic_created').on(t.clinicId, t.createdAt.desc()),
    index('claims_patient').on(t.patientId, t.serviceDate),
    index('claims_practitioner').on(t.practitionerId, t.serviceDate),
    index('claims_invoice').on(t.invoiceId),
    uniqueIndex('claims_resubmission').on(t.resubmissionOf),
    check('claims_amounts', sql`${t.claimed} >= 0`),
  ],
);

export const claimLines = pgTable(
  'claim_lines',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    claimId: uuid('claim_id')
      .notNull()
      .references(() => claims.id),
    invoiceLineId: uuid('invoice_line_id')
      .notNull()
      .references(() => invoiceLines.id),
    serviceDate: date('service_date').notNull(),
    kind: text('kind').notNull(),
    code: text('code').notNull(),
    procedureCode: text('procedure_code'),
    description: text('description').notNull(),
    quantity: numeric('quantity', { precision: 12, scale: 3 }).notNull(),
    claimed: money('claimed').notNull(),
    approved: money('approved'),
    denialReason: text('denial_reason'),
  },
  (t) => [
    index('claim_lines_claim').on(t.claimId),
    // peers of the same procedure (robust z-score) and the same service claimed twice
    index('claim_lines_code_date').on(t.code, t.serviceDate),
    index('claim_lines_invoice_line').on(t.invoiceLineId),
  ],
);

export const claimAttachments = pgTable(
  'claim_attachments',
  {
    claimId: uuid('claim_id')
      .notNull()
      .references(() => claims.id),
    documentId: uuid('document_id')
      .notNull()
      .references(() => patientDocuments.id),
    addedBy: uuid('added_by')
      .notNull()
      .references(() => users.id),
    addedAt: ts('added_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.claimId, t.documentId] })],
);

export const claimNotes = pgTable(
  'claim_notes',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    claimId: uuid('claim_id')
      .notNull()
      .references(() => claims.id),
    authorId: uuid('author_id')
      .notNull()
      .references(() => users.id),
    text: text('text').notNull(),
    fromPayer: boolean('from_payer').notNull(),
    at: ts('at').notNull().defaultNow(),
  },
  (t) => [index('claim_notes_claim').on(t.claimId, t.at)],
);

/**
 * The claim ledger: every claim event, appended in `seq` order with
 * hash = SHA-256(prev_hash + "\n" + JSON([seq, claim_id, type, at (µs), actor_id, payload])). The
 * serving role may only SELECT and INSERT it; a trigger refuses UPDATE, DELETE and TRUNCATE.
 */
export const claimEvents = pgTable(
  'claim_events',
  {
    seq: bigint('seq', { mode: 'number' }).primaryKey(),
    claimId: uuid('claim_id')
      .notNull()
      .references(() => claims.id),
    type: text('type').notNull(),
    payload: jsonb('payload').notNull(),
    actorId: uuid('actor_id').references(() => users.id),
    at: ts('at').notNull().defaultNow(),
    prevHash: text('prev_hash').notNull(),
    hash: text('hash').notNull(),
  },
  (t) => [index('claim_events_claim').on(t.claimId, t.seq)],
);

/** The ledger's head, signed with the server's Ed25519 key (as the audit chain's heads). */
export const claimLedgerHeads = pgTable('claim_ledger_heads', {
  seq: bigint('seq', { mode: 'number' }).primaryKey(),
  hash: text('hash').notNull(),
  kid: text('kid').notNull(),
  signature: text('signature').notNull(),
  signedAt: ts('signed_at').notNull().defaultNow(),
});
