import { Type, type Static } from '@sinclair/typebox';
import { Decimal, IsoDateTime, NullableText, RequiredText, Uuid } from '../common.ts';

const Language = Type.String({ pattern: '^[a-z]{2,3}$', description: 'ISO 639 code, e.g. fr, en, ln, sw' });
const Currency = Type.String({ pattern: '^[A-Z]{3}$', description: 'ISO 4217, e.g. USD' });
const Fee = Decimal({ minimum: 0, maximum: 1_000_000, multipleOf: 0.01 });

export const NextFreeSlot = Type.Union([Type.Object({ startsAt: IsoDateTime, clinicId: Uuid }), Type.Null()], {
  description: 'the first free slot in the next 14 days (for visitTypeId when given), null when none',
});

export const Practitioner = Type.Object({
  id: Uuid,
  userId: Type.Union([Uuid, Type.Null()]),
  displayName: Type.String(),
  licenceNumber: Type.Union([Type.String(), Type.Null()]),
  bio: Type.Union([Type.String(), Type.Null()]),
  languages: Type.Array(Type.String()),
  feeAmount: Type.Union([Type.Number(), Type.Null()]),
  feeCurrency: Type.Union([Type.String(), Type.Null()]),
  requiresConfirmation: Type.Boolean(),
  icalEnabled: Type.Boolean({ description: 'an iCalendar feed URL has been issued' }),
  active: Type.Boolean(),
  specialties: Type.Array(Type.Object({ id: Uuid, code: Type.String(), name: Type.String(), nameFr: Type.String() })),
  clinicIds: Type.Array(Uuid),
  nextFreeSlot: NextFreeSlot,
});
export type Practitioner = Static<typeof Practitioner>;

export const PractitionersQuery = Type.Object(
  {
    specialtyId: Type.Optional(Uuid),
    clinicId: Type.Optional(Uuid),
    language: Type.Optional(Language),
    q: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'part of the name' })),
    visitTypeId: Type.Optional(Uuid),
    includeInactive: Type.Optional(Type.Boolean({ description: 'also list practitioners who no longer take appointments' })),
  },
  { additionalProperties: false },
);
export type PractitionersQuery = Static<typeof PractitionersQuery>;

export const PractitionerList = Type.Object({ data: Type.Array(Practitioner) });

const editable = {
  displayName: RequiredText(200),
  licenceNumber: NullableText(60),
  bio: NullableText(2000),
  languages: Type.Array(Language, { maxItems: 10, uniqueItems: true }),
  feeAmount: Type.Union([Fee, Type.Null()]),
  feeCurrency: Type.Union([Currency, Type.Null()]),
  requiresConfirmation: Type.Boolean(),
  active: Type.Boolean(),
  specialtyIds: Type.Array(Uuid, { maxItems: 10, uniqueItems: true }),
  clinicIds: Type.Array(Uuid, { minItems: 1, maxItems: 50, uniqueItems: true }),
};

export const CreatePractitionerBody = Type.Object(
  {
    userId: Type.Optional(Type.Union([Uuid, Type.Null()], { description: 'the staff account of this practitioner, if any' })),
    displayName: editable.displayName,
    licenceNumber: Type.Optional(editable.licenceNumber),
    bio: Type.Optional(editable.bio),
    languages: Type.Optional(editable.languages),
    feeAmount: Type.Optional(editable.feeAmount),
    feeCurrency: Type.Optional(editable.feeCurrency),
    requiresConfirmation: Type.Optional(editable.requiresConfirmation),
    specialtyIds: Type.Optional(editable.specialtyIds),
    clinicIds: editable.clinicIds,
  },
  { additionalProperties: false },
);
export type CreatePractitionerBody = Static<typeof CreatePractitionerBody>;

export const UpdatePractitionerBody = Type.Object(
  {
    displayName: Type.Optional(editable.displayName),
    licenceNumber: Type.Optional(editable.licenceNumber),
    bio: Type.Optional(editable.bio),
    languages: Type.Optional(editable.languages),
    feeAmount: Type.Optional(editable.feeAmount),
    feeCurrency: Type.Optional(editable.feeCurrency),
    requiresConfirmation: Type.Optional(editable.requiresConfirmation),
    active: Type.Optional(editable.active),
    specialtyIds: Type.Optional(editable.specialtyIds),
    clinicIds: Type.Optional(editable.clinicIds),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdatePractitionerBody = Static<typeof UpdatePractitionerBody>;

/** what practitioners may change on their own profile */
export const SELF_EDITABLE = ['bio', 'languages', 'feeAmount', 'feeCurrency'] as const;

export const IcalToken = Type.Object({
  url: Type.String({ description: 'the secret feed URL; shown once, only its hash is kept' }),
});
