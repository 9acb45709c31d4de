import crypto from 'node:crypto';
import type pg from 'pg';

/** The columns of an audit row, as text, in the fixed order the chain hashes them. */
export const CANONICAL_COLUMNS = `a.id::text, (extract(epoch from a.at) * 1000000)::bigint::text, a.actor_user_id::text,
  a.actor_role, a.clinic_id::text, a.patient_id::text, a.action, a.resource_type, a.resource_id, a.outcome, a.ip,
  a.user_agent, a.request_id, a.break_glass::text, a.details::text`;

export const GENESIS_HASH = '0'.repeat(64);

/** hash(n) = SHA-256(hash(n-1) + "\n" + JSON of the row's canonical columns). */
export function chainHash(prevHash: string, row: readonly (string | null)[]): string {
  return crypto.createHash('sha256').update(prevHash).update('\n').update(JSON.stringify(row)).digest('hex');
}

export interface SealResult {
  sealed: number;
  headSeq: number;
  headHash: string;
}

export type HeadSigner = (message: string) => Promise<{ kid: string; signature: string }>;

/** How far behind the highest sealed id a look-back searches for rows whose transactions committed late. */
const LOOK_BACK_ROWS = 20_000;

/**
 * Extends the chain over every committed, not yet sealed audit row, in id order. Runs under a
 * transaction-scoped advisory lock so that one node seals at a time. Rows whose transactions
 * commit late (a lower id after a higher one was sealed) are picked up by a run with `lookBack`,
 * which searches a window behind the highest sealed id; without it a run only reads the rows
 * after that id, an index range scan that stays cheap however long the trail grows.
 */
export async function sealAudit(pool: pg.Pool, sign?: HeadSigner, signEveryMs = 60_000, lookBack = true): Promise<SealResult> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const lock = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_xact_lock(7263002) AS ok');
    if (!lock.rows[0]?.ok) {
      await client.query('ROLLBACK');
      return { sealed: 0, headSeq: -1, headHash: '' };
    }
    const state = await client.query<{ last_seq: number; last_hash: string; last_audit_id: number }>(
      'SELECT last_seq, last_hash, last_audit_id FROM audit_seal_state WHERE id = 1 FOR UPDATE',
    );
    let { last_seq: seq, last_hash: hash, last_audit_id: maxId } = state.rows[0]!;
    let sealed = 0;
    for (;;) {
      const from = lookBack ? Math.max(0, maxId - LOOK_BACK_ROWS) : maxId;
      const rows = await client.query<{ id: string; row: (string | null)[] }>({
        text: `SELECT a.id, ARRAY[${CANONICAL_COLUMNS}] AS row FROM audit_log a
               WHERE a.id > $1 AND NOT EXISTS (SELECT 1 FROM audit_seals s WHERE s.audit_id = a.id AND s.audit_id > $1)
               ORDER BY a.id LIMIT 2000`,
        values: [from],
      });
      if (!rows.rows.length) break;
      const seqs: number[] = [];
      const ids: string[] = [];
      const prevs: string[] = [];
      const hashes: string[] = [];
      for (const r of rows.rows) {
        const next = chainHash(hash, r.row);
        seq += 1;
        seqs.push(seq);
        ids.push(r.id);
        prevs.push(hash);
        hashes.push(next);
        hash = next;
        maxId = Math.max(maxId, Number(r.id));
      }
      await client.query(
        `INSERT INTO audit_seals (seq, audit_id, prev_hash, hash)
         SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[])`,
        [seqs, ids, prevs, hashes],
      );
      sealed += rows.rows.length;
      if (rows.rows.length < 2000) break;
    }
    if (sealed) {
      await client.query('UPDATE audit_seal_state SET last_seq = $1, last_hash = $2, last_audit_id = $3 WHERE id = 1', [
        seq,
        hash,
        maxId,
      ]);
    }
    if (sign && seq > 0) {
      const last = await client.query<{ seq: number; age_ms: number }>(
        `SELECT seq, extract(epoch from now() - signed_at) * 1000 AS age_ms FROM audit_heads ORDER BY seq DESC LIMIT 1`,
      );
      const head = last.rows[0];
      if (!head || (head.seq < seq && head.age_ms >= signEveryMs)) {
        const { kid, signature } = await sign(`${seq}:${hash}`);
        await client.query('INSERT INTO audit_heads (seq, hash, kid, signature) VALUES ($1, $2, $3, $4)', [
          seq,
          hash,
          kid,
          signature,
        ]);
      }
    }
    await client.query('COMMIT');
    return { sealed, headSeq: seq, headHash: hash };
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {});
    throw err;
  } finally {
    client.release();
  }
}

export interface VerifyResult {
  ok: boolean;
  checked: number;
  headSeq: number;
  signedHeads: number;
  /** the first row that does not match the chain, and why */
  firstBad?: { auditId: number | null; seq: number | null; reason: string };
}

export type HeadVerifier = (message: string, kid: string, signature: string) => Promise<boolean>;

/**
 * Walks the whole chain from the genesis hash, recomputing each row's hash from its current
 * content, and checks the signed heads. Stops at the first inconsistency and names the row.
 */
export async function verifyAudit(pool: pg.Pool, verifyHead?: HeadVerifier): Promise<VerifyResult> {
  let prev = GENESIS_HASH;
  let expectedSeq = 1;
  let checked = 0;
  const hashesBySeq = new Map<number, string>();
  const heads = await pool.query<{ seq: number; hash: string; kid: string; signature: string }>(
    'SELECT seq, hash, kid, signature FROM audit_heads ORDER BY seq',
  );
  const wanted = new Set(heads.rows.map((h) => h.seq));
  for (;;) {
    const batch = await pool.query<{
      seq: number;
      audit_id: number;
      prev_hash: string;
      hash: string;
      row: (string | null)[] | null;
    }>(
      `SELECT s.seq, s.audit_id, s.prev_hash, s.hash,
              CASE WHEN a.id IS NULL THEN NULL ELSE ARRAY[${CANONICAL_COLUMNS}] END AS row
         FROM audit_seals s LEFT JOIN audit_log a ON a.id = s.audit_id
        WHERE s.seq >= $1 ORDER BY s.seq LIMIT 5000`,
      [expectedSeq],
    );
    if (!batch.rows.length) break;
    for (const s of batch.rows) {
      const bad = (reason: string): VerifyResult => ({
        ok: false,
        checked,
        headSeq: expectedSeq - 1,
        signedHeads: 0,
        firstBad: { auditId: s.audit_id, seq: s.seq, reason },
      });
      if (s.seq !== expectedSeq) return bad(`seal ${expectedSeq} is missing`);
      if (s.prev_hash !== prev) return bad('seal does not link to the previous seal');
      if (!s.row) return bad('audit row was deleted');
      const h = chainHash(prev, s.row);
      if (h !== s.hash) return bad('audit row content differs from what was sealed');
      if (wanted.has(s.seq)) hashesBySeq.set(s.seq, h);
      prev = h;
      expectedSeq += 1;
      checked += 1;
    }
  }
  for (const head of heads.rows) {
    const ok =
      hashesBySeq.get(head.seq) === head.hash &&
      (!verifyHead || (await verifyHead(`${head.seq}:${head.hash}`, head.kid, head.signature)));
    if (!ok)
      return {
        ok: false,
        checked,
        headSeq: expectedSeq - 1,
        signedHeads: 0,
        firstBad: { auditId: null, seq: head.seq, reason: 'signed chain head does not match the chain' },
      };
  }
  // rows behind the sealed frontier that were never sealed were slipped in after the fact
  const stray = await pool.query<{ id: number }>(
    `SELECT a.id FROM audit_log a
      WHERE a.id <= (SELECT coalesce(max(audit_id), 0) FROM audit_seals)
        AND a.at < now() - interval '5 minutes'
        AND NOT EXISTS (SELECT 1 FROM audit_seals s WHERE s.audit_id = a.id)
      ORDER BY a.id LIMIT 1`,
  );
  if (stray.rows[0])
    return {
      ok: false,
      checked,
      headSeq: expectedSeq - 1,
      signedHeads: heads.rows.length,
      firstBad: { auditId: stray.rows[0].id, seq: null, reason: 'audit row was never sealed into the chain' },
    };
  return { ok: true, checked, headSeq: expectedSeq - 1, signedHeads: heads.rows.length };
}
