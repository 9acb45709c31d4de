import { bigint, bigserial, boolean, index, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

const ts = (name: string) => timestamp(name, { withTimezone: true });

/** Append-only: UPDATE, DELETE and TRUNCATE are refused by triggers (see the custom migration). */
export const auditLog = pgTable(
  'audit_log',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    at: ts('at').notNull().defaultNow(),
    actorUserId: uuid('actor_user_id'),
    actorRole: text('actor_role'),
    clinicId: uuid('clinic_id'),
    patientId: uuid('patient_id'),
    action: text('action').notNull(),
    resourceType: text('resource_type'),
    resourceId: text('resource_id'),
    outcome: text('outcome', { enum: ['success', 'failure', 'denied'] }).notNull(),
    ip: text('ip'),
    userAgent: text('user_agent'),
    requestId: text('request_id'),
    breakGlass: boolean('break_glass').notNull().default(false),
    details: jsonb('details'),
  },
  (t) => [
    index('audit_log_patient_idx').on(t.patientId, t.id),
    index('audit_log_actor_idx').on(t.actorUserId, t.id),
    index('audit_log_action_idx').on(t.action, t.id),
    index('audit_log_at_idx').on(t.at),
  ],
);

/**
 * The hash chain, in the order rows were sealed. A row is sealed shortly after its transaction
 * commits; each seal hashes the row's canonical content with the previous seal's hash.
 */
export const auditSeals = pgTable('audit_seals', {
  seq: bigint('seq', { mode: 'number' }).primaryKey(),
  auditId: bigint('audit_id', { mode: 'number' })
    .notNull()
    .unique()
    .references(() => auditLog.id),
  prevHash: text('prev_hash').notNull(),
  hash: text('hash').notNull(),
  sealedAt: ts('sealed_at').notNull().defaultNow(),
});

/** Periodic signatures of the chain head with the server's signing key. */
export const auditHeads = pgTable('audit_heads', {
  seq: bigint('seq', { mode: 'number' }).primaryKey(),
  hash: text('hash').notNull(),
  kid: text('kid').notNull(),
  signature: text('signature').notNull(),
  signedAt: ts('signed_at').notNull().defaultNow(),
});
