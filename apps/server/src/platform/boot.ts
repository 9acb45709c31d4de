import crypto from 'node:crypto';
import path from 'node:path';
import type { Config } from '../config.ts';
import { ensureDatabase, migrateDatabase, openDatabase, type Database } from './db/database.ts';
import { startEmbeddedPostgres, type EmbeddedDatabase } from './db/embedded.ts';
import { Crypto, loadMasterKey } from './crypto.ts';
import { createPasswordHasher } from './auth/passwords.ts';
import { bootstrapReferenceData } from '../seed/bootstrap.ts';
import { seedDemo } from '../seed/demo.ts';
import { clinics } from '../db/schema/identity.ts';

export interface Booted {
  database: Database;
  embedded: EmbeddedDatabase | null;
  /** set when this start generated the demo password (printed once) */
  generatedDemoPassword: string | null;
  seeded: boolean;
}

/**
 * Database start-up shared by the server and the command-line tools: the embedded cluster in
 * `<dataDir>/pg` when no DATABASE_URL is given, migrations, reference data and, on an empty
 * database, the demo organisation.
 */
export async function bootDatabase(
  config: Config,
  log: (msg: string) => void,
  opts: { seed: boolean } = { seed: true },
): Promise<Booted> {
  let embedded: EmbeddedDatabase | null = null;
  let url = config.databaseUrl;
  if (!url) {
    log(`starting embedded PostgreSQL in ${path.join(config.dataDir, 'pg')}`);
    embedded = await startEmbeddedPostgres(path.join(config.dataDir, 'pg'));
    url = await ensureDatabase(embedded.url, 'sanita');
  }
  const database = openDatabase(url, config.databasePoolSize);
  try {
    await migrateDatabase(database);
    await bootstrapReferenceData(database.db);
    let generatedDemoPassword: string | null = null;
    let seeded = false;
    if (opts.seed && config.seed === 'demo') {
      const [any] = await database.db.select({ id: clinics.id }).from(clinics).limit(1);
      if (!any) {
        const password = config.demoPassword ?? `Sanita-${crypto.randomBytes(6).toString('base64url')}`;
        if (!config.demoPassword) generatedDemoPassword = password;
        const hash = await createPasswordHasher(config.argon2MemoryKib).hash(password);
        const cryptoSvc = new Crypto(loadMasterKey(config.masterKey, config.dataDir));
        await seedDemo(database.db, cryptoSvc, hash, { patients: config.demoPatients });
        seeded = true;
      }
    }
    return { database, embedded, generatedDemoPassword, seeded };
  } catch (err) {
    await database.close();
    await embedded?.stop();
    throw err;
  }
}
