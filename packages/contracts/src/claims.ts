// Insurance and claims: payers and their plans (coverage rules: co-pay, co-insurance, covered
// services, limits), patients' coverages (member id, validity, relationship to the subscriber), an
// eligibility check at check-in, and claims built from an invoice's lines with the encounter's
// ICD-10-CM diagnoses, procedure codes and attachments (the patient's documents): draft → submitted
// → in_review → approved | partially_approved | denied → paid, reviewer notes, resubmission linked to
// the original. Each submission is scored for anomalies with its reasons (amount far from peers,
// the same service claimed twice, unusual frequency, diagnosis–procedure mismatch, amounts just
// under an approval threshold). Every claim event is appended to a hash chain (the claim ledger),
// its head signed, verified by `npm run claims:verify` and the admin page. The `insurer` role sees
// only its payer's claims.
import { Type, type Static } from '@sinclair/typebox';
import { Integer, IsoDate, NullableText, OptionalText, RequiredText, StoredDate, Uuid, Version } from './common.ts';
import { Amount, Currency, Enum, Money, Nullable, Percent, Person } from './billing.ts';
import { DOCUMENT_CATEGORIES } from './documents.ts';

/**
 * - coverage:read — a patient's coverages and the eligibility check (front desk, cashiers, clinical staff);
 * - coverage:write — record or end a patient's coverage (front desk, cashiers);
 * - claims:read — claims at the clinic; for an insurer, its payer's claims only (cashiers, accountants, administrators, insurers);
 * - claims:write — build, attach to, submit and resubmit claims, record the payer's payment (cashiers, accountants);
 * - claims:review — take a submitted claim into review, approve, partially approve, deny, note (insurers);
 * - claims:manage — payers, plans and their rules, insurer accounts, the claim ledger's verification (administrators).
 */
export const permissions = [
  'coverage:read',
  'coverage:write',
  'claims:read',
  'claims:write',
  'claims:review',
  'claims:manage',
] as const;

/**
 * - CLAIM_STATE (409): the transition does not follow from the claim's status (`details.status`, `details.allowed`).
 * - CLAIM_NO_COVERAGE (409): the patient has no coverage valid on the service date with that payer.
 * - CLAIM_LINE_NOT_COVERED (409): a line's service is not covered by the plan (`details.lineId`).
 * - CLAIM_DUPLICATE (409): the invoice already has an open claim with that payer (`details.claimId`).
 * - CLAIM_APPROVAL_EXCEEDS (400): an approved amount above what was claimed on the line.
 */
export const errorCodes = [
  'CLAIM_STATE',
  'CLAIM_NO_COVERAGE',
  'CLAIM_LINE_NOT_COVERED',
  'CLAIM_DUPLICATE',
  'CLAIM_APPROVAL_EXCEEDS',
] as const;

const DateTime = Type.String({ format: 'date-time' });
const PatientRef = Type.Object({ id: Uuid, name: Type.String(), mrn: Type.String() });

// ------------------------------------------------------------------ payers, plans

export const Payer = Type.Object({
  id: Uuid,
  code: Type.String(),
  name: Type.String(),
  email: Nullable(Type.String()),
  phone: Nullable(Type.String()),
  active: Type.Boolean(),
  version: Type.Integer(),
});
export type Payer = Static<typeof Payer>;
export const PayerInput = Type.Object(
  {
    code: RequiredText(20),
    name: RequiredText(200),
    email: Type.Optional(NullableText(254)),
    phone: Type.Optional(NullableText(32)),
  },
  { additionalProperties: false },
);
export const PayerUpdate = Type.Object(
  { ...Type.Partial(PayerInput).properties, active: Type.Optional(Type.Boolean()), version: Version() },
  { additionalProperties: false },
);

/** The billing item kinds a plan covers (see billing's ITEM_KINDS). */
export const PlanRules = Type.Object(
  {
    /** item kinds covered; an empty list covers nothing */
    coveredKinds: Type.Array(Enum(['consultation', 'lab_test', 'medication', 'procedure', 'optical', 'other'] as const), {
      maxItems: 6,
    }),
    /** item codes excluded although their kind is covered */
    excludedCodes: Type.Array(RequiredText(120), { maxItems: 200 }),
    /** a fixed amount the patient pays per invoice, in the plan's currency */
    copay: Amount,
    /** the patient's share of the rest, as a percentage */
    coinsurancePercent: Percent,
    /** what the payer pays per member per calendar year (null: no limit) */
    annualLimit: Nullable(Amount),
    /** what the payer pays per claim (null: no limit) */
    perClaimLimit: Nullable(Amount),
    /** claims above this amount need the payer's prior approval (used by the anomaly score) */
    approvalThreshold: Nullable(Amount),
  },
  { additionalProperties: false },
);
export type PlanRules = Static<typeof PlanRules>;

export const Plan = Type.Object({
  id: Uuid,
  payerId: Uuid,
  code: Type.String(),
  name: Type.String(),
  currency: Currency,
  rules: PlanRules,
  active: Type.Boolean(),
  version: Type.Integer(),
});
export type Plan = Static<typeof Plan>;
export const PlanInput = Type.Object(
  { code: RequiredText(20), name: RequiredText(200), currency: Currency, rules: PlanRules },
  { additionalProperties: false },
);
export const PlanUpdate = Type.Object(
  { ...Type.Partial(PlanInput).properties, active: Type.Optional(Type.Boolean()), version: Version() },
  { additionalProperties: false },
);

// ------------------------------------------------------------------ coverages, eligibility

export const RELATIONSHIPS = ['self', 'spouse', 'child', 'parent', 'other'] as const;
export const Coverage = Type.Object({
  id: Uuid,
  patientId: Uuid,
  payer: Type.Object({ id: Uuid, code: Type.String(), name: Type.String() }),
  plan: Type.Object({ id: Uuid, code: Type.String(), name: Type.String() }),
  memberId: Type.String(),
  subscriberName: Nullable(Type.String()),
  relationship: Enum(RELATIONSHIPS),
  validFrom: StoredDate,
  validTo: Nullable(StoredDate),
  /** 1 is used first */
  priority: Type.Integer(),
  active: Type.Boolean(),
  version: Type.Integer(),
});
export type Coverage = Static<typeof Coverage>;
export const CoverageInput = Type.Object(
  {
    planId: Uuid,
    memberId: RequiredText(60),
    subscriberName: Type.Optional(NullableText(200)),
    relationship: Enum(RELATIONSHIPS),
    validFrom: IsoDate,
    validTo: Type.Optional(Nullable(IsoDate)),
    priority: Type.Optional(Integer({ minimum: 1, maximum: 9 })),
  },
  { additionalProperties: false },
);
export type CoverageInput = Static<typeof CoverageInput>;
export const CoverageUpdate = Type.Object(
  { ...Type.Partial(CoverageInput).properties, active: Type.Optional(Type.Boolean()), version: Version() },
  { additionalProperties: false },
);

/** The answer at check-in: is the patient covered today, by what, and what is left of the year's limit. */
export const Eligibility = Type.Object({
  patientId: Uuid,
  on: StoredDate,
  eligible: Type.Boolean(),
  coverages: Type.Array(
    Type.Object({
      coverage: Coverage,
      eligible: Type.Boolean(),
      /** why not: expired, not_yet_valid, inactive, plan_inactive, limit_reached */
      reason: Nullable(Type.String()),
      copay: Amount,
      coinsurancePercent: Percent,
      remainingAnnual: Nullable(Money),
      currency: Currency,
    }),
  ),
});
export type Eligibility = Static<typeof Eligibility>;

// ------------------------------------------------------------------ claims

export const CLAIM_STATUSES = ['draft', 'submitted', 'in_review', 'approved', 'partially_approved', 'denied', 'paid'] as const;
export type ClaimStatus = (typeof CLAIM_STATUSES)[number];
/** The transitions a claim may take (a denied or partially approved claim is resubmitted as a new claim). */
export const CLAIM_TRANSITIONS: Readonly<Record<ClaimStatus, readonly ClaimStatus[]>> = {
  draft: ['submitted'],
  submitted: ['in_review'],
  in_review: ['approved', 'partially_approved', 'denied'],
  approved: ['paid'],
  partially_approved: ['paid'],
  denied: [],
  paid: [],
};

export const ANOMALY_REASONS = [
  'amount_outlier',
  'duplicate_service',
  'patient_frequency',
  'provider_frequency',
  'diagnosis_mismatch',
  'under_threshold',
] as const;
export type AnomalyReasonCode = (typeof ANOMALY_REASONS)[number];
/** One reason, with the figures it was computed from, e.g. amount 480 vs peers' median 95 (robust z 7.1). */
export const AnomalyReason = Type.Object({
  code: Enum(ANOMALY_REASONS),
  /** what it adds to the score (0–1 each; the score is capped at 1) */
  weight: Type.Number(),
  /** the claim line it is about, when one */
  lineId: Nullable(Uuid),
  /** the figures: { amount, median, mad, z } or { otherClaimId, serviceDate } or { count, days, peers } … */
  details: Type.Record(Type.String(), Type.Union([Type.String(), Type.Number(), Type.Null()])),
});
export type AnomalyReason = Static<typeof AnomalyReason>;

export const ClaimLine = Type.Object({
  id: Uuid,
  invoiceLineId: Uuid,
  serviceDate: StoredDate,
  kind: Type.String(),
  code: Type.String(),
  procedureCode: Nullable(Type.String()),
  description: Type.String(),
  quantity: Type.String(),
  claimed: Amount,
  approved: Nullable(Amount),
  denialReason: Nullable(Type.String()),
});
export type ClaimLine = Static<typeof ClaimLine>;

export const ClaimNote = Type.Object({ id: Uuid, author: Person, text: Type.String(), at: DateTime, fromPayer: Type.Boolean() });
export const ClaimEvent = Type.Object({
  seq: Type.Integer(),
  type: Type.String(),
  at: DateTime,
  actor: Nullable(Person),
  hash: Type.String(),
});

export const Claim = Type.Object({
  id: Uuid,
  clinicId: Uuid,
  clinicName: Type.String(),
  /** CLM-KIN-2026-000123 */
  number: Type.String(),
  status: Enum(CLAIM_STATUSES),
  patient: PatientRef,
  coverage: Type.Object({ id: Uuid, memberId: Type.String(), relationship: Enum(RELATIONSHIPS) }),
  payer: Type.Object({ id: Uuid, code: Type.String(), name: Type.String() }),
  plan: Type.Object({ id: Uuid, code: Type.String(), name: Type.String() }),
  invoiceId: Uuid,
  invoiceNumber: Nullable(Type.String()),
  encounterId: Nullable(Uuid),
  practitioner: Nullable(Person),
  /** ICD-10-CM codes from the encounter, the primary first */
  diagnoses: Type.Array(Type.Object({ code: Type.String(), description: Type.String() })),
  currency: Currency,
  claimed: Amount,
  approved: Nullable(Amount),
  paid: Nullable(Amount),
  /** 0–1, computed at submission; null while draft */
  anomalyScore: Nullable(Type.Number()),
  anomalyReasons: Type.Array(AnomalyReason),
  /** the claim this one resubmits */
  resubmissionOf: Nullable(Uuid),
  resubmittedAs: Nullable(Uuid),
  attachments: Type.Array(Type.Object({ documentId: Uuid, title: Type.String() })),
  lines: Type.Array(ClaimLine),
  notes: Type.Array(ClaimNote),
  events: Type.Array(ClaimEvent),
  submittedAt: Nullable(DateTime),
  decidedAt: Nullable(DateTime),
  createdAt: DateTime,
  version: Type.Integer(),
});
export type Claim = Static<typeof Claim>;
export const ClaimSummary = Type.Omit(Claim, ['lines', 'notes', 'events', 'attachments']);
export type ClaimSummary = Static<typeof ClaimSummary>;

export const ClaimListQuery = Type.Object(
  {
    status: Type.Optional(Enum(CLAIM_STATUSES)),
    payerId: Type.Optional(Uuid),
    patientId: Type.Optional(Uuid),
    /** only claims scored at or above this */
    minScore: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })),
    q: Type.Optional(OptionalText(100)),
    from: Type.Optional(IsoDate),
    to: Type.Optional(IsoDate),
    sort: Type.Optional(Enum(['newest', 'score'] as const, { default: 'newest' })),
    limit: Type.Optional(Integer({ minimum: 1, maximum: 200, default: 50 })),
    offset: Type.Optional(Integer({ minimum: 0, maximum: 100_000, default: 0 })),
  },
  { additionalProperties: false },
);
export type ClaimListQuery = Static<typeof ClaimListQuery>;

/** Builds a draft claim from an issued invoice's covered lines (all of them unless `lineIds`). */
export const ClaimCreate = Type.Object(
  {
    invoiceId: Uuid,
    coverageId: Type.Optional(Uuid),
    lineIds: Type.Optional(Type.Array(Uuid, { minItems: 1, maxItems: 200 })),
  },
  { additionalProperties: false },
);
export type ClaimCreate = Static<typeof ClaimCreate>;

/**
 * What `POST /api/claims` would build from the same body, computed the same way but not written
 * (`POST /api/claims/preview`): the coverage it would use, the diagnoses it would carry, each
 * covered line with what would be claimed on it, and the totals.
 */
export const ClaimPreview = Type.Object({
  invoiceId: Uuid,
  invoiceNumber: Nullable(Type.String()),
  encounterId: Nullable(Uuid),
  coverage: Type.Object({ id: Uuid, memberId: Type.String(), relationship: Enum(RELATIONSHIPS) }),
  payer: Type.Object({ id: Uuid, code: Type.String(), name: Type.String() }),
  plan: Type.Object({ id: Uuid, code: Type.String(), name: Type.String() }),
  /** the earliest service date of the claimed lines: the day the coverage must be valid on */
  serviceDate: StoredDate,
  /** ICD-10-CM codes from the encounter, the primary first (as the claim will carry them) */
  diagnoses: Type.Array(Type.Object({ code: Type.String(), description: Type.String() })),
  currency: Currency,
  lines: Type.Array(
    Type.Object({
      invoiceLineId: Uuid,
      serviceDate: StoredDate,
      kind: Type.String(),
      code: Type.String(),
      procedureCode: Nullable(Type.String()),
      description: Type.String(),
      quantity: Type.String(),
      /** the line's total on the invoice */
      total: Amount,
      /** the payer's share of it */
      claimed: Amount,
    }),
  ),
  totals: Type.Object({
    /** the claimed lines' total */
    gross: Amount,
    /** the co-pay the patient keeps (once per claim) */
    copay: Amount,
    /** the patient's co-insurance share of the rest */
    coinsurance: Amount,
    /** the limit that cut the payer's share, if one did */
    capped: Nullable(Enum(['per_claim_limit', 'annual_limit'] as const)),
    /** what the claim asks of the payer */
    claimed: Amount,
  }),
});
export type ClaimPreview = Static<typeof ClaimPreview>;

/** One of the claim patient's current documents, as the attachment picker lists it (no content). */
export const AttachableDocument = Type.Object({
  id: Uuid,
  title: Type.String(),
  category: Enum(DOCUMENT_CATEGORIES),
  uploadedAt: DateTime,
  /** already attached to this claim */
  attached: Type.Boolean(),
});
export type AttachableDocument = Static<typeof AttachableDocument>;
export const AttachableDocumentList = Type.Object({ data: Type.Array(AttachableDocument) });
export type AttachableDocumentList = Static<typeof AttachableDocumentList>;
export const ClaimAttachInput = Type.Object({ documentId: Uuid, version: Version() }, { additionalProperties: false });
export const ClaimVersionBody = Type.Object({ version: Version() }, { additionalProperties: false });
export const ClaimNoteInput = Type.Object({ text: RequiredText(2000) }, { additionalProperties: false });
export const ClaimDecisionInput = Type.Object(
  {
    decision: Enum(['approved', 'partially_approved', 'denied'] as const),
    /** per line for a partial approval (the others are approved in full for approved, zero for denied) */
    lines: Type.Optional(
      Type.Array(
        Type.Object(
          { lineId: Uuid, approved: Amount, denialReason: Type.Optional(NullableText(500)) },
          { additionalProperties: false },
        ),
        { maxItems: 200 },
      ),
    ),
    note: Type.Optional(NullableText(2000)),
    version: Version(),
  },
  { additionalProperties: false },
);
export type ClaimDecisionInput = Static<typeof ClaimDecisionInput>;
export const ClaimPaidInput = Type.Object(
  { amount: Amount, reference: Type.Optional(NullableText(100)), version: Version() },
  { additionalProperties: false },
);

/** The claim ledger's verification: the first bad event, if any. */
export const LedgerVerification = Type.Object({
  ok: Type.Boolean(),
  checked: Type.Integer(),
  headSeq: Type.Integer(),
  signedHeads: Type.Integer(),
  firstBad: Nullable(Type.Object({ seq: Nullable(Type.Integer()), claimId: Nullable(Uuid), reason: Type.String() })),
  verifiedAt: DateTime,
});
export type LedgerVerification = Static<typeof LedgerVerification>;

export const IdParams = Type.Object({ id: Uuid }, { additionalProperties: false });
export const PatientParams = Type.Object({ patientId: Uuid }, { additionalProperties: false });
export const EligibilityQuery = Type.Object(
  { on: Type.Optional(IsoDate), payerId: Type.Optional(Uuid) },
  { additionalProperties: false },
);

// ------------------------------------------------------------------ lists and small bodies

export const PayerMember = Type.Object({ id: Uuid, name: Type.String(), email: Type.String() });
export const PayerWithMembers = Type.Intersect([Payer, Type.Object({ members: Type.Array(PayerMember) })]);
export const PayerDetail = Type.Intersect([PayerWithMembers, Type.Object({ plans: Type.Array(Plan) })]);
export type PayerDetail = Static<typeof PayerDetail>;
export const PayerList = Type.Object({ data: Type.Array(PayerWithMembers) });
export type PayerList = Static<typeof PayerList>;
export const PlanList = Type.Object({ data: Type.Array(Plan) });
export const PayerMemberInput = Type.Object({ userId: Uuid }, { additionalProperties: false });
export const PayerMemberList = Type.Object({ data: Type.Array(PayerMember) });
export const CoverageList = Type.Object({ data: Type.Array(Coverage) });
export type CoverageList = Static<typeof CoverageList>;
export const ClaimList = Type.Object({
  data: Type.Array(ClaimSummary),
  total: Type.Integer(),
  /** claims per status in the same scope (the queue's tabs) */
  counts: Type.Record(Type.String(), Type.Integer()),
});
export type ClaimList = Static<typeof ClaimList>;

/** Realtime events: identifiers only, to `claims:<clinicId>` and `payer:<payerId>` (the insurer's queue). */
export interface Events {
  'claim.changed': { claimId: string; clinicId: string; payerId: string; status: ClaimStatus };
}
export const events = ['claim.changed'] as const satisfies readonly (keyof Events)[];
