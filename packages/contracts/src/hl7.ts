// HL7 v2 interface: an MLLP listener that receives ORU^R01 results and ADT^A01/A04/A08
// registrations and updates and answers each with an ACK, outbound ORM^O01 orders to the
// laboratory information system, the message log (raw, parsed segments, ACK, status) with replay,
// and the queue of results that matched no order or patient (or whose codes map to no test), which
// a lab technician resolves by hand.
import { Type, type Static } from '@sinclair/typebox';
import { Integer, OptionalText, Uuid } from './common.ts';

/**
 * - hl7:read — the message log and a message's parsed segments (administrators, the lab);
 * - hl7:manage — replay a message, resolve the unmatched queue and map a sender's codes to tests.
 */
export const permissions = ['hl7:read', 'hl7:manage'] as const;

/**
 * - HL7_NOT_REPLAYABLE (409): only an inbound message that failed (error) or waits (unmatched) is
 *   replayed; `details.status` is its status.
 * - HL7_NOT_UNMATCHED (409): the message is not (or no longer) in the unmatched queue.
 * - HL7_UNRESOLVED (409): the resolution still leaves the message unmatched; `details.reason` says
 *   why (an observation code without a test, no patient).
 */
export const errorCodes = ['HL7_NOT_REPLAYABLE', 'HL7_NOT_UNMATCHED', 'HL7_UNRESOLVED'] as const;

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const DateTime = Type.String({ format: 'date-time' });

export const DIRECTIONS = ['in', 'out'] as const;
export type Direction = (typeof DIRECTIONS)[number];
/**
 * Inbound: processed (AA), unmatched (AA, waits in the queue), error (AE: nothing written; replay
 * after the fix), rejected (AR: unsupported or unreadable). Outbound: pending, sent (AA), retrying
 * (the peer was unreachable; the job queue retries), failed.
 */
export const MESSAGE_STATUSES = ['processed', 'unmatched', 'error', 'rejected', 'pending', 'sent', 'retrying', 'failed'] as const;
export type MessageStatus = (typeof MESSAGE_STATUSES)[number];
export const ACK_CODES = ['AA', 'AE', 'AR', 'CA', 'CE', 'CR'] as const;

export const MessageQuery = Type.Object(
  {
    q: Type.Optional(
      OptionalText(100, {
        description: 'control id, message type, patient identifier or MRN, patient name, or text of the message',
      }),
    ),
    status: Type.Optional(Type.Union(MESSAGE_STATUSES.map((s) => Type.Literal(s)))),
    type: Type.Optional(
      Type.String({ pattern: '^[A-Z0-9]{3}(\\^[A-Z0-9]{1,3})?$', maxLength: 7, description: 'e.g. ORU^R01 or ADT' }),
    ),
    direction: Type.Optional(Type.Union(DIRECTIONS.map((s) => Type.Literal(s)))),
    limit: Type.Optional(Integer({ minimum: 1, maximum: 200, default: 50 })),
  },
  { additionalProperties: false },
);
export type MessageQuery = Static<typeof MessageQuery>;

const PatientRef = Type.Object({ id: Uuid, mrn: Type.String(), name: Type.String() });

export const MessageSummary = Type.Object({
  id: Uuid,
  direction: Type.Union(DIRECTIONS.map((s) => Type.Literal(s))),
  receivedAt: DateTime,
  /** MSH-9 as TYPE^EVENT, '' when unreadable */
  messageType: Type.String(),
  controlId: Type.String(),
  sendingApplication: Type.String(),
  sendingFacility: Type.String(),
  status: Type.Union(MESSAGE_STATUSES.map((s) => Type.Literal(s))),
  ackCode: Nullable(Type.String()),
  /** what was wrong, or why it waits */
  error: Nullable(Type.String()),
  /** PID-3 and PID-5 as the message gave them */
  patientIdentifier: Nullable(Type.String()),
  patientName: Nullable(Type.String()),
  /** our patient it was matched to or created */
  patient: Nullable(PatientRef),
  orderId: Nullable(Uuid),
  placerOrderNumber: Nullable(Type.String()),
  fillerOrderNumber: Nullable(Type.String()),
  attempts: Type.Integer(),
  deliveries: Type.Integer(),
});
export type MessageSummary = Static<typeof MessageSummary>;

export const MessageList = Type.Object({ data: Type.Array(MessageSummary) });
export type MessageList = Static<typeof MessageList>;

/** One field of a parsed segment, by its position (e.g. `PID-5`), with its components. */
export const ParsedField = Type.Object({
  position: Type.String(),
  value: Type.String(),
  components: Type.Array(Type.String()),
});
export const ParsedSegment = Type.Object({
  name: Type.String(),
  fields: Type.Array(ParsedField),
});
export type ParsedSegment = Static<typeof ParsedSegment>;

export const UnmappedCode = Type.Object({ system: Type.String(), code: Type.String(), text: Type.String() });
export type UnmappedCode = Static<typeof UnmappedCode>;

export const MessageDetail = Type.Object({
  ...MessageSummary.properties,
  /** the message as received or sent (segments separated by CR) */
  raw: Type.String(),
  /** its segments, empty when it could not be parsed */
  segments: Type.Array(ParsedSegment),
  ack: Nullable(Type.String()),
  processedAt: Nullable(DateTime),
  unmapped: Type.Array(UnmappedCode),
  resolvedBy: Nullable(Type.Object({ id: Uuid, name: Type.String() })),
  resolvedAt: Nullable(DateTime),
});
export type MessageDetail = Static<typeof MessageDetail>;

export const MessageIdParams = Type.Object({ id: Uuid }, { additionalProperties: false });

export const UnmatchedQuery = Type.Object(
  { limit: Type.Optional(Integer({ minimum: 1, maximum: 200, default: 50 })) },
  { additionalProperties: false },
);

/**
 * Resolving an unmatched message: the order it belongs to, or (for results without an order) the
 * patient; and for each observation code without a test, the catalogue test it means (remembered
 * for the sender's later messages).
 */
export const ResolveInput = Type.Object(
  {
    orderId: Type.Optional(Uuid),
    /** the order by its number, as printed (LAB-KIN-000123) */
    orderNumber: Type.Optional(Type.String({ minLength: 1, maxLength: 40, pattern: '^[A-Za-z0-9-]+$' })),
    patientId: Type.Optional(Uuid),
    mappings: Type.Optional(
      Type.Array(
        Type.Object(
          {
            system: Type.String({ maxLength: 50 }),
            code: Type.String({ minLength: 1, maxLength: 50 }),
            testId: Uuid,
          },
          { additionalProperties: false },
        ),
        { maxItems: 100 },
      ),
    ),
  },
  { additionalProperties: false },
);
export type ResolveInput = Static<typeof ResolveInput>;
