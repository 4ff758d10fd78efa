// Typed errors: a function throws one of these and the chain's one error handler (lib/http/errors.ts)
// renders it in the contract's envelope. Anything else that escapes is our fault and becomes a generic 500.
// Each takes ES2022's `{ cause }` last, so the error it replaces stays readable to whoever logs it.
// Every error class names itself in a string: the bundler renames classes, and logs and callers
// that tell errors apart by `name` must see the same name in a deployed bundle as in the source.
import { isRefusal, type Refusal } from './domain/refusals.js';

export interface ErrorItem {
  code: number;
  message: string;
}

// Its owner is lib/domain/refusals.ts. Passed on for lib/schemas (the response envelope lists the
// codes), which may not import the domain.
export { ErrorCode } from './domain/refusals.js';

export class HttpError extends Error {
  override name = 'HttpError';
  constructor(
    readonly status: number,
    message: string,
    readonly errors?: ErrorItem[],
    readonly headers: Record<string, string> = {},
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

export class BadRequest extends HttpError {
  override name = 'BadRequest';
  constructor(message: string, options?: ErrorOptions) {
    super(400, message, undefined, {}, options);
  }
}

export class Unauthorized extends HttpError {
  override name = 'Unauthorized';
  constructor(options?: ErrorOptions) {
    super(401, 'Authentication needed.', undefined, {}, options);
  }
}

export class Forbidden extends HttpError {
  override name = 'Forbidden';
  constructor(options?: ErrorOptions) {
    super(403, 'Access denied.', undefined, {}, options);
  }
}

export class NotFound extends HttpError {
  override name = 'NotFound';
  constructor(options?: ErrorOptions) {
    super(404, 'Not found.', undefined, {}, options);
  }
}

export class Unprocessable extends HttpError {
  override name = 'Unprocessable';
  constructor(errors: ErrorItem[], options?: ErrorOptions) {
    super(422, errors[0]?.message ?? 'Validation failed.', errors, {}, options);
  }
}

/** A rule's refusal (lib/domain) as the contract answers it: 422 with its code and sentence. */
export function refused({ refused: code, message }: Refusal): Unprocessable {
  return new Unprocessable([{ code, message }]);
}

/** What a rule gave, unless it refused: then its 422 is thrown. */
export function unlessRefused<T>(value: T | Refusal): T {
  if (isRefusal(value)) throw refused(value);
  return value;
}

export class TooManyRequests extends HttpError {
  override name = 'TooManyRequests';
  constructor(
    retryAfterSeconds: number,
    /** The scopes of the limits that refused, so a caller can tell a spent budget from a cooldown. */
    readonly limits: readonly string[] = [],
    message = 'Too many requests.',
    options?: ErrorOptions,
  ) {
    super(429, message, undefined, { 'retry-after': String(Math.max(1, Math.ceil(retryAfterSeconds))) }, options);
  }
}

/** An upstream we depend on (the SMS gateway) failed or did not answer in time. */
export class BadGateway extends HttpError {
  override name = 'BadGateway';
  constructor(message: string, options?: ErrorOptions) {
    super(502, message, undefined, {}, options);
  }
}

/** We cannot do this right now (a part is not configured, or the table is overloaded); the client may retry. */
export class ServiceUnavailable extends HttpError {
  override name = 'ServiceUnavailable';
  constructor(message: string, retryAfterSeconds?: number, options?: ErrorOptions) {
    super(503, message, undefined, retryAfterSeconds ? { 'retry-after': String(retryAfterSeconds) } : {}, options);
  }
}

/** A request body over the documented size limit (lib/http/body.ts). */
export class PayloadTooLarge extends HttpError {
  override name = 'PayloadTooLarge';
  constructor(limitBytes: number, options?: ErrorOptions) {
    super(413, `Request body too large (at most ${limitBytes} bytes).`, undefined, {}, options);
  }
}

/**
 * A service cabinet calls (Altegio) failed, refused or has no such object. Not an HttpError: what it
 * means for the request is decided where it is caught, or, when it escapes, by the chain's one
 * mapping (lib/http/errors.ts), which answers 503 with Retry-After whatever the kind: an upstream
 * failure must never look like "not found" or a bug (a 500) to a customer.
 */
export abstract class UpstreamError extends Error {
  override name = 'UpstreamError';
  constructor(
    /** For operators and logs: what happened, never a token. */
    message: string,
    /** How long a client should wait before trying again, in seconds. */
    readonly retryAfterS: number,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}
