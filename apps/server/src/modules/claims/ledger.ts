import crypto from 'node:crypto';
import { sql } from 'drizzle-orm';
import type pg from 'pg';
import type { LedgerVerification } from '@sanita/contracts/claims';
import type { Executor } from '../../platform/db/database.ts';

/**
 * The claim ledger: every claim event appended to `claim_events` in the event's own transaction,
 * under a transaction advisory lock so that seq has no gaps and each event links to the one before:
 *   hash(n) = SHA-256(hash(n−1) + "\n" + JSON([seq, claimId, type, at in µs since the epoch, actorId, payload]))
 * with the payload's keys sorted (the JSON is canonical, whatever order jsonb gives back). The head
 * is signed every minute with the server's Ed25519 key into `claim_ledger_heads`, as the audit
 * chain's heads. The serving role may only SELECT and INSERT both tables (the module declares them
 * append-only; a trigger refuses UPDATE, DELETE and TRUNCATE to everybody).
 */

export const GENESIS_HASH = '0'.repeat(64);
const LEDGER_LOCK = 7263101;

export type LedgerEventType = 'created' | 'attached' | 'submitted' | 'in_review' | 'decision' | 'note' | 'paid' | 'resubmitted';

/** JSON with object keys sorted at every depth. */
export function canonicalJson(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v ?? null);
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  const o = v as Record<string, unknown>;
  return `{${Object.keys(o)
    .filter((k) => o[k] !== undefined)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`)
    .join(',')}}`;
}

export function eventHash(
  prevHash: string,
  e: { seq: number; claimId: string; type: string; atUs: string; actorId: string | null; payload: unknown },
): string {
  const body = canonicalJson([e.seq, e.claimId, e.type, e.atUs, e.actorId, e.payload]);
  return crypto.createHash('sha256').update(prevHash).update('\n').update(body).digest('hex');
}

export interface LedgerEntry {
  claimId: string;
  type: LedgerEventType;
  actorId: string | null;
  payload: Record<string, unknown>;
}

export interface AppendedEvent {
  seq: number;
  claimId: string;
  type: LedgerEventType;
  at: Date;
  actorId: string | null;
  actorName: string | null;
  hash: string;
}

/**
 * Appends events in the caller's transaction, in order; returns them with their seq and hash. The
 * lock it takes is held to the commit and serialises every writer of the ledger, so callers append
 * as the last thing before they commit (see ClaimsService's `run`): the lock then covers two
 * statements instead of the whole transaction.
 */
export async function appendClaimEvents(tx: Executor, entries: readonly LedgerEntry[]): Promise<AppendedEvent[]> {
  if (!entries.length) return [];
  await tx.execute(sql`SELECT pg_advisory_xact_lock(${LEDGER_LOCK})`);
  const { rows } = await tx.execute<{ seq: string | null; hash: string | null; at_us: string }>(sql`
    SELECT (SELECT seq FROM claim_events ORDER BY seq DESC LIMIT 1)::text AS seq,
           (SELECT hash FROM claim_events ORDER BY seq DESC LIMIT 1) AS hash,
           (extract(epoch FROM clock_timestamp()) * 1000000)::bigint::text AS at_us`);
  const last = rows[0]!;
  let seq = Number(last.seq ?? 0);
  let prev = last.hash ?? GENESIS_HASH;
  const values = entries.map((e) => {
    seq += 1;
    const payload = JSON.parse(canonicalJson(e.payload)) as Record<string, unknown>;
    const hash = eventHash(prev, { seq, claimId: e.claimId, type: e.type, atUs: last.at_us, actorId: e.actorId, payload });
    const row = sql`(${seq}, ${e.claimId}::uuid, ${e.type}, ${JSON.stringify(payload)}::jsonb, ${e.actorId}::uuid,
      timestamptz 'epoch' + ${last.at_us}::bigint * interval '1 microsecond', ${prev}, ${hash})`;
    prev = hash;
    return row;
  });
  const inserted = await tx.execute<{
    seq: string;
    claim_id: string;
    type: LedgerEventType;
    at: Date;
    actor_id: string | null;
    actor_name: string | null;
    hash: string;
  }>(sql`
    WITH ins AS (
      INSERT INTO claim_events (seq, claim_id, type, payload, actor_id, at, prev_hash, hash)
      VALUES ${sql.join(values, sql`, `)}
      RETURNING seq, claim_id, type, at, actor_id, hash)
    SELECT ins.seq::text, ins.claim_id, ins.type, ins.at, ins.actor_id, u.display_name AS actor_name, ins.hash
      FROM ins LEFT JOIN users u ON u.id = ins.actor_id ORDER BY ins.seq`);
  return inserted.rows.map((r) => ({
    seq: Number(r.seq),
    claimId: r.claim_id,
    type: r.type,
    at: new Date(r.at),
    actorId: r.actor_id,
    actorName: r.actor_name,
    hash: r.hash,
  }));
}

/** Appends one event in the caller's transaction; returns its seq and hash. */
export async function appendClaimEvent(tx: Executor, e: LedgerEntry): Promise<{ seq: number; hash: string }> {
  const [row] = await appendClaimEvents(tx, [e]);
  return { seq: row!.seq, hash: row!.hash };
}

export type HeadSigner = (message: string) => Promise<{ kid: string; signature: string }>;
export type HeadVerifier = (message: string, kid: string, signature: string) => Promise<boolean>;
const headMessage = (seq: number, hash: string) => `claims:${seq}:${hash}`;

/** Signs the current head when it moved since the last signed one (the minute job); returns the seq signed or null. */
export async function signLedgerHead(pool: pg.Pool, sign: HeadSigner): Promise<number | null> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1)', [LEDGER_LOCK + 1]);
    const head = (
      await client.query<{ seq: string; hash: string }>('SELECT seq, hash FROM claim_events ORDER BY seq DESC LIMIT 1')
    ).rows[0];
    const signed = (await client.query<{ seq: string }>('SELECT seq FROM claim_ledger_heads ORDER BY seq DESC LIMIT 1')).rows[0];
    if (!head || (signed && Number(signed.seq) >= Number(head.seq))) {
      await client.query('COMMIT');
      return null;
    }
    const { kid, signature } = await sign(headMessage(Number(head.seq), head.hash));
    await client.query('INSERT INTO claim_ledger_heads (seq, hash, kid, signature) VALUES ($1, $2, $3, $4)', [
      head.seq,
      head.hash,
      kid,
      signature,
    ]);
    await client.query('COMMIT');
    return Number(head.seq);
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {});
    throw err;
  } finally {
    client.release();
  }
}

/**
 * Walks the whole ledger from the genesis hash, recomputing every event's hash from its current
 * content, then checks each signed head against the chain and its signature. Names the first bad
 * event (or head).
 */
export async function verifyLedger(pool: pg.Pool, verifyHead?: HeadVerifier): Promise<LedgerVerification> {
  let prev = GENESIS_HASH;
  let expected = 1;
  let checked = 0;
  const heads = (
    await pool.query<{ seq: string; hash: string; kid: string; signature: string }>(
      'SELECT seq, hash, kid, signature FROM claim_ledger_heads ORDER BY seq',
    )
  ).rows;
  const wanted = new Set(heads.map((h) => Number(h.seq)));
  const hashes = new Map<number, string>();
  const result = (firstBad: LedgerVerification['firstBad'], signedHeads = 0): LedgerVerification => ({
    ok: !firstBad,
    checked,
    headSeq: expected - 1,
    signedHeads,
    firstBad,
    verifiedAt: new Date().toISOString(),
  });
  for (;;) {
    const { rows } = await pool.query<{
      seq: string;
      claim_id: string;
      type: string;
      payload: unknown;
      actor_id: string | null;
      at_us: string;
      prev_hash: string;
      hash: string;
    }>(
      `SELECT seq, claim_id, type, payload, actor_id, (extract(epoch FROM at) * 1000000)::bigint::text AS at_us, prev_hash, hash
         FROM claim_events WHERE seq >= $1 ORDER BY seq LIMIT 5000`,
      [expected],
    );
    if (!rows.length) break;
    for (const r of rows) {
      const seq = Number(r.seq);
      const bad = (reason: string) => result({ seq, claimId: r.claim_id, reason });
      if (seq !== expected) return result({ seq: expected, claimId: null, reason: `event ${expected} is missing` });
      if (r.prev_hash !== prev) return bad('event does not link to the previous event');
      const h = eventHash(prev, {
        seq,
        claimId: r.claim_id,
        type: r.type,
        atUs: r.at_us,
        actorId: r.actor_id,
        payload: r.payload,
      });
      if (h !== r.hash) return bad('event content differs from what was chained');
      if (wanted.has(seq)) hashes.set(seq, h);
      prev = h;
      expected += 1;
      checked += 1;
    }
  }
  for (const head of heads) {
    const seq = Number(head.seq);
    const ok =
      hashes.get(seq) === head.hash && (!verifyHead || (await verifyHead(headMessage(seq, head.hash), head.kid, head.signature)));
    if (!ok) return result({ seq, claimId: null, reason: 'signed ledger head does not match the chain' });
  }
  return result(null, heads.length);
}
