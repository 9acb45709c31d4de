// Immunizations: the vaccines a patient received, coded with CDC's CVX (see ./terminology.ts), given
// at the clinic or reported (given elsewhere). Never deleted: a mistake is corrected or marked
// entered in error, and every change is kept with who made it and when.
import { Type, type Static } from '@sinclair/typebox';
import { Integer, IsoDate, NullableText, OptionalText, RequiredText, StoredDate, Uuid, Version } from './common.ts';
import { CvxCodeValue } from './terminology.ts';

export const permissions = ['immunizations:read', 'immunizations:write'] as const;
export const errorCodes = [] as const;

/** Where the vaccine was injected or given. */
export const IMMUNIZATION_SITES = [
  'left_deltoid',
  'right_deltoid',
  'left_thigh',
  'right_thigh',
  'left_upper_arm',
  'right_upper_arm',
  'left_forearm',
  'right_forearm',
  'left_gluteal',
  'right_gluteal',
  'mouth',
  'nose',
  'other',
] as const;
export type ImmunizationSite = (typeof IMMUNIZATION_SITES)[number];

export const IMMUNIZATION_ROUTES = ['intramuscular', 'subcutaneous', 'intradermal', 'oral', 'intranasal', 'other'] as const;
export type ImmunizationRoute = (typeof IMMUNIZATION_ROUTES)[number];

/** Given here by the recording clinic, or reported: given elsewhere (a card, another health centre, the patient's word). */
export const IMMUNIZATION_SOURCES = ['administered', 'reported'] as const;
export type ImmunizationSource = (typeof IMMUNIZATION_SOURCES)[number];

export const IMMUNIZATION_STATUSES = ['completed', 'entered_in_error'] as const;
export type ImmunizationStatus = (typeof IMMUNIZATION_STATUSES)[number];

export const IMMUNIZATION_ACTIONS = ['recorded', 'corrected', 'entered_in_error'] as const;
export type ImmunizationAction = (typeof IMMUNIZATION_ACTIONS)[number];

const Site = Type.Union(IMMUNIZATION_SITES.map((s) => Type.Literal(s)));
const Route = Type.Union(IMMUNIZATION_ROUTES.map((s) => Type.Literal(s)));
const Source = Type.Union(IMMUNIZATION_SOURCES.map((s) => Type.Literal(s)));

const fields = {
  /** the vaccine, a CVX code of the terminology */
  cvxCode: CvxCodeValue,
  /** the day it was given: not in the future, not before the patient's birth */
  occurredOn: IsoDate,
  lotNumber: Type.Optional(OptionalText(50)),
  site: Type.Optional(Site),
  route: Type.Optional(Route),
  /** the dose in its series (1 for the first) */
  doseNumber: Type.Optional(Integer({ minimum: 1, maximum: 20 })),
  /** who gave it, when not the user recording it (a vaccine given elsewhere: a name, a health centre) */
  performerName: Type.Optional(OptionalText(120)),
  note: Type.Optional(OptionalText(1000)),
};

/**
 * A vaccine recorded: `source` 'administered' (default) is one given here by the user recording it
 * (its lot number is required: a lot must be traceable); 'reported' was given elsewhere.
 */
export const ImmunizationInput = Type.Object(
  {
    ...fields,
    source: Type.Optional(
      Type.Union(
        IMMUNIZATION_SOURCES.map((s) => Type.Literal(s)),
        { default: 'administered' },
      ),
    ),
  },
  { additionalProperties: false },
);
export type ImmunizationInput = Static<typeof ImmunizationInput>;

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

/** A correction: the version read and the fields that change (null clears an optional one), with why. */
export const ImmunizationCorrection = Type.Object(
  {
    version: Version('the version you read; a stale one answers 409 STALE_VERSION'),
    cvxCode: Type.Optional(CvxCodeValue),
    occurredOn: Type.Optional(IsoDate),
    lotNumber: Type.Optional(NullableText(50)),
    site: Type.Optional(Nullable(Site)),
    route: Type.Optional(Nullable(Route)),
    doseNumber: Type.Optional(Nullable(Integer({ minimum: 1, maximum: 20 }))),
    performerName: Type.Optional(NullableText(120)),
    note: Type.Optional(NullableText(1000)),
    source: Type.Optional(Source),
    /** why it is corrected (shown in the history) */
    reason: Type.Optional(OptionalText(500)),
  },
  { additionalProperties: false },
);
export type ImmunizationCorrection = Static<typeof ImmunizationCorrection>;

export const EnteredInError = Type.Object(
  {
    version: Version('the version you read; a stale one answers 409 STALE_VERSION'),
    reason: RequiredText(500),
  },
  { additionalProperties: false },
);
export type EnteredInError = Static<typeof EnteredInError>;

const Person = Type.Object({ id: Uuid, name: Type.String() });

/** One change of a recorded immunization: what it was and what it became, by whom, when. */
export const ImmunizationChange = Type.Object({
  action: Type.Union(IMMUNIZATION_ACTIONS.map((a) => Type.Literal(a))),
  /** the version the change produced */
  version: Type.Integer(),
  at: Type.String({ format: 'date-time' }),
  by: Person,
  /** field → what it was and what it became (empty for the first recording) */
  changes: Type.Record(Type.String(), Type.Object({ from: Type.Unknown(), to: Type.Unknown() })),
  reason: Nullable(Type.String()),
});
export type ImmunizationChange = Static<typeof ImmunizationChange>;

export const Immunization = Type.Object({
  id: Uuid,
  patientId: Uuid,
  clinicId: Uuid,
  cvxCode: Type.String(),
  /** CDC's short description of the vaccine ('MMR') */
  vaccine: Type.String(),
  occurredOn: StoredDate,
  lotNumber: Nullable(Type.String()),
  site: Nullable(Site),
  route: Nullable(Route),
  doseNumber: Nullable(Type.Integer()),
  source: Source,
  /** the user who gave it here, when known */
  performer: Nullable(Person),
  performerName: Nullable(Type.String()),
  note: Nullable(Type.String()),
  status: Type.Union(IMMUNIZATION_STATUSES.map((s) => Type.Literal(s))),
  version: Type.Integer(),
  recordedAt: Type.String({ format: 'date-time' }),
  recordedBy: Person,
  /** every change, oldest first */
  history: Type.Array(ImmunizationChange),
});
export type Immunization = Static<typeof Immunization>;

export const ImmunizationList = Type.Object({ data: Type.Array(Immunization) });
export type ImmunizationList = Static<typeof ImmunizationList>;

export const PatientIdParams = Type.Object({ patientId: Uuid }, { additionalProperties: false });
export const ImmunizationParams = Type.Object({ patientId: Uuid, id: Uuid }, { additionalProperties: false });
