import { Type, type Static } from '@sinclair/typebox';
import { IsoDate, IsoDateTime, NullableText, OptionalText, RequiredText, Uuid } from './common.ts';

export const permissions = ['queue:read', 'queue:write'] as const;

export const errorCodes = ['ALREADY_QUEUED', 'QUEUE_EMPTY', 'DISPLAY_TOKEN_INVALID', 'PATIENT_MERGED'] as const;

/** A queue ticket as events describe it: no patient data, so displays may receive it. */
export interface TicketEvent {
  id: string;
  clinicId: string;
  servicePointId: string;
  code: string;
  status: string;
  priority: string;
  room: string | null;
  servicePointName: string;
  calledAt: string | null;
}

/** Realtime events of the domain: name → payload. */
export interface Events {
  /** any move of a ticket: created, called, in service, done, skipped, transferred */
  'queue.ticket.changed': { ticket: TicketEvent; change: string };
  /** a ticket is called to a room: displays chime and speak it */
  'queue.ticket.called': { ticket: TicketEvent };
  /** a display token was revoked: only screens opened with it hear it; the gateway disconnects them */
  'display.revoked': { displayId: string };
}
export const events = [
  'queue.ticket.changed',
  'queue.ticket.called',
  'display.revoked',
] as const satisfies readonly (keyof Events)[];

export const TICKET_STATUSES = ['waiting', 'called', 'in_service', 'done', 'skipped', 'transferred'] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];
export const TICKET_PRIORITIES = ['emergency', 'elderly', 'pregnant', 'normal'] as const;
export type TicketPriority = (typeof TICKET_PRIORITIES)[number];

/**
 * Priorities are checked against the patient (server, and the forms before sending), with the age in
 * whole years on the clinic's date: elderly from 60 (the WHO's "older person" threshold used in the
 * DRC's programmes); pregnant only for a female patient aged 10–60; emergency always; normal always.
 * An unknown birth date does not refuse a priority that depends on age.
 */
export const PRIORITY_RULES = { elderlyMinAge: 60, pregnantMinAge: 10, pregnantMaxAge: 60 } as const;
export type PriorityRefusal = 'elderly_age' | 'pregnant_sex' | 'pregnant_age';
/** Why this priority does not fit this patient, or null when it does. */
export function priorityRefusal(priority: TicketPriority, patient: { sex: string; age: number | null }): PriorityRefusal | null {
  const { age } = patient;
  if (priority === 'elderly' && age !== null && age < PRIORITY_RULES.elderlyMinAge) return 'elderly_age';
  if (priority === 'pregnant') {
    if (patient.sex !== 'female') return 'pregnant_sex';
    if (age !== null && (age < PRIORITY_RULES.pregnantMinAge || age > PRIORITY_RULES.pregnantMaxAge)) return 'pregnant_age';
  }
  return null;
}

export const SERVICE_POINT_KINDS = ['triage', 'consultation', 'lab', 'pharmacy', 'cashier', 'imaging', 'other'] as const;

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

export const ServicePointKind = Type.Union(SERVICE_POINT_KINDS.map((k) => Type.Literal(k)));
export const TicketPriority = Type.Union(TICKET_PRIORITIES.map((k) => Type.Literal(k)));
export const TicketStatus = Type.Union(TICKET_STATUSES.map((k) => Type.Literal(k)));
/** a room a ticket is called to; only spaces = none */
const Room = OptionalText(40);

export const ServicePoint = Type.Object({
  id: Uuid,
  clinicId: Uuid,
  code: Type.String(),
  name: Type.String(),
  kind: ServicePointKind,
  ticketPrefix: Type.String(),
  room: Nullable(Type.String()),
  active: Type.Boolean(),
});
export type ServicePoint = Static<typeof ServicePoint>;
export const ServicePointList = Type.Object({ data: Type.Array(ServicePoint) });

const spFields = {
  code: Type.String({ minLength: 1, maxLength: 20, pattern: '^[A-Za-z0-9_-]+$', description: 'unique in the clinic' }),
  name: RequiredText(100),
  kind: ServicePointKind,
  ticketPrefix: Type.String({ pattern: '^[A-Z]{1,3}$', description: '1–3 uppercase letters: A-042' }),
  room: NullableText(40),
  active: Type.Boolean(),
};
export const CreateServicePointBody = Type.Object(
  { ...spFields, room: Type.Optional(spFields.room), active: Type.Optional(spFields.active) },
  { additionalProperties: false },
);
export type CreateServicePointBody = Static<typeof CreateServicePointBody>;
export const UpdateServicePointBody = Type.Partial(Type.Object(spFields), { additionalProperties: false, minProperties: 1 });
export type UpdateServicePointBody = Static<typeof UpdateServicePointBody>;

export const QueuePatient = Type.Object({
  id: Uuid,
  mrn: Type.String(),
  name: Type.String(),
  sex: Type.Union([Type.Literal('female'), Type.Literal('male'), Type.Literal('other'), Type.Literal('unknown')]),
  age: Nullable(Type.Integer()),
});

export const Ticket = Type.Object({
  id: Uuid,
  servicePointId: Uuid,
  visitId: Uuid,
  serviceDate: IsoDate,
  code: Type.String(),
  number: Type.Integer(),
  priority: TicketPriority,
  status: TicketStatus,
  arrivedAt: IsoDateTime,
  calledAt: Nullable(IsoDateTime),
  serviceStartedAt: Nullable(IsoDateTime),
  finishedAt: Nullable(IsoDateTime),
  room: Nullable(Type.String()),
  transferredFromId: Nullable(Uuid),
  transferredToId: Nullable(Uuid),
  /** what the sending service point wrote on a transfer (e.g. triage findings), shown where it waits */
  note: Nullable(Type.String()),
  version: Type.Integer(),
});
export type Ticket = Static<typeof Ticket>;

export const QueueTicket = Type.Composite([
  Ticket,
  Type.Object({
    patient: QueuePatient,
    /** waiting tickets only */
    estimatedWaitMinutes: Nullable(Type.Integer()),
  }),
]);
export type QueueTicket = Static<typeof QueueTicket>;

export const QueueQuery = Type.Object({ servicePointId: Uuid }, { additionalProperties: false });
export const QueueView = Type.Object({
  servicePoint: ServicePoint,
  serviceDate: IsoDate,
  data: Type.Array(QueueTicket),
  stats: Type.Object({
    waiting: Type.Integer(),
    called: Type.Integer(),
    inService: Type.Integer(),
    done: Type.Integer(),
    meanServiceMinutes: Nullable(Type.Number()),
  }),
});
export type QueueView = Static<typeof QueueView>;

export const Visit = Type.Object({
  id: Uuid,
  patientId: Uuid,
  appointmentId: Nullable(Uuid),
  kind: Type.Union([Type.Literal('appointment'), Type.Literal('walk_in')]),
  status: Type.Union([Type.Literal('open'), Type.Literal('closed')]),
  reason: Nullable(Type.String()),
  startedAt: IsoDateTime,
});
export const CheckInResult = Type.Object({ visit: Visit, ticket: Ticket });
export type CheckInResult = Static<typeof CheckInResult>;

export const WalkInBody = Type.Object(
  {
    patientId: Uuid,
    servicePointId: Uuid,
    priority: TicketPriority,
    reason: Type.Optional(OptionalText(500)),
  },
  { additionalProperties: false },
);
export type WalkInBody = Static<typeof WalkInBody>;
export const CheckInBody = Type.Object({ servicePointId: Uuid, priority: TicketPriority }, { additionalProperties: false });
export type CheckInBody = Static<typeof CheckInBody>;

export const CallNextBody = Type.Object({ servicePointId: Uuid, room: Type.Optional(Room) }, { additionalProperties: false });
export const CallBody = Type.Object({ room: Type.Optional(Room) }, { additionalProperties: false });
export const TransferBody = Type.Object(
  {
    servicePointId: Uuid,
    priority: Type.Optional(TicketPriority),
    /** for the receiving service point, e.g. triage findings; blank = none */
    note: Type.Optional(OptionalText(1000)),
  },
  { additionalProperties: false },
);
export type TransferBody = Static<typeof TransferBody>;
export const TransferResult = Type.Composite([QueueTicket, Type.Object({ transferredTo: Ticket })]);

export const DisplayToken = Type.Object({
  id: Uuid,
  name: Type.String(),
  servicePointIds: Type.Array(Uuid),
  createdAt: IsoDateTime,
  revokedAt: Nullable(IsoDateTime),
  lastSeenAt: Nullable(IsoDateTime),
});
export type DisplayToken = Static<typeof DisplayToken>;
export const DisplayTokenList = Type.Object({ data: Type.Array(DisplayToken) });
export const CreateDisplayTokenBody = Type.Object(
  {
    name: RequiredText(100),
    servicePointIds: Type.Array(Uuid, {
      maxItems: 50,
      uniqueItems: true,
      description: 'empty = every service point of the clinic',
    }),
  },
  { additionalProperties: false },
);
export type CreateDisplayTokenBody = Static<typeof CreateDisplayTokenBody>;
export const CreatedDisplayToken = Type.Object({
  id: Uuid,
  name: Type.String(),
  token: Type.String({ description: 'shown once; only its SHA-256 is kept' }),
  url: Type.String(),
});

export const TicketEventSchema = Type.Object({
  id: Uuid,
  clinicId: Uuid,
  servicePointId: Uuid,
  code: Type.String(),
  status: Type.String(),
  priority: Type.String(),
  room: Nullable(Type.String()),
  servicePointName: Type.String(),
  calledAt: Nullable(IsoDateTime),
});
export const DisplayBoardHeaders = Type.Object({ 'x-display-token': Type.Optional(Type.String({ maxLength: 200 })) });
export const DisplayBoard = Type.Object({
  clinic: Type.Object({ name: Type.String(), timezone: Type.String(), locale: Type.Optional(Nullable(Type.String())) }),
  servicePoints: Type.Array(Type.Object({ id: Uuid, name: Type.String(), room: Nullable(Type.String()) })),
  called: Type.Array(TicketEventSchema),
  waiting: Type.Record(Type.String(), Type.Integer()),
});
export type DisplayBoard = Static<typeof DisplayBoard>;
