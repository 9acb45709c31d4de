import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type Session, type TestContext } from '../../../test/helpers.ts';

/**
 * What a client that sends something wrong receives, over a real socket (not app.inject): always
 * the API's error body `{error: {code, message, details?}}`, and never the input it sent back.
 */

let ctx: TestContext;
let reception: Session;
let base: string;
let port: number;

// a value that must never come back in a response body
const SECRET = 'AmaniKabilaSecret';

beforeAll(async () => {
  ctx = await createTestContext();
  reception = await ctx.login('receptionist@sanita.test');
  await ctx.app.listen({ port: 0, host: '127.0.0.1' });
  port = (ctx.app.server.address() as net.AddressInfo).port;
  base = `http://127.0.0.1:${port}`;
});
afterAll(async () => ctx?.close());

interface Answer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** The answer is in the API's format, with `code`, and does not contain `sent`. */
function expectApiError(res: Answer, status: number, code: string, sent: string[] = [SECRET]): void {
  expect(res.status, res.body.slice(0, 300)).toBe(status);
  expect(res.headers['content-type'] ?? '').toMatch(/^application\/json/);
  const body = JSON.parse(res.body) as { error: { code: string; message: string; details?: unknown } };
  expect(Object.keys(body)).toEqual(['error']);
  expect(body.error.code).toBe(code);
  expect(typeof body.error.message).toBe('string');
  expect(body.error.message.length).toBeGreaterThan(0);
  if (body.error.details !== undefined) expect(Array.isArray(body.error.details)).toBe(true);
  for (const s of sent) expect(res.body).not.toContain(s);
}

async function httpFetch(path: string, init: RequestInit = {}): Promise<Answer> {
  const res = await fetch(base + path, init);
  return { status: res.status, headers: Object.fromEntries(res.headers), body: await res.text() };
}

/**
 * A client that writes its whole request before it reads anything, as many HTTP libraries do
 * (with a large body the server answers while the client is still sending). Resolves with what
 * it read, or the socket error that ended it.
 */
async function sendThenRead(head: string, body: Buffer, chunked: boolean): Promise<Answer> {
  const socket = net.connect(port, '127.0.0.1');
  await new Promise((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  socket.pause();
  let failure: string | null = null;
  socket.on('error', (err: NodeJS.ErrnoException) => (failure ??= err.code ?? err.message));
  const write = (b: Buffer | string) =>
    new Promise<void>((resolve) => socket.write(b, (err) => (err && (failure ??= 'write failed'), resolve())));
  await write(`${head}${chunked ? 'Transfer-Encoding: chunked' : `Content-Length: ${body.length}`}\r\n\r\n`);
  for (let i = 0; i < body.length && !socket.destroyed; i += 64 * 1024) {
    const part = body.subarray(i, i + 64 * 1024);
    await write(chunked ? Buffer.concat([Buffer.from(`${part.length.toString(16)}\r\n`), part, Buffer.from('\r\n')]) : part);
    // at the pace of a network rather than of the loopback, so that the server answers mid-body
    await new Promise((r) => setTimeout(r, 2));
  }
  if (chunked && !socket.destroyed) await write('0\r\n\r\n');
  const chunks: Buffer[] = [];
  socket.on('data', (d: Buffer) => chunks.push(d));
  socket.resume();
  if (!socket.destroyed)
    await new Promise((resolve) => {
      socket.once('close', resolve);
      setTimeout(resolve, 5_000).unref();
    });
  socket.destroy();
  const raw = Buffer.concat(chunks).toString('utf8');
  if (!raw) throw new Error(`no answer: the connection failed (${failure ?? 'closed'})`);
  const [headText = '', ...rest] = raw.split('\r\n\r\n');
  const [statusLine = '', ...headerLines] = headText.split('\r\n');
  const headers = Object.fromEntries(
    headerLines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]),
  );
  return { status: Number(statusLine.split(' ')[1]), headers, body: rest.join('\r\n\r\n') };
}

const bigJson = () => Buffer.from(JSON.stringify({ email: `${SECRET}@example.org`, padding: SECRET.repeat(128 * 1024) }));

describe('a body over the limit (2 MB of JSON) → 413 PAYLOAD_TOO_LARGE that the client receives', () => {
  it('with Content-Length, from a client that sends everything before reading', async () => {
    const res = await sendThenRead(
      'POST /api/auth/login HTTP/1.1\r\nHost: sanita.test\r\nContent-Type: application/json\r\n',
      bigJson(),
      false,
    );
    expectApiError(res, 413, 'PAYLOAD_TOO_LARGE');
  });

  it('chunked, on an authenticated route', async () => {
    const res = await sendThenRead(
      `POST /api/patients HTTP/1.1\r\nHost: sanita.test\r\nAuthorization: Bearer ${reception.token}\r\nContent-Type: application/json\r\n`,
      bigJson(),
      true,
    );
    expectApiError(res, 413, 'PAYLOAD_TOO_LARGE');
  });

  it('with fetch', async () => {
    const res = await httpFetch('/api/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: bigJson(),
    });
    expectApiError(res, 413, 'PAYLOAD_TOO_LARGE');
  });
});

describe('other bad requests are answered in the API format without echoing the input', () => {
  it('a 5,000-character path id → 414 URI_TOO_LONG', async () => {
    const id = SECRET.repeat(300);
    const res = await httpFetch(`/api/patients/${id}`, { headers: { authorization: `Bearer ${reception.token}` } });
    expectApiError(res, 414, 'URI_TOO_LONG', [SECRET]);
  });

  it('a URL longer than the HTTP parser accepts → 431 in the API format', async () => {
    const res = await httpFetch(`/api/patients?q=${SECRET.repeat(1500)}`);
    expectApiError(res, 431, 'URI_TOO_LONG');
  });

  it('a path that is not valid percent-encoding → 400', async () => {
    const headers = { authorization: `Bearer ${reception.token}` };
    expectApiError(await httpFetch(`/api/%zz${SECRET}`, { headers }), 400, 'BAD_REQUEST', [SECRET, '%zz']);
    // in a path parameter: the parameter is not a valid id
    expectApiError(await httpFetch(`/api/patients/%E0%A4%A${SECRET}`, { headers }), 400, 'VALIDATION_FAILED', [SECRET, '%E0%A4']);
  });

  it('malformed JSON → 400 MALFORMED_JSON', async () => {
    const res = await httpFetch('/api/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: `{"email": "${SECRET}@example.org", "password": `,
    });
    expectApiError(res, 400, 'MALFORMED_JSON');
  });

  it('an unsupported content type → 415 UNSUPPORTED_MEDIA_TYPE', async () => {
    const res = await httpFetch('/api/auth/login', {
      method: 'POST',
      headers: { 'content-type': `application/x-${SECRET.toLowerCase()}` },
      body: `email=${SECRET}`,
    });
    expectApiError(res, 415, 'UNSUPPORTED_MEDIA_TYPE', [SECRET, SECRET.toLowerCase()]);
  });

  it('an unknown API route → 404 NOT_FOUND', async () => {
    const res = await httpFetch(`/api/no-such-route/${SECRET}`, { headers: { authorization: `Bearer ${reception.token}` } });
    expectApiError(res, 404, 'NOT_FOUND');
  });

  it('a method the route does not have → 404 NOT_FOUND', async () => {
    const res = await httpFetch(`/api/auth/login?who=${SECRET}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${reception.token}` },
    });
    expectApiError(res, 404, 'NOT_FOUND');
  });

  it('a query value over its bound → 400 VALIDATION_FAILED naming the field, not quoting it', async () => {
    const res = await httpFetch(`/api/patients?q=${SECRET.repeat(20)}`, {
      headers: { authorization: `Bearer ${reception.token}` },
    });
    expectApiError(res, 400, 'VALIDATION_FAILED');
  });
});
