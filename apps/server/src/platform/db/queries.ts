import crypto from 'node:crypto';
import { fillPlaceholders, sql, type SQL } from 'drizzle-orm';
import { PgDialect, type PreparedQueryConfig } from 'drizzle-orm/pg-core';
import type pg from 'pg';
import type { Executor } from './database.ts';

// ------------------------------------------------------------------ named prepared statements

const dialect = new PgDialect();

/**
 * A statement whose text is fixed, run as a named prepared statement: parsed and planned once per
 * connection. Its values are the statement's own parameters, in order, with its placeholders
 * (`sql.placeholder('name')`) left to fill at each run.
 */
export interface NamedStatement {
  name: string;
  text: string;
  params: unknown[];
}

/** A named statement built once from drizzle `sql` (values by `sql.placeholder`). */
export function namedStatement(name: string, statement: SQL): NamedStatement {
  const q = dialect.sqlToQuery(statement);
  return { name, text: q.sql, params: q.params };
}

/**
 * A statement built per call whose text depends on the call's shape (which filters are set): named
 * by `prefix` and a hash of its text, so that each shape is planned once per connection.
 */
export function namedByShape(prefix: string, statement: SQL): NamedStatement {
  const q = dialect.sqlToQuery(statement);
  return {
    name: `${prefix}_${crypto.createHash('sha1').update(q.sql).digest('hex').slice(0, 16)}`,
    text: q.sql,
    params: q.params,
  };
}

/**
 * Runs a named statement on `db`'s connection (the pool, or the client of a transaction or
 * savepoint), its placeholders filled from `values`. Values are passed to node-postgres as they
 * are. Timestamp columns come back as PostgreSQL's text (drizzle turns off node-postgres's date
 * parsing on this path): select them as epoch milliseconds or turn them with `new Date(text)`.
 */
export async function runNamed<R>(db: Executor, s: NamedStatement, values: Record<string, unknown> = {}): Promise<R[]> {
  return namedQuery<R>(db, s.name, s.text, fillPlaceholders(s.params, values));
}

/**
 * `runNamed` straight on the pool: one statement, its own transaction (autocommit), no drizzle
 * session; timestamps come back as `Date` (node-postgres's parsing).
 */
export async function runNamedOnPool<R extends pg.QueryResultRow>(
  pool: pg.Pool,
  s: NamedStatement,
  values: Record<string, unknown> = {},
): Promise<R[]> {
  const res = await pool.query<R>({ name: s.name, text: s.text, values: fillPlaceholders(s.params, values) });
  return res.rows;
}

/** A named prepared statement from its text and positional values, on `db`'s connection (see `runNamed`). */
export async function namedQuery<R>(db: Executor, name: string, text: string, values: unknown[]): Promise<R[]> {
  const res = await db._.session
    .prepareQuery<PreparedQueryConfig & { execute: { rows: R[] } }>({ sql: text, params: values }, undefined, name, false)
    .execute();
  return res.rows;
}

// ------------------------------------------------------------------ driver errors

/** The SQLSTATE and constraint of a driver error, looked up through drizzle's wrapping. */
export function pgError(err: unknown): { code: string; constraint?: string } | undefined {
  for (let e = err as { code?: string; constraint?: string; cause?: unknown } | undefined, i = 0; e && i < 4; i++) {
    if (typeof e.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code)) return { code: e.code, constraint: e.constraint };
    e = e.cause as typeof e;
  }
  return undefined;
}

/** True when `err` (or the driver error it wraps) is a unique violation, of `constraint` when named. */
export function isUniqueViolation(err: unknown, constraint?: string): boolean {
  const e = pgError(err);
  return e?.code === '23505' && (constraint === undefined || e.constraint === constraint);
}

/** Runs `fn`; a unique violation (of `constraint` when named) becomes `conflict()`'s error. */
export async function onUniqueViolation<T>(fn: () => Promise<T>, conflict: () => Error, constraint?: string): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (isUniqueViolation(err, constraint)) throw conflict();
    throw err;
  }
}

// ------------------------------------------------------------------ the clinic's day

/**
 * A clinic's local date now (`YYYY-MM-DD` in its own time zone), its time zone and name: "today" for
 * anything dated by the clinic (a ticket's number, a problem resolved today), never the server's UTC date.
 */
export async function clinicToday(
  db: Executor,
  clinicId: string,
): Promise<{ today: string; timezone: string; name: string } | undefined> {
  const res = await db.execute<{ today: string; timezone: string; name: string }>(
    sql`SELECT to_char((now() AT TIME ZONE timezone)::date, 'YYYY-MM-DD') AS today, timezone, name FROM clinics WHERE id = ${clinicId}`,
  );
  return res.rows[0];
}
