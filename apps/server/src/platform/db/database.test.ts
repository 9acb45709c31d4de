import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../../../test/helpers.ts';
import { openDatabase, type Database } from './database.ts';

let ctx: TestContext;
let one: Database;

beforeAll(async () => {
  ctx = await createTestContext();
  // a pool of one connection: the backend pid tells whether it was kept
  one = openDatabase(ctx.dbUrl, 1);
});
afterAll(async () => {
  await one.close();
  await ctx.close();
});

const pid = async () => (await one.pool.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;

describe('connection pool', () => {
  it('keeps its connection when a statement fails with an SQL error', async () => {
    const before = await pid();
    await expect(one.pool.query('SELECT 1 / 0')).rejects.toMatchObject({ code: '22012' });
    await expect(one.pool.query({ text: 'SELECT * FROM no_such_table', rowMode: 'array' })).rejects.toMatchObject({
      code: '42P01',
    });
    // drizzle's queries on the pool take the same path
    await expect(one.db.execute(sql`SELECT 'x'::int`)).rejects.toMatchObject({ cause: { code: '22P02' } });
    expect(await pid()).toBe(before);
    const { rows } = await ctx.sql.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND pid = $1`,
      [before],
    );
    expect(rows[0]!.n).toBe(1);
  });

  it('drops a connection that the server closed and serves the next query on a new one', async () => {
    const before = await pid();
    await expect(one.pool.query('SELECT pg_terminate_backend(pg_backend_pid())')).rejects.toBeTruthy();
    const after = await pid();
    expect(after).not.toBe(before);
  });

  it('still supports callbacks', async () => {
    const rows = await new Promise<unknown[]>((resolve, reject) =>
      one.pool.query('SELECT 2 AS n', (err, res) => (err ? reject(err) : resolve(res.rows))),
    );
    expect(rows).toEqual([{ n: 2 }]);
  });
});
