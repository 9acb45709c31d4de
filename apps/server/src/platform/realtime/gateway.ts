import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import * as jose from 'jose';
import client from 'prom-client';
import { Server, type Socket } from 'socket.io';
import { createAdapter } from '@socket.io/redis-streams-adapter';
import type { Principal } from '../access.ts';
import type { PrincipalLoader } from '../auth/plugin.ts';
import type { TokenService } from '../auth/tokens.ts';
import type { ConnectionNotices, EventBus, RealtimeEventName, RealtimeEvents, Room } from './events.ts';
import type { RealtimeContribution, RealtimeCredential } from '../module.ts';

/** Every server → client event: the domain events of the one map, plus connection notices. */
export type ServerToClientEvents = {
  [N in RealtimeEventName]: (payload: RealtimeEvents[N]) => void;
} & {
  [N in keyof ConnectionNotices]: (payload: ConnectionNotices[N]) => void;
};

export interface SubscribeAck {
  ok: boolean;
  error?: string;
}

/**
 * Client → server requests: the subscriptions the modules declare (e.g. `queue.subscribe`
 * `{ servicePointId }`, acked with whether it was allowed, and `queue.unsubscribe`).
 */
export type ClientToServerEvents = Record<string, (body: Record<string, unknown>, ack?: (res: SubscribeAck) => void) => void>;

interface SocketData {
  principal: Principal | null;
  /** the rooms a non-user connection (e.g. a waiting-room display) opened with its credential */
  credentialRooms: Room[] | null;
  /** epoch ms at which the access token of a user socket expires */
  expiresAt: number | null;
}

type GatewaySocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

export interface GatewayDeps {
  tokens: TokenService;
  loadPrincipal: PrincipalLoader;
  events: EventBus;
  /** what each module contributes (its manifest's `realtime`), in manifest order */
  contributions: readonly RealtimeContribution[];
  /** several API nodes share rooms (and missed-event replay) through Redis streams */
  redisUrl?: string | undefined;
  recoverySeconds: number;
  corsOrigins: string[];
  metrics: client.Registry;
}

/** The rooms a user belongs to, recomputed from the database at each (re)connection: `user:` and those the modules add. */
export function roomsOf(p: Principal, contributions: readonly RealtimeContribution[]): Room[] {
  const rooms: Room[] = [`user:${p.userId}`];
  for (const c of contributions) if (c.rooms) rooms.push(...c.rooms(p));
  return [...new Set(rooms)];
}

/**
 * The Socket.IO gateway on the application's HTTP server (path /socket.io): the only code that
 * talks to sockets. It authenticates each connection like an API request, puts the socket in the
 * rooms its user may see, and forwards every event published on the bus to the rooms it names.
 * A user socket is closed when its access token expires, so rights are re-checked at least as
 * often as the token is renewed.
 */
export function installRealtimeGateway(app: FastifyInstance, deps: GatewayDeps): Server {
  const subscriptions = deps.contributions.flatMap((c) => c.subscriptions ?? []);
  // rooms joined by subscription: a recovered session keeps them (they were checked when joined)
  const subscribedPrefixes = subscriptions.map((sub) => sub.room(''));
  const credentials = deps.contributions.flatMap((c) => c.credentials ?? []);
  const disconnectOn = new Set<string>(deps.contributions.flatMap((c) => c.disconnectOn ?? []));
  const redis = deps.redisUrl ? new Redis(deps.redisUrl, { maxRetriesPerRequest: 2 }) : null;
  redis?.on('error', (err: Error) => app.log.error({ err: { message: err.message } }, 'realtime redis error'));
  const io = new Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>(app.server, {
    path: '/socket.io',
    serveClient: false,
    cors: deps.corsOrigins.length ? { origin: deps.corsOrigins, credentials: true } : undefined,
    // a client that comes back within this window receives what it missed; its handshake is
    // authenticated again (skipMiddlewares: false), so a revoked session gets nothing
    connectionStateRecovery: { maxDisconnectionDuration: deps.recoverySeconds * 1000, skipMiddlewares: false },
    ...(redis
      ? { adapter: createAdapter(redis, { streamName: 'sanita:realtime', sessionKeyPrefix: 'sanita:realtime:session:' }) }
      : {}),
  });

  new client.Gauge({
    name: 'realtime_connected_sockets',
    help: 'Socket.IO connections open on this node',
    registers: [deps.metrics],
    collect() {
      this.set(io.engine.clientsCount);
    },
  });

  io.use((socket, next) => {
    authenticate(socket, deps, credentials)
      .then(() => next())
      .catch((err: unknown) => {
        if (err instanceof RefusedError) return next(new Error(err.message));
        app.log.error({ err: { message: (err as Error).message } }, 'realtime authentication failed');
        next(new Error('UNAVAILABLE'));
      });
  });

  io.on('connection', (socket) => {
    const { principal, credentialRooms, expiresAt } = socket.data;
    const allowed: Room[] = principal ? roomsOf(principal, deps.contributions) : (credentialRooms ?? []);
    if (socket.recovered) {
      // rooms come back with a recovered session: keep only what the user may still see now
      for (const room of socket.rooms) {
        if (room === socket.id || subscribedPrefixes.some((prefix) => room.startsWith(prefix))) continue;
        if (!allowed.includes(room as Room)) void socket.leave(room);
      }
    }
    void socket.join(allowed);

    let expiry: NodeJS.Timeout | undefined;
    if (expiresAt !== null) {
      expiry = setTimeout(
        () => {
          socket.emit('session.expired', { expiredAt: new Date(expiresAt).toISOString() });
          socket.disconnect(true);
        },
        Math.max(0, expiresAt - Date.now()),
      );
      expiry.unref();
    }
    socket.on('disconnect', () => clearTimeout(expiry));

    for (const sub of subscriptions) {
      socket.on(sub.subscribe, (body, ack) => {
        const reply = typeof ack === 'function' ? ack : () => {};
        const id = typeof body?.[sub.field] === 'string' ? (body[sub.field] as string) : '';
        if (!principal) return reply({ ok: false, error: 'FORBIDDEN' });
        if (!id) return reply({ ok: false, error: `${sub.field} is required` });
        sub
          .allow(principal, id)
          .then(async (ok) => {
            if (!ok) return reply({ ok: false, error: 'FORBIDDEN' });
            await socket.join(sub.room(id));
            reply({ ok: true });
          })
          .catch((err: unknown) => {
            app.log.error({ err: { message: (err as Error).message } }, `${sub.subscribe} failed`);
            reply({ ok: false, error: 'INTERNAL' });
          });
      });
      socket.on(sub.unsubscribe, (body) => {
        if (typeof body?.[sub.field] === 'string') void socket.leave(sub.room(body[sub.field] as string));
      });
    }
  });

  const unsubscribe = deps.events.subscribe(({ name, payload, rooms }) => {
    // typed per event at the publisher (EventBus.publish); the union is re-narrowed here
    (io.to(rooms) as unknown as { emit(n: string, p: unknown): void }).emit(name, payload);
    // e.g. a revoked screen must stop at once, not when it next reconnects (on every node: the adapter relays it)
    if (disconnectOn.has(name)) io.in(rooms).disconnectSockets(true);
  });

  // before Fastify closes its server: a listening HTTP server waits for open long-polling requests
  app.addHook('preClose', async () => {
    unsubscribe();
    io.local.disconnectSockets(true);
    io.engine.close();
    await Promise.allSettled([...io._nsps.values()].map(async (nsp) => nsp.adapter.close()));
    redis?.disconnect();
  });

  return io;
}

/** A refusal whose message the client sees (connect_error). */
class RefusedError extends Error {}

async function authenticate(socket: GatewaySocket, deps: GatewayDeps, credentials: RealtimeCredential[]): Promise<void> {
  const auth = (socket.handshake.auth ?? {}) as Record<string, unknown>;
  socket.data.principal = null;
  socket.data.credentialRooms = null;
  socket.data.expiresAt = null;

  // a connection with a module's credential (e.g. a waiting-room display's token) is not a user's
  for (const credential of credentials) {
    const value = auth[credential.key];
    if (typeof value !== 'string' || !value) continue;
    const rooms = await credential.resolve(value);
    if (!rooms) throw new RefusedError('UNAUTHORIZED');
    socket.data.credentialRooms = rooms;
    return;
  }

  const token = typeof auth.token === 'string' ? auth.token : '';
  if (!token) throw new RefusedError('UNAUTHORIZED');
  const claims = await deps.tokens.verify(token);
  if (!claims) throw new RefusedError('UNAUTHORIZED');
  const clinicId = typeof auth.clinicId === 'string' && auth.clinicId ? auth.clinicId : undefined;
  let principal: Principal | null;
  try {
    principal = await deps.loadPrincipal(claims.sid, claims.sub, clinicId, {
      ip: socket.handshake.address || null,
      userAgent: socket.handshake.headers['user-agent'] ?? null,
      requestId: null,
    });
  } catch {
    // the requested clinic is not one of the user's
    throw new RefusedError('CLINIC_FORBIDDEN');
  }
  if (!principal) throw new RefusedError('UNAUTHORIZED');
  if (principal.mfaEnrollmentRequired) throw new RefusedError('MFA_ENROLLMENT_REQUIRED');
  // verified above: exp is present and in the future
  const { exp } = jose.decodeJwt(token);
  socket.data.principal = principal;
  socket.data.expiresAt = (exp ?? 0) * 1000;
}
