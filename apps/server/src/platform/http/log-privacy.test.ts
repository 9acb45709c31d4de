import { Writable } from 'node:stream';
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app.ts';
import { openDatabase, type Database } from '../db/database.ts';
import { createTestContext, TEST_PASSWORD, type TestContext } from '../../../test/helpers.ts';

/**
 * Nothing that identifies a patient reaches the logs when a query fails: not the query's
 * parameters (drizzle puts them in its error message), not the values PostgreSQL quotes back
 * (a check violation's "Failing row contains (…)", an invalid input's "…: \"value\""). What helps
 * an operator stays: the error's class, its SQLSTATE, the constraint's name.
 */

let ctx: TestContext;
let app: FastifyInstance;
let database: Database;
const lines: string[] = [];

const PATIENT = { givenName: 'Amani', familyName: 'Kabilanyota', birthDate: '1984-03-09', phone: '+243 81 234 5678' };
// the forms the patient's data takes in a statement or an error
const TRACES = ['Kabilanyota', '1984-03-09', '234 5678', '812345678'];

beforeAll(async () => {
  ctx = await createTestContext();
  // a second app on the same database whose log lines land in `lines`
  database = openDatabase(ctx.appUrl, 4);
  const logStream = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  app = await buildApp({ config: { ...ctx.config, logLevel: 'info' }, database, logStream });
  await app.ready();
});

afterAll(async () => {
  await app?.close();
  await database?.close();
  await ctx?.close();
});

function expectNoPatientData(logged: string): void {
  for (const t of TRACES) expect(logged, `the log holds "${t}"`).not.toContain(t);
}

async function until(check: () => boolean, timeoutMs = 20_000): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('logs of failed queries', () => {
  it('a 5xx whose statement carried a name, a phone and a birth date logs its SQLSTATE and constraint, not them', async () => {
    const login = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: 'receptionist@sanita.test', password: TEST_PASSWORD },
    });
    const token = login.json<{ accessToken: string }>().accessToken;
    // the database refuses every new patient (as a broken migration or a full disk would)
    await ctx.sql.query('ALTER TABLE patients ADD CONSTRAINT log_privacy_probe CHECK (false) NOT VALID');
    const from = lines.length;
    try {
      const res = await app.inject({
        method: 'POST',
        url: '/api/patients',
        headers: { authorization: `Bearer ${token}` },
        payload: {
          givenName: PATIENT.givenName,
          familyName: PATIENT.familyName,
          sex: 'female',
          birthDate: PATIENT.birthDate,
          phones: [PATIENT.phone],
          allowDuplicate: true,
        },
      });
      expect(res.statusCode, res.body).toBe(500);
      expect(res.json().error.code).toBe('INTERNAL');
    } finally {
      await ctx.sql.query('ALTER TABLE patients DROP CONSTRAINT log_privacy_probe');
    }
    const logged = lines.slice(from).join('\n');
    const failure = lines.slice(from).find((l) => l.includes('request failed'));
    expect(failure, logged).toBeDefined();
    // what an operator needs is there
    expect(failure).toContain('23514');
    expect(failure).toContain('log_privacy_probe');
    expect(failure).toContain('"stack"');
    expectNoPatientData(logged);
  });

  it('a failed job logs its SQLSTATE, not the values of its statement', async () => {
    const from = lines.length;
    await app.services.jobs.work<typeof PATIENT>('log-privacy-probe', async (d) => {
      // "invalid input syntax for type integer: "Amani Kabilanyota"" after "params: …" in drizzle's message
      await database.db.execute(
        sql`SELECT ${`${d.givenName} ${d.familyName}`}::int AS n, ${d.phone}::text AS p, ${d.birthDate}::date AS b`,
      );
    });
    await app.services.jobs.send('log-privacy-probe', PATIENT);
    await until(() => lines.slice(from).some((l) => l.includes('job failed')));
    const failure = lines.slice(from).find((l) => l.includes('job failed'))!;
    expect(failure).toContain('22P02');
    expectNoPatientData(lines.slice(from).join('\n'));
  });

  it("a unique violation's detail (Key (…)=(value)) is not logged; its SQLSTATE and constraint are", async () => {
    const client = await ctx.sql.connect();
    let err: Error | null = null;
    try {
      await client.query('CREATE TEMP TABLE probe (name text CONSTRAINT probe_name_key UNIQUE)');
      await client.query('INSERT INTO probe VALUES ($1)', [PATIENT.familyName]);
      err = await client.query('INSERT INTO probe VALUES ($1)', [PATIENT.familyName]).then(
        () => null,
        (e: unknown) => e as Error,
      );
    } finally {
      client.release(true);
    }
    expect(err).toMatchObject({ code: '23505', detail: expect.stringContaining(PATIENT.familyName) });
    const from = lines.length;
    app.log.error({ err }, 'a unique violation');
    await until(() => lines.length > from);
    const logged = lines.slice(from).join('\n');
    expect(logged).toContain('23505');
    expect(logged).toContain('probe_name_key');
    expectNoPatientData(logged);
  });

  it('refused URLs (too long, bad encoding, unknown) are not logged either', async () => {
    const from = lines.length;
    const paths = [
      `/api/patients/${PATIENT.familyName.repeat(400)}`,
      `/api/%zz${PATIENT.familyName}`,
      `/api/nothing/${PATIENT.familyName}`,
    ];
    const statuses = [];
    for (const url of paths) statuses.push((await app.inject({ method: 'GET', url })).statusCode);
    expect(statuses).toEqual([414, 400, 401]);
    await until(() => lines.length > from);
    expectNoPatientData(lines.slice(from).join('\n'));
  });

  it('errors logged as the first argument, or as a bare message, are masked too', async () => {
    const err = await database.db
      .execute(sql`SELECT ${`${PATIENT.givenName} ${PATIENT.familyName}`}::int, ${PATIENT.birthDate}::date`)
      .then(
        () => null,
        (e: unknown) => e as Error,
      );
    expect(err).toBeInstanceOf(Error);
    const from = lines.length;
    app.log.error(err);
    app.log.warn({ err: { message: err!.message } }, 'an older call site');
    await until(() => lines.length >= from + 2);
    expectNoPatientData(lines.slice(from).join('\n'));
    expect(lines.slice(from).join('\n')).toContain('22P02');
  });
});
