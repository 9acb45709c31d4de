import { Type, type Static } from '@sinclair/typebox';
import { Integer, RequiredText, Uuid } from '../common.ts';

const Code = Type.String({ pattern: '^[a-z0-9][a-z0-9_-]{1,39}$', description: 'lower-case letters, digits, _ and -' });
const Label = RequiredText(100);
/** the Mantine palette, so the calendar can colour visits without a lookup table */
export const COLORS = [
  'blue',
  'cyan',
  'teal',
  'green',
  'lime',
  'yellow',
  'orange',
  'red',
  'pink',
  'grape',
  'violet',
  'indigo',
  'gray',
] as const;
const Color = Type.Union(COLORS.map((c) => Type.Literal(c)));
const Duration = Integer({ minimum: 5, maximum: 480, description: 'minutes' });

export const Specialty = Type.Object({
  id: Uuid,
  code: Type.String(),
  name: Type.String(),
  nameFr: Type.String(),
  active: Type.Boolean(),
});
export type Specialty = Static<typeof Specialty>;

export const CreateSpecialtyBody = Type.Object(
  { code: Code, name: Label, nameFr: Label, active: Type.Optional(Type.Boolean()) },
  { additionalProperties: false },
);
export type CreateSpecialtyBody = Static<typeof CreateSpecialtyBody>;

export const UpdateSpecialtyBody = Type.Object(
  {
    code: Type.Optional(Code),
    name: Type.Optional(Label),
    nameFr: Type.Optional(Label),
    active: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateSpecialtyBody = Static<typeof UpdateSpecialtyBody>;

export const VisitType = Type.Object({
  id: Uuid,
  code: Type.String(),
  name: Type.String(),
  nameFr: Type.String(),
  durationMinutes: Type.Integer(),
  color: Type.String(),
  active: Type.Boolean(),
});
export type VisitType = Static<typeof VisitType>;

export const CreateVisitTypeBody = Type.Object(
  {
    code: Code,
    name: Label,
    nameFr: Label,
    durationMinutes: Duration,
    color: Type.Optional(Color),
    active: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type CreateVisitTypeBody = Static<typeof CreateVisitTypeBody>;

export const UpdateVisitTypeBody = Type.Object(
  {
    code: Type.Optional(Code),
    name: Type.Optional(Label),
    nameFr: Type.Optional(Label),
    durationMinutes: Type.Optional(Duration),
    color: Type.Optional(Color),
    active: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateVisitTypeBody = Static<typeof UpdateVisitTypeBody>;

export const SpecialtyList = Type.Object({ data: Type.Array(Specialty) });
export const VisitTypeList = Type.Object({ data: Type.Array(VisitType) });
