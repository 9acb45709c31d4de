import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app.ts';
import { loadConfig } from '../../config.ts';
import { bootDatabase, type Booted } from '../boot.ts';
import { startEmbeddedPostgres, type EmbeddedDatabase } from './embedded.ts';
import { TEST_ARGON2_KIB, TEST_MASTER_KEY, TEST_PASSWORD } from '../../../test/constants.ts';

/**
 * PostgreSQL stops under a running server, then comes back on the same port and data directory.
 * The cluster is this file's own (an embedded one in a temporary directory, whatever
 * TEST_DATABASE_URL says): the shared one cannot be stopped. The app is the real one, booted as
 * main.ts boots it (migrations, demo seed, serving role).
 */

let dir: string;
let booted: Booted | null = null;
let cluster: EmbeddedDatabase | null = null;
let app: FastifyInstance | null = null;
let token: string;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sanita-outage-'));
  const config = loadConfig(
    {},
    {
      dataDir: dir,
      masterKey: TEST_MASTER_KEY,
      argon2MemoryKib: TEST_ARGON2_KIB,
      demoPassword: TEST_PASSWORD,
      demoPatients: 10,
      databasePoolSize: 4,
      logLevel: 'silent',
      serveWeb: false,
      auditSealIntervalMs: 60_000,
      jobsPollSeconds: 0.5,
      publicUrl: 'http://sanita.test',
    },
  );
  booted = await bootDatabase(config, () => {});
  cluster = booted.embedded;
  app = await buildApp({ config, database: booted.database });
  await app.ready();
  const login = await app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { email: 'receptionist@sanita.test', password: TEST_PASSWORD },
  });
  expect(login.statusCode, login.body).toBe(200);
  token = login.json<{ accessToken: string }>().accessToken;
});

afterAll(async () => {
  await app?.close();
  await booted?.database.close();
  await cluster?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

const ready = () => app!.inject({ method: 'GET', url: '/ready' });
const search = () => app!.inject({ method: 'GET', url: '/api/patients?q=x', headers: { authorization: `Bearer ${token}` } });

describe('the database goes away and comes back', () => {
  it('answers 503 (ready and API) while it is away, and recovers by itself when it is back', { timeout: 90_000 }, async () => {
    expect((await ready()).statusCode).toBe(200);
    expect((await search()).statusCode).toBe(200);
    const ran: string[] = [];
    await app!.services.jobs.work<{ v: string }>('outage-probe', async (d) => {
      ran.push(d.v);
    });

    const port = Number(new URL(cluster!.url).port);
    await cluster!.stop();
    cluster = null;

    // /ready fails at once, so that a load balancer stops sending traffic
    const t0 = Date.now();
    const notReady = await ready();
    expect(notReady.statusCode).toBe(503);
    expect(Date.now() - t0).toBeLessThan(2_500);

    // every request that needs the database: 503 UNAVAILABLE with Retry-After, never 500
    for (let i = 0; i < 3; i++) {
      const res = await search();
      expect(res.statusCode, res.body).toBe(503);
      expect(res.json()).toEqual({ error: { code: 'UNAVAILABLE', message: expect.any(String) } });
      expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    }
    expect((await ready()).statusCode).toBe(503);

    cluster = await startEmbeddedPostgres(path.join(dir, 'pg'), () => {}, { port });

    // the same app recovers: the pool drops the dead connections and opens new ones
    const deadline = Date.now() + 10_000;
    let r = await ready();
    while (r.statusCode !== 200 && Date.now() < deadline) {
      await sleep(200);
      r = await ready();
    }
    expect(r.statusCode).toBe(200);
    let s = await search();
    while (s.statusCode !== 200 && Date.now() < deadline) {
      await sleep(200);
      s = await search();
    }
    expect(s.statusCode, s.body).toBe(200);
    expect(s.json()).toMatchObject({ data: expect.any(Array) });

    // the job queue's polling survived the outage
    await app!.services.jobs.send('outage-probe', { v: 'after' });
    while (!ran.includes('after') && Date.now() < deadline + 10_000) await sleep(200);
    expect(ran).toEqual(['after']);
  });
});
