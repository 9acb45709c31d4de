import type { FastifyServerOptions } from 'fastify';
import type { DestinationStream, LoggerOptions } from 'pino';

/**
 * What the server writes to its logs about an error, and nothing more. Query parameters, request
 * bodies and the values PostgreSQL quotes back (a unique violation's "Key (phone)=(+243…)", a
 * check violation's "Failing row contains (…)") can name a patient, so an error is logged by an
 * allowlist: its class, its codes (errno, SQLSTATE), the constraint, table and column names, the
 * SQL text without its parameters, and the stack frames; never drizzle's `params`, never pg's
 * `detail`, `where` or `internalQuery`. Messages are cut before drizzle's "params:" part, values
 * that PostgreSQL quotes in data errors are replaced, and e-mail addresses and phone-like numbers
 * (dates too) are masked.
 */
export interface LoggedError {
  type: string;
  message: string;
  stack?: string;
  code?: string | number;
  [field: string]: unknown;
}

/** Fields copied as they are when they hold a string or a number: names and codes, never values. */
const SAFE_FIELDS = [
  'code',
  'errno',
  'syscall',
  'address',
  'port',
  'severity',
  'constraint',
  'table',
  'column',
  'schema',
  'dataType',
  'routine',
  'statusCode',
] as const;

/** An error message with e-mail addresses and phone-like numbers masked, for logs. */
export function redactContacts(message: string): string {
  return message
    .replace(/[^\s<>"'(),;:]+@[^\s<>"'(),;:]+/g, '<email>')
    .replace(/\+?\d[\d ().-]{5,}\d/g, (m) => (m.replace(/\D/g, '').length >= 7 ? '<number>' : m));
}

/** The message of `err` without anything that could be a value the client or a patient supplied. */
export function safeErrorMessage(err: unknown): string {
  const e = (err && typeof err === 'object' ? err : {}) as { message?: unknown; code?: unknown };
  let message = typeof err === 'string' ? err : typeof e.message === 'string' ? e.message : String(err);
  // drizzle: "Failed query: <sql>\nparams: <values>"
  const params = message.search(/\n\s*params:/);
  if (params >= 0) message = message.slice(0, params);
  // PostgreSQL quotes the offending value in data exceptions (class 22: 'invalid input syntax for
  // type date: "1990-13-45"'), integrity errors (23) and errors raised by functions (P0001)
  if (typeof e.code === 'string' && /^(22|23|P0)/.test(e.code)) message = message.replace(/"[^"]*"/g, '"<value>"');
  return redactContacts(message);
}

/** `err` as it may be logged (see LoggedError); also accepts the plain `{message}` objects older call sites pass. */
export function serializeError(err: unknown, depth = 0): LoggedError {
  if (!err || typeof err !== 'object') return { type: typeof err, message: safeErrorMessage(err) };
  const e = err as Record<string, unknown> & { constructor?: { name?: string } };
  const ctorName = e.constructor && e.constructor !== Object ? e.constructor.name : undefined;
  const type =
    typeof e.type === 'string' && !(err instanceof Error)
      ? e.type
      : (ctorName ?? (typeof e.name === 'string' ? e.name : 'Error'));
  const message = safeErrorMessage(err);
  const out: LoggedError = { type, message };
  for (const field of SAFE_FIELDS) {
    const v = e[field];
    if (typeof v === 'string' || typeof v === 'number') out[field] = typeof v === 'string' ? v.slice(0, 200) : v;
  }
  // drizzle keeps the statement apart from its parameters: the SQL text (placeholders only) helps
  if (typeof e.query === 'string') out.query = e.query.slice(0, 2000);
  if (typeof e.stack === 'string') {
    // the stack's first lines repeat the raw message; keep only the frames
    const frames = e.stack.split('\n').filter((l) => /^\s+at /.test(l));
    out.stack = [`${type}: ${message}`, ...frames].join('\n');
  }
  if (depth < 3) {
    if (e.cause !== undefined && e.cause !== null) out.cause = serializeError(e.cause, depth + 1);
    if (Array.isArray(e.errors)) out.errors = e.errors.slice(0, 5).map((x) => serializeError(x, depth + 1));
  }
  return out;
}

/**
 * The Fastify logger options: every logger of the app (request loggers, `app.log` handed to
 * services, the job queue, the principal cache) logs errors through `serializeError`, and requests
 * by their route pattern, never the raw URL (a query string can carry a patient's name).
 */
export function loggerOptions(level: string, stream?: DestinationStream): FastifyServerOptions['logger'] {
  const options: LoggerOptions & { stream?: DestinationStream } = {
    level,
    serializers: {
      req: (req: { method: string; routeOptions?: { url?: string }; id: string }) => ({
        method: req.method,
        route: req.routeOptions?.url,
        id: req.id,
      }),
      err: (err: unknown) => serializeError(err),
    },
    hooks: {
      // log.error(err) and log.error(err, …) make the raw message the line's text: use the safe one
      logMethod(args, method) {
        const [first, second, ...rest] = args as unknown[];
        if (first instanceof Error) {
          const msg = typeof second === 'string' ? second : safeErrorMessage(first);
          return method.apply(this, [{ err: first }, msg, ...(typeof second === 'string' ? rest : [])] as never);
        }
        return method.apply(this, args);
      },
    },
    redact: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'],
    ...(stream ? { stream } : {}),
  };
  return options;
}
