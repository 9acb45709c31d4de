import crypto from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { FastifyRequest } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { Db, Executor, Tx } from '../db/database.ts';
import { Conflict, DomainError } from '../errors.ts';
import type { JobQueue } from '../jobs.ts';

/**
 * Idempotency keys for the routes that move money (payments, deposits, refunds…): a client sends
 * `Idempotency-Key: <its own unique id>`; a retry of the same request with the same key is answered
 * with the first answer, and nothing happens twice.
 *
 * The key row (user, key) is inserted INSIDE the transaction that does the work, first, with
 * ON CONFLICT DO NOTHING: a concurrent request with the same key waits on the primary key until the
 * first transaction ends. If the first committed, the row is there with its answer (stored in the
 * same transaction), which is replayed; if it rolled back (an error answered), the key is free again
 * and the second request does the work itself. The same key with another request (method, route,
 * parameters or body) is refused with 409 IDEMPOTENCY_KEY_REUSED. Keys are kept 7 days.
 */

export const IDEMPOTENCY_HEADER = 'Idempotency-Key';

/** The header in a route's schema: optional for the validator, so that a missing key gets its own code. */
export const IdempotencyHeaderSchema = Type.Object({
  'idempotency-key': Type.Optional(
    Type.String({
      minLength: 8,
      maxLength: 100,
      pattern: '^[A-Za-z0-9_.:-]+$',
      description: 'a unique id of the operation chosen by the client; a retry sends the same',
    }),
  ),
});

/** 400: a route that moves money was called without `Idempotency-Key`. */
export class IdempotencyKeyRequired extends DomainError {
  readonly status = 400;
  constructor() {
    super('IDEMPOTENCY_KEY_REQUIRED', `${IDEMPOTENCY_HEADER}: is required on this route (a unique id of the operation)`, [
      { field: IDEMPOTENCY_HEADER, code: 'required', message: 'is required on this route (a unique id of the operation)' },
    ]);
  }
}

/** One request's key and fingerprint. */
export interface IdempotencyRequest {
  userId: string;
  key: string;
  /** `POST /api/payments/<id>/refunds`: the method and the path as called */
  route: string;
  /** sha256 of the method, the path and the canonical body */
  hash: string;
}

/** The answer given, stored with the key. */
export interface IdempotentAnswer<T> {
  status: number;
  body: T;
  /** true when this is the stored answer of an earlier request */
  replayed: boolean;
}

/** JSON with object keys sorted, so that the same body hashes the same whatever its key order. */
export function canonicalJson(v: unknown): string {
  if (v === undefined) return 'null';
  if (v === null || typeof v !== 'object') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  const o = v as Record<string, unknown>;
  return `{${Object.keys(o)
    .filter((k) => o[k] !== undefined)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`)
    .join(',')}}`;
}

export function requestHash(method: string, route: string, body: unknown): string {
  return crypto
    .createHash('sha256')
    .update(`${method.toUpperCase()} ${route}\n${canonicalJson(body)}`)
    .digest('hex');
}

/** The request's key and fingerprint; 400 IDEMPOTENCY_KEY_REQUIRED without the header. */
export function idempotencyOf(req: FastifyRequest, userId: string): IdempotencyRequest {
  const raw = req.headers['idempotency-key'];
  const key = (Array.isArray(raw) ? raw[0] : raw)?.trim();
  if (!key) throw new IdempotencyKeyRequired();
  const route = `${req.method} ${req.url.split('?')[0]}`;
  return { userId, key, route, hash: requestHash(req.method, req.url.split('?')[0]!, req.body ?? null) };
}

/**
 * Runs `work` once per key, inside the caller's transaction `tx` (which must be the transaction of
 * the work itself, so that the key, the effect and the stored answer commit or roll back together).
 * Call it first in the transaction: a concurrent duplicate then waits before touching anything else.
 */
export async function idempotent<T>(
  tx: Tx,
  r: IdempotencyRequest,
  status: number,
  work: () => Promise<T>,
): Promise<IdempotentAnswer<T>> {
  const inserted = await tx.execute(sql`
    INSERT INTO idempotency_keys (user_id, key, route, request_hash)
    VALUES (${r.userId}, ${r.key}, ${r.route}, ${r.hash})
    ON CONFLICT (user_id, key) DO NOTHING
    RETURNING 1`);
  if (!inserted.rows.length) {
    const { rows } = await tx.execute<{ route: string; hash: string; status: number | null; response: T | null }>(sql`
      SELECT route, request_hash AS hash, status_code AS status, response
        FROM idempotency_keys WHERE user_id = ${r.userId} AND key = ${r.key}`);
    const row = rows[0];
    if (!row || row.hash !== r.hash)
      throw new Conflict(
        `${IDEMPOTENCY_HEADER} was already used for another request; send a new key for a new operation`,
        'IDEMPOTENCY_KEY_REUSED',
        [{ field: IDEMPOTENCY_HEADER, message: 'was already used for another request' }],
      );
    return { status: row.status ?? status, body: row.response as T, replayed: true };
  }
  const body = await work();
  await tx.execute(sql`
    UPDATE idempotency_keys SET status_code = ${status}, response = ${JSON.stringify(body)}::jsonb
     WHERE user_id = ${r.userId} AND key = ${r.key}`);
  return { status, body, replayed: false };
}

export const IDEMPOTENCY_PURGE_JOB = 'idempotency.purge';
const DAY_MS = 86_400_000;

/** Deletes keys older than `days` (7): a retry comes within minutes, a week is plenty. */
export async function purgeIdempotencyKeys(db: Executor, days = 7): Promise<number> {
  const res = await db.execute(sql`DELETE FROM idempotency_keys WHERE created_at < now() - make_interval(days => ${days})`);
  return res.rowCount ?? 0;
}

/**
 * The daily purge as a pg-boss job: the worker, and the first run queued (each run queues the next
 * one a day later; the singleton key keeps one queued whatever the number of processes).
 */
export async function startIdempotencyPurge(db: Db, jobs: JobQueue): Promise<void> {
  await jobs.work(IDEMPOTENCY_PURGE_JOB, async () => {
    await purgeIdempotencyKeys(db);
    await jobs.send(IDEMPOTENCY_PURGE_JOB, {}, { startAfter: new Date(Date.now() + DAY_MS), singletonKey: 'daily' });
  });
  await jobs.send(IDEMPOTENCY_PURGE_JOB, {}, { singletonKey: 'daily' });
}
