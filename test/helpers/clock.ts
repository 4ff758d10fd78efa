// Fixtures sit on fixed dates (a record on 1 Dec 2026 at 14:00 Belgrade), so a test that depends on
// "now" runs the service's one clock from a fixed instant at the real pace: the same answers on any
// real date, and windows, leases and budgets still move forward as they do in production.
import { clock } from '../../lib/clock.js';

/** 1 Dec 2026, 09:00 in Belgrade (08:00 UTC): before every fixture appointment of the Altegio stand-in. */
export const fixtureEpoch = '2026-12-01T08:00:00Z';

/** Runs `clock.now()` from `iso` onwards, at the real pace. */
export function runClockFrom(iso: string = fixtureEpoch): void {
  const offset = Date.parse(iso) - Date.now();
  clock.now = () => Date.now() + offset;
}

/** Moves the running clock `ms` forward (it keeps running at the real pace from there): time passes, nobody sleeps. */
export function advanceClock(ms: number): void {
  runClockFrom(new Date(clock.now() + ms).toISOString());
}
