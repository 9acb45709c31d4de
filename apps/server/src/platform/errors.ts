/** A field-level problem with the input, named so the client can show it next to the field. */
export interface FieldIssue {
  field: string;
  message: string;
}

/** Base class for errors that domain code throws and the HTTP layer maps to a status. */
export abstract class DomainError extends Error {
  abstract readonly status: number;
  constructor(
    public readonly code: string,
    message: string,
    public readonly details?: unknown,
  ) {
    super(message);
  }
}

export class NotFound extends DomainError {
  readonly status = 404;
  constructor(message = 'Not found', code = 'NOT_FOUND') {
    super(code, message);
  }
}

export class Forbidden extends DomainError {
  readonly status = 403;
  constructor(message = 'You do not have permission to do this', code = 'FORBIDDEN') {
    super(code, message);
  }
}

export class Unauthorized extends DomainError {
  readonly status = 401;
  constructor(message = 'Authentication required', code = 'UNAUTHORIZED') {
    super(code, message);
  }
}

export class Conflict extends DomainError {
  readonly status = 409;
  constructor(message: string, code = 'CONFLICT', details?: unknown) {
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
