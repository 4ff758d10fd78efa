// What can go wrong talking to Altegio, one class per thing a caller decides differently on
// (its documented error answers). These are transport errors, not HTTP answers: callers that know
// better (a 404 that is true, a write-back that must stop) catch them by class, and one that escapes
// to the HTTP chain is a 503 with Retry-After (lib/http/errors.ts maps every UpstreamError so).
import { cappedRetryAfterS, type AltegioErrorKind } from '../domain/altegio-writeback.js';
import { UpstreamError } from '../errors.js';

export type { AltegioErrorKind };

export abstract class AltegioError extends UpstreamError {
  override name = 'AltegioError';
  abstract readonly kind: AltegioErrorKind;

  constructor(
    /** For operators and logs: what happened, never a token (also the error's message). */
    readonly detail: string,
    /** Altegio's HTTP status, when it answered. */
    readonly upstreamStatus: number | undefined,
    /** The wait a client is told, at most 5 minutes (as Altegio's own hint is taken: client.ts). */
    retryAfterS = 30,
    options?: ErrorOptions,
  ) {
    super(detail, Number.isNaN(retryAfterS) ? 30 : cappedRetryAfterS(retryAfterS), options);
  }
}

/** Network error, timeout, 5xx, a redirect or an answer that is not Altegio's envelope: retried, then this. */
export class AltegioUnreachable extends AltegioError {
  override name = 'AltegioUnreachable';
  readonly kind = 'unreachable';
}

/** 429 after the retries the wait bound allowed. */
export class AltegioThrottled extends AltegioError {
  override name = 'AltegioThrottled';
  readonly kind = 'throttled';
}

/** 401: the user token is wrong or was regenerated (the user's password changed), and no re-login helped. */
export class AltegioAuthRevoked extends AltegioError {
  override name = 'AltegioAuthRevoked';
  readonly kind = 'auth_revoked';
}

/**
 * A credential that is not configured where it is read (an SSM parameter not put on a deployed
 * stage): nothing can authenticate until an operator sets it, so it stops as a revoked token does.
 */
export class AltegioNotConfigured extends AltegioAuthRevoked {
  override name = 'AltegioNotConfigured';
}

/** 402/403: the location's licence lapsed, or the cabinet user lacks a right. An operator must act. */
export class AltegioRefused extends AltegioError {
  override name = 'AltegioRefused';
  readonly kind = 'refused';
  constructor(
    detail: string,
    upstreamStatus: number,
    readonly reason: 'licence' | 'rights',
  ) {
    super(detail, upstreamStatus);
  }
}

/** 404: Altegio has no such object (or no longer: a deleted record). */
export class AltegioNotFound extends AltegioError {
  override name = 'AltegioNotFound';
  readonly kind = 'not_found';
}

/** Any other 4xx (a 400/422 on what we sent): not retried. */
export class AltegioRejected extends AltegioError {
  override name = 'AltegioRejected';
  readonly kind = 'rejected';
  constructor(
    detail: string,
    upstreamStatus: number | undefined,
    /** Altegio's `meta.errors`, for an operator. */
    readonly upstreamErrors: unknown = undefined,
  ) {
    super(detail, upstreamStatus);
  }
}

/** Our own request budget (docs/contract.md 8.5) had no room within the caller's wait bound. */
export class AltegioBusy extends AltegioError {
  override name = 'AltegioBusy';
  readonly kind = 'busy';
}
