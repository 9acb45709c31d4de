import type { FastifyInstance } from 'fastify';
import type pg from 'pg';
import { UNAVAILABLE_RETRY_AFTER_SECONDS } from './errors.ts';

export interface HealthOptions {
  /** how long /ready waits for the database before answering 503 (default 2 s) */
  readyTimeoutMs?: number;
}

/**
 * GET /health: the process is up (liveness; never touches the database, so that an orchestrator
 * does not restart a node because the database is away). GET /ready: the node can serve requests
 * (readiness): 200 when the database answers `SELECT 1` within the bound, 503 at once otherwise, so
 * that a load balancer stops sending it traffic; it answers 200 again by itself once the database
 * is back (the pool drops dead connections and opens new ones).
 */
export function installHealth(app: FastifyInstance, pool: pg.Pool, opts: HealthOptions = {}): void {
  const timeoutMs = opts.readyTimeoutMs ?? 2_000;
  app.get('/health', { schema: { hide: true } }, async () => ({ status: 'ok' }));
  app.get('/ready', { schema: { hide: true } }, async (_req, reply) => {
    if (await databaseAnswers(pool, timeoutMs)) return { status: 'ready' };
    return reply
      .status(503)
      .header('retry-after', String(UNAVAILABLE_RETRY_AFTER_SECONDS))
      .send({ status: 'unavailable', error: { code: 'UNAVAILABLE', message: 'The database is out of reach' } });
  });
}

/** True when `SELECT 1` succeeds within `timeoutMs`; a slower or failed check counts as down. */
export async function databaseAnswers(pool: pg.Pool, timeoutMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const check = pool.query('SELECT 1').then(
    () => true,
    () => false,
  );
  const late = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  try {
    return await Promise.race([check, late]);
  } finally {
    clearTimeout(timer);
  }
}
