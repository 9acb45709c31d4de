import { Type, type Static } from '@sinclair/typebox';
import { IsoDate, IsoDateTime, OptionalText, RequiredText, Uuid, Version } from '../common.ts';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

export const APPOINTMENT_STATUSES = [
  'held',
  'requested',
  'booked',
  'checked_in',
  'in_progress',
  'completed',
  'cancelled',
  'no_show',
] as const;
export type AppointmentStatus = (typeof APPOINTMENT_STATUSES)[number];

export const AppointmentStatus = Type.Union(APPOINTMENT_STATUSES.map((s) => Type.Literal(s)));

export const NoShowFactor = Type.Object({
  code: Type.Union([
    Type.Literal('past_no_shows'),
    Type.Literal('lead_time'),
    Type.Literal('weekday'),
    Type.Literal('hour_of_day'),
  ]),
  weight: Type.Number({ description: 'contribution to the log-odds; positive raises the risk' }),
  value: Type.Number({
    description: 'past_no_shows: missed visits; lead_time: days booked ahead; weekday: ISO weekday; hour_of_day: local hour',
  }),
  total: Type.Optional(Type.Number({ description: 'past_no_shows: past visits counted' })),
});

export const PatientRef = Type.Object({ id: Uuid, mrn: Type.String(), name: Type.String() });
export const PractitionerRef = Type.Object({ id: Uuid, displayName: Type.String() });
export const VisitTypeRef = Type.Object({
  id: Uuid,
  code: Type.String(),
  name: Type.String(),
  nameFr: Type.String(),
  color: Type.String(),
  durationMinutes: Type.Integer(),
});

export const Appointment = Type.Object({
  id: Uuid,
  clinicId: Uuid,
  patientId: Uuid,
  practitionerId: Uuid,
  visitTypeId: Uuid,
  status: AppointmentStatus,
  startsAt: IsoDateTime,
  endsAt: IsoDateTime,
  reason: Nullable(Type.String()),
  notes: Nullable(Type.String()),
  source: Type.Union([Type.Literal('staff'), Type.Literal('portal'), Type.Literal('waitlist')]),
  rescheduledFromId: Nullable(Uuid),
  cancelReason: Nullable(Type.String()),
  cancelledAt: Nullable(IsoDateTime),
  holdExpiresAt: Nullable(IsoDateTime),
  confirmedAt: Nullable(IsoDateTime),
  checkedInAt: Nullable(IsoDateTime),
  completedAt: Nullable(IsoDateTime),
  noShowRisk: Nullable(Type.Number({ minimum: 0, maximum: 1 })),
  noShowFactors: Type.Array(NoShowFactor),
  version: Type.Integer(),
  createdAt: IsoDateTime,
  patient: PatientRef,
  practitioner: PractitionerRef,
  visitType: VisitTypeRef,
});
export type Appointment = Static<typeof Appointment>;

export const AppointmentReminder = Type.Object({
  channel: Type.Union([Type.Literal('email'), Type.Literal('sms')]),
  leadMinutes: Type.Integer({ description: 'sent this many minutes before the start' }),
  dueAt: IsoDateTime,
  status: Type.Union(
    [Type.Literal('scheduled'), Type.Literal('sent'), Type.Literal('cancelled'), Type.Literal('failed'), Type.Literal('skipped')],
    { description: 'skipped: the patient has no address on that channel; failed: the provider refused it on every attempt' },
  ),
  sentAt: Nullable(IsoDateTime),
  error: Nullable(Type.String()),
});

export const AppointmentDetail = Type.Composite([Appointment, Type.Object({ reminders: Type.Array(AppointmentReminder) })]);
export type AppointmentDetail = Static<typeof AppointmentDetail>;

export const AppointmentList = Type.Object({ data: Type.Array(Appointment) });

export const ListQuery = Type.Object(
  {
    from: IsoDate,
    to: IsoDate,
    practitionerId: Type.Optional(Uuid),
    patientId: Type.Optional(Uuid),
    status: Type.Optional(AppointmentStatus),
  },
  { additionalProperties: false },
);
export type ListQuery = Static<typeof ListQuery>;

const Reason = RequiredText(500);
const OptionalReason = OptionalText(500);
const Notes = OptionalText(2000);

export const CreateBody = Type.Object(
  {
    patientId: Uuid,
    practitionerId: Uuid,
    visitTypeId: Uuid,
    startsAt: IsoDateTime,
    reason: Type.Optional(OptionalReason),
    notes: Type.Optional(Notes),
  },
  { additionalProperties: false },
);
export type CreateBody = Static<typeof CreateBody>;

export const CancelBody = Type.Object({ reason: Reason }, { additionalProperties: false });
export type CancelBody = Static<typeof CancelBody>;

export const RescheduleBody = Type.Object(
  {
    startsAt: IsoDateTime,
    practitionerId: Type.Optional(Uuid),
    visitTypeId: Type.Optional(Uuid),
    reason: Type.Optional(OptionalReason),
  },
  { additionalProperties: false },
);
export type RescheduleBody = Static<typeof RescheduleBody>;

export const StatusBody = Type.Object(
  {
    status: Type.Union([Type.Literal('in_progress'), Type.Literal('completed'), Type.Literal('no_show')]),
    version: Type.Optional(Version('the version you read; 409 STALE_VERSION if it changed')),
  },
  { additionalProperties: false },
);
export type StatusBody = Static<typeof StatusBody>;

/** Every field optional: a POST without a body confirms whatever the version. */
export const ConfirmBody = Type.Object({ version: Type.Optional(Version()) }, { additionalProperties: false });

// ------------------------------------------------------------------ portal

/** What a patient sees of their own appointment: no staff notes, no risk score. */
export const PortalAppointment = Type.Object({
  id: Uuid,
  clinicId: Uuid,
  practitionerId: Uuid,
  status: AppointmentStatus,
  startsAt: IsoDateTime,
  endsAt: IsoDateTime,
  reason: Nullable(Type.String()),
  source: Type.Union([Type.Literal('staff'), Type.Literal('portal'), Type.Literal('waitlist')]),
  rescheduledFromId: Nullable(Uuid),
  cancelReason: Nullable(Type.String()),
  holdExpiresAt: Nullable(IsoDateTime),
  practitioner: PractitionerRef,
  visitType: VisitTypeRef,
  /** false when the start is closer than the clinic's notice period: call the clinic instead */
  canChange: Type.Boolean(),
});
export type PortalAppointment = Static<typeof PortalAppointment>;

export const PortalAppointmentList = Type.Object({ data: Type.Array(PortalAppointment) });

export const PortalBookBody = Type.Object(
  {
    clinicId: Uuid,
    practitionerId: Uuid,
    visitTypeId: Uuid,
    startsAt: IsoDateTime,
    reason: Type.Optional(OptionalReason),
  },
  { additionalProperties: false },
);
export type PortalBookBody = Static<typeof PortalBookBody>;

/** The reason is optional for patients; so is the body. */
export const PortalCancelBody = Type.Object({ reason: Type.Optional(OptionalReason) }, { additionalProperties: false });

export const PortalRescheduleBody = Type.Object({ startsAt: IsoDateTime }, { additionalProperties: false });
