import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../../test/helpers.ts';
import { PgJobQueue, redactContacts } from './jobs.ts';

let ctx: TestContext;
const queues: PgJobQueue[] = [];
const silent = { error: () => {}, warn: () => {} };

function queue(retryLimit?: number): PgJobQueue {
  const q = new PgJobQueue({
    pool: ctx.database.pool,
    pollingIntervalSeconds: 0.5,
    retryDelaySeconds: 1,
    retryLimit,
    log: silent,
  });
  queues.push(q);
  return q;
}

async function until(check: () => boolean, timeoutMs = 15_000): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 50));
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(async () => {
  for (const q of queues) await q.stop();
  await ctx.close();
});

describe('job queue (pg-boss on the application database)', () => {
  it('the application exposes a started queue that runs jobs', async () => {
    const seen: string[] = [];
    await ctx.app.services.jobs.work<{ v: string }>('test-app-queue', async (d) => {
      seen.push(d.v);
    });
    const id = await ctx.app.services.jobs.send('test-app-queue', { v: 'hello' });
    expect(id).toEqual(expect.any(String));
    await until(() => seen.length === 1);
    expect(seen).toEqual(['hello']);
  });

  it('a job sent with startAfter does not run before that time', async () => {
    const q = queue();
    const ran: number[] = [];
    await q.work('test-delayed', async () => {
      ran.push(Date.now());
    });
    const startAfter = new Date(Date.now() + 2_500);
    await q.send('test-delayed', { n: 1 }, { startAfter });
    await sleep(1_500);
    expect(ran).toEqual([]);
    await until(() => ran.length === 1);
    // pg-boss compares with the database clock; allow for a little skew with ours
    expect(ran[0]!).toBeGreaterThanOrEqual(startAfter.getTime() - 250);
  });

  it('sendMany queues several jobs in one call, each once per singleton key, honouring startAfter', async () => {
    const q = queue();
    const ran: string[] = [];
    await q.work<{ k: string }>('test-many', async (d) => {
      ran.push(d.k);
    });
    const later = new Date(Date.now() + 2_000);
    await q.sendMany('test-many', [
      { data: { k: 'a' }, singletonKey: 'many-a' },
      { data: { k: 'b' }, singletonKey: 'many-b', startAfter: later },
    ]);
    // the same keys again (a retried booking, say): nothing new is queued
    await q.sendMany('test-many', [{ data: { k: 'a' }, singletonKey: 'many-a' }]);
    await until(() => ran.length === 1);
    expect(ran).toEqual(['a']);
    await until(() => ran.length === 2);
    await sleep(1_500);
    expect(ran).toEqual(['a', 'b']);
  });

  it('a job queued before a restart runs exactly once on the new process', async () => {
    const first = queue();
    const id = await first.send('test-restart', { n: 42 });
    expect(id).toBeTruthy();
    await first.stop();

    const second = queue();
    const runs: number[] = [];
    await second.work<{ n: number }>('test-restart', async (d) => {
      runs.push(d.n);
    });
    await until(() => runs.length === 1);
    await sleep(2_000);
    expect(runs).toEqual([42]);
    const { rows } = await ctx.sql.query<{ state: string }>('SELECT state FROM pgboss.job WHERE id = $1', [id]);
    expect(rows.map((r) => r.state)).toEqual(['completed']);
  });

  it('a singleton key queues the job once however often it is sent', async () => {
    const q = queue();
    const startAfter = new Date(Date.now() + 1_000);
    const a = await q.send('test-singleton', { n: 1 }, { singletonKey: 'reminder:abc', startAfter });
    const b = await q.send('test-singleton', { n: 2 }, { singletonKey: 'reminder:abc', startAfter });
    const c = await q.send('test-singleton', { n: 3 }, { singletonKey: 'reminder:other', startAfter });
    expect(a).toBeTruthy();
    expect(b).toBeNull();
    expect(c).toBeTruthy();
    // jobs without a key are never deduplicated against each other
    const d = await q.send('test-singleton', { n: 4 }, { startAfter });
    const e = await q.send('test-singleton', { n: 5 }, { startAfter });
    expect(d).toBeTruthy();
    expect(e).toBeTruthy();
    const runs: number[] = [];
    await q.work<{ n: number }>('test-singleton', async (data) => {
      runs.push(data.n);
    });
    await until(() => runs.length === 4);
    await sleep(1_500);
    expect(runs.sort()).toEqual([1, 3, 4, 5]);
  });

  it('a cancelled job does not run', async () => {
    const q = queue();
    const id = await q.send('test-cancel', { n: 1 }, { startAfter: new Date(Date.now() + 1_000) });
    await q.send('test-cancel', { n: 2 }, { startAfter: new Date(Date.now() + 1_000) });
    await q.cancel('test-cancel', id!);
    const runs: number[] = [];
    await q.work<{ n: number }>('test-cancel', async (d) => {
      runs.push(d.n);
    });
    await until(() => runs.length === 1);
    await sleep(1_500);
    expect(runs).toEqual([2]);
  });

  it('a handler that throws is retried until it succeeds', async () => {
    const q = queue();
    let attempts = 0;
    await q.work('test-retry', async () => {
      attempts += 1;
      if (attempts < 3) throw new Error('gateway down');
    });
    const id = await q.send('test-retry', { n: 1 });
    await until(() => attempts === 3, 25_000);
    const state = async () =>
      (await ctx.sql.query<{ state: string }>('SELECT state FROM pgboss.job WHERE id = $1', [id])).rows[0]?.state;
    for (let i = 0; i < 40 && (await state()) !== 'completed'; i++) await sleep(100);
    expect(await state()).toBe('completed');
    expect(attempts).toBe(3);
  });

  it('tells the handler which attempt runs and whether it is the last one', async () => {
    const q = queue(2);
    const seen: { number: number; last: boolean }[] = [];
    await q.work('test-attempts', async (_d, attempt) => {
      seen.push(attempt);
      throw new Error('provider down');
    });
    const id = await q.send('test-attempts', { n: 1 });
    await until(() => seen.length === 3, 25_000);
    const state = async () =>
      (await ctx.sql.query<{ state: string }>('SELECT state FROM pgboss.job WHERE id = $1', [id])).rows[0]?.state;
    for (let i = 0; i < 40 && (await state()) !== 'failed'; i++) await sleep(100);
    expect(await state()).toBe('failed');
    expect(seen).toEqual([
      { number: 1, last: false },
      { number: 2, last: false },
      { number: 3, last: true },
    ]);
  });

  it('masks e-mail addresses and phone numbers in logged errors, not SMTP codes', () => {
    expect(redactContacts("Can't send mail - all recipients were rejected: 550 5.1.1 <jane.doe@example.org>: unknown")).toBe(
      "Can't send mail - all recipients were rejected: 550 5.1.1 <<email>>: unknown",
    );
    expect(redactContacts('gateway refused +243 81 000 0111 (HTTP 400)')).toBe('gateway refused <number> (HTTP 400)');
  });
});
