import type { ErrorCode } from '@sanita/contracts/catalogue';
import type { FieldIssue } from '@sanita/contracts/common';

/** A field-level problem with the input, named so the client can show it next to the field (shared with the web). */
export type { FieldIssue };

/** Base class for errors that domain code throws and the HTTP layer maps to a status. */
export abstract class DomainError extends Error {
  abstract readonly status: number;
  constructor(
    public readonly code: ErrorCode,
    message: string,
    public readonly details?: unknown,
  ) {
    super(message);
  }
}

export class NotFound extends DomainError {
  readonly status = 404;
  constructor(message = 'Not found', code: ErrorCode = 'NOT_FOUND') {
    super(code, message);
  }
}

export class Forbidden extends DomainError {
  readonly status = 403;
  constructor(message = 'You do not have permission to do this', code: ErrorCode = 'FORBIDDEN') {
    super(code, message);
  }
}

export class Unauthorized extends DomainError {
  readonly status = 401;
  constructor(message = 'Authentication required', code: ErrorCode = 'UNAUTHORIZED') {
    super(code, message);
  }
}

export class Conflict extends DomainError {
  readonly status = 409;
  constructor(message: string, code: ErrorCode = 'CONFLICT', details?: unknown) {
    super(code, message, details);
  }
}

export class Invalid extends DomainError {
  readonly status = 400;
  constructor(issues: FieldIssue[], message?: string) {
    super('VALIDATION_FAILED', message ?? issues.map((i) => `${i.field}: ${i.message}`).join('; '), issues);
  }
}

export class TooManyRequests extends DomainError {
  readonly status = 429;
  constructor(message = 'Too many requests, try again later') {
    super('RATE_LIMITED', message);
  }
}
