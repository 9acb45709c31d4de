import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { inject } from 'vitest';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { buildApp } from '../src/app.ts';
import { loadConfig, type Config } from '../src/config.ts';
import { openDatabase, type Database } from '../src/platform/db/database.ts';
import type { Mailer } from '../src/platform/mail.ts';
import { SERVING_ROLE, servingRolePassword, urlWithUser } from '../src/platform/db/roles.ts';
import { TEST_ARGON2_KIB, TEST_MASTER_KEY, TEST_PASSWORD } from './constants.ts';

export { TEST_PASSWORD };

export interface TestContext {
  app: FastifyInstance;
  /** the app's pool, logged in as the serving role (sanita_app) as in production */
  database: Database;
  config: Config;
  /** this file's database as the owner (a superuser), as DATABASE_URL: migrations, command-line tools */
  dbUrl: string;
  /** this file's database as the serving role */
  appUrl: string;
  /** a superuser connection to this file's database, for inspecting and tampering */
  sql: pg.Pool;
  ids: Fixtures;
  login(email: string, extra?: Record<string, unknown>): Promise<Session>;
  close(): Promise<void>;
}

export interface Session {
  token: string;
  cookies: Record<string, string>;
  userId: string;
  /** calls the API as this user; `clinic` sets X-Clinic-Id */
  req(method: string, url: string, body?: unknown, headers?: Record<string, string>): Promise<LightMyRequestResponse>;
}

export interface Fixtures {
  kin: string;
  gom: string;
  users: Record<string, string>;
  /** the patient with the portal account (at Kinshasa) */
  ownPatient: string;
  /** another Kinshasa patient */
  kinPatient: string;
  /** a patient registered only at Goma */
  gomPatient: string;
}

/** A database of this test file's own, cloned from the seeded template, and an app on it. */
export async function createTestContext(overrides: Partial<Config> = {}, mailer?: Mailer): Promise<TestContext> {
  const serverUrl = inject('serverUrl');
  const template = inject('templateDb');
  const name = `${template}_${crypto.randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  // cloning needs the template to have no other connections: retry while another file clones it
  for (let i = 0; ; i++) {
    try {
      await admin.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
      break;
    } catch (err) {
      if (i > 50 || !String((err as Error).message).includes('being accessed')) throw err;
      await new Promise((r) => setTimeout(r, 100 + Math.random() * 200));
    }
  }
  await admin.end();
  const u = new URL(serverUrl);
  u.pathname = `/${name}`;
  const dbUrl = u.toString();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sanita-test-data-'));
  const config = loadConfig(
    {},
    {
      databaseUrl: dbUrl,
      dataDir,
      masterKey: TEST_MASTER_KEY,
      argon2MemoryKib: TEST_ARGON2_KIB,
      logLevel: 'silent',
      serveWeb: false,
      authRateLimitPerMinute: 1000,
      auditSealIntervalMs: 60_000,
      jobsPollSeconds: 0.5,
      jobsRetryDelaySeconds: 1,
      publicUrl: 'http://sanita.test',
      ...overrides,
    },
  );
  // the role and its grants come with the template (global-setup.ts)
  const appUrl = urlWithUser(dbUrl, SERVING_ROLE, servingRolePassword(Buffer.from(TEST_MASTER_KEY, 'base64')));
  // two connections: code that holds one while waiting for another would deadlock here, not in production
  const database = openDatabase(appUrl, 2);
  const app = await buildApp({ config, database, mailer });
  await app.ready();
  const sql = new pg.Pool({ connectionString: dbUrl, max: 2 });
  // an idle connection still closing when close() drops the database gets 57P01: not a test failure
  sql.on('error', () => {});

  const one = async (q: string, params: unknown[] = []) => (await sql.query(q, params)).rows[0] as Record<string, string>;
  const users = Object.fromEntries(
    (await sql.query<{ email: string; id: string }>('SELECT email, id FROM users')).rows.map((r) => [r.email, r.id]),
  );
  const kin = (await one(`SELECT id FROM clinics WHERE code = 'KIN'`)).id!;
  const gom = (await one(`SELECT id FROM clinics WHERE code = 'GOM'`)).id!;
  const ownPatient = (await one(`SELECT patient_id AS id FROM users WHERE email = 'patient@sanita.test'`)).id!;
  const kinPatient = (
    await one(`SELECT p.id FROM patients p WHERE p.primary_clinic_id = $1 AND p.id <> $2 ORDER BY p.mrn LIMIT 1`, [
      kin,
      ownPatient,
    ])
  ).id!;
  const gomPatient = (await one(`SELECT p.id FROM patients p WHERE p.primary_clinic_id = $1 ORDER BY p.mrn LIMIT 1`, [gom])).id!;

  const login = async (email: string, extra: Record<string, unknown> = {}): Promise<Session> => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email, password: TEST_PASSWORD, ...extra },
    });
    if (res.statusCode !== 200) throw new Error(`login ${email} failed: ${res.statusCode} ${res.body}`);
    const body = res.json<{ accessToken: string; user: { id: string } }>();
    return session(app, body.accessToken, cookiesOf(res), body.user.id);
  };

  return {
    app,
    database,
    config,
    dbUrl,
    appUrl,
    sql,
    ids: { kin, gom, users, ownPatient, kinPatient, gomPatient },
    login,
    close: async () => {
      await app.close();
      await database.close();
      await sql.end();
      fs.rmSync(dataDir, { recursive: true, force: true });
      const a = new pg.Client({ connectionString: serverUrl });
      await a.connect();
      await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await a.end();
    },
  };
}

export function session(app: FastifyInstance, token: string, cookies: Record<string, string>, userId: string): Session {
  return {
    token,
    cookies,
    userId,
    req: (method, url, body, headers = {}) =>
      app.inject({
        method: method as 'GET',
        url,
        headers: { authorization: `Bearer ${token}`, ...headers },
        ...(body !== undefined ? { payload: body as object } : {}),
      }),
  };
}

export function cookiesOf(res: LightMyRequestResponse): Record<string, string> {
  return Object.fromEntries(res.cookies.map((c) => [c.name, c.value]));
}

/** Audit rows written since `sinceId`, oldest first. */
export async function auditSince(sql: pg.Pool, sinceId: number) {
  const { rows } = await sql.query<{
    id: number;
    action: string;
    outcome: string;
    patient_id: string | null;
    actor_user_id: string | null;
    details: unknown;
  }>('SELECT id::int, action, outcome, patient_id, actor_user_id, details FROM audit_log WHERE id > $1 ORDER BY id', [sinceId]);
  return rows;
}

export async function lastAuditId(sql: pg.Pool): Promise<number> {
  const { rows } = await sql.query<{ id: number }>('SELECT coalesce(max(id), 0)::int AS id FROM audit_log');
  return rows[0]!.id;
}
