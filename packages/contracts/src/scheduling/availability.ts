import { Type, type Static } from '@sinclair/typebox';
import { Integer, IsoDate, IsoDateTime, NullableText, StoredDate, Uuid } from '../common.ts';

const Time = Type.String({ pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$', description: 'HH:MM, clinic local time' });

export const TemplateInput = Type.Object(
  {
    weekday: Integer({ minimum: 1, maximum: 7, description: 'ISO weekday: 1 = Monday … 7 = Sunday' }),
    startTime: Time,
    endTime: Time,
    slotMinutes: Integer({ minimum: 5, maximum: 480, description: 'the booking grid step' }),
    bufferMinutes: Type.Optional(Integer({ minimum: 0, maximum: 240, description: 'free time kept after each visit' })),
    visitTypeIds: Type.Optional(Type.Array(Uuid, { maxItems: 30, description: 'bookable visit types; empty = any' })),
    validFrom: Type.Optional(Type.Union([IsoDate, Type.Null()])),
    validTo: Type.Optional(Type.Union([IsoDate, Type.Null()])),
  },
  { additionalProperties: false },
);
export type TemplateInput = Static<typeof TemplateInput>;

export const PutTemplatesBody = Type.Object(
  {
    clinicId: Uuid,
    templates: Type.Array(TemplateInput, { maxItems: 100, description: 'the whole weekly set at this clinic' }),
  },
  { additionalProperties: false },
);
export type PutTemplatesBody = Static<typeof PutTemplatesBody>;

export const Template = Type.Object({
  id: Uuid,
  practitionerId: Uuid,
  clinicId: Uuid,
  weekday: Type.Integer(),
  startTime: Type.String(),
  endTime: Type.String(),
  slotMinutes: Type.Integer(),
  bufferMinutes: Type.Integer(),
  visitTypeIds: Type.Array(Uuid),
  validFrom: Type.Union([StoredDate, Type.Null()]),
  validTo: Type.Union([StoredDate, Type.Null()]),
});
export type Template = Static<typeof Template>;
export const TemplateList = Type.Object({ data: Type.Array(Template) });

export const EXCEPTION_KINDS = ['leave', 'holiday', 'closure', 'other'] as const;
export type ExceptionKind = (typeof EXCEPTION_KINDS)[number];
const ExceptionKind = Type.Union(EXCEPTION_KINDS.map((k) => Type.Literal(k)));

export const CreateExceptionBody = Type.Object(
  {
    practitionerId: Type.Union([Uuid, Type.Null()], { description: 'null: the whole clinic (needs settings:write)' }),
    clinicId: Type.Optional(
      Type.Union([Uuid, Type.Null()], {
        description: 'a practitioner’s leave: null = at every clinic; clinic-wide: defaults to the active clinic',
      }),
    ),
    kind: ExceptionKind,
    startsAt: IsoDateTime,
    endsAt: IsoDateTime,
    reason: Type.Optional(NullableText(300)),
  },
  { additionalProperties: false },
);
export type CreateExceptionBody = Static<typeof CreateExceptionBody>;

export const AvailabilityException = Type.Object({
  id: Uuid,
  practitionerId: Type.Union([Uuid, Type.Null()]),
  clinicId: Type.Union([Uuid, Type.Null()]),
  kind: ExceptionKind,
  startsAt: IsoDateTime,
  endsAt: IsoDateTime,
  reason: Type.Union([Type.String(), Type.Null()]),
});
export type AvailabilityException = Static<typeof AvailabilityException>;

export const AvailabilityQuery = Type.Object({ clinicId: Type.Optional(Uuid) }, { additionalProperties: false });

export const ClinicExceptionsQuery = Type.Object({ clinicId: Uuid }, { additionalProperties: false });

export const ExceptionList = Type.Object({
  data: Type.Array(AvailabilityException, { description: 'current and future ones, earliest first' }),
});

export const Availability = Type.Object({
  templates: Type.Array(Template),
  exceptions: Type.Array(AvailabilityException, { description: 'current and future ones' }),
});

export const SlotsQuery = Type.Object(
  {
    clinicId: Uuid,
    visitTypeId: Uuid,
    from: IsoDate,
    to: IsoDate,
  },
  { additionalProperties: false },
);
export type SlotsQuery = Static<typeof SlotsQuery>;

export const Slots = Type.Object({
  timezone: Type.String({ description: 'IANA zone of the clinic; slot times carry its offset' }),
  data: Type.Array(Type.Object({ startsAt: IsoDateTime, endsAt: IsoDateTime })),
});
