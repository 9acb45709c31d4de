import { is, Placeholder, SQL, sql } from 'drizzle-orm';
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
  const columns = sql.raw(FIELDS.map((f) => COLUMNS[f][0]).join(', '));
  const values = sql.join(
    FIELDS.map((f) => {
      const v = row[f];
      if (isSql(v)) return v;
      const value = f === 'details' && v !== null && !isPlaceholder(v) ? JSON.stringify(v) : v;
      return sql`${value}::${sql.raw(COLUMNS[f][1])}`;
    }),
    sql`, `,
  );
  return sql`INSERT INTO audit_log (${columns}) SELECT ${values} ${from}`;
}

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

const isSql = (v: unknown): v is SQL => is(v, SQL);
const isPlaceholder = (v: unknown): v is Placeholder => is(v, Placeholder);
