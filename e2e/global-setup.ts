import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { freePort, startEmbeddedPostgres, type EmbeddedDatabase } from '../apps/server/src/platform/db/embedded.ts';
import { startSmtp } from '../apps/server/test/smtp.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
    mailDir: string;
    demoPassword: string;
    databaseUrl: string;
  }
}

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const DEMO_PASSWORD = 'E2e-demo-pass-2026';

/**
 * Starts the real product as a user would get it: the built web app served by the server, on a
 * fresh database seeded with the demo organisation, mail delivered to a real SMTP server that the
 * journeys read.
 */
export default async function setup(project: TestProject) {
  if (!fs.existsSync('/usr/bin/chromium')) throw new Error('Debian chromium is missing: apt-get install -y chromium');
  if (!fs.existsSync(path.join(root, 'apps/web/dist/index.html'))) {
    const b = spawnSync('npm', ['run', 'build', '--workspace', '@sanita/web'], { cwd: root, stdio: 'inherit' });
    if (b.status !== 0) throw new Error('web build failed');
  }
  let embedded: EmbeddedDatabase | null = null;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sanita-e2e-'));
  let serverUrl = process.env.TEST_DATABASE_URL;
  if (!serverUrl) {
    embedded = await startEmbeddedPostgres(path.join(tmp, 'pg'));
    serverUrl = embedded.url;
  }
  const dbName = `sanita_e2e_${process.pid}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${dbName}`);
  const u = new URL(serverUrl);
  u.pathname = `/${dbName}`;

  // journeys run in worker processes: they read the delivered mail from this directory
  const mailDir = path.join(tmp, 'mail');
  const smtp = await startSmtp(mailDir);
  const port = await freePort();
  const baseUrl = `http://localhost:${port}`;
  const server: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: path.join(root, 'apps/server'),
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: u.toString(),
      SANITA_DATA_DIR: path.join(tmp, 'data'),
      SANITA_DEMO_PASSWORD: DEMO_PASSWORD,
      SANITA_DEMO_PATIENTS: '120',
      PUBLIC_URL: baseUrl,
      SMTP_URL: smtp.url,
      LOG_LEVEL: 'warn',
      AUTH_RATE_LIMIT_PER_MINUTE: '500',
      ARGON2_MEMORY_KIB: '8192',
      // journeys do not speak HL7; parallel runs must not contend for the MLLP port
      HL7_MLLP_PORT: 'off',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  server.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  server.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const started = Date.now();
  for (;;) {
    try {
      if ((await fetch(`${baseUrl}/health`)).ok) break;
    } catch {
      /* not up yet */
    }
    if (server.exitCode !== null || Date.now() - started > 120_000) throw new Error(`server did not start:\n${output}`);
    await new Promise((r) => setTimeout(r, 250));
  }

  project.provide('baseUrl', baseUrl);
  project.provide('mailDir', mailDir);
  project.provide('demoPassword', DEMO_PASSWORD);
  project.provide('databaseUrl', u.toString());

  return async () => {
    server.kill('SIGTERM');
    await new Promise((r) => server.once('exit', r));
    await smtp.close();
    await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    await admin.end();
    await embedded?.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  };
}
