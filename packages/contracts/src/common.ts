import { Type, type IntegerOptions, type NumberOptions, type StringOptions, type TSchema } from '@sinclair/typebox';

/** `{error: {code, message, details?}}`, the one error shape of the API. */
export const ErrorBody = Type.Object(
  {
    error: Type.Object({
      code: Type.String(),
      message: Type.String(),
      details: Type.Optional(Type.Unknown()),
    }),
  },
  { $id: 'ErrorBody', description: 'Every 4xx and 5xx answer' },
);

/** Standard error responses to attach to a route's schema. */
export const errors = (...codes: (400 | 401 | 403 | 404 | 409 | 413 | 429)[]) =>
  Object.fromEntries(codes.map((c) => [c, { ...ErrorBody, $id: undefined }])) as Record<number, TSchema>;

/**
 * Why a field was refused, in `details[].code` of a 400: the JSON-Schema keyword that failed
 * (`required`, `maxLength`…), `unstorable` for text PostgreSQL cannot hold, `invalid` for any other
 * keyword. Clients translate the code (with `params`, e.g. `{limit: 100}` or `{format: 'email'}`);
 * `message` is the English sentence for API users.
 */
export const VALIDATION_ISSUE_CODES = [
  'required',
  'additionalProperties',
  'format',
  'minLength',
  'maxLength',
  'pattern',
  'enum',
  'const',
  'type',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'multipleOf',
  'minItems',
  'maxItems',
  'uniqueItems',
  'minProperties',
  'maxProperties',
  'anyOf',
  'unstorable',
  'invalid',
] as const;
export type ValidationIssueCode = (typeof VALIDATION_ISSUE_CODES)[number];

/** One item of a 400's `details`; rules the services check themselves carry no `code`, only a `message`. */
export interface FieldIssue {
  field: string;
  message: string;
  code?: ValidationIssueCode;
  params?: Record<string, unknown>;
}

/** A phone number as people write it: digits with spaces, dots, dashes, brackets and a leading +; at least one digit. */
export const Phone = Type.String({ minLength: 6, maxLength: 32, pattern: '^[+0-9 ().-]*[0-9][+0-9 ().-]*$' });
export const Uuid = Type.String({ format: 'uuid' });

// ------------------------------------------------------------------ bounded input
// Every date, integer and text a client sends is bounded here, so that no value outside what the
// database and the clinic can hold gets past validation (a year 0 or a 2^31 would otherwise reach
// PostgreSQL and answer 500). The bounds are plain JSON Schema (pattern, minimum, maximum), so the
// web checks them with the same schemas (TypeBox `Value`) and the OpenAPI document shows them.

/** Years a date or a timestamp may have: 1800–2199 (birth dates of 1880 on, bookings far ahead). */
export const YEARS = { min: 1800, max: 2199 } as const;
/** the `pattern` of IsoDate and IsoDateTime; a 400 for it has `code: 'pattern'` with this in `params.pattern` */
export const YEAR_PATTERN = '^(18|19|20|21)[0-9]{2}-';

/** A calendar date `YYYY-MM-DD` of years 1800–2199 (`format` checks the day exists). */
export const IsoDate = Type.String({ format: 'date', pattern: YEAR_PATTERN, description: 'YYYY-MM-DD' });
/** An RFC 3339 timestamp of years 1800–2199. */
export const IsoDateTime = Type.String({ format: 'date-time', pattern: YEAR_PATTERN });
/**
 * A date as stored, for responses only: rows written before the bounds above may be outside them,
 * and a nullable response field is matched against its schema when serialised.
 */
export const StoredDate = Type.String({ format: 'date', description: 'YYYY-MM-DD' });

/** The largest value of a PostgreSQL `integer` column. */
export const INT32_MAX = 2_147_483_647;

/** An integer a client sends: both bounds are required, so that none overflows a column. */
export const Integer = (options: IntegerOptions & { minimum: number; maximum: number }) => Type.Integer(options);
/** A decimal number a client sends, bounded on both sides. */
export const Decimal = (options: NumberOptions & { minimum: number; maximum: number }) => Type.Number(options);
/** The version of a row the client read; a stale one answers 409 STALE_VERSION. */
export const Version = (description?: string) =>
  Integer({ minimum: 1, maximum: INT32_MAX, ...(description ? { description } : {}) });

/**
 * Text a person types. The server trims it (the `x-trim` keyword, applied by the validator,
 * apps/server/src/platform/http/validation.ts):
 * - `RequiredText`: must hold something other than spaces (`pattern: '\\S'`), or 400 naming the field;
 * - `OptionalText` (inside `Type.Optional`): only spaces, or nothing, is the same as leaving it out;
 * - `NullableText`: only spaces, or nothing, is stored as null (clears it on an update).
 * `maxLength` counts the text as sent, before trimming.
 */
export const RequiredText = (maxLength: number, options: StringOptions = {}) =>
  Type.String({ minLength: 1, maxLength, pattern: '\\S', 'x-trim': true, ...options });
export const OptionalText = (maxLength: number, options: StringOptions = {}) =>
  Type.String({ maxLength, 'x-trim': 'absent', ...options });
export const NullableText = (maxLength: number, options: StringOptions = {}) =>
  Type.Union([Type.String({ maxLength, 'x-trim': 'null', ...options }), Type.Null()]);

export const Email = Type.String({ format: 'email', maxLength: 254 });
export const Locale = Type.Union([Type.Literal('en'), Type.Literal('fr')]);
export const Ok = Type.Object({ ok: Type.Boolean() });
export const IdParams = Type.Object({ id: Uuid }, { additionalProperties: false });

/** Error codes any route may answer with, whatever its domain. */
export const errorCodes = [
  'VALIDATION_FAILED',
  'MALFORMED_JSON',
  'UNSUPPORTED_MEDIA_TYPE',
  'PAYLOAD_TOO_LARGE',
  'URI_TOO_LONG',
  'BAD_REQUEST',
  'UNAUTHORIZED',
  'FORBIDDEN',
  'NOT_FOUND',
  'CONFLICT',
  'STALE_VERSION',
  'RATE_LIMITED',
  'CLINIC_FORBIDDEN',
  'NO_CLINIC',
  'INTERNAL',
  'UNAVAILABLE',
] as const;
