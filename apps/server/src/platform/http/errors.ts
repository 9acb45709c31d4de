import path from 'node:path';
import type { FastifyError, FastifyInstance } from 'fastify';
import { DomainError } from '../errors.ts';
import { fieldIssues } from './validation.ts';

/** Maps every error to `{error: {code, message, details}}`; 5xx bodies say nothing internal. */
export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError & { validationContext?: string }, req, reply) => {
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
    const status = err.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      const code =
        status === 413
          ? 'PAYLOAD_TOO_LARGE'
          : status === 415
            ? 'UNSUPPORTED_MEDIA_TYPE'
            : status === 429
              ? 'RATE_LIMITED'
              : err.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || err instanceof SyntaxError
                ? 'MALFORMED_JSON'
                : 'BAD_REQUEST';
      const message =
        code === 'MALFORMED_JSON'
          ? 'body: is not valid JSON'
          : code === 'PAYLOAD_TOO_LARGE'
            ? 'body: is larger than the server accepts'
            : err.message;
      return reply.status(status).send({ error: { code, message, details: [{ field: 'body', message }] } });
    }
    req.log.error({ err: { type: err.name, message: err.message, stack: err.stack } }, 'request failed');
    return reply.status(500).send({ error: { code: 'INTERNAL', message: 'Something went wrong on our side' } });
  });
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
    return reply.status(404).send({ error: { code: 'NOT_FOUND', message: `No route for ${req.method} ${pathname}` } });
  });
}
