// Medications: the formulary (WHO EML products seeded from @sanita/clinical's catalogue plus the
// organisation's local items; brand names and prices per clinic), prescriptions written from an
// encounter (draft → active when signed → completed / cancelled / expired), the medications a
// patient reports taking, prescribers' favourites, and the patient's refill requests. Safety checks
// (`checkMedications` of @sanita/clinical/medications) run as the prescriber types and again when the
// server signs: a blocking alert needs an override with a reason (409 MEDICATION_ALERTS otherwise).
import { Type, type Static, type TLiteral, type TSchema, type TUnion } from '@sinclair/typebox';
import {
  Decimal,
  Integer,
  IsoDate,
  Locale,
  NullableText,
  OptionalText,
  RequiredText,
  StoredDate,
  Uuid,
  Version,
} from './common.ts';
import { PRIORITY_RULES } from './queue.ts';

/**
 * formulary:read (clinical staff), formulary:manage (administrators: local items, edits, clinic brands
 * and prices), prescriptions:read, prescriptions:write (prescribers: create, sign, cancel, decide
 * refills), medications:reconcile (record and stop the medications a patient reports taking).
 */
export const permissions = [
  'formulary:read',
  'formulary:manage',
  'prescriptions:read',
  'prescriptions:write',
  'medications:reconcile',
] as const;

/**
 * - MEDICATION_ALERTS (409): signing found blocking alerts without an override with a reason;
 *   `details.alerts` lists them (MedicationAlert).
 * - PRESCRIPTION_NOT_DRAFT (409): only a draft is edited or signed.
 * - PRESCRIPTION_NOT_ACTIVE (409): only an active (or draft) prescription is cancelled; only an
 *   active one may be refilled.
 * - NO_PREVIOUS_PRESCRIPTION (404): "repeat last" for a patient with no signed prescription.
 * - REFILL_REQUEST_DECIDED (409): the refill request was already approved or declined.
 * - REFILL_REQUEST_PENDING (409): a refill of that prescription is already waiting for the prescriber.
 */
export const errorCodes = [
  'MEDICATION_ALERTS',
  'PRESCRIPTION_NOT_DRAFT',
  'PRESCRIPTION_NOT_ACTIVE',
  'NO_PREVIOUS_PRESCRIPTION',
  'REFILL_REQUEST_DECIDED',
  'REFILL_REQUEST_PENDING',
] as const;

const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const Enum = <const T extends readonly string[]>(values: T, options: { description?: string; default?: T[number] } = {}) =>
  Type.Union(
    values.map((v) => Type.Literal(v)),
    options,
  ) as unknown as TUnion<TLiteral<T[number]>[]>;

// ------------------------------------------------------------------ vocabularies

/** Units of one dose. Mass units (mg, g, mcg) are what the dose-range checks read. */
export const DOSE_UNITS = [
  'mg',
  'g',
  'mcg',
  'mL',
  'tablet',
  'capsule',
  'drop',
  'puff',
  'sachet',
  'suppository',
  'unit',
  'IU',
  'application',
  'patch',
] as const;
export type DoseUnit = (typeof DOSE_UNITS)[number];

/**
 * Routes of administration: the formulary's (the checks' `Route`) and the parenteral ones a
 * prescriber names. The checks treat every route they do not list (intravenous…) as systemic.
 */
export const MEDICATION_ROUTES = [
  'oral',
  'sublingual',
  'parenteral',
  'intravenous',
  'intramuscular',
  'subcutaneous',
  'rectal',
  'topical',
  'ophthalmic',
  'otic',
  'nasal',
  'inhalation',
  'transdermal',
  'vaginal',
  'implant',
  'intrauterine',
] as const;
export type MedicationRoute = (typeof MEDICATION_ROUTES)[number];

/** Units a quantity to dispense is commonly counted in (suggestions; the field is free text). */
export const QUANTITY_UNITS = [
  'tablet',
  'capsule',
  'mL',
  'bottle',
  'tube',
  'vial',
  'ampoule',
  'inhaler',
  'sachet',
  'suppository',
  'patch',
  'unit',
  'pack',
] as const;

export const FREQUENCY_KINDS = ['times_per_day', 'every_hours', 'pattern', 'at_night', 'once'] as const;
export type FrequencyKind = (typeof FREQUENCY_KINDS)[number];

/**
 * draft (being written) → active (signed: the pharmacy may dispense it) → completed (fully dispensed)
 * | cancelled (with a reason) | expired (active and not fully dispensed `PRESCRIPTION_VALID_DAYS`
 * after signing, by job).
 */
export const PRESCRIPTION_STATUSES = ['draft', 'active', 'completed', 'cancelled', 'expired'] as const;
export type PrescriptionStatus = (typeof PRESCRIPTION_STATUSES)[number];

/** Days an active prescription may be dispensed after it is signed. */
export const PRESCRIPTION_VALID_DAYS = 30;

export const ALERT_SEVERITIES = ['contraindicated', 'major', 'moderate', 'minor'] as const;
export type AlertSeverityName = (typeof ALERT_SEVERITIES)[number];

/** The WHO essential medicines shipped with the product, or an item the organisation added. */
export const FORMULARY_SOURCES = ['who-eml', 'local'] as const;
export type FormularySource = (typeof FORMULARY_SOURCES)[number];

export const REFILL_STATUSES = ['requested', 'approved', 'declined'] as const;
export type RefillStatus = (typeof REFILL_STATUSES)[number];

/** Money as exact decimal text (no floating point): up to 10 digits and 2 decimals. */
export const MONEY_PATTERN = '^[0-9]{1,10}(\\.[0-9]{1,2})?$';
export const Money = Type.String({ pattern: MONEY_PATTERN, maxLength: 13, description: 'decimal text, e.g. "1250.00"' });
/** ISO 4217 currency code. */
export const Currency = Type.String({ pattern: '^[A-Z]{3}$', description: 'ISO 4217, e.g. CDF, USD' });

// ------------------------------------------------------------------ dose and frequency

/** One dose: an amount (> 0, up to 3 decimals) and its unit. */
export const Dose = Type.Object(
  {
    amount: Decimal({ exclusiveMinimum: 0, minimum: 0, maximum: 100_000, description: 'up to 3 decimals' }),
    unit: Enum(DOSE_UNITS),
  },
  { additionalProperties: false },
);
export type Dose = Static<typeof Dose>;

/**
 * How often: `times_per_day` (`times` 1..12), `every_hours` (`hours` 1..72: q8h is 8), `pattern`
 * (morning, midday, evening, night as multiples of the dose, 0..10 each: 1-0-1 is [1, 0, 1, 0]),
 * `at_night` (once a day at bedtime), `once` (a single dose). `asNeeded` (PRN) needs `maxPerDay`
 * (administrations a day at most). A field another kind does not use is refused (400 naming it).
 */
export const Frequency = Type.Object(
  {
    kind: Enum(FREQUENCY_KINDS),
    times: Type.Optional(Integer({ minimum: 1, maximum: 12 })),
    hours: Type.Optional(Integer({ minimum: 1, maximum: 72 })),
    pattern: Type.Optional(
      Type.Array(Integer({ minimum: 0, maximum: 10 }), {
        minItems: 4,
        maxItems: 4,
        description: 'morning, midday, evening, night',
      }),
    ),
    asNeeded: Type.Boolean(),
    maxPerDay: Type.Optional(Nullable(Integer({ minimum: 1, maximum: 24 }))),
  },
  { additionalProperties: false },
);
export type Frequency = Static<typeof Frequency>;

// ------------------------------------------------------------------ safety alerts and overrides

const Bilingual = Type.Object({ en: Type.String(), fr: Type.String() });

/** An alert of `checkMedications` (see docs/medications.md), as the server answers it. */
export const MedicationAlert = Type.Object({
  code: Type.String(),
  /** stable: what an override names */
  key: Type.String(),
  severity: Enum(ALERT_SEVERITIES),
  /** contraindicated and major: signing needs an override with a reason */
  blocking: Type.Boolean(),
  /** index of the prescription's item */
  item: Type.Integer(),
  other: Nullable(
    Type.Object({
      kind: Enum(['item', 'current', 'allergy'] as const),
      index: Type.Integer(),
      name: Type.String(),
    }),
  ),
  drugs: Type.Array(Type.String()),
  title: Bilingual,
  why: Bilingual,
  action: Bilingual,
  source: Type.Object({ id: Type.String(), name: Bilingual }),
});
export type MedicationAlert = Static<typeof MedicationAlert>;

/** The prescriber's reason for going ahead despite a blocking alert of this item (by its key). */
export const OverrideInput = Type.Object(
  {
    key: RequiredText(300),
    /** at least three characters other than spaces */
    reason: RequiredText(500, { pattern: '\\S\\s*\\S\\s*\\S' }),
  },
  { additionalProperties: false },
);
export type OverrideInput = Static<typeof OverrideInput>;

/** An override as stored with its item: shown to the pharmacist and audited. */
export const Override = Type.Object({
  key: Type.String(),
  reason: Type.String(),
  severity: Enum(ALERT_SEVERITIES),
  code: Type.String(),
  title: Bilingual,
  /** the drugs (or the allergy) the alert named */
  drugs: Type.Array(Type.String()),
  by: Type.Object({ id: Uuid, name: Type.String() }),
  at: Type.String({ format: 'date-time' }),
});
export type Override = Static<typeof Override>;

// ------------------------------------------------------------------ formulary

/** A formulary item: a product the organisation prescribes, with the active clinic's brands and price. */
export const FormularyItem = Type.Object({
  id: Uuid,
  /** stable: `who-eml:amoxicillin-tablet-500mg`, `local:<uuid>` */
  code: Type.String(),
  source: Enum(FORMULARY_SOURCES),
  name: Type.String(),
  genericName: Type.String(),
  /** ingredient keys the safety checks know (INN, lower case) */
  ingredients: Type.Array(Type.String()),
  strength: Nullable(Type.String()),
  form: Nullable(Type.String()),
  route: Nullable(Type.String()),
  /** the EML section (therapeutic class) and its parent */
  therapeuticClass: Nullable(Type.String()),
  therapeuticGroup: Nullable(Type.String()),
  atc: Type.Array(Type.String()),
  rxnorm: Nullable(Type.String()),
  /** no longer offered when prescribing (kept for what was prescribed) */
  active: Type.Boolean(),
  version: Type.Integer(),
  /** the active clinic's brand names, price and whether it keeps it in stock (null: nothing set) */
  clinic: Nullable(
    Type.Object({
      brandNames: Type.Array(Type.String()),
      price: Nullable(Money),
      currency: Nullable(Currency),
      inStockList: Type.Boolean(),
    }),
  ),
});
export type FormularyItem = Static<typeof FormularyItem>;

export const FormularyList = Type.Object({ data: Type.Array(FormularyItem) });
export type FormularyList = Static<typeof FormularyList>;

/**
 * Search by name, generic name, brand name (the active clinic's) or ingredient; words in any order,
 * tolerant of a typo ("amoxicilin"). Without `q`, the list in name order.
 */
export const FormularySearchQuery = Type.Object(
  {
    q: Type.Optional(OptionalText(100)),
    limit: Type.Optional(Integer({ minimum: 1, maximum: 100, default: 20 })),
    /** only the items the active clinic keeps in stock */
    inStockList: Type.Optional(Type.Boolean()),
    /** include items no longer offered */
    includeInactive: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type FormularySearchQuery = Static<typeof FormularySearchQuery>;

const IngredientKey = Type.String({ minLength: 1, maxLength: 80, pattern: '^[a-z0-9][a-z0-9 ,()/.+-]*$' });
const AtcCode = Type.String({ pattern: '^[A-Z][0-9]{2}([A-Z]([A-Z]([0-9]{2})?)?)?$', maxLength: 7 });
const RxNorm = Type.String({ pattern: '^[0-9]{1,10}$' });

/** A local item an administrator adds (source 'local'). Ingredients default to the generic name's keys. */
export const FormularyItemInput = Type.Object(
  {
    name: RequiredText(200),
    genericName: RequiredText(200),
    ingredients: Type.Optional(Type.Array(IngredientKey, { maxItems: 10 })),
    strength: Type.Optional(OptionalText(100)),
    form: Type.Optional(OptionalText(60)),
    route: Type.Optional(Enum(MEDICATION_ROUTES)),
    therapeuticClass: Type.Optional(OptionalText(200)),
    atc: Type.Optional(Type.Array(AtcCode, { maxItems: 10 })),
    rxnorm: Type.Optional(RxNorm),
  },
  { additionalProperties: false },
);
export type FormularyItemInput = Static<typeof FormularyItemInput>;

/** An edit of any item (WHO EML items too: a re-seed never overwrites it), with the version read. */
export const FormularyItemPatch = Type.Object(
  {
    version: Version('the version you read; a stale one answers 409 STALE_VERSION'),
    name: Type.Optional(RequiredText(200)),
    genericName: Type.Optional(RequiredText(200)),
    ingredients: Type.Optional(Type.Array(IngredientKey, { maxItems: 10 })),
    strength: Type.Optional(NullableText(100)),
    form: Type.Optional(NullableText(60)),
    route: Type.Optional(Nullable(Enum(MEDICATION_ROUTES))),
    therapeuticClass: Type.Optional(NullableText(200)),
    atc: Type.Optional(Type.Array(AtcCode, { maxItems: 10 })),
    rxnorm: Type.Optional(Nullable(RxNorm)),
    active: Type.Optional(Type.Boolean()),
    /** why it changed (kept in the history) */
    reason: Type.Optional(OptionalText(500)),
  },
  { additionalProperties: false },
);
export type FormularyItemPatch = Static<typeof FormularyItemPatch>;

/** The active clinic's brand names, price and stock list for an item (replaces what was set). */
export const ClinicFormularyInput = Type.Object(
  {
    brandNames: Type.Array(RequiredText(100), { maxItems: 20 }),
    price: Nullable(Money),
    /** required with a price */
    currency: Nullable(Currency),
    inStockList: Type.Boolean(),
  },
  { additionalProperties: false },
);
export type ClinicFormularyInput = Static<typeof ClinicFormularyInput>;

/** One change of a formulary item: the fields before and after, by whom, when. */
export const FormularyRevision = Type.Object({
  version: Type.Integer(),
  action: Enum(['created', 'updated'] as const),
  at: Type.String({ format: 'date-time' }),
  by: Nullable(Type.Object({ id: Uuid, name: Type.String() })),
  changes: Type.Record(Type.String(), Type.Object({ from: Type.Unknown(), to: Type.Unknown() })),
  reason: Nullable(Type.String()),
});
export const FormularyRevisionList = Type.Object({ data: Type.Array(FormularyRevision) });

// ------------------------------------------------------------------ prescriptions

/** One medication to prescribe, as the prescriber fills it in. */
export const PrescriptionItemInput = Type.Object(
  {
    /** a formulary item, or null/absent for a free-text medication (checked by name only) */
    formularyItemId: Type.Optional(Nullable(Uuid)),
    /** as shown and printed: the formulary item's name by default */
    name: Type.Optional(OptionalText(200)),
    route: Type.Optional(Nullable(Enum(MEDICATION_ROUTES))),
    dose: Dose,
    frequency: Frequency,
    durationDays: Integer({ minimum: 1, maximum: 365 }),
    /** how much to dispense (computed from dose, frequency and duration by the web; editable) */
    quantity: Decimal({ exclusiveMinimum: 0, minimum: 0, maximum: 100_000 }),
    quantityUnit: RequiredText(30),
    refills: Type.Optional(Integer({ minimum: 0, maximum: 12, default: 0 })),
    /** to the patient, in the prescription's language */
    instructions: Type.Optional(OptionalText(1000)),
    substitutionAllowed: Type.Optional(Type.Boolean({ default: true })),
    /** reasons for going ahead despite blocking alerts of this item */
    overrides: Type.Optional(Type.Array(OverrideInput, { maxItems: 30 })),
  },
  { additionalProperties: false },
);
export type PrescriptionItemInput = Static<typeof PrescriptionItemInput>;

export const MAX_PRESCRIPTION_ITEMS = 20;

/**
 * Whether the prescriber is asked about pregnancy and breastfeeding: a female patient of childbearing
 * age (the bounds of the queue's "pregnant" priority). For anyone else both stay unknown (null) and
 * `true` is refused (400 naming the field).
 */
export function asksPregnancy(patient: { sex: string; ageYears: number | null }): boolean {
  return (
    patient.sex === 'female' &&
    patient.ageYears !== null &&
    patient.ageYears >= PRIORITY_RULES.pregnantMinAge &&
    patient.ageYears <= PRIORITY_RULES.pregnantMaxAge
  );
}

/** How far back the prescription panel takes a pregnancy or breastfeeding answer from the patient's latest prescription. */
export const PREGNANCY_CARRY_DAYS = 274;

/** unknown (null), no (false) or yes (true): the checks flag drugs to avoid only on yes */
const PregnancyAnswer = (description: string) => Type.Union([Type.Boolean(), Type.Null()], { description });
const PregnancyFields = {
  pregnant: Type.Optional(PregnancyAnswer('the patient is pregnant: null unknown (asked only of women aged 10 to 60)')),
  breastfeeding: Type.Optional(PregnancyAnswer('the patient is breastfeeding: null unknown (asked only of women aged 10 to 60)')),
};

/** A new draft from an encounter (open, at the active clinic; the user a practitioner of that clinic). */
export const PrescriptionCreate = Type.Object(
  {
    /** defaults to the patient's preferred language */
    language: Type.Optional(Locale),
    items: Type.Array(PrescriptionItemInput, { maxItems: MAX_PRESCRIPTION_ITEMS }),
    /** to the pharmacist */
    note: Type.Optional(OptionalText(1000)),
    ...PregnancyFields,
  },
  { additionalProperties: false },
);
export type PrescriptionCreate = Static<typeof PrescriptionCreate>;

/** The whole draft, with the version read (409 STALE_VERSION when another tab saved first). */
export const PrescriptionUpdate = Type.Object(
  {
    version: Version('the version you read; a stale one answers 409 STALE_VERSION'),
    language: Type.Optional(Locale),
    items: Type.Array(PrescriptionItemInput, { maxItems: MAX_PRESCRIPTION_ITEMS }),
    note: Type.Optional(NullableText(1000)),
    /** left out: unchanged */
    ...PregnancyFields,
  },
  { additionalProperties: false },
);
export type PrescriptionUpdate = Static<typeof PrescriptionUpdate>;

export const PrescriptionSign = Type.Object(
  { version: Version('the version you read; a stale one answers 409 STALE_VERSION') },
  { additionalProperties: false },
);
export type PrescriptionSign = Static<typeof PrescriptionSign>;

export const PrescriptionCancel = Type.Object(
  {
    version: Version('the version you read; a stale one answers 409 STALE_VERSION'),
    reason: RequiredText(500),
  },
  { additionalProperties: false },
);
export type PrescriptionCancel = Static<typeof PrescriptionCancel>;

const Person = Type.Object({ id: Uuid, name: Type.String() });

export const PrescriptionItem = Type.Object({
  id: Uuid,
  /** 0-based order on the prescription (the alerts' `item`) */
  position: Type.Integer(),
  formularyItemId: Nullable(Uuid),
  name: Type.String(),
  ingredients: Type.Array(Type.String()),
  route: Nullable(Type.String()),
  dose: Dose,
  frequency: Frequency,
  durationDays: Type.Integer(),
  quantity: Type.Number(),
  quantityUnit: Type.String(),
  refills: Type.Integer(),
  instructions: Nullable(Type.String()),
  substitutionAllowed: Type.Boolean(),
  overrides: Type.Array(Override),
});
export type PrescriptionItem = Static<typeof PrescriptionItem>;

export const Prescription = Type.Object({
  id: Uuid,
  patientId: Uuid,
  clinicId: Uuid,
  encounterId: Nullable(Uuid),
  status: Enum(PRESCRIPTION_STATUSES),
  language: Locale,
  note: Nullable(Type.String()),
  /** as the prescriber answered (null unknown); the checks ran with it and the PDF prints it */
  pregnant: Nullable(Type.Boolean()),
  breastfeeding: Nullable(Type.Boolean()),
  prescriber: Person,
  createdAt: Type.String({ format: 'date-time' }),
  signedAt: Nullable(Type.String({ format: 'date-time' })),
  expiresAt: Nullable(Type.String({ format: 'date-time' })),
  completedAt: Nullable(Type.String({ format: 'date-time' })),
  cancelledAt: Nullable(Type.String({ format: 'date-time' })),
  cancelledBy: Nullable(Person),
  cancelReason: Nullable(Type.String()),
  /** set when signed; printed on the PDF and checked at /verify/<code> */
  verificationCode: Nullable(Type.String()),
  /** the prescription this one renews (an approved refill request) */
  renewsId: Nullable(Uuid),
  version: Type.Integer(),
  items: Type.Array(PrescriptionItem),
  /** a draft's alerts as the server checks them now (empty once signed: the overrides are on the items) */
  alerts: Type.Array(MedicationAlert),
});
export type Prescription = Static<typeof Prescription>;

export const PrescriptionListQuery = Type.Object(
  {
    status: Type.Optional(Enum(PRESCRIPTION_STATUSES)),
    limit: Type.Optional(Integer({ minimum: 1, maximum: 100, default: 20 })),
    /** the last id of the previous page */
    cursor: Type.Optional(Uuid),
  },
  { additionalProperties: false },
);
export type PrescriptionListQuery = Static<typeof PrescriptionListQuery>;

export const PrescriptionList = Type.Object({ data: Type.Array(Prescription), nextCursor: Nullable(Uuid) });
export type PrescriptionList = Static<typeof PrescriptionList>;

/**
 * The checks of some items against the patient as the server knows them now (current medications,
 * allergies, age and latest weight), without writing a prescription: what the prescriber's screen
 * shows, asked of the server. Overrides in the items are ignored.
 */
export const MedicationCheckInput = Type.Object(
  {
    items: Type.Array(PrescriptionItemInput, { minItems: 1, maxItems: MAX_PRESCRIPTION_ITEMS }),
    ...PregnancyFields,
  },
  { additionalProperties: false },
);
export type MedicationCheckInput = Static<typeof MedicationCheckInput>;

/** `checkMedications`' answer: the alerts (most severe first), whether one blocks, the items the checks do not know. */
export const MedicationCheckResult = Type.Object({
  alerts: Type.Array(MedicationAlert),
  /** some alert blocks signing until overridden with a reason */
  blocking: Type.Boolean(),
  /** indexes of items with no ingredient the checks know (checked for allergies by name only) */
  unrecognised: Type.Array(Type.Integer()),
});
export type MedicationCheckResult = Static<typeof MedicationCheckResult>;

// ------------------------------------------------------------------ reported and current medications

/** A medication the patient says they take (prescribed elsewhere, bought over the counter). */
export const ReportedMedicationInput = Type.Object(
  {
    formularyItemId: Type.Optional(Nullable(Uuid)),
    /** as the patient names it (the formulary item's name when chosen from it) */
    name: RequiredText(200),
    /** as the patient says it: "1 tablet morning and evening" */
    doseText: Type.Optional(OptionalText(200)),
    route: Type.Optional(Enum(MEDICATION_ROUTES)),
    /** since when (not in the future) */
    since: Type.Optional(IsoDate),
    note: Type.Optional(OptionalText(500)),
  },
  { additionalProperties: false },
);
export type ReportedMedicationInput = Static<typeof ReportedMedicationInput>;

export const ReportedMedicationStop = Type.Object(
  {
    /** defaults to today; not before `since`, not in the future */
    stoppedOn: Type.Optional(IsoDate),
    reason: Type.Optional(OptionalText(500)),
  },
  { additionalProperties: false },
);
export type ReportedMedicationStop = Static<typeof ReportedMedicationStop>;

export const ReportedMedication = Type.Object({
  id: Uuid,
  patientId: Uuid,
  clinicId: Uuid,
  formularyItemId: Nullable(Uuid),
  name: Type.String(),
  ingredients: Type.Array(Type.String()),
  doseText: Nullable(Type.String()),
  route: Nullable(Type.String()),
  since: Nullable(StoredDate),
  stoppedOn: Nullable(StoredDate),
  stopReason: Nullable(Type.String()),
  note: Nullable(Type.String()),
  recordedAt: Type.String({ format: 'date-time' }),
  recordedBy: Person,
});
export type ReportedMedication = Static<typeof ReportedMedication>;
export const ReportedMedicationList = Type.Object({ data: Type.Array(ReportedMedication) });

/**
 * What the patient takes now: items of active prescriptions and reported medications not stopped —
 * what the checks call `current`.
 */
export const CurrentMedication = Type.Object({
  source: Enum(['prescription', 'reported'] as const),
  /** the prescription item's or the reported medication's id */
  id: Uuid,
  prescriptionId: Nullable(Uuid),
  formularyItemId: Nullable(Uuid),
  name: Type.String(),
  ingredients: Type.Array(Type.String()),
  route: Nullable(Type.String()),
  dose: Nullable(Dose),
  frequency: Nullable(Frequency),
  /** a reported medication's dose as said */
  doseText: Nullable(Type.String()),
  /** signed on, or reported since */
  since: Nullable(Type.String()),
  /** who prescribed it (prescriptions) */
  prescriber: Nullable(Person),
});
export type CurrentMedication = Static<typeof CurrentMedication>;
export const CurrentMedicationList = Type.Object({
  data: Type.Array(CurrentMedication),
  /** the latest encounter at which someone reviewed this list with the patient */
  lastReconciliation: Nullable(Type.Object({ encounterId: Uuid, at: Type.String({ format: 'date-time' }), by: Person })),
});
export type CurrentMedicationList = Static<typeof CurrentMedicationList>;

// ------------------------------------------------------------------ reconciliation

/**
 * "Mark reconciled": the current medications were reviewed with the patient in this encounter (each
 * reported one continued, or stopped with its reason beforehand); the reconciliation lists what was
 * continued. Marking again records the new reviewer, time and list.
 */
export const MedicationReconciliationInput = Type.Object(
  { note: Type.Optional(OptionalText(500)) },
  { additionalProperties: false },
);
export type MedicationReconciliationInput = Static<typeof MedicationReconciliationInput>;

export const MedicationReconciliation = Type.Object({
  encounterId: Uuid,
  patientId: Uuid,
  clinicId: Uuid,
  reconciledBy: Person,
  reconciledAt: Type.String({ format: 'date-time' }),
  note: Nullable(Type.String()),
  /** the current medications reviewed and continued (a prescription item or a reported medication), named as they were then */
  reviewed: Type.Array(
    Type.Object({ source: Type.Union([Type.Literal('prescription'), Type.Literal('reported')]), id: Uuid, name: Type.String() }),
  ),
});
export type MedicationReconciliation = Static<typeof MedicationReconciliation>;

/** An encounter's reconciliation, null until someone marks it. */
export const MedicationReconciliationState = Type.Object({ reconciliation: Nullable(MedicationReconciliation) });
export type MedicationReconciliationState = Static<typeof MedicationReconciliationState>;

// ------------------------------------------------------------------ favourites

/** An item template a prescriber saved (no overrides: those are decided per patient). */
export const FavouriteItem = Type.Omit(PrescriptionItemInput, ['overrides']);

export const FavouriteInput = Type.Object(
  {
    label: RequiredText(100),
    item: FavouriteItem,
  },
  { additionalProperties: false },
);
export type FavouriteInput = Static<typeof FavouriteInput>;

export const FavouritePatch = Type.Object(
  {
    label: Type.Optional(RequiredText(100)),
    item: Type.Optional(FavouriteItem),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type FavouritePatch = Static<typeof FavouritePatch>;

export const Favourite = Type.Object({
  id: Uuid,
  label: Type.String(),
  item: Type.Object({
    formularyItemId: Nullable(Uuid),
    name: Type.String(),
    route: Nullable(Type.String()),
    dose: Dose,
    frequency: Frequency,
    durationDays: Type.Integer(),
    quantity: Type.Number(),
    quantityUnit: Type.String(),
    refills: Type.Integer(),
    instructions: Nullable(Type.String()),
    substitutionAllowed: Type.Boolean(),
  }),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
});
export type Favourite = Static<typeof Favourite>;
export const FavouriteList = Type.Object({ data: Type.Array(Favourite) });

// ------------------------------------------------------------------ refill requests

/** The patient asks for more of an active (or completed) prescription; the prescriber decides. */
export const RefillRequestInput = Type.Object({ note: Type.Optional(OptionalText(500)) }, { additionalProperties: false });
export type RefillRequestInput = Static<typeof RefillRequestInput>;

export const RefillDecision = Type.Object({ note: Type.Optional(OptionalText(500)) }, { additionalProperties: false });
export type RefillDecision = Static<typeof RefillDecision>;
export const RefillDecline = Type.Object({ note: RequiredText(500) }, { additionalProperties: false });
export type RefillDecline = Static<typeof RefillDecline>;

export const RefillRequest = Type.Object({
  id: Uuid,
  prescriptionId: Uuid,
  patientId: Uuid,
  clinicId: Uuid,
  status: Enum(REFILL_STATUSES),
  /** the patient's note */
  note: Nullable(Type.String()),
  requestedAt: Type.String({ format: 'date-time' }),
  decidedAt: Nullable(Type.String({ format: 'date-time' })),
  decidedBy: Nullable(Person),
  decisionNote: Nullable(Type.String()),
  /** the prescription an approval issued */
  newPrescriptionId: Nullable(Uuid),
  /** for the prescriber's list: the patient and what was prescribed */
  patient: Nullable(Type.Object({ id: Uuid, name: Type.String(), mrn: Type.String() })),
  items: Type.Array(Type.Object({ name: Type.String() })),
  prescriber: Nullable(Person),
});
export type RefillRequest = Static<typeof RefillRequest>;
export const RefillRequestList = Type.Object({ data: Type.Array(RefillRequest) });

export const RefillRequestListQuery = Type.Object(
  {
    status: Type.Optional(Enum(REFILL_STATUSES)),
    /** only requests for prescriptions I signed */
    mine: Type.Optional(Type.Boolean()),
    limit: Type.Optional(Integer({ minimum: 1, maximum: 100, default: 50 })),
  },
  { additionalProperties: false },
);
export type RefillRequestListQuery = Static<typeof RefillRequestListQuery>;

// ------------------------------------------------------------------ portal

/** One of my prescriptions as the portal shows it: what to take and how, never the overrides. */
export const PortalPrescription = Type.Object({
  id: Uuid,
  status: Enum(PRESCRIPTION_STATUSES),
  signedAt: Nullable(Type.String({ format: 'date-time' })),
  expiresAt: Nullable(Type.String({ format: 'date-time' })),
  clinic: Type.Object({ id: Uuid, name: Type.String() }),
  prescriber: Type.Object({ name: Type.String() }),
  language: Locale,
  items: Type.Array(
    Type.Object({
      name: Type.String(),
      route: Nullable(Type.String()),
      dose: Dose,
      frequency: Frequency,
      durationDays: Type.Integer(),
      quantity: Type.Number(),
      quantityUnit: Type.String(),
      refills: Type.Integer(),
      instructions: Nullable(Type.String()),
    }),
  ),
  /** a refill may be asked for (active or completed, none waiting) */
  canRequestRefill: Type.Boolean(),
  refillRequests: Type.Array(
    Type.Object({
      id: Uuid,
      status: Enum(REFILL_STATUSES),
      requestedAt: Type.String({ format: 'date-time' }),
      decidedAt: Nullable(Type.String({ format: 'date-time' })),
      decisionNote: Nullable(Type.String()),
    }),
  ),
});
export type PortalPrescription = Static<typeof PortalPrescription>;
export const PortalPrescriptionList = Type.Object({ data: Type.Array(PortalPrescription) });

// ------------------------------------------------------------------ params

export const PatientIdParams = Type.Object({ patientId: Uuid }, { additionalProperties: false });
export const ReportedParams = Type.Object({ patientId: Uuid, id: Uuid }, { additionalProperties: false });

// ------------------------------------------------------------------ realtime

/** Realtime events of prescriptions, to room `pharmacy:<clinicId>`: identifiers only. */
export interface PrescriptionEvent {
  prescriptionId: string;
  patientId: string;
  clinicId: string;
}
export interface Events {
  'prescription.signed': PrescriptionEvent;
  /** no longer to be dispensed: cancelled by a prescriber, or expired (the expiry job) */
  'prescription.cancelled': PrescriptionEvent & { reason: 'cancelled' | 'expired' };
}
export const events = ['prescription.signed', 'prescription.cancelled'] as const satisfies readonly (keyof Events)[];
