import crypto from 'node:crypto';
import path from 'node:path';
import type { Config } from '../config.ts';
import { ensureDatabase, migrateDatabase, openDatabase, type Database } from './db/database.ts';
import { startEmbeddedPostgres, type EmbeddedDatabase } from './db/embedded.ts';
import { Crypto, loadMasterKey } from './crypto.ts';
import { createPasswordHasher } from './auth/passwords.ts';
import { bootstrapReferenceData, referenceTables, appendOnlyTables } from '../seed/bootstrap.ts';
import { seedDemo } from '../seed/demo.ts';
import { clinics } from '../db/schema/identity.ts';
import { installJobsSchema } from './jobs.ts';
import {
  SERVING_ROLE,
  ensureServingRole,
  grantServingRole,
  roleOf,
  servingRolePassword,
  servingRoleProblems,
  urlWithUser,
} from './db/roles.ts';

export interface Booted {
  /** the serving connection (least-privileged role): requests, jobs, the audit sealer */
  database: Database;
  embedded: EmbeddedDatabase | null;
  /** set when this start generated the demo password (printed once) */
  generatedDemoPassword: string | null;
  seeded: boolean;
}

/**
 * Database start-up shared by the server and the command-line tools: the embedded cluster in
 * `<dataDir>/pg` when no DATABASE_URL is given; then, as the owner (DATABASE_URL or the embedded
 * superuser), migrations, the job queue's schema, reference data and, on an empty database, the
 * demo organisation; the serving role is created if needed (or taken from DATABASE_APP_URL) and
 * granted its privileges. The owner's connections are closed before it returns: the database it
 * returns logs in as the serving role, checked to be least-privileged.
 */
export async function bootDatabase(
  config: Config,
  log: (msg: string) => void,
  opts: { seed: boolean } = { seed: true },
): Promise<Booted> {
  let embedded: EmbeddedDatabase | null = null;
  let ownerUrl = config.databaseUrl;
  let database: Database | null = null;
  try {
    if (!ownerUrl) {
      log(`starting embedded PostgreSQL in ${path.join(config.dataDir, 'pg')}`);
      embedded = await startEmbeddedPostgres(path.join(config.dataDir, 'pg'));
      ownerUrl = await ensureDatabase(embedded.url, 'sanita');
    }
    const masterKey = loadMasterKey(config.masterKey, config.dataDir);
    let generatedDemoPassword: string | null = null;
    let seeded = false;
    let servingUrl: string;
    const owner = openDatabase(ownerUrl, 2);
    try {
      await migrateDatabase(owner);
      await installJobsSchema(ownerUrl);
      await bootstrapReferenceData(owner.db);
      if (opts.seed && config.seed === 'demo') {
        const [any] = await owner.db.select({ id: clinics.id }).from(clinics).limit(1);
        if (!any) {
          const password = config.demoPassword ?? `Sanita-${crypto.randomBytes(6).toString('base64url')}`;
          if (!config.demoPassword) generatedDemoPassword = password;
          const hash = await createPasswordHasher(config.argon2MemoryKib).hash(password);
          await seedDemo(owner.db, new Crypto(masterKey), hash, { patients: config.demoPatients });
          seeded = true;
        }
      }
      let role: string;
      if (config.databaseAppUrl) {
        servingUrl = config.databaseAppUrl;
        role = await roleOf(servingUrl);
      } else {
        role = SERVING_ROLE;
        const password = servingRolePassword(masterKey);
        servingUrl = urlWithUser(ownerUrl, role, password);
        await ensureServingRole(owner.pool, role, password, servingUrl);
      }
      await grantServingRole(owner.pool, role, referenceTables(), appendOnlyTables());
    } finally {
      await owner.close();
    }
    database = openDatabase(servingUrl, config.databasePoolSize);
    const problems = await servingRoleProblems(database.pool);
    if (problems.length) {
      throw new Error(
        `the serving database role is not least-privileged: ${problems.join('; ')} (docs/operations.md, "Database roles")`,
      );
    }
    return { database, embedded, generatedDemoPassword, seeded };
  } catch (err) {
    await database?.close();
    await embedded?.stop();
    throw err;
  }
}
