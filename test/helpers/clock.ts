// Fixtures sit on fixed dates (a record on 1 Dec 2026 at 14:00 Belgrade), so a test that depends on
// "now" runs the service's one clock from a fixed instant at the real pace, or stops it at one and
// moves it by hand: the same answers on any real date, and windows, leases and budgets still move
// forward as they do in production. Only these helpers set the clock; a test never assigns it.
import { clock } from '../../lib/clock.js';

/** 1 Dec 2026, 09:00 in Belgrade (08:00 UTC): before every fixture appointment of the Altegio stand-in. */
export const fixtureEpoch = '2026-12-01T08:00:00Z';

const instant = (at: number | string): number => (typeof at === 'string' ? Date.parse(at) : at);

/** Runs `clock.now()` from `iso` onwards, at the real pace. */
export function runClockFrom(iso: string = fixtureEpoch): void {
  const offset = Date.parse(iso) - Date.now();
  clock.now = () => Date.now() + offset;
}

/** Moves the running clock `ms` forward (it keeps running at the real pace from there): time passes, nobody sleeps. */
export function advanceClock(ms: number): void {
  runClockFrom(new Date(clock.now() + ms).toISOString());
}

/** A clock that stands still until the test moves it. */
export type StoppedClock = {
  now(): number;
  /** Moves it to an instant (ms since the epoch, or an ISO string). */
  set(at: number | string): void;
  /** Moves it by `ms` (back when negative). */
  advance(ms: number): void;
};

/** Stops the clock at `at` for the rest of the test file; the test moves it with what this returns. */
export function stopClock(at: number | string): StoppedClock {
  let ms = instant(at);
  clock.now = () => ms;
  return {
    now: () => ms,
    set: (to) => void (ms = instant(to)),
    advance: (by) => void (ms += by),
  };
}

/** Runs `fn` with the clock stopped at `at`, then puts back the clock that ran before. */
export async function withClockAt<T>(at: number | string, fn: (time: StoppedClock) => Promise<T>): Promise<T> {
  const before = clock.now;
  try {
    return await fn(stopClock(at));
  } finally {
    clock.now = before;
  }
}

/** Runs `fn` with the clock `ms` ahead of the one running now (still moving), then puts it back. */
export async function withClockAhead<T>(ms: number, fn: () => Promise<T>): Promise<T> {
  const before = clock.now;
  clock.now = () => before() + ms;
  try {
    return await fn();
  } finally {
    clock.now = before;
  }
}
