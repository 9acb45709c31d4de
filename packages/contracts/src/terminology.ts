// Terminology: the code sets other domains name things with — ICD-10-CM (diagnoses, FY2026) and CVX
// (vaccines), both public-domain CDC files loaded into the database at start-up. Descriptions are
// CDC's, in English only (there is no French edition of either set).
import { Type, type Static } from '@sinclair/typebox';
import { Integer, OptionalText, RequiredText } from './common.ts';

/** Terminology is not patient data: any staff member who may read charts may search it. */
export const permissions = [] as const;
export const errorCodes = [] as const;

/** An ICD-10-CM code as shown and stored by other domains: the code with its dot ('E11.9'). */
export const ICD10_CODE_PATTERN = '^[A-Z][0-9A-Z][0-9A-Z](\\.[0-9A-Z]{1,4})?$';
export const Icd10CodeValue = Type.String({
  pattern: ICD10_CODE_PATTERN,
  maxLength: 8,
  description: "an ICD-10-CM code with its dot after the third character, e.g. 'E11.9'",
});

export const Icd10Code = Type.Object({
  /** with the dot: 'E11.9' */
  code: Type.String(),
  /** CDC's long description (English) */
  description: Type.String(),
  /** valid for claims (a leaf code); false for a category header such as 'E11' */
  billable: Type.Boolean(),
});
export type Icd10Code = Static<typeof Icd10Code>;

export const Icd10Query = Type.Object(
  {
    /** a code or its beginning ('E11', 'e11.9', 'E119') or words in any order ('diabetes type 2'); the last word may be unfinished */
    q: RequiredText(100),
    limit: Type.Optional(Integer({ minimum: 1, maximum: 50, default: 20 })),
    /** only codes valid for claims (no headers) */
    billableOnly: Type.Optional(Type.Boolean({ default: false })),
  },
  { additionalProperties: false },
);
export type Icd10Query = Static<typeof Icd10Query>;

export const Icd10List = Type.Object({ data: Type.Array(Icd10Code) });
export type Icd10List = Static<typeof Icd10List>;

/** CDC's status of a CVX code. */
export const CVX_STATUSES = ['Active', 'Inactive', 'Non-US', 'Never Active', 'Pending'] as const;
export type CvxStatus = (typeof CVX_STATUSES)[number];

/** A CVX code: one or more digits, e.g. '03' (MMR) or '208'. */
export const CvxCodeValue = Type.String({ pattern: '^[0-9]{1,4}$', description: "a CVX vaccine code, e.g. '03'" });

export const CvxCode = Type.Object({
  code: Type.String(),
  /** CDC's short description, e.g. 'MMR' */
  shortDescription: Type.String(),
  /** the full vaccine name (English) */
  fullName: Type.String(),
  status: Type.String({ description: CVX_STATUSES.join(', ') }),
  /** not a vaccine (an immune globulin, 'no vaccine administered'…) */
  nonvaccine: Type.Boolean(),
});
export type CvxCode = Static<typeof CvxCode>;

export const CvxQuery = Type.Object(
  {
    /** a code or words of the vaccine's names, in any order; absent: the active vaccines */
    q: Type.Optional(OptionalText(100)),
    limit: Type.Optional(Integer({ minimum: 1, maximum: 50, default: 20 })),
  },
  { additionalProperties: false },
);
export type CvxQuery = Static<typeof CvxQuery>;

export const CvxList = Type.Object({ data: Type.Array(CvxCode) });
export type CvxList = Static<typeof CvxList>;
