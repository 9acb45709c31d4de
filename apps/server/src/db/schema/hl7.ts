import { sql } from 'drizzle-orm';
import { index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { clinics, users } from './identity.ts';
import { patients } from './patients.ts';

const ts = (name: string) => timestamp(name, { withTimezone: true });

/**
 * The HL7 v2 message log: every message received on the MLLP listener (even a malformed one) and
 * every message sent to the laboratory information system, with the raw text, the ACK and what
 * became of it. The parsed view is computed from `raw` when read (the parser is the one ingest used).
 *
 * Inbound statuses: processed, unmatched (waits for a technician: `reason`, `unmapped`), error
 * (AE: nothing was written; replay after the fix), rejected (AR: unsupported or unreadable).
 * Outbound: pending, sent, retrying, failed.
 */
export const hl7Messages = pgTable(
  'hl7_messages',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    direction: text('direction', { enum: ['in', 'out'] }).notNull(),
    receivedAt: ts('received_at').notNull().defaultNow(),
    /** MSH-3, MSH-4 (first components), MSH-10, MSH-9 as TYPE^EVENT */
    sendingApplication: text('sending_application').notNull().default(''),
    sendingFacility: text('sending_facility').notNull().default(''),
    controlId: text('control_id').notNull().default(''),
    messageType: text('message_type').notNull().default(''),
    /** SHA-256 of the message as parsed (segments joined by CR): a redelivery is the same message */
    contentHash: text('content_hash').notNull(),
    raw: text('raw').notNull(),
    status: text('status', {
      enum: ['processed', 'unmatched', 'error', 'rejected', 'pending', 'sent', 'retrying', 'failed'],
    }).notNull(),
    /** MSA-1 of the ACK we sent (inbound) or received (outbound), and its text */
    ackCode: text('ack_code'),
    ack: text('ack'),
    /** what was wrong (the ERR we sent, or the peer's), or why it waits in the unmatched queue */
    error: text('error'),
    /** for the unmatched queue: the observations whose code maps to no test ({system, code, text}) */
    unmapped: jsonb('unmapped').$type<{ system: string; code: string; text: string }[]>(),
    /** PID-3 (first identifier) and PID-5 as read, for searching the log */
    patientIdentifier: text('patient_identifier'),
    patientName: text('patient_name'),
    /** the identifiers of the order the message names (ORC-2/OBR-2, ORC-3/OBR-3) */
    placerOrderNumber: text('placer_order_number'),
    fillerOrderNumber: text('filler_order_number'),
    /** what it was matched to or created */
    patientId: uuid('patient_id').references(() => patients.id),
    orderId: uuid('order_id'),
    clinicId: uuid('clinic_id').references(() => clinics.id),
    /** processing attempts (a replay or a redelivery of a failed message adds one) */
    attempts: integer('attempts').notNull().default(1),
    /** deliveries of the same message (same sender, control id and content) */
    deliveries: integer('deliveries').notNull().default(1),
    processedAt: ts('processed_at'),
    /** who replayed it or resolved it from the unmatched queue (null: the listener) */
    resolvedBy: uuid('resolved_by').references(() => users.id),
    resolvedAt: ts('resolved_at'),
    /** unmatched queue: what the technician chose */
    resolution: jsonb('resolution').$type<Record<string, unknown>>(),
  },
  (t) => [
    // idempotency: the same message from the same sender is processed once
    uniqueIndex('hl7_messages_delivery')
      .on(t.sendingFacility, t.sendingApplication, t.controlId, t.contentHash)
      .where(sql`${t.direction} = 'in' AND ${t.controlId} <> ''`),
    index('hl7_messages_received').on(t.receivedAt.desc(), t.id.desc()),
    index('hl7_messages_status').on(t.status, t.receivedAt.desc()),
    index('hl7_messages_control').on(t.controlId),
    index('hl7_messages_patient').on(t.patientId),
    index('hl7_messages_order').on(t.orderId),
  ],
);

/**
 * Codes of a sender's observations (OBX-3) that are neither LOINC of the catalogue nor our own test
 * codes, mapped to a catalogue test by a technician while resolving the unmatched queue.
 */
export const hl7CodeMappings = pgTable(
  'hl7_code_mappings',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** MSH-3 of the sender */
    sendingApplication: text('sending_application').notNull(),
    /** OBX-3.3, the coding system ('' when absent) */
    system: text('system').notNull(),
    code: text('code').notNull(),
    /** lab_tests.id (no foreign key: the lab module owns its catalogue) */
    testId: uuid('test_id').notNull(),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('hl7_code_mappings_code').on(t.sendingApplication, t.system, t.code)],
);

/**
 * Which of our patients a sender's identifier (PID-3: assigning authority + id) names, learnt from
 * ADT registrations and resolutions, so that later messages find the patient without our MRN.
 */
export const hl7PatientLinks = pgTable(
  'hl7_patient_links',
  {
    authority: text('authority').notNull(),
    identifier: text('identifier').notNull(),
    patientId: uuid('patient_id')
      .notNull()
      .references(() => patients.id),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('hl7_patient_links_pk').on(t.authority, t.identifier), index('hl7_patient_links_patient').on(t.patientId)],
);
