// The outbox's one retry rule (lib/domain/backoff.ts), with the numbers events and write-backs use.
import { backoffMs, nextTryAt, type RetryPolicy } from '../../lib/domain/backoff.js';

const now = 1_800_000_000_000;
// Outbound events: CABINET_EVENTS_RETRY_BASE_S (30) doubling, at most an hour, CABINET_EVENTS_MAX_ATTEMPTS (12).
const events: RetryPolicy = { maxAttempts: 12, firstMs: 30_000, factor: 2, capMs: 3_600_000, jitter: false };
// Altegio write-backs: about 1 s, 3 s, 9 s … up to 5 minutes, half random, 10 attempts.
const writebacks: RetryPolicy = { maxAttempts: 10, firstMs: 1000, factor: 3, capMs: 300_000, jitter: true };

describe('the outbox backoff', () => {
  it('grows by its factor from the first wait up to its cap', () => {
    const waits = [1, 2, 3, 4, 7, 8, 11].map((n) => backoffMs(events, n));
    expect(waits).toEqual([30_000, 60_000, 120_000, 240_000, 1_920_000, 3_600_000, 3_600_000]);
    expect([1, 2, 3, 6, 7].map((n) => backoffMs(writebacks, n, 1))).toEqual([1000, 3000, 9000, 243_000, 300_000]);
  });

  it('spreads a jittered wait over its upper half, never to zero, and leaves a plain one fixed', () => {
    expect(backoffMs(writebacks, 1, 0)).toBe(500);
    expect(backoffMs(writebacks, 20, 0)).toBe(150_000);
    expect(backoffMs(writebacks, 2, 0.5)).toBe(2250);
    expect(backoffMs(events, 2, 0)).toBe(backoffMs(events, 2, 1));
  });

  it('takes an attempt count below one as the first', () => {
    expect(backoffMs(events, 0)).toBe(30_000);
  });

  it('tries again after the wait until the last attempt, then stops (null)', () => {
    expect(nextTryAt(events, 1, now)).toBe(now + 30_000);
    expect(nextTryAt(events, 11, now)).toBe(now + 3_600_000);
    expect(nextTryAt(events, 12, now)).toBeNull();
    expect(nextTryAt(writebacks, 9, now, 0, 1)).toBe(now + 300_000);
    expect(nextTryAt(writebacks, 10, now, 0, 1)).toBeNull();
  });

  it('never tries sooner than the other side asked', () => {
    expect(nextTryAt(writebacks, 1, now, 120_000, 1)).toBe(now + 120_000);
    expect(nextTryAt(writebacks, 3, now, 1000, 1)).toBe(now + 9000);
    expect(nextTryAt(events, 12, now, 120_000)).toBeNull();
  });
});
