import crypto from 'node:crypto';
import PgBoss from 'pg-boss';
import pg from 'pg';

/**
 * The durable job queue (pg-boss on the application's PostgreSQL). Jobs survive restarts; a job
 * with a singleton key is queued once however often it is sent. Handlers must be idempotent: a job
 * can run again after a crash between its work and its completion.
 *
 * Services receive a `JobQueue` in their constructor and never import pg-boss; `PgJobQueue` below
 * is the only implementation.
 */
export interface JobQueue {
  /** Queues a job; returns its id, or null when a job with the same singleton key is already queued. */
  send(
    name: string,
    data: Record<string, unknown>,
    options?: { startAfter?: Date; singletonKey?: string },
  ): Promise<string | null>;
  /**
   * Queues several jobs of one queue in one statement; a job whose singleton key is already queued
   * is skipped, as `send` would return null for it.
   */
  sendMany(name: string, jobs: { data: Record<string, unknown>; startAfter?: Date; singletonKey?: string }[]): Promise<void>;
  /**
   * Runs `handler` for each job of `name` (one worker per process and queue). A handler that throws
   * is retried with backoff; `attempt.last` tells it that no retry will follow, so that it can record
   * the failure where users see it.
   */
  work<T extends Record<string, unknown>>(name: string, handler: (data: T, attempt: JobAttempt) => Promise<void>): Promise<void>;
  /** Cancels a queued job by id (a job already running finishes). */
  cancel(name: string, id: string): Promise<void>;
}

export interface JobAttempt {
  /** 1 for the first run */
  number: number;
  /** no retry follows if this run throws */
  last: boolean;
}

// masks e-mail addresses and phone-like numbers; every logger of the app applies it to error messages
export { redactContacts } from './log.ts';

/** pg-boss keeps its tables in this schema of the application database. */
export const JOBS_SCHEMA = 'pgboss';

export interface PgJobQueueOptions {
  /** the application's pool: jobs live in the same database and need no connection of their own */
  pool: pg.Pool;
  pollingIntervalSeconds: number;
  /** first retry delay; later retries back off exponentially */
  retryDelaySeconds: number;
  retryLimit?: number;
  /** how long `stop` waits for running handlers before giving up on them */
  stopTimeoutMs?: number;
  log: { error(obj: object, msg: string): void; warn(obj: object, msg: string): void };
}

/**
 * Options that let several processes start on one database without stepping on each other. The
 * server's queue never creates or migrates the schema: it runs as the serving role, which may not
 * change the schema (`installJobsSchema` does it at boot, as the owner).
 */
export function pgBossOptions(db: { executeSql(text: string, values?: unknown[]): Promise<unknown> }): PgBoss.ConstructorOptions {
  return {
    db: db as PgBoss.Db,
    schema: JOBS_SCHEMA,
    // no cron schedules are used: the clock monitor would only add polling
    schedule: false,
    supervise: true,
    migrate: false,
  };
}

/**
 * Creates or migrates the pgboss schema in the database at `url`, connected as the schema's owner
 * (boot runs it after the migrations; the test set-up once in its template database).
 *
 * pg-boss 10 creates a queue with `pgboss.create_queue`, which creates the queue's partition table
 * and attaches it to `pgboss.job`: DDL that only the owner of `pgboss.job` may run. The server
 * creates its queues as they are first used, as the serving role, so the function is made to run
 * with its owner's rights (SECURITY DEFINER, with a fixed search_path; it only formats its
 * arguments as identifiers and literals). Set again at every install: a pg-boss migration that
 * replaces the function would reset it.
 */
export async function installJobsSchema(url: string): Promise<void> {
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  try {
    const boss = new PgBoss({
      ...pgBossOptions({ executeSql: (text, values) => pool.query(text, values) }),
      supervise: false,
      migrate: true,
    });
    await boss.start();
    await boss.stop({ graceful: false, close: false });
    const fn = `${pg.escapeIdentifier(JOBS_SCHEMA)}.create_queue(text, json)`;
    const { rows } = await pool.query<{ definer: boolean }>(
      `SELECT prosecdef AS definer FROM pg_proc WHERE oid = $1::regprocedure`,
      [fn],
    );
    if (!rows[0]?.definer) {
      await pool.query(`ALTER FUNCTION ${fn} SECURITY DEFINER SET search_path = pg_catalog, pg_temp`);
      // only roles granted EXECUTE (the serving role, by grantServingRole) may call it
      await pool.query(`REVOKE EXECUTE ON FUNCTION ${fn} FROM PUBLIC`);
    }
  } finally {
    await pool.end();
  }
}

export class PgJobQueue implements JobQueue {
  private readonly boss: PgBoss;
  private readonly queues = new Map<string, Promise<void>>();
  private readonly workers = new Set<string>();
  private started: Promise<void> | null = null;
  private stopping = false;

  constructor(private readonly opts: PgJobQueueOptions) {
    this.boss = new PgBoss(pgBossOptions({ executeSql: (text, values) => opts.pool.query(text, values) }));
    // pg-boss reports maintenance and polling failures as events; unhandled, they would crash the process
    this.boss.on('error', (err: Error) => opts.log.error({ err }, 'job queue error'));
  }

  /** Starts maintenance; the pgboss schema must be installed (`installJobsSchema`). Idempotent. */
  start(): Promise<void> {
    this.started ??= this.boss.start().then(() => undefined);
    return this.started;
  }

  /** Stops polling and waits (up to the timeout) for running handlers to finish. */
  async stop(): Promise<void> {
    if (!this.started || this.stopping) return;
    this.stopping = true;
    await this.started.catch(() => {});
    // handlers still running at the timeout are marked failed, so another node retries them
    await this.boss
      .stop({ graceful: true, wait: true, close: false, timeout: this.opts.stopTimeoutMs ?? 10_000 })
      .catch((err: unknown) => this.opts.log.warn({ err }, 'job queue did not stop cleanly'));
  }

  async send(
    name: string,
    data: Record<string, unknown>,
    options: { startAfter?: Date; singletonKey?: string } = {},
  ): Promise<string | null> {
    await this.queue(name);
    return this.boss.send(name, data, {
      // the queue's "stately" policy dedupes on the key; a job sent without one gets a key of its own
      singletonKey: options.singletonKey ?? `job:${crypto.randomUUID()}`,
      ...(options.startAfter ? { startAfter: options.startAfter } : {}),
    });
  }

  async sendMany(
    name: string,
    jobs: { data: Record<string, unknown>; startAfter?: Date; singletonKey?: string }[],
  ): Promise<void> {
    if (!jobs.length) return;
    await this.queue(name);
    // pg-boss 10: insert(jobs[]) is one INSERT … SELECT FROM json_to_recordset … ON CONFLICT DO NOTHING
    await this.boss.insert(
      jobs.map((j) => ({
        name,
        data: j.data,
        singletonKey: j.singletonKey ?? `job:${crypto.randomUUID()}`,
        ...(j.startAfter ? { startAfter: j.startAfter } : {}),
      })),
    );
  }

  async work<T extends Record<string, unknown>>(
    name: string,
    handler: (data: T, attempt: JobAttempt) => Promise<void>,
  ): Promise<void> {
    if (this.workers.has(name)) throw new Error(`a worker for job "${name}" is already registered`);
    this.workers.add(name);
    await this.queue(name);
    const options = { pollingIntervalSeconds: this.opts.pollingIntervalSeconds, batchSize: 1, includeMetadata: true as const };
    await this.boss.work<T>(name, options, async (jobs) => {
      for (const job of jobs) {
        const last = job.retryCount >= job.retryLimit;
        try {
          await handler(job.data, { number: job.retryCount + 1, last });
        } catch (err) {
          // the logger's error serializer (platform/log.ts) keeps the class, codes and frames and drops
          // query parameters, quoted values, addresses and numbers: job data may identify a patient
          this.opts.log.warn(
            { job: name, jobId: job.id, err },
            last ? 'job failed; no retry left' : 'job failed; it will be retried',
          );
          throw err;
        }
      }
    });
  }

  async cancel(name: string, id: string): Promise<void> {
    await this.queue(name);
    await this.boss.cancel(name, id);
  }

  /** pg-boss 10 needs each queue created once before use; creation is idempotent across processes. */
  private queue(name: string): Promise<void> {
    let ready = this.queues.get(name);
    if (!ready) {
      ready = this.start().then(() =>
        this.boss.createQueue(name, {
          name,
          // at most one queued and one running job per singleton key
          policy: 'stately',
          retryLimit: this.opts.retryLimit ?? 5,
          retryDelay: this.opts.retryDelaySeconds,
          retryBackoff: true,
          expireInSeconds: 15 * 60,
        }),
      );
      ready.catch(() => this.queues.delete(name));
      this.queues.set(name, ready);
    }
    return ready;
  }
}
