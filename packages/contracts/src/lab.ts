// Laboratory: the test catalogue (LOINC where known: tests and panels, specimen types, turnaround
// times, prices per clinic, reference ranges by sex and age band; edited by administrators with
// history), orders written from an encounter, the lab's worklist (collect the specimen with a
// barcode label, receive it, enter results, technical verification by a second person where the
// test requires it, release to the doctor), abnormal and critical flags from the reference range of
// the patient's sex and age on the collection day, critical-value alerts that the ordering doctor
// acknowledges (escalated to the clinic's doctors when nobody does in time), the patient's results
// (table, trends, PDF report) and the portal's view of released results. Results also arrive from
// outside laboratories as HL7 v2 ORU^R01 (./hl7.ts): `source: 'hl7'`.
import { Type, type Static, type TLiteral, type TSchema, type TUnion } from '@sinclair/typebox';
import { Decimal, Integer, IsoDate, NullableText, OptionalText, RequiredText, StoredDate, Uuid, Version } from './common.ts';

/**
 * - lab:read — the catalogue, a patient's orders and results (clinical staff and the lab);
 * - lab:order — order tests, cancel an order not yet collected, hold a result back from the portal or
 *   let it through, acknowledge a critical value (prescribers);
 * - lab:process — the worklist: collect, receive, enter results, release verified results to the doctor (the lab);
 * - lab:verify — technical verification of a result entered by someone else (the lab);
 * - lab:manage — edit the catalogue, its reference ranges and the clinic's prices (administrators).
 */
export const permissions = ['lab:read', 'lab:order', 'lab:process', 'lab:verify', 'lab:manage'] as const;

/**
 * - LAB_ORDER_STATE (409): the step does not follow from where the order or result is (e.g. entering
 *   a result before the specimen was collected, cancelling a collected order, releasing an unverified
 *   result that needs verification); `details.status` is the current one.
 * - LAB_SELF_VERIFICATION (409): the person who entered a result may not verify it.
 * - LAB_RESULT_VALUE (400): the value does not fit the test (a number for a numeric test, one of its
 *   codes for a coded one); `details` is the field-issue list of every 400, naming it
 *   (`[{ field: 'results/0/valueNumeric', code, message }]`).
 * - LAB_UNIT_INVALID (400): the unit is not valid UCUM, or not convertible to the test's unit
 *   (`details`: `[{ field: 'results/0/unit', … }]`).
 * - LAB_TEST_INACTIVE (409): the test was withdrawn from the catalogue.
 * - LAB_ALERT_ACKNOWLEDGED (409): the critical alert was already acknowledged.
 */
export const errorCodes = [
  'LAB_ORDER_STATE',
  'LAB_SELF_VERIFICATION',
  'LAB_RESULT_VALUE',
  'LAB_UNIT_INVALID',
  'LAB_TEST_INACTIVE',
  'LAB_ALERT_ACKNOWLEDGED',
] as const;

const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const Enum = <const T extends readonly string[]>(values: T, options: { description?: string; default?: T[number] } = {}) =>
  Type.Union(
    values.map((v) => Type.Literal(v)),
    options,
  ) as unknown as TUnion<TLiteral<T[number]>[]>;
const Person = Type.Object({ id: Uuid, name: Type.String() });
const DateTime = Type.String({ format: 'date-time' });

// ------------------------------------------------------------------ catalogue

export const SPECIMEN_TYPES = [
  'blood',
  'serum',
  'plasma',
  'whole_blood',
  'urine',
  'stool',
  'swab',
  'csf',
  'sputum',
  'other',
] as const;
export type SpecimenType = (typeof SPECIMEN_TYPES)[number];
/** numeric (a number with a UCUM unit), coded (one of the test's codes, e.g. positive/negative), text (free) */
export const RESULT_TYPES = ['numeric', 'coded', 'text'] as const;
export type ResultType = (typeof RESULT_TYPES)[number];
export const TEST_KINDS = ['test', 'panel'] as const;
export type TestKind = (typeof TEST_KINDS)[number];
export const SEXES = ['female', 'male'] as const;

/**
 * A reference range: for a sex (null: either) and an age band in days, [ageMinDays, ageMaxDays)
 * (ageMaxDays null: no upper bound). Numeric tests have low/high (either may be null: "< 200") and
 * optional critical limits; coded tests name their normal codes. The most specific range that fits
 * the patient's sex and age on the collection day applies (a sex-specific one before "either").
 */
export const ReferenceRange = Type.Object(
  {
    sex: Nullable(Enum(SEXES)),
    ageMinDays: Integer({ minimum: 0, maximum: 54_750 }),
    ageMaxDays: Nullable(Integer({ minimum: 1, maximum: 54_750 })),
    low: Nullable(Decimal({ minimum: -1e9, maximum: 1e9 })),
    high: Nullable(Decimal({ minimum: -1e9, maximum: 1e9 })),
    criticalLow: Nullable(Decimal({ minimum: -1e9, maximum: 1e9 })),
    criticalHigh: Nullable(Decimal({ minimum: -1e9, maximum: 1e9 })),
    /** coded tests: the codes that are normal (anything else is flagged abnormal, 'A') */
    normalCodes: Type.Optional(Type.Array(RequiredText(40), { maxItems: 20 })),
  },
  { additionalProperties: false },
);
export type ReferenceRange = Static<typeof ReferenceRange>;

/** An answer of a coded test, with its label in both languages. */
export const CodedAnswer = Type.Object(
  { code: RequiredText(40), en: RequiredText(100), fr: RequiredText(100) },
  { additionalProperties: false },
);
export type CodedAnswer = Static<typeof CodedAnswer>;

/** A test (one analyte: potassium) or a panel (an orderable group: CBC, basic metabolic panel). */
export const LabTest = Type.Object({
  id: Uuid,
  /** the organisation's code, unique: 'K', 'CBC' */
  code: Type.String(),
  loinc: Nullable(Type.String()),
  name: Type.String(),
  /** the name in French where it differs */
  nameFr: Nullable(Type.String()),
  kind: Enum(TEST_KINDS),
  specimenType: Enum(SPECIMEN_TYPES),
  resultType: Enum(RESULT_TYPES),
  /** UCUM unit of a numeric test ('mmol/L', '10*9/L') */
  unit: Nullable(Type.String()),
  /** decimals shown for a numeric result */
  decimals: Type.Integer(),
  answers: Type.Array(CodedAnswer),
  /** hours from collection to release promised for a routine order */
  turnaroundHours: Type.Integer(),
  /** a second person verifies each result before release */
  requiresVerification: Type.Boolean(),
  active: Type.Boolean(),
  /** a panel's tests, in report order (empty for a test) */
  members: Type.Array(Type.Object({ id: Uuid, code: Type.String(), name: Type.String() })),
  ranges: Type.Array(ReferenceRange),
  /** the active clinic's price, a decimal string ('12.50'), null when it sets none */
  price: Nullable(Type.String()),
  currency: Nullable(Type.String()),
  /** shipped from LOINC (not created locally) */
  shipped: Type.Boolean(),
  version: Type.Integer(),
});
export type LabTest = Static<typeof LabTest>;
export const LabTestList = Type.Object({ data: Type.Array(LabTest) });
export type LabTestList = Static<typeof LabTestList>;

export const CatalogueQuery = Type.Object(
  {
    /** words of the name, the code or the LOINC code */
    q: Type.Optional(OptionalText(100)),
    kind: Type.Optional(Enum(TEST_KINDS)),
    /** include withdrawn tests (administrators) */
    includeInactive: Type.Optional(Type.Boolean()),
    limit: Type.Optional(Integer({ minimum: 1, maximum: 200, default: 50 })),
  },
  { additionalProperties: false },
);
export type CatalogueQuery = Static<typeof CatalogueQuery>;

const TestFields = {
  code: RequiredText(20, { pattern: '^[A-Za-z0-9_.-]+$' }),
  loinc: Type.Optional(Nullable(Type.String({ pattern: '^[0-9]{1,7}-[0-9]$' }))),
  name: RequiredText(200),
  nameFr: Type.Optional(NullableText(200)),
  kind: Enum(TEST_KINDS),
  specimenType: Enum(SPECIMEN_TYPES),
  resultType: Enum(RESULT_TYPES),
  unit: Type.Optional(NullableText(40)),
  decimals: Type.Optional(Integer({ minimum: 0, maximum: 6 })),
  answers: Type.Optional(Type.Array(CodedAnswer, { maxItems: 20 })),
  turnaroundHours: Integer({ minimum: 1, maximum: 2160 }),
  requiresVerification: Type.Boolean(),
  /** a panel's test ids, in report order */
  memberIds: Type.Optional(Type.Array(Uuid, { maxItems: 60 })),
  ranges: Type.Optional(Type.Array(ReferenceRange, { maxItems: 40 })),
};
export const CreateLabTestInput = Type.Object(TestFields, { additionalProperties: false });
export type CreateLabTestInput = Static<typeof CreateLabTestInput>;
export const UpdateLabTestInput = Type.Object(
  { ...Type.Partial(Type.Object(TestFields)).properties, active: Type.Optional(Type.Boolean()), version: Version() },
  { additionalProperties: false },
);
export type UpdateLabTestInput = Static<typeof UpdateLabTestInput>;

/** The active clinic's price of a test (null removes it). */
export const LabPriceInput = Type.Object(
  { price: Nullable(Type.String({ pattern: '^[0-9]{1,9}(\\.[0-9]{1,2})?$' })) },
  { additionalProperties: false },
);
export type LabPriceInput = Static<typeof LabPriceInput>;

export const LabTestRevision = Type.Object({
  version: Type.Integer(),
  at: DateTime,
  by: Nullable(Person),
  /** the fields that changed, with their values before and after */
  changes: Type.Record(Type.String(), Type.Object({ before: Type.Unknown(), after: Type.Unknown() })),
});
export type LabTestRevision = Static<typeof LabTestRevision>;
export const LabTestRevisionList = Type.Object({ data: Type.Array(LabTestRevision) });
export type LabTestRevisionList = Static<typeof LabTestRevisionList>;

// ------------------------------------------------------------------ orders

export const LAB_PRIORITIES = ['routine', 'urgent', 'stat'] as const;
export type LabPriority = (typeof LAB_PRIORITIES)[number];
/**
 * ordered → collected (every specimen taken) → received (at the bench) → in_progress (some result
 * entered) → completed (every result released); cancelled before collection.
 */
export const LAB_ORDER_STATUSES = ['ordered', 'collected', 'received', 'in_progress', 'completed', 'cancelled'] as const;
export type LabOrderStatus = (typeof LAB_ORDER_STATUSES)[number];
/** entered → verified (by a second person, where the test requires it) → released (the doctor sees it; the portal too unless held) */
export const LAB_RESULT_STATUSES = ['entered', 'verified', 'released'] as const;
export type LabResultStatus = (typeof LAB_RESULT_STATUSES)[number];
/** L/H outside the reference range, LL/HH beyond a critical limit, A an abnormal coded answer */
export const LAB_FLAGS = ['L', 'H', 'LL', 'HH', 'A'] as const;
export type LabFlag = (typeof LAB_FLAGS)[number];

export const CreateLabOrderInput = Type.Object(
  {
    encounterId: Uuid,
    /** tests and panels of the catalogue */
    testIds: Type.Array(Uuid, { minItems: 1, maxItems: 30 }),
    priority: Type.Optional(Enum(LAB_PRIORITIES, { default: 'routine' })),
    clinicalNotes: Type.Optional(OptionalText(2000)),
  },
  { additionalProperties: false },
);
export type CreateLabOrderInput = Static<typeof CreateLabOrderInput>;

/** A result of one analyte, with the range it was judged against (a snapshot: later catalogue edits do not change it). */
export const LabResult = Type.Object({
  id: Uuid,
  orderItemId: Uuid,
  testId: Uuid,
  code: Type.String(),
  loinc: Nullable(Type.String()),
  name: Type.String(),
  /** the name in French where the catalogue has one */
  nameFr: Nullable(Type.String()),
  resultType: Enum(RESULT_TYPES),
  valueNumeric: Nullable(Type.Number()),
  valueCode: Nullable(Type.String()),
  valueText: Nullable(Type.String()),
  unit: Nullable(Type.String()),
  range: Nullable(ReferenceRange),
  /** the range as people read it: '3.5–5.1', '< 200', 'negative' */
  rangeText: Nullable(Type.String()),
  flag: Nullable(Enum(LAB_FLAGS)),
  critical: Type.Boolean(),
  status: Enum(LAB_RESULT_STATUSES),
  comment: Nullable(Type.String()),
  source: Enum(['manual', 'hl7'] as const),
  /** the specimen's collection time (the time the value describes) */
  observedAt: Nullable(DateTime),
  enteredAt: DateTime,
  enteredBy: Nullable(Person),
  verifiedAt: Nullable(DateTime),
  verifiedBy: Nullable(Person),
  releasedAt: Nullable(DateTime),
  releasedBy: Nullable(Person),
  /** the doctor holds it back from the portal */
  portalHold: Type.Boolean(),
  version: Type.Integer(),
});
export type LabResult = Static<typeof LabResult>;

export const LabSpecimen = Type.Object({
  id: Uuid,
  /** printed on the barcode label; what outside systems call the filler order number */
  accessionNumber: Type.String(),
  specimenType: Enum(SPECIMEN_TYPES),
  collectedAt: Nullable(DateTime),
  collectedBy: Nullable(Person),
  receivedAt: Nullable(DateTime),
  receivedBy: Nullable(Person),
});
export type LabSpecimen = Static<typeof LabSpecimen>;

/** An ordered test or panel; a panel's results are its members'. */
export const LabOrderItem = Type.Object({
  id: Uuid,
  testId: Uuid,
  code: Type.String(),
  name: Type.String(),
  /** the name in French where the catalogue has one */
  nameFr: Nullable(Type.String()),
  kind: Enum(TEST_KINDS),
  specimenId: Nullable(Uuid),
  /** the tests whose results it expects: itself, or a panel's members */
  expected: Type.Array(
    Type.Object({
      testId: Uuid,
      code: Type.String(),
      name: Type.String(),
      /** the name in French where the catalogue has one */
      nameFr: Nullable(Type.String()),
      resultType: Enum(RESULT_TYPES),
      unit: Nullable(Type.String()),
      answers: Type.Array(CodedAnswer),
      requiresVerification: Type.Boolean(),
      /** the range for this patient on the collection day (or today, before collection) */
      range: Nullable(ReferenceRange),
    }),
  ),
  results: Type.Array(LabResult),
});
export type LabOrderItem = Static<typeof LabOrderItem>;

export const LabOrder = Type.Object({
  id: Uuid,
  /** the placer order number, shown to people and sent in HL7 ORC-2 / OBR-2 */
  number: Type.String(),
  clinicId: Uuid,
  patient: Type.Object({ id: Uuid, name: Type.String(), mrn: Type.String(), birthDate: StoredDate, sex: Type.String() }),
  encounterId: Nullable(Uuid),
  /** null for an order that came from an outside laboratory (HL7): "outside laboratory" */
  orderedBy: Nullable(Person),
  orderedAt: DateTime,
  priority: Enum(LAB_PRIORITIES),
  clinicalNotes: Nullable(Type.String()),
  status: Enum(LAB_ORDER_STATUSES),
  /** when a routine turnaround (or 4 h urgent, 1 h stat) says results are due */
  dueAt: DateTime,
  items: Type.Array(LabOrderItem),
  specimens: Type.Array(LabSpecimen),
  /** outside reports uploaded as documents (category lab_report) and linked to it */
  documentIds: Type.Array(Uuid),
  cancelledReason: Nullable(Type.String()),
  version: Type.Integer(),
});
export type LabOrder = Static<typeof LabOrder>;
export const LabOrderList = Type.Object({ data: Type.Array(LabOrder) });
export type LabOrderList = Static<typeof LabOrderList>;

export const CancelLabOrderInput = Type.Object(
  { reason: RequiredText(500), version: Version() },
  { additionalProperties: false },
);
export type CancelLabOrderInput = Static<typeof CancelLabOrderInput>;

/** The lab's worklist at the active clinic: orders not completed nor cancelled, stat first, then oldest. */
export const WorklistQuery = Type.Object(
  {
    /** which step: to collect, to receive, to enter (received or in progress), to verify, to release */
    step: Type.Optional(Enum(['collect', 'receive', 'enter', 'verify', 'release'] as const)),
    /** a patient's name or MRN, an order or accession number */
    q: Type.Optional(OptionalText(100)),
    limit: Type.Optional(Integer({ minimum: 1, maximum: 200, default: 100 })),
  },
  { additionalProperties: false },
);
export type WorklistQuery = Static<typeof WorklistQuery>;

/** How many of the active clinic's open orders wait at each step, and how many of them are not routine. */
export const WorklistCountsQuery = Type.Object(
  {
    /** a patient's name or MRN, an order or accession number */
    q: Type.Optional(OptionalText(100)),
  },
  { additionalProperties: false },
);
export type WorklistCountsQuery = Static<typeof WorklistCountsQuery>;
export const WorklistCounts = Type.Object({
  counts: Type.Object({
    collect: Type.Integer(),
    receive: Type.Integer(),
    enter: Type.Integer(),
    verify: Type.Integer(),
    release: Type.Integer(),
  }),
  /** open orders (at any step) that are urgent or stat */
  urgent: Type.Integer(),
});
export type WorklistCounts = Static<typeof WorklistCounts>;

/** Collect the order's specimens now: one per specimen type, each with a new accession number. */
export const CollectInput = Type.Object(
  { version: Version(), collectedAt: Type.Optional(Type.String({ format: 'date-time' })) },
  { additionalProperties: false },
);
export type CollectInput = Static<typeof CollectInput>;
export const ReceiveInput = Type.Object({ version: Version() }, { additionalProperties: false });
export type ReceiveInput = Static<typeof ReceiveInput>;

/** Results entered together (a panel at once); each replaces an unverified result of the same test. */
export const EnterResultsInput = Type.Object(
  {
    results: Type.Array(
      Type.Object(
        {
          orderItemId: Uuid,
          testId: Uuid,
          valueNumeric: Type.Optional(Decimal({ minimum: -1e9, maximum: 1e9 })),
          valueCode: Type.Optional(RequiredText(40)),
          valueText: Type.Optional(RequiredText(2000)),
          /** UCUM; defaults to the test's unit, converted to it when another */
          unit: Type.Optional(RequiredText(40)),
          comment: Type.Optional(OptionalText(1000)),
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 60 },
    ),
    version: Version(),
  },
  { additionalProperties: false },
);
export type EnterResultsInput = Static<typeof EnterResultsInput>;

/** Verify (or release) these results of the order; all or none. */
export const ResultIdsInput = Type.Object(
  { resultIds: Type.Array(Uuid, { minItems: 1, maxItems: 60 }), version: Version() },
  { additionalProperties: false },
);
export type ResultIdsInput = Static<typeof ResultIdsInput>;

/** The doctor holds a released result back from the portal, or lets it through. */
export const PortalHoldInput = Type.Object({ hold: Type.Boolean(), version: Version() }, { additionalProperties: false });
export type PortalHoldInput = Static<typeof PortalHoldInput>;

export const OrderIdParams = Type.Object({ orderId: Uuid }, { additionalProperties: false });
export const ResultIdParams = Type.Object({ resultId: Uuid }, { additionalProperties: false });
export const TestIdParams = Type.Object({ testId: Uuid }, { additionalProperties: false });

/** Link an uploaded document (category lab_report, same patient) to an order. */
export const LinkDocumentInput = Type.Object({ documentId: Uuid }, { additionalProperties: false });
export type LinkDocumentInput = Static<typeof LinkDocumentInput>;

// ------------------------------------------------------------------ a patient's results

export const PatientOrdersQuery = Type.Object(
  {
    status: Type.Optional(Enum(LAB_ORDER_STATUSES)),
    encounterId: Type.Optional(Uuid),
    limit: Type.Optional(Integer({ minimum: 1, maximum: 100, default: 50 })),
  },
  { additionalProperties: false },
);
export type PatientOrdersQuery = Static<typeof PatientOrdersQuery>;

/**
 * The results table of a patient: tests as rows, collection dates as columns (newest first), each
 * cell the released (or, for the lab and the ordering doctor, any) result of that test that day.
 */
export const ResultsTableQuery = Type.Object(
  {
    from: Type.Optional(IsoDate),
    to: Type.Optional(IsoDate),
    /** at most this many columns (dates) */
    columns: Type.Optional(Integer({ minimum: 1, maximum: 60, default: 12 })),
  },
  { additionalProperties: false },
);
export type ResultsTableQuery = Static<typeof ResultsTableQuery>;

export const ResultCell = Type.Object({
  resultId: Uuid,
  orderId: Uuid,
  value: Type.String(),
  valueNumeric: Nullable(Type.Number()),
  unit: Nullable(Type.String()),
  flag: Nullable(Enum(LAB_FLAGS)),
  status: Enum(LAB_RESULT_STATUSES),
  rangeText: Nullable(Type.String()),
});
export type ResultCell = Static<typeof ResultCell>;

export const ResultsTable = Type.Object({
  /** collection dates (the patient's clinic day), newest first */
  columns: Type.Array(StoredDate),
  rows: Type.Array(
    Type.Object({
      testId: Uuid,
      code: Type.String(),
      loinc: Nullable(Type.String()),
      name: Type.String(),
      /** the name in French where the catalogue has one */
      nameFr: Nullable(Type.String()),
      unit: Nullable(Type.String()),
      /** one entry per column: null where the test was not done that day */
      cells: Type.Array(Nullable(ResultCell)),
    }),
  ),
});
export type ResultsTable = Static<typeof ResultsTable>;

/** One analyte over time, with the reference band of the patient today. */
export const TrendQuery = Type.Object(
  { testId: Uuid, limit: Type.Optional(Integer({ minimum: 1, maximum: 500, default: 100 })) },
  { additionalProperties: false },
);
export type TrendQuery = Static<typeof TrendQuery>;
export const Trend = Type.Object({
  testId: Uuid,
  name: Type.String(),
  /** the name in French where the catalogue has one */
  nameFr: Nullable(Type.String()),
  unit: Nullable(Type.String()),
  range: Nullable(ReferenceRange),
  points: Type.Array(Type.Object({ resultId: Uuid, at: DateTime, value: Type.Number(), flag: Nullable(Enum(LAB_FLAGS)) })),
});
export type Trend = Static<typeof Trend>;

// ------------------------------------------------------------------ critical values

export const LAB_ALERT_STATUSES = ['open', 'acknowledged'] as const;
export type LabAlertStatus = (typeof LAB_ALERT_STATUSES)[number];
/** Minutes a critical alert waits for acknowledgement before each escalation, when the clinic has not said otherwise. */
export const LAB_CRITICAL_DEFAULT_MINUTES = 15;
export const LAB_CRITICAL_MAX_ESCALATION = 3;

/**
 * A critical value: raised when a result beyond a critical limit is released (or verified, if it
 * needs verification), addressed to the ordering doctor; escalated to the clinic's doctors on duty
 * every `escalationMinutes` while nobody acknowledges it.
 */
export const LabCriticalAlert = Type.Object({
  id: Uuid,
  clinicId: Uuid,
  patient: Type.Object({ id: Uuid, name: Type.String(), mrn: Type.String() }),
  orderId: Uuid,
  orderNumber: Type.String(),
  result: Type.Object({
    id: Uuid,
    name: Type.String(),
    /** the name in French where the catalogue has one */
    nameFr: Nullable(Type.String()),
    value: Type.String(),
    unit: Nullable(Type.String()),
    flag: Nullable(Enum(LAB_FLAGS)),
    rangeText: Nullable(Type.String()),
  }),
  /** null for an outside order (the clinic's doctors are told) */
  orderedBy: Nullable(Person),
  status: Enum(LAB_ALERT_STATUSES),
  /** 0 when raised, +1 at each escalation */
  level: Type.Integer(),
  raisedAt: DateTime,
  escalatedAt: Nullable(DateTime),
  acknowledgedAt: Nullable(DateTime),
  acknowledgedBy: Nullable(Person),
  note: Nullable(Type.String()),
});
export type LabCriticalAlert = Static<typeof LabCriticalAlert>;
export const LabCriticalAlertList = Type.Object({ data: Type.Array(LabCriticalAlert) });
export type LabCriticalAlertList = Static<typeof LabCriticalAlertList>;
export const LabAlertsQuery = Type.Object(
  { status: Type.Optional(Enum(LAB_ALERT_STATUSES)), mine: Type.Optional(Type.Boolean()) },
  { additionalProperties: false },
);
export type LabAlertsQuery = Static<typeof LabAlertsQuery>;
export const AcknowledgeLabAlertInput = Type.Object({ note: Type.Optional(OptionalText(500)) }, { additionalProperties: false });
export type AcknowledgeLabAlertInput = Static<typeof AcknowledgeLabAlertInput>;
export const AlertIdParams = Type.Object({ alertId: Uuid }, { additionalProperties: false });

/** A clinic's lab settings. */
export const LabSettings = Type.Object(
  { criticalEscalationMinutes: Integer({ minimum: 1, maximum: 1440 }) },
  { additionalProperties: false },
);
export type LabSettings = Static<typeof LabSettings>;

// ------------------------------------------------------------------ the portal

/** A released result the patient may see (not held), with its reference range. */
export const PortalLabResult = Type.Object({
  id: Uuid,
  orderNumber: Type.String(),
  name: Type.String(),
  nameFr: Nullable(Type.String()),
  value: Type.String(),
  unit: Nullable(Type.String()),
  rangeText: Nullable(Type.String()),
  flag: Nullable(Enum(LAB_FLAGS)),
  observedAt: Nullable(DateTime),
  releasedAt: DateTime,
});
export type PortalLabResult = Static<typeof PortalLabResult>;
export const PortalLabResultList = Type.Object({ data: Type.Array(PortalLabResult) });
export type PortalLabResultList = Static<typeof PortalLabResultList>;

// ------------------------------------------------------------------ realtime

/** Identifiers only. To `lab:<clinicId>` (the lab), `chart:<clinicId>` and, for critical alerts, `user:<orderedBy>`. */
export interface Events {
  'lab.order.changed': { orderId: string; patientId: string; clinicId: string; status: LabOrderStatus };
  'lab.results.released': { orderId: string; patientId: string; clinicId: string; resultIds: string[] };
  'lab.critical.raised': { alertId: string; patientId: string; clinicId: string; orderedBy: string | null };
  'lab.critical.escalated': { alertId: string; patientId: string; clinicId: string; level: number };
  'lab.critical.acknowledged': { alertId: string; patientId: string; clinicId: string };
}
export const events = [
  'lab.order.changed',
  'lab.results.released',
  'lab.critical.raised',
  'lab.critical.escalated',
  'lab.critical.acknowledged',
] as const satisfies readonly (keyof Events)[];
