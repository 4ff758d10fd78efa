// How long the outbox waits before trying an item again, and when it stops trying: one rule for
// outbound events and for Altegio write-backs (and for the Altegio client's own retries), each
// with its own numbers. Pure: no I/O, the random draw passed in where a test fixes it.

export interface Backoff {
  /** The wait after the first failed attempt (its cap, when jittered). */
  firstMs: number;
  /** How much longer each next wait is. */
  factor: number;
  /** The longest wait. */
  capMs: number;
  /** Half fixed, half random, so that many items failed at once do not all come back at once. */
  jitter: boolean;
}

/** The wait after `attempt` failed attempts (the first is 1): growing by `factor` up to the cap. */
export function backoffMs(policy: Backoff, attempt: number, random = Math.random()): number {
  const cap = Math.min(policy.capMs, policy.firstMs * policy.factor ** (Math.max(1, attempt) - 1));
  return policy.jitter ? cap / 2 + random * (cap / 2) : cap;
}

export interface RetryPolicy extends Backoff {
  /** Attempts before the item is kept as failed (the first included). */
  maxAttempts: number;
}

/**
 * After `attempts` attempts, the last of which failed: when to try again (never sooner than
 * `notBeforeMs` from now, a wait the other side asked for), or null when the attempts are used up.
 */
export function nextTryAt(policy: RetryPolicy, attempts: number, now: number, notBeforeMs = 0, random = Math.random()): number | null {
  if (attempts >= policy.maxAttempts) return null;
  return Math.ceil(now + Math.max(backoffMs(policy, attempts, random), notBeforeMs));
}
