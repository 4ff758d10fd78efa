// When a write-back to Altegio is tried again, and when it stops (docs/contract.md 8.4):
// network errors, timeouts, 5xx, 429 and an exhausted request budget are retried with backoff and
// jitter (a 429 no sooner than its Retry-After, itself taken up to 5 minutes) up to `maxAttempts`; revoked tokens and licence or
// rights refusals stop at once (an operator must act); any other refusal is not retried either,
// since sending the same again would only be refused again. Pure: no I/O.
import { backoffMs as backoff, nextTryAt, type RetryPolicy } from './backoff.js';

/** What went wrong talking to Altegio; lib/altegio/errors.ts has one error class per kind. */
export type AltegioErrorKind = 'unreachable' | 'throttled' | 'auth_revoked' | 'refused' | 'not_found' | 'rejected' | 'busy';

/** Attempts before a command is kept as failed (the first, inline, included). */
export const maxAttempts = 10;

/** About 1 s, 3 s, 9 s … capped at 5 minutes, half of each wait random. */
export const writebackRetries: RetryPolicy = { maxAttempts, firstMs: 1000, factor: 3, capMs: 300_000, jitter: true };

/**
 * Reasons that need an operator at once: alarmed on (`AltegioWritebacksStopped`). `not_cancellable`:
 * a cancellation decided on cabinet's copy whose record Altegio, read before the DELETE, no longer
 * lets be cancelled (visited, inside the window, or forbidden): cabinet shows it cancelled, the
 * salon's books do not.
 */
export const stoppingReasons = ['auth_revoked', 'licence', 'rights', 'not_cancellable'] as const;

export interface AttemptFailure {
  /** The Altegio error's kind, or `other` for anything else (a bug, the table). */
  kind: AltegioErrorKind | 'other';
  /** For `refused`: which refusal. */
  refusal?: 'licence' | 'rights';
  /** For `throttled`: the wait Altegio asked for. */
  retryAfterS?: number;
}

/**
 * The longest a 429's Retry-After is waited for, the backoff's own cap: a hint of years (or one
 * that overflows to Infinity) would park a write-back as `retrying`, never failed, so never seen.
 */
export const maxRetryAfterS = 300;

/** A Retry-After in seconds, capped; 0 when it is no positive number. */
export function cappedRetryAfterS(seconds: number): number {
  return seconds > 0 ? Math.min(seconds, maxRetryAfterS) : 0;
}

/** The wait after `attempt` failed attempts of a write-back. */
export function backoffMs(attempt: number, random = Math.random()): number {
  return backoff(writebackRetries, attempt, random);
}

/** After `attempts` attempts, the last of which failed so: try again at `retryAt`, or stop for `reason`. */
export function afterFailure(
  failure: AttemptFailure,
  attempts: number,
  now: number,
  random = Math.random(),
): { retryAt: number } | { reason: string } {
  switch (failure.kind) {
    case 'auth_revoked':
      return { reason: 'auth_revoked' };
    case 'refused':
      return { reason: failure.refusal ?? 'rights' };
    case 'rejected':
      return { reason: 'rejected' };
    case 'not_found':
      return { reason: 'not_found' };
    default: {
      const askedMs = failure.kind === 'throttled' ? cappedRetryAfterS(failure.retryAfterS ?? 0) * 1000 : 0;
      const retryAt = nextTryAt(writebackRetries, attempts, now, askedMs, random);
      return retryAt === null ? { reason: 'attempts' } : { retryAt };
    }
  }
}
