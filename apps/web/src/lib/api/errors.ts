import { isErrorCode, type ErrorCode } from '@sanita/contracts/catalogue';
import type { FieldIssue } from '@sanita/contracts/common';

/** What `ApiError.code` may be: a code of the API's catalogue, or NETWORK when no answer came. */
export type ApiErrorCode = ErrorCode | 'NETWORK';

/** The code an answer stands for when its body names none we know (a proxy's page, a later server). */
export function codeForStatus(status: number): ErrorCode {
  switch (status) {
    case 400:
      return 'BAD_REQUEST';
    case 401:
      return 'UNAUTHORIZED';
    case 403:
      return 'FORBIDDEN';
    case 404:
      return 'NOT_FOUND';
    case 409:
      return 'CONFLICT';
    case 413:
      return 'PAYLOAD_TOO_LARGE';
    case 414:
      return 'URI_TOO_LONG';
    case 415:
      return 'UNSUPPORTED_MEDIA_TYPE';
    case 429:
      return 'RATE_LIMITED';
    case 502:
    case 503:
    case 504:
      return 'UNAVAILABLE';
    default:
      return status >= 400 && status < 500 ? 'BAD_REQUEST' : 'INTERNAL';
  }
}

/** An API answer other than 2xx, carrying the server's `{error: {code, message, details}}`. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: ApiErrorCode;
  readonly details: unknown;

  constructor(status: number, code: ApiErrorCode, message: string, details?: unknown) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = details;
  }

  /** Builds the error from an answer's status and parsed body (null when it was not JSON). */
  static fromBody(status: number, statusText: string, body: unknown): ApiError {
    const error = (body as { error?: { code?: unknown; message?: unknown; details?: unknown } } | null)?.error;
    const code = isErrorCode(error?.code) ? error.code : codeForStatus(status);
    const message = typeof error?.message === 'string' ? error.message : statusText;
    return new ApiError(status, code, message, error?.details);
  }

  /** Field issues of a 400 (or a conflict naming its field), or an empty list when there are none. */
  get fieldIssues(): FieldIssue[] {
    if (!Array.isArray(this.details)) return [];
    return this.details.filter(
      (d): d is FieldIssue =>
        typeof d === 'object' &&
        d !== null &&
        typeof (d as FieldIssue).field === 'string' &&
        typeof (d as FieldIssue).message === 'string',
    );
  }
}

export function isApiError(err: unknown, code?: ApiErrorCode): err is ApiError {
  return err instanceof ApiError && (code === undefined || err.code === code);
}
