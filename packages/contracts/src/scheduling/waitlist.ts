import { Type, type Static } from '@sinclair/typebox';
import { IsoDate, IsoDateTime, OptionalText, Uuid } from '../common.ts';
import { PatientRef } from './appointments.ts';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

export const WaitlistStatus = Type.Union([
  Type.Literal('waiting'),
  Type.Literal('offered'),
  Type.Literal('booked'),
  Type.Literal('cancelled'),
]);

export const WaitlistEntry = Type.Object({
  id: Uuid,
  clinicId: Uuid,
  status: WaitlistStatus,
  earliest: IsoDate,
  latest: IsoDate,
  notes: Nullable(Type.String()),
  createdAt: IsoDateTime,
  patient: PatientRef,
  practitioner: Nullable(Type.Object({ id: Uuid, displayName: Type.String() })),
  specialty: Nullable(Type.Object({ id: Uuid, name: Type.String(), nameFr: Type.String() })),
  visitType: Type.Object({ id: Uuid, name: Type.String(), nameFr: Type.String() }),
  /** the held appointment offered to the patient, while status is offered */
  offer: Nullable(
    Type.Object({
      appointmentId: Uuid,
      startsAt: IsoDateTime,
      endsAt: IsoDateTime,
      holdExpiresAt: IsoDateTime,
      practitionerName: Type.String(),
    }),
  ),
});
export type WaitlistEntry = Static<typeof WaitlistEntry>;

export const WaitlistList = Type.Object({ data: Type.Array(WaitlistEntry) });

export const WaitlistQuery = Type.Object({ status: Type.Optional(WaitlistStatus) }, { additionalProperties: false });

export const CreateWaitlistBody = Type.Object(
  {
    patientId: Uuid,
    practitionerId: Type.Optional(Nullable(Uuid)),
    specialtyId: Type.Optional(Nullable(Uuid)),
    visitTypeId: Uuid,
    earliest: IsoDate,
    latest: IsoDate,
    notes: Type.Optional(OptionalText(1000)),
  },
  { additionalProperties: false },
);
export type CreateWaitlistBody = Static<typeof CreateWaitlistBody>;
