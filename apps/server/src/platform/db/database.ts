import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// dates stay ISO strings (YYYY-MM-DD) and bigint counts become numbers
pg.types.setTypeParser(pg.types.builtins.DATE, (v) => v);
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number.parseInt(v, 10));

export type Db = NodePgDatabase;
/** A transaction handle; repositories accept either the pool-level Db or a transaction. */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
export type Executor = Db | Tx;

export interface Database {
  pool: pg.Pool;
  db: Db;
  close(): Promise<void>;
}

const migrationsFolder = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../db/migrations');

/**
 * A pool whose `query` keeps the connection when a statement fails with an ordinary SQL error.
 * pg-pool's own `query` closes the connection on any error, so every unique or exclusion violation
 * (a slot just taken, a ticket already queued) cost a new backend: a fork, a cold catalog cache and
 * the named statements prepared again. A connection that is really broken is still dropped: the
 * client is no longer queryable, or the error is a connection failure (SQLSTATE class 08, 57P).
 */
export class Pool extends pg.Pool {
  // the overloads of pg.Pool#query all end here; callbacks keep pg-pool's own path
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  override query(...args: any[]): any {
    if (typeof args[args.length - 1] === 'function') return (super.query as (...a: unknown[]) => unknown)(...args);
    return this.connect().then(async (client) => {
      try {
        const res = await (client.query as (...a: unknown[]) => Promise<unknown>)(...args);
        client.release();
        return res;
      } catch (err) {
        client.release(isStatementError(err) ? undefined : (err as Error));
        throw err;
      }
    });
  }
}

/** An error the server raised for one statement, after which the session is still usable. */
function isStatementError(err: unknown): boolean {
  return err instanceof pg.DatabaseError && !/^(08|57P)/.test(err.code ?? '08');
}

/** Errors of node's sockets that mean the database server cannot be reached. */
const UNREACHABLE = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EHOSTDOWN',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/** What node-postgres and pg-pool say when a connection is lost or cannot be made in time. */
const CONNECTION_LOST =
  /^(Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Client was closed and is not queryable)/;

/**
 * True when `err` (or the driver error it wraps: drizzle's `cause`, node's AggregateError) says
 * that the database is out of reach rather than that a statement failed: a refused or lost
 * connection, a connection timeout, SQLSTATE class 08 (connection exception), 57P01–57P05 (the
 * server shutting down, starting up or ending the session) or 53300 (too many connections). The
 * HTTP layer answers these with 503 and Retry-After: the client may try again, nothing is wrong
 * with its request.
 */
export function isDatabaseUnavailable(err: unknown, depth = 0): boolean {
  if (!err || typeof err !== 'object' || depth > 4) return false;
  const e = err as { code?: unknown; message?: unknown; cause?: unknown; errors?: unknown };
  if (typeof e.code === 'string' && (UNREACHABLE.has(e.code) || /^(08[0-9A-Z]{3}|57P0[1-5]|53300)$/.test(e.code))) return true;
  if (typeof e.message === 'string' && CONNECTION_LOST.test(e.message)) return true;
  if (Array.isArray(e.errors) && e.errors.some((x) => isDatabaseUnavailable(x, depth + 1))) return true;
  return isDatabaseUnavailable(e.cause, depth + 1);
}

/** Opens a pool of `max` connections on `url` (the server's size comes from config). */
export function openDatabase(url: string, max: number): Database {
  const pool = new Pool({
    connectionString: url,
    max,
    idleTimeoutMillis: 30_000,
    // a database that does not answer (a host down, packets dropped) fails a request after 10 s
    // (503) instead of holding it for the minutes of TCP's own timeout; the same bound applies to
    // waiting for a free connection
    connectionTimeoutMillis: 10_000,
    // a connection whose peer vanished without closing it is noticed and dropped from the pool
    keepAlive: true,
    // name search matches each typed word against the words of a name by trigrams (0.5: one typo in a
    // longer word) or by sound (Double Metaphone), which catches what trigrams miss in short names.
    // Short OLTP queries: parallel workers only add contention on a small machine, and JIT
    // compilation costs more than the few milliseconds it could save.
    options: '-c pg_trgm.word_similarity_threshold=0.5 -c max_parallel_workers_per_gather=0 -c jit=off',
  });
  // an idle client that loses its connection (the database restarting) must not crash the process;
  // pg-pool drops it, and the next request opens a new one: the pool recovers by itself
  pool.on('error', () => {});
  // a client checked out when the server goes away (57P01, a reset) also emits 'error': its query
  // rejects with it and the caller releases it as broken, so the event itself must not crash the process
  pool.on('connect', (client) => client.on('error', () => {}));
  const db = drizzle(pool);
  return { pool, db, close: () => pool.end() };
}

/** Applies the committed SQL migrations (idempotent; serialised by drizzle's migrations table). */
export async function migrateDatabase(database: Database): Promise<void> {
  const client = await database.pool.connect();
  try {
    // one migrator at a time when several nodes start together
    await client.query('SELECT pg_advisory_lock(7263001)');
    await migrate(drizzle(client), { migrationsFolder });
  } finally {
    await client.query('SELECT pg_advisory_unlock(7263001)').catch(() => {});
    client.release();
  }
}

/** Creates database `name` on the server at `url` if it does not exist, and returns its URL. */
export async function ensureDatabase(url: string, name: string): Promise<string> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!rowCount) await client.query(`CREATE DATABASE "${name.replace(/"/g, '')}"`);
  } finally {
    await client.end();
  }
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}
