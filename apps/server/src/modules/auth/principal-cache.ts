import pg from 'pg';
import type { FastifyBaseLogger } from 'fastify';
import type { PrincipalRow } from './auth.repository.ts';

/** The channel the database triggers of migration 0011 notify when a session, user, membership or role changes. */
export const AUTH_CHANNEL = 'sanita_auth';

interface Entry {
  row: PrincipalRow;
  loadedAt: number;
}

export interface PrincipalCacheOptions {
  /** an entry is re-read after this long even without a notification (a bound, not the mechanism) */
  maxAgeMs?: number;
  maxEntries?: number;
  log: FastifyBaseLogger;
}

/**
 * Keeps the authorisation row of each active session in memory, so that a request costs no
 * database round trip to authenticate. Correctness rests on invalidation, not on expiry:
 *
 * - Triggers on sessions, users, memberships, roles and role_permissions `pg_notify` this channel
 *   when they change, whichever node or tool changed them; every node LISTENs on its own
 *   connection and drops what the notification names.
 * - The node that made a change also drops the entry itself after commit (`forget*`), so its next
 *   request sees the change even before the notification arrives.
 * - While the listening connection is down the cache is empty and bypassed: every request reads
 *   the database, as it would without a cache.
 * - A row read while an invalidation arrived is not cached (it may predate the change).
 */
export class PrincipalCache {
  private readonly entries = new Map<string, Entry>();
  private readonly maxAgeMs: number;
  private readonly maxEntries: number;
  private client: pg.Client | null = null;
  private listening = false;
  private closed = false;
  private generation = 0;
  private retryMs = 500;
  private syncs = new Map<string, () => void>();
  private syncSeq = 0;

  constructor(
    private readonly pool: pg.Pool,
    private readonly opts: PrincipalCacheOptions,
  ) {
    this.maxAgeMs = opts.maxAgeMs ?? 60_000;
    this.maxEntries = opts.maxEntries ?? 20_000;
  }

  /** Connects the listener; the cache stays bypassed until it is listening. */
  async start(): Promise<void> {
    if (this.closed) return;
    const client = new pg.Client(this.pool.options);
    let gone = false;
    const lost = () => {
      if (gone) return;
      gone = true;
      this.lost(client);
    };
    client.on('notification', (n) => this.onNotification(n.payload ?? '*'));
    client.on('error', lost);
    client.on('end', lost);
    try {
      await client.connect();
      await client.query(`LISTEN ${AUTH_CHANNEL}`);
    } catch (err) {
      this.opts.log.warn({ err: { message: (err as Error).message } }, 'principal cache: listener failed, retrying');
      lost();
      return;
    }
    if (this.closed) {
      await client.end().catch(() => {});
      return;
    }
    this.client = client;
    this.entries.clear();
    this.generation += 1;
    this.listening = true;
    this.retryMs = 500;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.listening = false;
    this.entries.clear();
    const c = this.client;
    this.client = null;
    if (c) await c.end().catch(() => {});
  }

  /** The cached row of a session, or the loader's, cached when that is safe. */
  async get(sessionId: string, userId: string, load: () => Promise<PrincipalRow | undefined>): Promise<PrincipalRow | undefined> {
    if (this.listening) {
      const e = this.entries.get(sessionId);
      if (e && e.row.user_id === userId && Date.now() - e.loadedAt < this.maxAgeMs) return e.row;
    }
    const generation = this.generation;
    const row = await load();
    if (row && this.listening && generation === this.generation) {
      if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
      this.entries.delete(sessionId);
      this.entries.set(sessionId, { row, loadedAt: Date.now() });
    }
    return row;
  }

  forgetSession(sessionId: string): void {
    this.generation += 1;
    this.entries.delete(sessionId);
  }

  forgetUser(userId: string): void {
    this.generation += 1;
    for (const [sid, e] of this.entries) if (e.row.user_id === userId) this.entries.delete(sid);
  }

  forgetAll(): void {
    this.generation += 1;
    this.entries.clear();
  }

  /**
   * Resolves once every change committed before the call has reached this node's listener
   * (notifications arrive in commit order). For changes made with plain SQL, e.g. in tests.
   */
  async sync(): Promise<void> {
    if (!this.listening) return;
    const token = `sync:${process.pid}:${++this.syncSeq}`;
    const seen = new Promise<void>((resolve) => this.syncs.set(token, resolve));
    await this.pool.query('SELECT pg_notify($1, $2)', [AUTH_CHANNEL, token]);
    await Promise.race([seen, new Promise((r) => setTimeout(r, 2000).unref())]);
    this.syncs.delete(token);
  }

  /** entries held, or -1 while the listener is down and the cache is bypassed */
  get size(): number {
    return this.listening ? this.entries.size : -1;
  }

  private onNotification(payload: string): void {
    if (payload.startsWith('sync:')) {
      this.syncs.get(payload)?.();
      return;
    }
    if (payload.startsWith('s:')) this.forgetSession(payload.slice(2));
    else if (payload.startsWith('u:')) this.forgetUser(payload.slice(2));
    else this.forgetAll();
  }

  private lost(client: pg.Client): void {
    if (this.client === client) this.client = null;
    this.listening = false;
    this.forgetAll();
    client.end().catch(() => {});
    if (this.closed) return;
    const delay = this.retryMs;
    this.retryMs = Math.min(this.retryMs * 2, 30_000);
    setTimeout(() => void this.start(), delay).unref();
  }
}
