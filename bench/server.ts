import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../apps/server/src/platform/db/embedded.ts';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export interface Child {
  /** pid of the node process itself (no npm or tsx wrapper in between) */
  pid: number;
  url: URL;
  logFile: string;
  stop(): Promise<void>;
}

/**
 * Runs `entry` as `node --import tsx <entry>` on a free port, the way `npm start` runs the server,
 * and waits until `readyPath` answers 200.
 */
export async function startNode(
  name: string,
  entry: string,
  env: Record<string, string | undefined>,
  readyPath: string,
  nodeArgs: string[] = [],
  timeoutMs = 90_000,
): Promise<Child> {
  const port = await freePort();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `sanita-bench-${name}-`));
  const logFile = path.join(dir, `${name}.log`);
  const log = fs.openSync(logFile, 'a');
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', entry], {
    cwd: repoRoot,
    env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1', SANITA_DATA_DIR: env.SANITA_DATA_DIR ?? dir },
    stdio: ['ignore', log, log],
  });
  fs.closeSync(log);
  const state: { exited: number | string | null } = { exited: null };
  const exit = new Promise<void>((resolve) =>
    child.once('exit', (code, signal) => {
      state.exited = code ?? signal ?? 'unknown';
      resolve();
    }),
  );
  const url = new URL(`http://127.0.0.1:${port}`);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (state.exited !== null) throw new Error(`${name} exited (${state.exited}) before it was ready:\n${tail(logFile)}`);
    try {
      const res = await fetch(new URL(readyPath, url), { signal: AbortSignal.timeout(2000) });
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${name} was not ready after ${timeoutMs / 1000} s:\n${tail(logFile)}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return { pid: child.pid!, url, logFile, stop: () => stopChild(child, exit, () => state.exited !== null) };
}

async function stopChild(child: ChildProcess, exit: Promise<void>, done: () => boolean): Promise<void> {
  if (done()) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exit;
  clearTimeout(timer);
}

export function tail(file: string, lines = 30): string {
  try {
    return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

export interface ServerEnv {
  databaseUrl: string;
  masterKey: string;
  pool: number | undefined;
  /** directory for a V8 CPU profile of the server, written when it stops */
  profileDir?: string;
  /** the port of the server's HL7 v2 MLLP listener (undefined: none) */
  hl7Port?: number;
}

/** The real Sanita server against the bench database. */
export function startSanita(e: ServerEnv): Promise<Child> {
  return startNode(
    'server',
    'apps/server/src/main.ts',
    {
      DATABASE_URL: e.databaseUrl,
      DATABASE_POOL_SIZE: e.pool === undefined ? undefined : String(e.pool),
      SANITA_MASTER_KEY: e.masterKey,
      SANITA_SEED: 'none',
      LOG_LEVEL: 'warn',
      AUTH_RATE_LIMIT_PER_MINUTE: '100000',
      // the API is what is measured; the built web app, when present, is not
      SERVE_WEB: 'false',
      HL7_MLLP_PORT: e.hl7Port === undefined ? 'off' : String(e.hl7Port),
      HL7_MLLP_HOST: '127.0.0.1',
      HL7_LIS_HOST: undefined,
      // the variables of the machine must not change what is measured
      SMTP_URL: undefined,
      PUBLIC_URL: undefined,
      TRUST_PROXY: undefined,
    },
    '/health',
    e.profileDir ? ['--cpu-prof', '--cpu-prof-dir', e.profileDir] : [],
  );
}

/** The ceiling: a bare Fastify route on the same runtime. */
export function startHello(): Promise<Child> {
  return startNode('hello', 'bench/hello-server.ts', {}, '/hello');
}
