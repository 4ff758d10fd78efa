// Typed errors: a function throws one of these and the chain's one error handler renders it in the
// contract's envelope. Anything else that escapes is our fault and becomes a generic 500.
// Every error class names itself in a string: the bundler renames classes, and logs and callers
// that tell errors apart by `name` must see the same name in a deployed bundle as in the source.

export interface ErrorItem {
  code: number;
  message: string;
}

/** Error codes of docs/contract.md section 1 (meta.errors[].code). */
export const ErrorCode = {
  invalidPhone: 431,
  wrongSmsCode: 432,
  invalidField: 1001,
  phoneTaken: 1002,
  wrongOldPassword: 1003,
  cancelForbidden: 1004,
  cancelTooLate: 1005,
  reviewAlreadySubmitted: 1006,
  ratingOutOfRange: 1007,
  /** Beyond docs/contract.md's table: password login failed (unknown login and wrong password alike). */
  wrongLogin: 1008,
  /** Beyond docs/contract.md's table: a password set without `old_password` needs a fresh SMS-code login. */
  freshLoginNeeded: 1009,
  /** Altegio's "the selected time is already taken or is not working" (a move, docs/contract.md section 9). */
  timeNotFree: 433,
  /** The location does not let customers move appointments. */
  moveForbidden: 1010,
  /** Too late to move: inside the location's delay, the visit happened, or it is cancelled. */
  moveTooLate: 1011,
} as const;

export class HttpError extends Error {
  override name = 'HttpError';
  constructor(
    readonly status: number,
    message: string,
    readonly errors?: ErrorItem[],
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export class BadRequest extends HttpError {
  override name = 'BadRequest';
  constructor(message: string) {
    super(400, message);
  }
}

export class Unauthorized extends HttpError {
  override name = 'Unauthorized';
  constructor() {
    super(401, 'Authentication needed.');
  }
}

export class Forbidden extends HttpError {
  override name = 'Forbidden';
  constructor() {
    super(403, 'Access denied.');
  }
}

export class NotFound extends HttpError {
  override name = 'NotFound';
  constructor() {
    super(404, 'Not found.');
  }
}

export class Unprocessable extends HttpError {
  override name = 'Unprocessable';
  constructor(errors: ErrorItem[]) {
    super(422, errors[0]?.message ?? 'Validation failed.', errors);
  }
}

export class TooManyRequests extends HttpError {
  override name = 'TooManyRequests';
  constructor(
    retryAfterSeconds: number,
    /** The scopes of the limits that refused, so a caller can tell a spent budget from a cooldown. */
    readonly limits: readonly string[] = [],
    message = 'Too many requests.',
  ) {
    super(429, message, undefined, { 'retry-after': String(Math.max(1, Math.ceil(retryAfterSeconds))) });
  }
}

/** An upstream we depend on (the SMS gateway) failed or did not answer in time. */
export class BadGateway extends HttpError {
  override name = 'BadGateway';
  constructor(message: string) {
    super(502, message);
  }
}

/** We cannot do this right now (a part is not configured, or the table is overloaded); the client may retry. */
export class ServiceUnavailable extends HttpError {
  override name = 'ServiceUnavailable';
  constructor(message: string, retryAfterSeconds?: number) {
    super(503, message, undefined, retryAfterSeconds ? { 'retry-after': String(retryAfterSeconds) } : {});
  }
}

/** A request body over the documented size limit (lib/http/body.ts). */
export class PayloadTooLarge extends HttpError {
  override name = 'PayloadTooLarge';
  constructor(limitBytes: number) {
    super(413, `Request body too large (at most ${limitBytes} bytes).`);
  }
}
