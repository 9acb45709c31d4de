// Encounters: a patient's consultation with a practitioner at a clinic, from the queue or an appointment
// (or a walk-in), from its start to its end. Notes, diagnoses and orders hang on it.
import { Type, type Static } from '@sinclair/typebox';
import { Integer, OptionalText, Uuid, Version } from './common.ts';

export const ENCOUNTER_TYPES = ['outpatient', 'emergency', 'inpatient', 'telehealth'] as const;
export type EncounterType = (typeof ENCOUNTER_TYPES)[number];
export const EncounterTypeSchema = Type.Union(ENCOUNTER_TYPES.map((t) => Type.Literal(t)));

/** in_progress from start to finish; finished once the practitioner ends it; cancelled when started in error. */
export const ENCOUNTER_STATUSES = ['in_progress', 'finished', 'cancelled'] as const;
export type EncounterStatus = (typeof ENCOUNTER_STATUSES)[number];

export const EncounterStatusSchema = Type.Union(ENCOUNTER_STATUSES.map((s) => Type.Literal(s)));

export const permissions = ['encounters:read', 'encounters:write'] as const;

export const errorCodes = [
  /** finishing or cancelling an encounter that is already finished or cancelled */
  'ENCOUNTER_CLOSED',
  /** starting from a queue ticket that is not called or in service (waiting, done, skipped…) */
  'TICKET_NOT_CALLED',
  /** starting from an appointment that is not checked in (booked, completed, cancelled…) */
  'NOT_CHECKED_IN',
] as const;

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const Person = Type.Object({ id: Uuid, name: Type.String() });

export const Encounter = Type.Object({
  id: Uuid,
  clinicId: Uuid,
  patientId: Uuid,
  visitId: Nullable(Uuid),
  appointmentId: Nullable(Uuid),
  ticketId: Nullable(Uuid),
  /** the practitioner responsible; null when started by a user with no practitioner record */
  practitioner: Nullable(Person),
  type: EncounterTypeSchema,
  status: EncounterStatusSchema,
  reason: Nullable(Type.String()),
  startedAt: Type.String({ format: 'date-time' }),
  endedAt: Nullable(Type.String({ format: 'date-time' })),
  startedBy: Person,
  endedBy: Nullable(Person),
  version: Type.Integer(),
});
export type Encounter = Static<typeof Encounter>;

/**
 * Starting a consultation: from exactly one of a called (or in-service) queue ticket, a checked-in
 * appointment, or a patient (a walk-in or an emergency seen without the queue).
 */
export const EncounterStart = Type.Object(
  {
    ticketId: Type.Optional(Uuid),
    appointmentId: Type.Optional(Uuid),
    patientId: Type.Optional(Uuid),
    type: Type.Optional(
      Type.Union(
        ENCOUNTER_TYPES.map((t) => Type.Literal(t)),
        { default: 'outpatient' },
      ),
    ),
    reason: Type.Optional(OptionalText(500)),
  },
  { additionalProperties: false },
);
export type EncounterStart = Static<typeof EncounterStart>;
/** The fields of which a start names exactly one. */
export const START_SOURCES = ['ticketId', 'appointmentId', 'patientId'] as const;

export const EncounterFinish = Type.Object(
  { version: Version('the version you read; a stale one answers 409 STALE_VERSION') },
  { additionalProperties: false },
);
export type EncounterFinish = Static<typeof EncounterFinish>;

export const EncounterList = Type.Object({ data: Type.Array(Encounter), nextCursor: Nullable(Type.String()) });
export type EncounterList = Static<typeof EncounterList>;

export const EncountersQuery = Type.Object(
  {
    limit: Type.Optional(Integer({ minimum: 1, maximum: 200, default: 50 })),
    cursor: Type.Optional(Type.String({ maxLength: 100 })),
  },
  { additionalProperties: false },
);
export type EncountersQuery = Static<typeof EncountersQuery>;

export const PatientIdParams = Type.Object({ patientId: Uuid }, { additionalProperties: false });

/** Where a patient of the practitioner's day stands. */
export const TODAY_STATES = ['booked', 'waiting', 'in_consultation', 'done'] as const;
export type TodayState = (typeof TODAY_STATES)[number];

export const TodayItem = Type.Object({
  /** the appointment's start, or when the patient arrived (walk-in), or when the encounter started */
  time: Type.String({ format: 'date-time' }),
  kind: Type.Union([Type.Literal('appointment'), Type.Literal('walk_in')]),
  state: Type.Union(TODAY_STATES.map((s) => Type.Literal(s))),
  patient: Type.Object({ id: Uuid, name: Type.String(), mrn: Type.String() }),
  appointmentId: Nullable(Uuid),
  visitId: Nullable(Uuid),
  ticketId: Nullable(Uuid),
  /** the ticket's code as called out */
  ticketCode: Nullable(Type.String()),
  /** the ticket's status when there is one (called, in_service…): a called patient is on their way */
  ticketStatus: Nullable(Type.String()),
  encounterId: Nullable(Uuid),
  reason: Nullable(Type.String()),
});
export type TodayItem = Static<typeof TodayItem>;

export const TodayView = Type.Object({
  /** the clinic's local date */
  date: Type.String({ format: 'date' }),
  /** the signed-in user's practitioner record; null when they have none (their walk-ins only) */
  practitioner: Nullable(Person),
  data: Type.Array(TodayItem),
});
export type TodayView = Static<typeof TodayView>;

/** Realtime events of encounters: identifiers only, never names. */
export interface EncounterEvent {
  encounterId: string;
  clinicId: string;
  patientId: string;
  visitId: string | null;
  appointmentId: string | null;
  ticketId: string | null;
  practitionerId: string | null;
}
export interface Events {
  'encounter.started': EncounterEvent;
  'encounter.finished': EncounterEvent & { status: EncounterStatus };
}
export const events = ['encounter.started', 'encounter.finished'] as const satisfies readonly (keyof Events)[];
