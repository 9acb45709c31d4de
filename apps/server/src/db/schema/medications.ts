import { sql } from 'drizzle-orm';
import {
  type ALERT_SEVERITIES,
  DOSE_UNITS,
  FORMULARY_SOURCES,
  PRESCRIPTION_STATUSES,
  REFILL_STATUSES,
  type Frequency,
} from '@sanita/contracts/medications';
import {
  type AnyPgColumn,
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

const ts = (name: string) => timestamp(name, { withTimezone: true });

/**
 * The organisation's formulary: the WHO EML products of @sanita/clinical (inserted at each start by
 * their stable code when missing; an administrator's edit is never overwritten) and local items.
 * `search_text` (lower case, accents folded: name, generic name, ingredients) carries a trigram
 * index for typo-tolerant search.
 */
export const formularyItems = pgTable(
  'formulary_items',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** stable: `who-eml:amoxicillin-tablet-500mg`, `local:<uuid>` */
    code: text('code').notNull().unique(),
    source: text('source', { enum: FORMULARY_SOURCES }).notNull(),
    name: text('name').notNull(),
    genericName: text('generic_name').notNull(),
    /** ingredient keys the safety checks know */
    ingredients: text('ingredients')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    strength: text('strength'),
    form: text('form'),
    route: text('route'),
    /** the EML section and its parent */
    therapeuticClass: text('therapeutic_class'),
    therapeuticGroup: text('therapeutic_group'),
    atc: text('atc')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    rxnorm: text('rxnorm'),
    active: boolean('active').notNull().default(true),
    searchText: text('search_text').notNull(),
    version: integer('version').notNull().default(1),
    createdAt: ts('created_at').notNull().defaultNow(),
    /** null for the shipped items */
    createdBy: uuid('created_by').references(() => users.id),
    updatedAt: ts('updated_at').notNull().defaultNow(),
    updatedBy: uuid('updated_by').references(() => users.id),
  },
  (t) => [
    index('formulary_items_search').using('gin', sql`${t.searchText} gin_trgm_ops`),
    index('formulary_items_name').on(t.name),
  ],
);

/** Every change of a formulary item: the fields before and after, by whom and when. */
export const formularyItemRevisions = pgTable(
  'formulary_item_revisions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    itemId: uuid('item_id')
      .notNull()
      .references(() => formularyItems.id),
    version: integer('version').notNull(),
    action: text('action', { enum: ['created', 'updated'] }).notNull(),
    changes: jsonb('changes').$type<Record<string, { from: unknown; to: unknown }>>().notNull(),
    reason: text('reason'),
    changedBy: uuid('changed_by').references(() => users.id),
    changedAt: ts('changed_at').notNull().defaultNow(),
  },
  (t) => [index('formulary_item_revisions_item').on(t.itemId, t.version)],
);

/** A clinic's brand names, price and stock list for a formulary item. */
export const clinicFormulary = pgTable(
  'clinic_formulary',
  {
    clinicId: uuid('clinic_id')
      .notNull()
      .references(() => clinics.id),
    itemId: uuid('item_id')
      .notNull()
      .references(() => formularyItems.id),
    brandNames: text('brand_names')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    /** lower case, accents folded: searched with the item */
    brandSearch: text('brand_search').notNull().default(''),
    price: numeric('price', { precision: 12, scale: 2 }),
    currency: text('currency'),
    inStockList: boolean('in_stock_list').notNull().default(false),
    updatedAt: ts('updated_at').notNull().defaultNow(),
    updatedBy: uuid('updated_by').references(() => users.id),
  },
  (t) => [
    primaryKey({ columns: [t.clinicId, t.itemId] }),
    index('clinic_formulary_brand_search').using('gin', sql`${t.brandSearch} gin_trgm_ops`),
    check('clinic_formulary_price', sql`${t.price} IS NULL OR (${t.price} >= 0 AND ${t.currency} IS NOT NULL)`),
  ],
);

/** Who and where a prescription was about and from, copied when it is signed (it never changes after). */
export interface PrescriptionSnapshot {
  patient: { name: string; birthDate: string; sex: string; mrn: string; weightKg: number | null };
  clinic: { name: string; address: string | null; phone: string | null; timezone: string };
  organisation: string;
  prescriber: { name: string; licenceNumber: string | null; specialties: string[] };
}

/**
 * A prescription written during an encounter: draft (editable, optimistic `version`) → active once
 * signed (verification code, expiry) → completed (fully dispensed) | cancelled | expired (job).
 */
export const prescriptions = pgTable(
  'prescriptions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    patientId: uuid('patient_id')
      .notNull()
      .references(() => patients.id),
    clinicId: uuid('clinic_id')
      .notNull()
      .references(() => clinics.id),
    encounterId: uuid('encounter_id').references(() => encounters.id),
    prescriberId: uuid('prescriber_id')
      .notNull()
      .references(() => users.id),
    status: text('status', { enum: PRESCRIPTION_STATUSES }).notNull().default('draft'),
    language: text('language', { enum: ['en', 'fr'] }).notNull(),
    note: text('note'),
    /** the prescriber's answer (null unknown): the checks flag drugs to avoid in pregnancy / breastfeeding on true */
    pregnant: boolean('pregnant'),
    breastfeeding: boolean('breastfeeding'),
    /** the prescription an approved refill request renews */
    renewsId: uuid('renews_id').references((): AnyPgColumn => prescriptions.id),
    snapshot: jsonb('snapshot').$type<PrescriptionSnapshot>(),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
    signedAt: ts('signed_at'),
    expiresAt: ts('expires_at'),
    completedAt: ts('completed_at'),
    cancelledAt: ts('cancelled_at'),
    cancelledBy: uuid('cancelled_by').references(() => users.id),
    cancelReason: text('cancel_reason'),
    /** 12 characters of Crockford base32, without dashes, upper case; set when signed */
    verificationCode: text('verification_code').unique(),
    version: integer('version').notNull().default(1),
  },
  (t) => [
    // newest first: DESC NULLS FIRST, the order of `ORDER BY … DESC`
    index('prescriptions_patient').on(t.patientId, t.createdAt.desc().nullsFirst(), t.id.desc().nullsFirst()),
    index('prescriptions_encounter').on(t.encounterId),
    // the pharmacy's worklist and the expiry job
    index('prescriptions_active_clinic')
      .on(t.clinicId, t.signedAt)
      .where(sql`${t.status} = 'active'`),
    index('prescriptions_active_expiry')
      .on(t.expiresAt)
      .where(sql`${t.status} = 'active'`),
    check(
      'prescriptions_signed',
      sql`${t.status} = 'draft' OR ${t.status} = 'cancelled' OR (${t.signedAt} IS NOT NULL AND ${t.verificationCode} IS NOT NULL)`,
    ),
  ],
);

/** An override of a blocking alert, stored with its item (shown to the pharmacist, audited). */
export interface StoredOverride {
  key: string;
  reason: string;
  severity: (typeof ALERT_SEVERITIES)[number];
  code: string;
  title: { en: string; fr: string };
  drugs: string[];
  by: { id: string; name: string };
  at: string;
}

/** One medication of a prescription. */
export const prescriptionItems = pgTable(
  'prescription_items',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    prescriptionId: uuid('prescription_id')
      .notNull()
      .references(() => prescriptions.id),
    position: smallint('position').notNull(),
    formularyItemId: uuid('formulary_item_id').references(() => formularyItems.id),
    name: text('name').notNull(),
    ingredients: text('ingredients')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    route: text('route'),
    doseAmount: numeric('dose_amount', { precision: 12, scale: 3 }).notNull(),
    doseUnit: text('dose_unit', { enum: DOSE_UNITS }).notNull(),
    frequency: jsonb('frequency').$type<Frequency>().notNull(),
    durationDays: smallint('duration_days').notNull(),
    quantity: numeric('quantity', { precision: 12, scale: 3 }).notNull(),
    quantityUnit: text('quantity_unit').notNull(),
    refills: smallint('refills').notNull().default(0),
    instructions: text('instructions'),
    substitutionAllowed: boolean('substitution_allowed').notNull().default(true),
    overrides: jsonb('overrides')
      .$type<StoredOverride[]>()
      .notNull()
      .default(sql`'[]'::jsonb`),
  },
  (t) => [
    uniqueIndex('prescription_items_position').on(t.prescriptionId, t.position),
    check('prescription_items_duration', sql`${t.durationDays} BETWEEN 1 AND 365`),
    check('prescription_items_refills', sql`${t.refills} BETWEEN 0 AND 12`),
    check('prescription_items_amounts', sql`${t.doseAmount} > 0 AND ${t.quantity} > 0`),
  ],
);

/** A medication the patient reports taking (prescribed elsewhere, over the counter). */
export const reportedMedications = pgTable(
  'reported_medications',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    patientId: uuid('patient_id')
      .notNull()
      .references(() => patients.id),
    /** the clinic it was recorded at */
    clinicId: uuid('clinic_id')
      .notNull()
      .references(() => clinics.id),
    formularyItemId: uuid('formulary_item_id').references(() => formularyItems.id),
    name: text('name').notNull(),
    ingredients: text('ingredients')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    doseText: text('dose_text'),
    route: text('route'),
    since: date('since', { mode: 'string' }),
    stoppedOn: date('stopped_on', { mode: 'string' }),
    stopReason: text('stop_reason'),
    stoppedBy: uuid('stopped_by').references(() => users.id),
    note: text('note'),
    recordedAt: ts('recorded_at').notNull().defaultNow(),
    recordedBy: uuid('recorded_by')
      .notNull()
      .references(() => users.id),
  },
  (t) => [index('reported_medications_patient').on(t.patientId, t.recordedAt)],
);

/** A prescriber's saved item template. */
export const prescriptionFavourites = pgTable(
  'prescription_favourites',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    label: text('label').notNull(),
    /** the item as PrescriptionItemInput without overrides */
    item: jsonb('item').$type<Record<string, unknown>>().notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [index('prescription_favourites_user').on(t.userId, t.label)],
);

/** A patient's request (from the portal) for more of a prescription; the prescriber approves or declines. */
export const refillRequests = pgTable(
  'refill_requests',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    prescriptionId: uuid('prescription_id')
      .notNull()
      .references(() => prescriptions.id),
    patientId: uuid('patient_id')
      .notNull()
      .references(() => patients.id),
    clinicId: uuid('clinic_id')
      .notNull()
      .references(() => clinics.id),
    status: text('status', { enum: REFILL_STATUSES }).notNull().default('requested'),
    note: text('note'),
    requestedAt: ts('requested_at').notNull().defaultNow(),
    requestedBy: uuid('requested_by')
      .notNull()
      .references(() => users.id),
    decidedAt: ts('decided_at'),
    decidedBy: uuid('decided_by').references(() => users.id),
    decisionNote: text('decision_note'),
    newPrescriptionId: uuid('new_prescription_id').references(() => prescriptions.id),
  },
  (t) => [
    index('refill_requests_clinic').on(t.clinicId, t.status, t.requestedAt),
    index('refill_requests_patient').on(t.patientId, t.requestedAt),
    // one request waiting per prescription
    uniqueIndex('refill_requests_pending')
      .on(t.prescriptionId)
      .where(sql`${t.status} = 'requested'`),
  ],
);

/** An encounter's medication reconciliation: who reviewed the current medications with the patient, and when. */
export const medicationReconciliations = pgTable(
  'medication_reconciliations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    encounterId: uuid('encounter_id')
      .notNull()
      .unique()
      .references(() => encounters.id),
    patientId: uuid('patient_id')
      .notNull()
      .references(() => patients.id),
    clinicId: uuid('clinic_id')
      .notNull()
      .references(() => clinics.id),
    reconciledBy: uuid('reconciled_by')
      .notNull()
      .references(() => users.id),
    reconciledAt: ts('reconciled_at').notNull().defaultNow(),
    note: text('note'),
    /** the current medications reviewed and continued, as they were named when marked */
    reviewed: jsonb('reviewed')
      .$type<{ source: 'prescription' | 'reported'; id: string; name: string }[]>()
      .notNull()
      .default(sql`'[]'::jsonb`),
  },
  // the chart's card: the patient's latest
  (t) => [index('medication_reconciliations_patient').on(t.patientId, t.reconciledAt.desc().nullsFirst())],
);
