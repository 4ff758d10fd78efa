// When a write-back to Altegio is tried again and when it stops (lib/domain/altegio-writeback.ts).
import { afterFailure, backoffMs, maxAttempts } from '../../lib/domain/altegio-writeback.js';

const now = 1_800_000_000_000;

describe('write-back retries', () => {
  it('back off about 1 s, 3 s, 9 s … up to 5 minutes, half of it random, never at once', () => {
    expect([1, 2, 3, 4].map((n) => backoffMs(n, 1))).toEqual([1000, 3000, 9000, 27_000]);
    expect(backoffMs(1, 0)).toBe(500);
    expect(backoffMs(9, 1)).toBe(300_000);
    expect(backoffMs(20, 0)).toBe(150_000);
  });

  it('retry network errors, 5xx, an exhausted budget and anything unknown, until the last attempt', () => {
    for (const kind of ['unreachable', 'busy', 'other'] as const) {
      expect(afterFailure({ kind }, 1, now, 1)).toEqual({ retryAt: now + 1000 });
      expect(afterFailure({ kind }, maxAttempts - 1, now, 0)).toHaveProperty('retryAt');
      expect(afterFailure({ kind }, maxAttempts, now, 0)).toEqual({ reason: 'attempts' });
    }
  });

  it('wait out a 429 for its Retry-After when that is longer than the backoff', () => {
    expect(afterFailure({ kind: 'throttled', retryAfterS: 120 }, 1, now, 1)).toEqual({ retryAt: now + 120_000 });
    expect(afterFailure({ kind: 'throttled' }, 3, now, 1)).toEqual({ retryAt: now + 9000 });
  });

  it('wait no longer than 5 minutes, however long a Retry-After asks for', () => {
    for (const retryAfterS of [315_360_000, Infinity, Number.MAX_VALUE]) {
      expect(afterFailure({ kind: 'throttled', retryAfterS }, 1, now, 1)).toEqual({ retryAt: now + 300_000 });
    }
    expect(afterFailure({ kind: 'throttled', retryAfterS: NaN }, 1, now, 1)).toEqual({ retryAt: now + 1000 });
  });

  it('stop at once on revoked tokens, licence and rights refusals, and other refusals', () => {
    expect(afterFailure({ kind: 'auth_revoked' }, 1, now)).toEqual({ reason: 'auth_revoked' });
    expect(afterFailure({ kind: 'refused', refusal: 'licence' }, 1, now)).toEqual({ reason: 'licence' });
    expect(afterFailure({ kind: 'refused', refusal: 'rights' }, 1, now)).toEqual({ reason: 'rights' });
    expect(afterFailure({ kind: 'rejected' }, 1, now)).toEqual({ reason: 'rejected' });
    expect(afterFailure({ kind: 'not_found' }, 1, now)).toEqual({ reason: 'not_found' });
  });
});
