// The patient's problem list, allergies and intolerances, and history (medical, surgical, family, social).
// Nothing is ever deleted: an item recorded by mistake is marked entered-in-error, and every change
// is kept as a revision (who changed what, and when).
import { Type, type Static, type TLiteral, type TSchema, type TUnion } from '@sinclair/typebox';
import { Decimal, Integer, IsoDate, NullableText, OptionalText, StoredDate, Uuid, Version } from './common.ts';

export const permissions = ['history:read', 'history:write'] as const;

/** 409: "no known allergies" cannot be stated while the patient has active allergies. */
export const errorCodes = ['ALLERGIES_RECORDED'] as const;

const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const Enum = <const T extends readonly string[]>(values: T, options: { description?: string; default?: T[number] } = {}) =>
  Type.Union(
    values.map((v) => Type.Literal(v)),
    options,
  ) as unknown as TUnion<TLiteral<T[number]>[]>;

// ------------------------------------------------------------------ problems

export const PROBLEM_STATUSES = ['active', 'inactive', 'resolved', 'entered_in_error'] as const;
export type ProblemStatus = (typeof PROBLEM_STATUSES)[number];

/** An ICD-10-CM code as written: a letter, two characters, then optionally a dot and up to four more (E11.9, I10). */
export const ICD10_PATTERN = '^[A-Z][0-9][0-9A-Z](\\.[0-9A-Z]{1,4})?$';
const Icd10Code = Type.String({ pattern: ICD10_PATTERN, maxLength: 8, description: 'ICD-10-CM code, e.g. E11.9' });

export const ProblemInput = Type.Object(
  {
    /** ICD-10-CM; without it the description is the problem, in the clinician's words */
    code: Type.Optional(Icd10Code),
    /** required without a code; with one, defaults to the code's description */
    description: Type.Optional(OptionalText(300)),
    status: Type.Optional(Enum(['active', 'inactive', 'resolved'] as const, { default: 'active' })),
    onsetDate: Type.Optional(IsoDate),
    /** only for a resolved problem: not before the onset, not in the future (defaults to today) */
    resolutionDate: Type.Optional(IsoDate),
    note: Type.Optional(OptionalText(1000)),
  },
  { additionalProperties: false },
);
export type ProblemInput = Static<typeof ProblemInput>;

export const ProblemPatch = Type.Object(
  {
    version: Version('the version you read; a stale one answers 409'),
    code: Type.Optional(Nullable(Icd10Code)),
    description: Type.Optional(OptionalText(300)),
    status: Type.Optional(Enum(PROBLEM_STATUSES)),
    onsetDate: Type.Optional(Nullable(IsoDate)),
    resolutionDate: Type.Optional(Nullable(IsoDate)),
    note: Type.Optional(NullableText(1000)),
  },
  { additionalProperties: false },
);
export type ProblemPatch = Static<typeof ProblemPatch>;

const Who = Type.Object({ id: Uuid, name: Type.String() });
const Stamps = {
  version: Type.Integer(),
  createdAt: Type.String({ format: 'date-time' }),
  createdBy: Who,
  updatedAt: Type.String({ format: 'date-time' }),
  updatedBy: Who,
};

export const Problem = Type.Object({
  id: Uuid,
  patientId: Uuid,
  clinicId: Uuid,
  code: Nullable(Type.String()),
  description: Type.String(),
  status: Enum(PROBLEM_STATUSES),
  onsetDate: Nullable(StoredDate),
  resolutionDate: Nullable(StoredDate),
  note: Nullable(Type.String()),
  ...Stamps,
});
export type Problem = Static<typeof Problem>;
export const ProblemList = Type.Object({ data: Type.Array(Problem) });
export type ProblemList = Static<typeof ProblemList>;

// ------------------------------------------------------------------ allergies and intolerances

export const ALLERGY_TYPES = ['allergy', 'intolerance'] as const;
export const ALLERGY_CATEGORIES = ['medication', 'food', 'environment', 'other'] as const;
export type AllergyCategory = (typeof ALLERGY_CATEGORIES)[number];
export const SEVERITIES = ['mild', 'moderate', 'severe'] as const;
export type Severity = (typeof SEVERITIES)[number];
export const CRITICALITIES = ['low', 'high', 'unable_to_assess'] as const;
export type Criticality = (typeof CRITICALITIES)[number];
export const VERIFICATION_STATUSES = ['unconfirmed', 'confirmed', 'refuted', 'entered_in_error'] as const;
export type VerificationStatus = (typeof VERIFICATION_STATUSES)[number];
/** clinical status: an allergy outgrown (egg in childhood) is resolved; one not currently relevant, inactive */
export const ALLERGY_STATUSES = ['active', 'inactive', 'resolved'] as const;
export type AllergyStatus = (typeof ALLERGY_STATUSES)[number];

/** Common allergens and drug classes, with their category; anything else is typed as free text. */
export const COMMON_SUBSTANCES = {
  penicillins: 'medication',
  cephalosporins: 'medication',
  sulfonamides: 'medication',
  nsaids: 'medication',
  aspirin: 'medication',
  opioids: 'medication',
  quinine: 'medication',
  artemisinins: 'medication',
  iodinated_contrast: 'medication',
  latex: 'environment',
  bee_venom: 'environment',
  dust_mites: 'environment',
  pollen: 'environment',
  peanut: 'food',
  tree_nuts: 'food',
  egg: 'food',
  milk: 'food',
  fish: 'food',
  shellfish: 'food',
  soy: 'food',
  wheat: 'food',
} as const satisfies Record<string, AllergyCategory>;
export type SubstanceCode = keyof typeof COMMON_SUBSTANCES;
export const SUBSTANCE_CODES = Object.keys(COMMON_SUBSTANCES) as SubstanceCode[];

/**
 * The English name of each common substance: stored as the allergy's `substance` when none is typed, and the web's
 * English label (its French labels are the history feature's).
 */
export const SUBSTANCE_NAMES: Record<SubstanceCode, string> = {
  penicillins: 'Penicillins',
  cephalosporins: 'Cephalosporins',
  sulfonamides: 'Sulfonamides (sulfa drugs)',
  nsaids: 'NSAIDs',
  aspirin: 'Aspirin',
  opioids: 'Opioids',
  quinine: 'Quinine',
  artemisinins: 'Artemisinins',
  iodinated_contrast: 'Iodinated contrast',
  latex: 'Latex',
  bee_venom: 'Bee and wasp venom',
  dust_mites: 'House dust mites',
  pollen: 'Pollen',
  peanut: 'Peanut',
  tree_nuts: 'Tree nuts',
  egg: 'Egg',
  milk: "Cow's milk",
  fish: 'Fish',
  shellfish: 'Shellfish',
  soy: 'Soy',
  wheat: 'Wheat',
};

/** What the reaction looked like. */
export const MANIFESTATIONS = [
  'rash',
  'urticaria',
  'pruritus',
  'angioedema',
  'anaphylaxis',
  'bronchospasm',
  'nausea_vomiting',
  'diarrhoea',
  'other',
] as const;
export type Manifestation = (typeof MANIFESTATIONS)[number];
const Manifestations = Type.Array(Enum(MANIFESTATIONS), { maxItems: MANIFESTATIONS.length, uniqueItems: true });

export const AllergyInput = Type.Object(
  {
    /** one of the common substances; without it, `substance` in free text */
    substanceCode: Type.Optional(Enum(SUBSTANCE_CODES)),
    /** required without a substance code */
    substance: Type.Optional(OptionalText(200)),
    type: Type.Optional(Enum(ALLERGY_TYPES, { default: 'allergy' })),
    /** defaults to the common substance's category, else `other` */
    category: Type.Optional(Enum(ALLERGY_CATEGORIES)),
    reaction: Type.Optional(OptionalText(500)),
    manifestations: Type.Optional(Manifestations),
    severity: Type.Optional(Enum(SEVERITIES)),
    criticality: Type.Optional(Enum(CRITICALITIES, { default: 'unable_to_assess' })),
    verificationStatus: Type.Optional(Enum(VERIFICATION_STATUSES, { default: 'unconfirmed' })),
    status: Type.Optional(Enum(ALLERGY_STATUSES, { default: 'active' })),
    onsetDate: Type.Optional(IsoDate),
    note: Type.Optional(OptionalText(1000)),
  },
  { additionalProperties: false },
);
export type AllergyInput = Static<typeof AllergyInput>;

export const AllergyPatch = Type.Object(
  {
    version: Version('the version you read; a stale one answers 409'),
    substanceCode: Type.Optional(Nullable(Enum(SUBSTANCE_CODES))),
    substance: Type.Optional(OptionalText(200)),
    type: Type.Optional(Enum(ALLERGY_TYPES)),
    category: Type.Optional(Enum(ALLERGY_CATEGORIES)),
    reaction: Type.Optional(NullableText(500)),
    manifestations: Type.Optional(Manifestations),
    severity: Type.Optional(Nullable(Enum(SEVERITIES))),
    criticality: Type.Optional(Enum(CRITICALITIES)),
    verificationStatus: Type.Optional(Enum(VERIFICATION_STATUSES)),
    status: Type.Optional(Enum(ALLERGY_STATUSES)),
    onsetDate: Type.Optional(Nullable(IsoDate)),
    note: Type.Optional(NullableText(1000)),
  },
  { additionalProperties: false },
);
export type AllergyPatch = Static<typeof AllergyPatch>;

export const Allergy = Type.Object({
  id: Uuid,
  patientId: Uuid,
  clinicId: Uuid,
  substanceCode: Nullable(Enum(SUBSTANCE_CODES)),
  /** the free text, or the common substance's English name */
  substance: Type.String(),
  type: Enum(ALLERGY_TYPES),
  category: Enum(ALLERGY_CATEGORIES),
  reaction: Nullable(Type.String()),
  manifestations: Type.Array(Enum(MANIFESTATIONS)),
  severity: Nullable(Enum(SEVERITIES)),
  criticality: Enum(CRITICALITIES),
  verificationStatus: Enum(VERIFICATION_STATUSES),
  status: Enum(ALLERGY_STATUSES),
  onsetDate: Nullable(StoredDate),
  note: Nullable(Type.String()),
  ...Stamps,
});
export type Allergy = Static<typeof Allergy>;

/** An allergy that counts: active, and neither refuted nor entered in error. */
export const isActiveAllergy = (a: Pick<Allergy, 'status' | 'verificationStatus'>): boolean =>
  a.status === 'active' && (a.verificationStatus === 'unconfirmed' || a.verificationStatus === 'confirmed');

/** "No known allergies", as stated by a clinician: distinct from allergies not recorded yet. */
export const NoKnownAllergies = Type.Object({ statedAt: Type.String({ format: 'date-time' }), statedBy: Who });
export type NoKnownAllergies = Static<typeof NoKnownAllergies>;

export const AllergyList = Type.Object({
  data: Type.Array(Allergy),
  /** null unless a clinician stated it and no allergy has been recorded since */
  noKnownAllergies: Nullable(NoKnownAllergies),
});
export type AllergyList = Static<typeof AllergyList>;

// ------------------------------------------------------------------ history

export const HISTORY_KINDS = ['medical', 'surgical', 'family', 'social'] as const;
export type HistoryKind = (typeof HISTORY_KINDS)[number];
export const RELATIONS = ['mother', 'father', 'sibling', 'child', 'grandparent', 'aunt_uncle', 'spouse', 'other'] as const;
export type Relation = (typeof RELATIONS)[number];
export const TOBACCO_USE = ['never', 'former', 'current'] as const;
export type TobaccoUse = (typeof TOBACCO_USE)[number];
export const ALCOHOL_USE = ['none', 'occasional', 'regular'] as const;
export type AlcoholUse = (typeof ALCOHOL_USE)[number];
export const HISTORY_STATUSES = ['recorded', 'entered_in_error'] as const;
export type HistoryStatus = (typeof HISTORY_STATUSES)[number];

const PackYears = Decimal({ minimum: 0, maximum: 300, description: 'pack-years (packs a day × years smoked)' });
const UnitsPerWeek = Integer({ minimum: 0, maximum: 500, description: 'units of alcohol a week' });

/**
 * One entry of the history. By kind: medical (a past condition) and surgical (an operation) need
 * `condition` and may have a `date`; family needs `relation` and `condition`; social has at least
 * one of tobacco, alcohol and occupation (pack-years only for a former or current smoker, units a
 * week only for someone who drinks). A field that does not belong to the kind is refused.
 */
export const HistoryInput = Type.Object(
  {
    kind: Enum(HISTORY_KINDS),
    condition: Type.Optional(OptionalText(300)),
    relation: Type.Optional(Enum(RELATIONS)),
    /** when it began or was operated (not in the future) */
    date: Type.Optional(IsoDate),
    tobacco: Type.Optional(Enum(TOBACCO_USE)),
    packYears: Type.Optional(PackYears),
    alcohol: Type.Optional(Enum(ALCOHOL_USE)),
    unitsPerWeek: Type.Optional(UnitsPerWeek),
    occupation: Type.Optional(OptionalText(200)),
    note: Type.Optional(OptionalText(1000)),
  },
  { additionalProperties: false },
);
export type HistoryInput = Static<typeof HistoryInput>;

export const HistoryPatch = Type.Object(
  {
    version: Version('the version you read; a stale one answers 409'),
    condition: Type.Optional(OptionalText(300)),
    relation: Type.Optional(Enum(RELATIONS)),
    date: Type.Optional(Nullable(IsoDate)),
    tobacco: Type.Optional(Nullable(Enum(TOBACCO_USE))),
    packYears: Type.Optional(Nullable(PackYears)),
    alcohol: Type.Optional(Nullable(Enum(ALCOHOL_USE))),
    unitsPerWeek: Type.Optional(Nullable(UnitsPerWeek)),
    occupation: Type.Optional(NullableText(200)),
    note: Type.Optional(NullableText(1000)),
    status: Type.Optional(Enum(HISTORY_STATUSES)),
  },
  { additionalProperties: false },
);
export type HistoryPatch = Static<typeof HistoryPatch>;

export const HistoryEntry = Type.Object({
  id: Uuid,
  patientId: Uuid,
  clinicId: Uuid,
  kind: Enum(HISTORY_KINDS),
  condition: Nullable(Type.String()),
  relation: Nullable(Enum(RELATIONS)),
  date: Nullable(StoredDate),
  tobacco: Nullable(Enum(TOBACCO_USE)),
  packYears: Nullable(Type.Number()),
  alcohol: Nullable(Enum(ALCOHOL_USE)),
  unitsPerWeek: Nullable(Type.Integer()),
  occupation: Nullable(Type.String()),
  note: Nullable(Type.String()),
  status: Enum(HISTORY_STATUSES),
  ...Stamps,
});
export type HistoryEntry = Static<typeof HistoryEntry>;
export const HistoryList = Type.Object({ data: Type.Array(HistoryEntry) });
export type HistoryList = Static<typeof HistoryList>;

// ------------------------------------------------------------------ revisions

export const REVISION_ACTIONS = ['created', 'updated', 'resolved', 'entered_in_error'] as const;
export type RevisionAction = (typeof REVISION_ACTIONS)[number];

/** One change of an item: who, when, and each field changed with its value before and after. */
export const Revision = Type.Object({
  version: Type.Integer(),
  action: Enum(REVISION_ACTIONS),
  changedAt: Type.String({ format: 'date-time' }),
  changedBy: Who,
  changes: Type.Record(Type.String(), Type.Object({ from: Type.Unknown(), to: Type.Unknown() })),
});
export type Revision = Static<typeof Revision>;
export const RevisionList = Type.Object({ data: Type.Array(Revision) });
export type RevisionList = Static<typeof RevisionList>;

export const PatientIdParams = Type.Object({ patientId: Uuid }, { additionalProperties: false });
export const ItemParams = Type.Object({ patientId: Uuid, id: Uuid }, { additionalProperties: false });

/** Realtime events: identifiers only. */
export interface Events {
  /** a problem, allergy, NKA statement or history entry of the patient was recorded or changed */
  'history.changed': { patientId: string; clinicId: string; kind: 'problem' | 'allergy' | 'history' };
}
export const events = ['history.changed'] as const satisfies readonly (keyof Events)[];
