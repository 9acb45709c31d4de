/** The patient portal: what a patient user may do on their own record. */
import { Type, type Static, type TLiteral, type TSchema, type TUnion } from '@sinclair/typebox';
import { Integer, StoredDate, Uuid } from './common.ts';
import { EncounterTypeSchema } from './encounters.ts';
import {
  ALLERGY_CATEGORIES,
  ALLERGY_STATUSES,
  ALLERGY_TYPES,
  CRITICALITIES,
  MANIFESTATIONS,
  type PROBLEM_STATUSES,
  SEVERITIES,
  SUBSTANCE_CODES,
  type VERIFICATION_STATUSES,
} from './history.ts';
import { DIAGNOSIS_RANKS } from './notes.ts';
import { IMMUNIZATION_ROUTES, IMMUNIZATION_SITES, IMMUNIZATION_SOURCES } from './immunizations.ts';
import { Currency, INVOICE_STATUSES, Invoice, Money } from './billing.ts';
import { Payment } from './payments.ts';

export const permissions = ['portal:self'] as const;

const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const Enum = <const T extends readonly string[]>(values: T) =>
  Type.Union(values.map((v) => Type.Literal(v))) as unknown as TUnion<TLiteral<T[number]>[]>;

/** What the portal shows of a problem's status and an allergy's verification (never entered in error, nor refuted). */
const SHOWN_PROBLEM_STATUSES = ['active', 'inactive', 'resolved'] as const satisfies readonly (typeof PROBLEM_STATUSES)[number][];
const SHOWN_VERIFICATION = ['unconfirmed', 'confirmed'] as const satisfies readonly (typeof VERIFICATION_STATUSES)[number][];

// ------------------------------------------------------------------ my visits

/**
 * One of my visits whose note is signed, as the portal shows it: when and where, who signed, the
 * diagnoses and the summary written for me — never the clinician's SOAP sections, drafts or addenda.
 */
export const PortalVisit = Type.Object({
  encounterId: Uuid,
  startedAt: Type.String({ format: 'date-time' }),
  type: EncounterTypeSchema,
  clinic: Type.Object({ id: Uuid, name: Type.String() }),
  /** the practitioner who signed the note */
  signedBy: Type.String(),
  signedAt: Type.String({ format: 'date-time' }),
  diagnoses: Type.Array(Type.Object({ code: Type.String(), description: Type.String(), rank: Enum(DIAGNOSIS_RANKS) })),
  /** what the practitioner wrote for me; null when they wrote nothing */
  patientSummary: Nullable(Type.String()),
});
export type PortalVisit = Static<typeof PortalVisit>;

export const PortalVisitList = Type.Object({ data: Type.Array(PortalVisit), nextCursor: Nullable(Type.String()) });
export type PortalVisitList = Static<typeof PortalVisitList>;

export const PortalVisitQuery = Type.Object(
  {
    limit: Type.Optional(Integer({ minimum: 1, maximum: 50, default: 10 })),
    /** the last visit of the previous page (its encounterId) */
    cursor: Type.Optional(Type.String({ maxLength: 100 })),
  },
  { additionalProperties: false },
);
export type PortalVisitQuery = Static<typeof PortalVisitQuery>;

export const PortalVisitParams = Type.Object({ encounterId: Uuid }, { additionalProperties: false });

// ------------------------------------------------------------------ my health

/** A problem of my list (never one entered in error), without the clinician's note. */
export const PortalProblem = Type.Object({
  id: Uuid,
  code: Nullable(Type.String()),
  description: Type.String(),
  status: Enum(SHOWN_PROBLEM_STATUSES),
  onsetDate: Nullable(StoredDate),
  resolutionDate: Nullable(StoredDate),
});
export type PortalProblem = Static<typeof PortalProblem>;
export const PortalProblemList = Type.Object({ data: Type.Array(PortalProblem) });
export type PortalProblemList = Static<typeof PortalProblemList>;

/** An allergy or intolerance of mine (never one refuted or entered in error), without the clinician's note. */
export const PortalAllergy = Type.Object({
  id: Uuid,
  /** a common substance (translated by the web), or null for the clinician's words in `substance` */
  substanceCode: Nullable(Enum(SUBSTANCE_CODES)),
  substance: Type.String(),
  type: Enum(ALLERGY_TYPES),
  category: Enum(ALLERGY_CATEGORIES),
  reaction: Nullable(Type.String()),
  manifestations: Type.Array(Enum(MANIFESTATIONS)),
  severity: Nullable(Enum(SEVERITIES)),
  criticality: Enum(CRITICALITIES),
  verificationStatus: Enum(SHOWN_VERIFICATION),
  status: Enum(ALLERGY_STATUSES),
  onsetDate: Nullable(StoredDate),
});
export type PortalAllergy = Static<typeof PortalAllergy>;

/**
 * What my record says about allergies: `recorded` (the list), `no_known` (a clinician stated that I
 * have none, `noKnownStatedAt`), or `not_recorded` (nobody has asked yet: not the same as none).
 */
export const ALLERGY_RECORD_STATES = ['recorded', 'no_known', 'not_recorded'] as const;
export type AllergyRecordState = (typeof ALLERGY_RECORD_STATES)[number];
export const PortalAllergyList = Type.Object({
  state: Enum(ALLERGY_RECORD_STATES),
  noKnownStatedAt: Nullable(Type.String({ format: 'date-time' })),
  data: Type.Array(PortalAllergy),
});
export type PortalAllergyList = Static<typeof PortalAllergyList>;

/** A vaccine I received (never one entered in error), without lot number or the clinician's note. */
export const PortalImmunization = Type.Object({
  id: Uuid,
  cvxCode: Type.String(),
  vaccine: Type.String(),
  occurredOn: StoredDate,
  doseNumber: Nullable(Type.Integer()),
  site: Nullable(Enum(IMMUNIZATION_SITES)),
  route: Nullable(Enum(IMMUNIZATION_ROUTES)),
  source: Enum(IMMUNIZATION_SOURCES),
  /** who gave it: the practitioner here, or the name of whoever gave it elsewhere */
  givenBy: Nullable(Type.String()),
});
export type PortalImmunization = Static<typeof PortalImmunization>;
export const PortalImmunizationList = Type.Object({ data: Type.Array(PortalImmunization) });
export type PortalImmunizationList = Static<typeof PortalImmunizationList>;

// ------------------------------------------------------------------ my invoices and payments

/** One of my issued invoices (any clinic), in a list. */
export const PortalInvoice = Type.Object({
  id: Uuid,
  number: Type.String(),
  clinic: Type.String(),
  status: Enum(INVOICE_STATUSES),
  currency: Currency,
  total: Money,
  paid: Money,
  credited: Money,
  balance: Money,
  issuedAt: Nullable(Type.String({ format: 'date-time' })),
  dueDate: Nullable(StoredDate),
});
export type PortalInvoice = Static<typeof PortalInvoice>;
export const PortalInvoiceList = Type.Object({ data: Type.Array(PortalInvoice) });
export type PortalInvoiceList = Static<typeof PortalInvoiceList>;
/** One of my invoices with its lines and the payments made on it (receipts at /api/portal/payments/:id/receipt). */
export const PortalInvoiceDetail = Type.Object({ invoice: Invoice, payments: Type.Array(Payment) });
export type PortalInvoiceDetail = Static<typeof PortalInvoiceDetail>;
