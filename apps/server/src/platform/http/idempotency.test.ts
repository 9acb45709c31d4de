import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../../../test/helpers.ts';
import { Conflict } from '../errors.ts';
import { canonicalJson, idempotent, purgeIdempotencyKeys, requestHash, type IdempotencyRequest } from './idempotency.ts';

let ctx: TestContext;
let userId: string;

beforeAll(async () => {
  ctx = await createTestContext();
  userId = ctx.ids.users['cashier@sanita.test']!;
});
afterAll(async () => ctx?.close());

const request = (key: string, body: unknown, route = '/api/things'): IdempotencyRequest => ({
  userId,
  key,
  route: `POST ${route}`,
  hash: requestHash('POST', route, body),
});

describe('the request fingerprint', () => {
  it('is the same whatever the order of the keys, different for another body, route or method', () => {
    expect(canonicalJson({ b: 1, a: [{ y: 2, x: null }], c: undefined })).toBe('{"a":[{"x":null,"y":2}],"b":1}');
    const h = requestHash('POST', '/api/payments', { amount: '1', currency: 'USD' });
    expect(requestHash('post', '/api/payments', { currency: 'USD', amount: '1' })).toBe(h);
    expect(requestHash('POST', '/api/payments', { amount: '2', currency: 'USD' })).not.toBe(h);
    expect(requestHash('POST', '/api/payments/x/refunds', { amount: '1', currency: 'USD' })).not.toBe(h);
    expect(requestHash('PUT', '/api/payments', { amount: '1', currency: 'USD' })).not.toBe(h);
  });
});

describe('idempotent work in the caller’s transaction', () => {
  it('runs once per key: concurrent duplicates wait for the first commit and replay its answer', async () => {
    const db = ctx.database.db;
    let runs = 0;
    const r = request(`unit-${Date.now()}`, { n: 1 });
    const once = () =>
      db.transaction((tx) =>
        idempotent(tx, r, 201, async () => {
          runs += 1;
          await new Promise((res) => setTimeout(res, 50));
          return { id: 'answer', at: runs };
        }),
      );
    const answers = await Promise.all([once(), once(), once()]);
    expect(runs).toBe(1);
    expect(answers.map((a) => a.status)).toEqual([201, 201, 201]);
    // the same answer (jsonb keeps no key order: a route's response schema writes it in its own order)
    for (const a of answers) expect(a.body).toEqual({ id: 'answer', at: 1 });
    expect(answers.filter((a) => !a.replayed)).toHaveLength(1);
  });

  it('a rolled-back first attempt frees the key; the same key for another request is refused', async () => {
    const db = ctx.database.db;
    const key = `unit-rb-${Date.now()}`;
    await expect(
      db.transaction((tx) =>
        idempotent(tx, request(key, { n: 1 }), 201, async () => {
          throw new Error('failed');
        }),
      ),
    ).rejects.toThrow('failed');
    const ok = await db.transaction((tx) => idempotent(tx, request(key, { n: 1 }), 201, async () => ({ done: true })));
    expect(ok).toEqual({ status: 201, body: { done: true }, replayed: false });
    const other = db.transaction((tx) => idempotent(tx, request(key, { n: 2 }), 201, async () => ({ done: false })));
    await expect(other).rejects.toBeInstanceOf(Conflict);
    await expect(other).rejects.toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED' });
  });

  it('keys older than 7 days are purged, newer ones kept', async () => {
    const db = ctx.database.db;
    const old = `unit-old-${Date.now()}`;
    const fresh = `unit-new-${Date.now()}`;
    for (const k of [old, fresh]) await db.transaction((tx) => idempotent(tx, request(k, {}), 200, async () => ({})));
    await ctx.sql.query(`UPDATE idempotency_keys SET created_at = now() - interval '8 days' WHERE key = $1`, [old]);
    expect(await purgeIdempotencyKeys(db)).toBeGreaterThanOrEqual(1);
    const { rows } = await db.execute<{ key: string }>(sql`SELECT key FROM idempotency_keys WHERE key IN (${old}, ${fresh})`);
    expect(rows.map((r) => r.key)).toEqual([fresh]);
  });
});
