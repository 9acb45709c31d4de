import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { loadConfig } from '../src/config.ts';
import { migrateDatabase, openDatabase } from '../src/platform/db/database.ts';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../src/platform/db/embedded.ts';
import { bootstrapReferenceData, referenceTables, appendOnlyTables } from '../src/seed/bootstrap.ts';
import { seedDemo } from '../src/seed/demo.ts';
import { installJobsSchema } from '../src/platform/jobs.ts';
import { SERVING_ROLE, ensureServingRole, grantServingRole, servingRolePassword, urlWithUser } from '../src/platform/db/roles.ts';
import { Crypto } from '../src/platform/crypto.ts';
import { createPasswordHasher } from '../src/platform/auth/passwords.ts';
import { TEST_MASTER_KEY, TEST_PASSWORD, TEST_ARGON2_KIB, TEST_PATIENTS } from './constants.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    serverUrl: string;
    templateDb: string;
  }
}

/**
 * One PostgreSQL for the whole run (TEST_DATABASE_URL, or an embedded cluster in a temporary
 * directory) and one template database, migrated and seeded once; each test file clones it.
 * TEST_DATABASE_URL must be a superuser (or a role with CREATEDB and CREATEROLE).
 */
export default async function setup(project: TestProject) {
  let embedded: EmbeddedDatabase | null = null;
  let tmp: string | null = null;
  let serverUrl = process.env.TEST_DATABASE_URL;
  if (!serverUrl) {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sanita-test-pg-'));
    embedded = await startEmbeddedPostgres(path.join(tmp, 'pg'));
    serverUrl = embedded.url;
  }
  const templateDb = `sanita_tpl_${process.pid}_${Date.now().toString(36)}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${templateDb}`);
  const u = new URL(serverUrl);
  u.pathname = `/${templateDb}`;
  const database = openDatabase(u.toString(), 4);
  await migrateDatabase(database);
  await bootstrapReferenceData(database.db);
  const hash = await createPasswordHasher(TEST_ARGON2_KIB).hash(TEST_PASSWORD);
  await seedDemo(database.db, new Crypto(Buffer.from(TEST_MASTER_KEY, 'base64')), hash, { patients: TEST_PATIENTS });
  await database.close();
  // the job queue's schema, installed by the owner as at boot, once for every clone
  await installJobsSchema(u.toString());
  // the test apps serve as the serving role, as the server does: the role is cluster-wide, its
  // grants live in the template and are cloned with it
  const owner = new pg.Pool({ connectionString: u.toString(), max: 1 });
  try {
    const password = servingRolePassword(Buffer.from(TEST_MASTER_KEY, 'base64'));
    await ensureServingRole(owner, SERVING_ROLE, password, urlWithUser(u.toString(), SERVING_ROLE, password));
    await grantServingRole(owner, SERVING_ROLE, referenceTables(), appendOnlyTables());
  } finally {
    await owner.end();
  }
  loadConfig(); // fail early on a broken environment

  project.provide('serverUrl', serverUrl);
  project.provide('templateDb', templateDb);

  return async () => {
    const { rows } = await admin.query<{ datname: string }>(
      `SELECT datname FROM pg_database WHERE datname LIKE $1 OR datname = $2`,
      [`${templateDb}_%`, templateDb],
    );
    for (const r of rows) await admin.query(`DROP DATABASE IF EXISTS ${r.datname} WITH (FORCE)`);
    await admin.end();
    await embedded?.stop();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  };
}
