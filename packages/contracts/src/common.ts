import { Type, type TSchema } from '@sinclair/typebox';

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

export const Uuid = Type.String({ format: 'uuid' });
export const IsoDate = Type.String({ format: 'date', description: 'YYYY-MM-DD' });
export const IsoDateTime = Type.String({ format: 'date-time' });
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
