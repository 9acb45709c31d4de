import crypto from 'node:crypto';
import type { AddressInfo } from 'node:net';
import * as jose from 'jose';
import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type Session, type TestContext } from '../../../test/helpers.ts';
import { TokenService } from '../auth/tokens.ts';
import { buildApp } from '../../app.ts';
import { openDatabase } from '../db/database.ts';
import type { AppointmentEvent, RealtimeEventName, Room, TicketEvent } from './events.ts';

let ctx: TestContext;
let base: string;
const sockets: Socket[] = [];

let kinStaff: Session;
let gomaDoctor: Session;
let patient: Session;
let kinSp: string;
let gomSp: string;

const appointment = (clinicId: string, patientId: string): AppointmentEvent => ({
  id: crypto.randomUUID(),
  clinicId,
  practitionerId: crypto.randomUUID(),
  patientId,
  status: 'booked',
  startsAt: '2026-12-01T09:00:00.000Z',
  endsAt: '2026-12-01T09:20:00.000Z',
});

const ticket = (clinicId: string, servicePointId: string): TicketEvent => ({
  id: crypto.randomUUID(),
  clinicId,
  servicePointId,
  code: 'A-001',
  status: 'called',
  priority: 'normal',
  room: '3',
  servicePointName: 'Consultation',
  calledAt: new Date().toISOString(),
});

function open(auth: Record<string, unknown>, opts: { reconnection?: boolean } = {}): Socket {
  const s = connect(base, {
    path: '/socket.io',
    transports: ['websocket'],
    auth,
    reconnection: opts.reconnection ?? false,
    forceNew: true,
  });
  sockets.push(s);
  return s;
}

/** Resolves when connected; rejects with the server's refusal message. */
function connected(s: Socket): Promise<void> {
  return new Promise((resolve, reject) => {
    if (s.connected) return resolve();
    s.once('connect', () => resolve());
    s.once('connect_error', (err) => reject(err));
  });
}

async function refusal(auth: Record<string, unknown>): Promise<string> {
  const s = open(auth);
  return connected(s).then(
    () => 'connected',
    (err: Error) => err.message,
  );
}

/** Records every event a socket receives. */
function recorder(s: Socket): { name: string; payload: unknown }[] {
  const got: { name: string; payload: unknown }[] = [];
  s.onAny((name: string, payload: unknown) => got.push({ name, payload }));
  return got;
}

function publish(name: RealtimeEventName, payload: unknown, rooms: Room[]): void {
  ctx.app.services.events.publish(name, payload as never, rooms);
}

async function until(check: () => boolean, timeoutMs = 5_000): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}

/**
 * Proves a socket did NOT get an event: a marker sent afterwards to its own user room arrives, and
 * the server delivers to one socket in order, so anything published before would be there already.
 */
async function settle(...users: { userId: string; got: { name: string; payload: unknown }[] }[]): Promise<void> {
  const marker = crypto.randomUUID();
  for (const u of users) publish('availability.changed', { practitionerId: marker, clinicId: null }, [`user:${u.userId}`]);
  await until(() => users.every((u) => u.got.some((e) => (e.payload as { practitionerId?: string }).practitionerId === marker)));
}

const names = (got: { name: string; payload: unknown }[], id: string) =>
  got.filter((e) => JSON.stringify(e.payload).includes(id)).map((e) => e.name);

async function connectedSockets(): Promise<number> {
  const text = (await ctx.app.inject({ method: 'GET', url: '/metrics' })).body;
  const line = text.split('\n').find((l) => l.startsWith('realtime_connected_sockets '));
  return Number(line?.split(' ')[1] ?? NaN);
}

beforeAll(async () => {
  ctx = await createTestContext();
  await ctx.app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(ctx.app.server.address() as AddressInfo).port}`;
  kinStaff = await ctx.login('receptionist@sanita.test');
  gomaDoctor = await ctx.login('doctor.goma@sanita.test');
  patient = await ctx.login('patient@sanita.test');
  const sp = async (clinicId: string) => {
    const { rows } = await ctx.sql.query<{ id: string }>(
      'SELECT id FROM service_points WHERE clinic_id = $1 ORDER BY code LIMIT 1',
      [clinicId],
    );
    if (rows[0]) return rows[0].id;
    const ins = await ctx.sql.query<{ id: string }>(
      `INSERT INTO service_points (clinic_id, code, name, kind, ticket_prefix) VALUES ($1, 'RT', 'Realtime test', 'other', 'R') RETURNING id`,
      [clinicId],
    );
    return ins.rows[0]!.id;
  };
  kinSp = await sp(ctx.ids.kin);
  gomSp = await sp(ctx.ids.gom);
});

afterAll(async () => {
  for (const s of sockets) s.disconnect();
  await ctx.close();
});

describe('who receives what', () => {
  it('a clinic event reaches that clinic’s staff, not another clinic’s staff nor a patient', async () => {
    const staff = open({ token: kinStaff.token });
    const goma = open({ token: gomaDoctor.token });
    const pat = open({ token: patient.token });
    const [gs, gg, gp] = [recorder(staff), recorder(goma), recorder(pat)];
    await Promise.all([connected(staff), connected(goma), connected(pat)]);

    const a = appointment(ctx.ids.kin, ctx.ids.kinPatient);
    publish('appointment.changed', { appointment: a, change: 'booked' }, [`clinic:${ctx.ids.kin}`]);
    await until(() => names(gs, a.id).length === 1);
    await settle({ userId: gomaDoctor.userId, got: gg }, { userId: patient.userId, got: gp });
    expect(names(gs, a.id)).toEqual(['appointment.changed']);
    expect(gs.find((e) => names([e], a.id).length)!.payload).toEqual({ appointment: a, change: 'booked' });
    expect(names(gg, a.id)).toEqual([]);
    expect(names(gp, a.id)).toEqual([]);
  });

  it('a patient event reaches that patient’s portal only', async () => {
    const staffGoma = open({ token: gomaDoctor.token });
    const pat = open({ token: patient.token });
    const [gg, gp] = [recorder(staffGoma), recorder(pat)];
    await Promise.all([connected(staffGoma), connected(pat)]);

    const own = appointment(ctx.ids.kin, ctx.ids.ownPatient);
    const other = appointment(ctx.ids.kin, ctx.ids.kinPatient);
    publish('appointment.changed', { appointment: own, change: 'confirmed' }, [`patient:${ctx.ids.ownPatient}`]);
    publish('appointment.changed', { appointment: other, change: 'confirmed' }, [`patient:${ctx.ids.kinPatient}`]);
    await until(() => names(gp, own.id).length === 1);
    await settle({ userId: gomaDoctor.userId, got: gg }, { userId: patient.userId, got: gp });
    expect(names(gp, other.id)).toEqual([]);
    expect(names(gg, own.id)).toEqual([]);
  });

  it('a display gets display events of its clinic and nothing meant for staff', async () => {
    const token = crypto.randomBytes(32).toString('base64url');
    await ctx.sql.query(
      `INSERT INTO display_tokens (clinic_id, name, token_hash, service_point_ids) VALUES ($1, 'Hall', $2, ARRAY[$3]::uuid[])`,
      [ctx.ids.kin, crypto.createHash('sha256').update(token).digest('hex'), kinSp],
    );
    const display = open({ displayToken: token });
    const staff = open({ token: kinStaff.token });
    const [gd, gs] = [recorder(display), recorder(staff)];
    await Promise.all([connected(display), connected(staff)]);

    const called = ticket(ctx.ids.kin, kinSp);
    const gomaCall = ticket(ctx.ids.gom, gomSp);
    const staffOnly = appointment(ctx.ids.kin, ctx.ids.kinPatient);
    publish('appointment.changed', { appointment: staffOnly, change: 'booked' }, [`clinic:${ctx.ids.kin}`]);
    publish('queue.ticket.called', { ticket: gomaCall }, [`display:${ctx.ids.gom}`]);
    publish('queue.ticket.called', { ticket: called }, [`display:${ctx.ids.kin}`]);
    await until(() => names(gd, called.id).length === 1);
    await settle({ userId: kinStaff.userId, got: gs });
    expect(gd.map((e) => e.name)).toEqual(['queue.ticket.called']);
    expect(gd[0]!.payload).toEqual({ ticket: called });
    expect(names(gs, called.id)).toEqual([]);
    expect(names(gs, staffOnly.id)).toEqual(['appointment.changed']);
  });

  it('a screen is cut off as soon as an admin revokes its display link', async () => {
    const admin = await ctx.login('admin@sanita.test');
    const kin = { 'x-clinic-id': ctx.ids.kin };
    const created = await admin.req('POST', '/api/display-tokens', { name: 'Lobby', servicePointIds: [] }, kin);
    expect(created.statusCode, created.body).toBe(201);
    const { id, token } = created.json<{ id: string; token: string }>();
    const screen = open({ displayToken: token });
    await connected(screen);
    const gone = new Promise<string>((resolve) => screen.once('disconnect', (reason) => resolve(reason)));
    const res = await admin.req('POST', `/api/display-tokens/${id}/revoke`, undefined, kin);
    expect(res.statusCode, res.body).toBe(200);
    expect(await gone).toBe('io server disconnect');
    expect(await refusal({ displayToken: token })).toBe('UNAUTHORIZED');
  });
});

describe('connection refused', () => {
  it('without a token, with garbage, with an unknown display token', async () => {
    expect(await refusal({})).toBe('UNAUTHORIZED');
    expect(await refusal({ token: 'not-a-jwt' })).toBe('UNAUTHORIZED');
    expect(await refusal({ token: `${kinStaff.token.slice(0, -4)}AAAA` })).toBe('UNAUTHORIZED');
    expect(await refusal({ displayToken: 'nope' })).toBe('UNAUTHORIZED');
  });

  it('with an expired token', async () => {
    const { sid, sub } = jose.decodeJwt(kinStaff.token) as { sid: string; sub: string };
    const shortLived = new TokenService(ctx.app.services.keys, ctx.config.publicUrl, 1);
    const token = await shortLived.issue({ sid, sub });
    await new Promise((r) => setTimeout(r, 2_100));
    expect(await refusal({ token })).toBe('UNAUTHORIZED');
  });

  it('with a token whose session was logged out', async () => {
    const s = await ctx.login('nurse@sanita.test');
    expect(await refusal({ token: s.token })).toBe('connected');
    const out = await ctx.app.inject({
      method: 'POST',
      url: '/api/auth/logout',
      headers: { authorization: `Bearer ${s.token}`, 'x-csrf-token': s.cookies.sanita_csrf! },
      cookies: { sanita_csrf: s.cookies.sanita_csrf!, sanita_refresh: s.cookies.sanita_refresh! },
    });
    expect(out.statusCode).toBe(200);
    expect(await refusal({ token: s.token })).toBe('UNAUTHORIZED');
  });

  it('with a clinic the user is not a member of', async () => {
    const { rows: before } = await ctx.sql.query<{ id: number }>('SELECT coalesce(max(id), 0)::int AS id FROM audit_log');
    expect(await refusal({ token: kinStaff.token, clinicId: ctx.ids.gom })).toBe('CLINIC_FORBIDDEN');
    const { rows } = await ctx.sql.query(
      `SELECT action, outcome, actor_user_id, resource_id FROM audit_log WHERE id > $1 AND action = 'access.clinic'`,
      [before[0]!.id],
    );
    expect(rows).toEqual([
      { action: 'access.clinic', outcome: 'denied', actor_user_id: kinStaff.userId, resource_id: ctx.ids.gom },
    ]);
  });
});

describe('session expiry', () => {
  it('closes the socket when its access token expires, after a session.expired notice', async () => {
    const { sid, sub } = jose.decodeJwt(kinStaff.token) as { sid: string; sub: string };
    const token = await new TokenService(ctx.app.services.keys, ctx.config.publicUrl, 2).issue({ sid, sub });
    const s = open({ token });
    const got = recorder(s);
    await connected(s);
    const reason = await new Promise<string>((resolve) => s.once('disconnect', resolve));
    expect(got.map((e) => e.name)).toContain('session.expired');
    expect(reason).toBe('io server disconnect');
  });
});

describe('service point rooms', () => {
  it('joins a service point of its clinic, is refused one of another clinic', async () => {
    const s = open({ token: kinStaff.token });
    const got = recorder(s);
    await connected(s);
    const ask = (servicePointId: string) =>
      s.emitWithAck('queue.subscribe', { servicePointId }) as Promise<{ ok: boolean; error?: string }>;
    expect(await ask(gomSp)).toEqual({ ok: false, error: 'FORBIDDEN' });
    expect(await ask('not-a-uuid')).toMatchObject({ ok: false });
    expect(await ask(kinSp)).toEqual({ ok: true });

    const mine = ticket(ctx.ids.kin, kinSp);
    const theirs = ticket(ctx.ids.gom, gomSp);
    publish('queue.ticket.changed', { ticket: theirs, change: 'called' }, [`sp:${gomSp}`]);
    publish('queue.ticket.changed', { ticket: mine, change: 'called' }, [`sp:${kinSp}`]);
    await until(() => names(got, mine.id).length === 1);
    await settle({ userId: kinStaff.userId, got });
    expect(names(got, theirs.id)).toEqual([]);

    s.emit('queue.unsubscribe', { servicePointId: kinSp });
    const later = ticket(ctx.ids.kin, kinSp);
    await settle({ userId: kinStaff.userId, got });
    publish('queue.ticket.changed', { ticket: later, change: 'called' }, [`sp:${kinSp}`]);
    await settle({ userId: kinStaff.userId, got });
    expect(names(got, later.id)).toEqual([]);
  });

  it('a display cannot join service point rooms', async () => {
    const token = crypto.randomBytes(32).toString('base64url');
    await ctx.sql.query(`INSERT INTO display_tokens (clinic_id, name, token_hash) VALUES ($1, 'Lab', $2)`, [
      ctx.ids.kin,
      crypto.createHash('sha256').update(token).digest('hex'),
    ]);
    const d = open({ displayToken: token });
    await connected(d);
    expect(await d.emitWithAck('queue.subscribe', { servicePointId: kinSp })).toEqual({ ok: false, error: 'FORBIDDEN' });
  });
});

describe('missed events', () => {
  it('are replayed to a socket that reconnects within the recovery window', async () => {
    const s = open({ token: kinStaff.token });
    const got = recorder(s);
    await connected(s);
    // one event first: recovery resumes from the offset of the last event received
    const first = appointment(ctx.ids.kin, ctx.ids.kinPatient);
    publish('appointment.changed', { appointment: first, change: 'booked' }, [`clinic:${ctx.ids.kin}`]);
    await until(() => names(got, first.id).length === 1);

    const before = await connectedSockets();
    const dropped = new Promise((r) => s.once('disconnect', r));
    s.io.engine.close();
    await dropped;
    for (let i = 0; i < 100 && (await connectedSockets()) >= before; i++) await new Promise((r) => setTimeout(r, 20));
    expect(await connectedSockets()).toBe(before - 1);

    const missed = appointment(ctx.ids.kin, ctx.ids.kinPatient);
    publish('appointment.changed', { appointment: missed, change: 'cancelled' }, [`clinic:${ctx.ids.kin}`]);
    s.connect();
    await connected(s);
    await until(() => names(got, missed.id).length === 1);
    expect(s.recovered).toBe(true);
  });

  it('are not replayed once the session behind the socket has ended', async () => {
    const user = await ctx.login('secretary@sanita.test');
    const s = open({ token: user.token });
    const got = recorder(s);
    await connected(s);
    const first = appointment(ctx.ids.kin, ctx.ids.kinPatient);
    publish('appointment.changed', { appointment: first, change: 'booked' }, [`clinic:${ctx.ids.kin}`]);
    await until(() => names(got, first.id).length === 1);

    const dropped = new Promise((r) => s.once('disconnect', r));
    s.io.engine.close();
    await dropped;
    await ctx.sql.query(`UPDATE sessions SET revoked_at = now() WHERE id = $1`, [
      (jose.decodeJwt(user.token) as { sid: string }).sid,
    ]);
    await ctx.app.services.auth.syncPrincipals();
    const missed = appointment(ctx.ids.kin, ctx.ids.kinPatient);
    publish('appointment.changed', { appointment: missed, change: 'cancelled' }, [`clinic:${ctx.ids.kin}`]);
    s.connect();
    await expect(connected(s)).rejects.toThrow('UNAUTHORIZED');
    expect(names(got, missed.id)).toEqual([]);
  });
});

// Several API nodes behind a load balancer share rooms and replay through Redis streams.
const redisUrl = process.env.REDIS_URL;
const multiNode: [string, string][] = redisUrl ? [['Redis streams adapter', redisUrl]] : [];

describe.each(multiNode)('two API nodes (%s)', (_label, url) => {
  let node: TestContext;
  let other: Awaited<ReturnType<typeof buildApp>>;
  let otherDb: ReturnType<typeof openDatabase>;
  const urlOf = (app: { server: { address(): unknown } }) => `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;

  beforeAll(async () => {
    node = await createTestContext({ redisUrl: url });
    otherDb = openDatabase(node.appUrl, 4);
    other = await buildApp({ config: node.config, database: otherDb });
    await node.app.listen({ port: 0, host: '127.0.0.1' });
    await other.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    await other.close();
    await otherDb.close();
    await node.close();
  });

  it('an event published on one node reaches a socket connected to the other, and is replayed after a reconnect', async () => {
    const staff = await node.login('receptionist@sanita.test');
    const s = connect(urlOf(node.app), {
      path: '/socket.io',
      transports: ['websocket'],
      auth: { token: staff.token },
      reconnection: false,
      forceNew: true,
    });
    sockets.push(s);
    const got = recorder(s);
    await connected(s);

    const a = appointment(node.ids.kin, node.ids.kinPatient);
    other.services.events.publish('appointment.changed', { appointment: a, change: 'booked' }, [`clinic:${node.ids.kin}`]);
    await until(() => names(got, a.id).length === 1);

    // dropped, an event published meanwhile on the other node, back: it is replayed from the stream
    const dropped = new Promise((r) => s.once('disconnect', r));
    s.io.engine.close();
    await dropped;
    await new Promise((r) => setTimeout(r, 300));
    const missed = appointment(node.ids.kin, node.ids.kinPatient);
    other.services.events.publish('appointment.changed', { appointment: missed, change: 'cancelled' }, [
      `clinic:${node.ids.kin}`,
    ]);
    s.connect();
    await connected(s);
    await until(() => names(got, missed.id).length === 1);
    expect(s.recovered).toBe(true);
  });
});
