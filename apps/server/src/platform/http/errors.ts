import http from 'node:http';
import path from 'node:path';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from '../errors.ts';
import { isDatabaseUnavailable } from '../db/database.ts';
import { fieldIssues } from './validation.ts';

/** Seconds a client is told to wait (Retry-After) when the database is out of reach. */
export const UNAVAILABLE_RETRY_AFTER_SECONDS = 5;

/** The 503 body (and header) of a request that needed the database while it was out of reach. */
export function sendUnavailable(reply: FastifyReply): FastifyReply {
  return reply
    .status(503)
    .header('retry-after', String(UNAVAILABLE_RETRY_AFTER_SECONDS))
    .send({ error: { code: 'UNAVAILABLE', message: 'The service is briefly unavailable; try again in a few seconds' } });
}

/** Maps every error to `{error: {code, message, details}}`; 5xx bodies say nothing internal. */
export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler(async (err: FastifyError & { validationContext?: string }, req, reply) => {
    if (err instanceof DomainError) {
      return reply
        .status(err.status)
        .send({ error: { code: err.code, message: err.message, ...(err.details ? { details: err.details } : {}) } });
    }
    if (err.validation) {
      const details = fieldIssues(err.validation, err.validationContext);
      return reply.status(400).send({
        error: {
          code: 'VALIDATION_FAILED',
          message: details.map((d) => `${d.field}: ${d.message}`).join('; '),
          details,
        },
      });
    }
    if (isDatabaseUnavailable(err)) {
      // the logger's serializer keeps the codes and drops the values (platform/log.ts)
      req.log.warn({ err }, 'database unavailable');
      return sendUnavailable(reply);
    }
    const status = err.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
        // Fastify refuses the body without reading it; closing the connection while the client is
        // still sending makes its kernel reset the connection, and the client never reads the 413
        await discardBody(req);
        reply.header('connection', 'close');
      }
      const { code, message } = clientError(err, status);
      // Fastify's own messages may quote the input (a path, a content type): ours never do
      return reply.status(status).send({ error: { code, message, details: [{ field: 'body', message }] } });
    }
    req.log.error({ err }, 'request failed');
    return reply.status(500).send({ error: { code: 'INTERNAL', message: 'Something went wrong on our side' } });
  });
}

/** The code and fixed message of a 4xx that Fastify or a plugin raised; nothing of the input is repeated. */
function clientError(err: FastifyError, status: number): { code: string; message: string } {
  if (status === 413) return { code: 'PAYLOAD_TOO_LARGE', message: 'body: is larger than the server accepts' };
  if (status === 415)
    return { code: 'UNSUPPORTED_MEDIA_TYPE', message: 'body: this content type is not accepted; send application/json' };
  if (status === 429) return { code: 'RATE_LIMITED', message: 'Too many requests, try again later' };
  if (err.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || err instanceof SyntaxError)
    return { code: 'MALFORMED_JSON', message: 'body: is not valid JSON' };
  if (err.code === 'FST_ERR_CTP_EMPTY_JSON_BODY')
    return { code: 'BAD_REQUEST', message: 'body: is empty although the content type is application/json' };
  if (err.code === 'FST_ERR_CTP_INVALID_CONTENT_LENGTH')
    return { code: 'BAD_REQUEST', message: 'body: its size does not match Content-Length' };
  return { code: 'BAD_REQUEST', message: http.STATUS_CODES[status] ?? 'Bad request' };
}

/**
 * Reads and drops what is left of a request body, up to 16 MiB or 10 seconds, so that the reply is
 * read by a client that sends its whole body before reading (a lingering close).
 */
function discardBody(req: FastifyRequest, maxBytes = 16 * 1024 * 1024, maxMs = 10_000): Promise<void> {
  const raw = req.raw;
  if (raw.complete || raw.readableEnded || raw.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    let seen = 0;
    const done = () => {
      clearTimeout(timer);
      raw.off('data', onData);
      raw.off('end', done);
      raw.off('close', done);
      raw.off('error', done);
      resolve();
    };
    const onData = (chunk: Buffer) => {
      seen += chunk.length;
      if (seen > maxBytes) done();
    };
    const timer = setTimeout(done, maxMs);
    raw.on('data', onData);
    raw.on('end', done);
    raw.on('close', done);
    raw.on('error', done);
    raw.resume();
  });
}

/**
 * Errors Fastify raises before any route runs (Fastify's `frameworkErrors` option): a path that is
 * not valid percent-encoding, a path parameter longer than `maxParamLength`. Fastify's own bodies
 * quote the path back; these do not.
 */
export function frameworkErrors(err: FastifyError, _req: FastifyRequest, reply: FastifyReply): void {
  if (err.code === 'FST_ERR_MAX_PARAM_LENGTH') {
    const message = 'path: is longer than the server accepts';
    void reply.status(414).send({ error: { code: 'URI_TOO_LONG', message, details: [{ field: 'path', message }] } });
    return;
  }
  if (err.code === 'FST_ERR_BAD_URL') {
    const message = 'path: is not a valid URL (bad percent-encoding)';
    void reply.status(400).send({ error: { code: 'BAD_REQUEST', message, details: [{ field: 'path', message }] } });
    return;
  }
  void reply.status(500).send({ error: { code: 'INTERNAL', message: 'Something went wrong on our side' } });
}

/**
 * Requests Node's HTTP parser refuses before Fastify sees them (Fastify's `clientErrorHandler`
 * option): headers or a URL over Node's header size limit (431), a malformed request (400). The
 * answer uses the API's error body; the connection is closed.
 */
export function clientErrorHandler(err: NodeJS.ErrnoException & { rawPacket?: unknown }, socket: Socket): void {
  // a reset connection has nothing left to answer
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const tooLarge = err.code === 'HPE_HEADER_OVERFLOW';
  const status = tooLarge ? 431 : err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
  const message = tooLarge ? 'The URL or the headers are larger than the server accepts' : 'The request is malformed';
  const body = JSON.stringify({ error: { code: tooLarge ? 'URI_TOO_LONG' : 'BAD_REQUEST', message } });
  socket.end(
    `HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\nConnection: close\r\nContent-Type: application/json; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}

/**
 * Unknown routes get the standard error body; with `spaIndex`, any other GET that is not the API
 * and names no file gets the web app's index.html, because the web app routes on the client.
 */
export function installNotFound(app: FastifyInstance, spaIndex: Buffer | null): void {
  app.setNotFoundHandler((req, reply) => {
    const pathname = req.url.split('?')[0] ?? '';
    if (spaIndex && req.method === 'GET' && !pathname.startsWith('/api/') && !path.extname(pathname)) {
      return reply.type('text/html').send(spaIndex);
    }
    // the path is not repeated: it can be long, or carry what a client should not see echoed
    return reply.status(404).send({ error: { code: 'NOT_FOUND', message: `There is no route for this ${req.method} request` } });
  });
}
