import { Placeholder, SQL, sql, StringChunk, type SQLChunk } from 'drizzle-orm';
import { auditLog } from '../../db/schema/audit.ts';
import type { Executor } from '../db/database.ts';

/** Who is acting and from where; built once per request. */
export interface AuditActor {
  userId: string | null;
  role: string | null;
  clinicId: string | null;
  ip: string | null;
  userAgent: string | null;
  requestId: string | null;
}

export interface AuditEntry {
  action: string;
  outcome?: 'success' | 'failure' | 'denied';
  patientId?: string | null;
  resourceType?: string;
  resourceId?: string;
  details?: Record<string, unknown>;
  /** overrides the actor's user id, e.g. a failed login for a known account */
  userId?: string | null;
}

export const systemActor: AuditActor = {
  userId: null,
  role: 'system',
  clinicId: null,
  ip: null,
  userAgent: null,
  requestId: null,
};

/** The columns of one audit row, as `writeAudit` and `auditInsert` fill them. */
export interface AuditRow {
  actorUserId: string | null;
  actorRole: string | null;
  clinicId: string | null;
  patientId: string | null;
  action: string;
  resourceType: string | null;
  resourceId: string | null;
  outcome: 'success' | 'failure' | 'denied';
  ip: string | null;
  userAgent: string | null;
  requestId: string | null;
  details: Record<string, unknown> | null;
}

/** The row an entry by an actor becomes: the one place that maps them. */
export function auditRow(actor: AuditActor, e: AuditEntry): AuditRow {
  return {
    actorUserId: e.userId !== undefined ? e.userId : actor.userId,
    actorRole: actor.role,
    clinicId: actor.clinicId,
    patientId: e.patientId ?? null,
    action: e.action,
    resourceType: e.resourceType ?? null,
    resourceId: e.resourceId ?? null,
    outcome: e.outcome ?? 'success',
    ip: actor.ip,
    userAgent: actor.userAgent ? actor.userAgent.slice(0, 300) : null,
    requestId: actor.requestId,
    details: e.details ?? null,
  };
}

/**
 * Writes audit rows with the caller's executor, so that they commit or roll back with the data
 * they describe: no audit, no data.
 */
export async function writeAudit(tx: Executor, actor: AuditActor, ...entries: AuditEntry[]): Promise<void> {
  if (!entries.length) return;
  await tx.insert(auditLog).values(entries.map((e) => auditRow(actor, e)));
}

// ------------------------------------------------------------------ audit rows inside one statement

/** The audit_log column of each field, with the type its value is cast to. */
const COLUMNS: Record<keyof AuditRow, [column: string, type: string]> = {
  actorUserId: ['actor_user_id', 'uuid'],
  actorRole: ['actor_role', 'text'],
  clinicId: ['clinic_id', 'uuid'],
  patientId: ['patient_id', 'uuid'],
  action: ['action', 'text'],
  resourceType: ['resource_type', 'text'],
  resourceId: ['resource_id', 'text'],
  outcome: ['outcome', 'text'],
  ip: ['ip', 'text'],
  userAgent: ['user_agent', 'text'],
  requestId: ['request_id', 'text'],
  details: ['details', 'jsonb'],
};
const FIELDS = Object.keys(COLUMNS) as (keyof AuditRow)[];

/**
 * An audit row inside a statement: each field a value (sent as a parameter), a placeholder filled
 * at each run of a prepared statement (see `auditPlaceholders`), or an SQL expression the statement
 * computes (a CTE's column, a CASE, an aggregate).
 */
export type AuditRowSql = { [K in keyof AuditRow]: AuditRow[K] | SQL | Placeholder };

/**
 * `INSERT INTO audit_log (…) SELECT …` writing `row` once per row of `from` (e.g. sql`FROM ins`),
 * or once without it: the body of a CTE, so that the data and its audit row are one statement (one
 * round trip, atomic on its own). The row holds what `writeAudit` would write for the same entry
 * (build it with `auditRow`, then replace fields with expressions).
 */
export function auditInsert(row: AuditRowSql, from: SQL = sql``): SQL {
  // one flat list of chunks (the statement's text pieces are built once, below): this runs on every
  // patient read and search, and drizzle's cost of turning SQL into text grows with its nesting
  const chunks: unknown[] = [INSERT_HEAD];
  FIELDS.forEach((f, i) => {
    const v = row[f];
    if (v instanceof SQL) chunks.push(v, AFTER_EXPRESSION[i]);
    else chunks.push(f === 'details' && v !== null && !(v instanceof Placeholder) ? JSON.stringify(v) : v, AFTER_VALUE[i]);
  });
  chunks.push(SPACE, from);
  return new SQL(chunks as SQLChunk[]);
}

const INSERT_HEAD = new StringChunk(`INSERT INTO audit_log (${FIELDS.map((f) => COLUMNS[f][0]).join(', ')}) SELECT `);
/** after a field's value (a parameter): its cast, then a comma but after the last */
const AFTER_VALUE = FIELDS.map((f, i) => new StringChunk(`::${COLUMNS[f][1]}${i < FIELDS.length - 1 ? ', ' : ''}`));
/** after an SQL expression: only the comma */
const AFTER_EXPRESSION = FIELDS.map((_, i) => new StringChunk(i < FIELDS.length - 1 ? ', ' : ''));
const SPACE = new StringChunk(' ');

/**
 * Placeholders for every field of an audit row, for a prepared statement built once (module level);
 * `auditValues` fills them at each run.
 */
export function auditPlaceholders(): AuditRowSql {
  return Object.fromEntries(FIELDS.map((f) => [f, sql.placeholder(`audit.${f}`)])) as AuditRowSql;
}

/**
 * The values of `auditPlaceholders` for an entry by an actor (the row `writeAudit` would write);
 * all null without one (for a statement that then writes no audit row).
 */
export function auditValues(audit: { actor: AuditActor; entry: AuditEntry } | null): Record<string, unknown> {
  const row = audit ? auditRow(audit.actor, audit.entry) : null;
  return Object.fromEntries(
    FIELDS.map((f) => [`audit.${f}`, !row ? null : f === 'details' && row.details ? JSON.stringify(row.details) : row[f]]),
  );
}
