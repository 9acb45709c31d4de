import { Type, type Static } from '@sinclair/typebox';
import { Uuid } from './common.ts';

export const ClinicView = Type.Object({
  id: Uuid,
  code: Type.String(),
  name: Type.String(),
  timezone: Type.String(),
  currencies: Type.Array(Type.String()),
  address: Type.Union([Type.String(), Type.Null()]),
});
export type ClinicView = Static<typeof ClinicView>;
export const ClinicList = Type.Object({ data: Type.Array(ClinicView) });
