// The request budget every Altegio request takes first (CONTRACT 8.5): at most RPS in any clock
// second and RPM in any clock minute, all functions together, counted in DynamoDB
// (lib/db/altegio-budget.ts). A caller that finds the window full waits for the next one, but only
// as long as its priority allows; past that it gets AltegioBusy, a 503 with Retry-After.
import { budgetCap, budgetWindows, type BudgetPriority } from '../domain/altegio-budget.js';
import { altegioBudgetUsed, chargeAltegioBudget } from '../db/altegio-budget.js';
import { AltegioBusy } from './errors.js';
import type { BudgetGate } from './client.js';

export interface BudgetOptions {
  rps: number;
  rpm: number;
  /** Whose counters: one budget per deployment (`altegio`); tests keep theirs apart. */
  name?: string;
  /** The longest each priority waits for room before giving up. */
  waitMs?: Partial<Record<BudgetPriority, number>>;
}

/**
 * A customer's read waits up to 2 s (a cold miss is at most 4 requests), a write-back tried inline
 * 3 s (it is retried later anyway), a backfill two minutes (it has all the time there is), a
 * cancellation's fresh look 1 s (without it, the cancellation is decided on the stored copy and
 * its DELETE looks again before it is sent).
 */
export const defaultBudgetWaitMs: Record<BudgetPriority, number> = { writeback: 3000, read: 2000, backfill: 120_000, fresh: 1000 };

/** The end of each window in which nothing more is sent (see `take`). */
const guardMs = 100;

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export class AltegioBudget implements BudgetGate {
  private readonly waitMs: Record<BudgetPriority, number>;
  private readonly name: string;

  constructor(private readonly options: BudgetOptions) {
    this.waitMs = { ...defaultBudgetWaitMs, ...options.waitMs };
    this.name = options.name ?? 'altegio';
  }

  async take(priority: BudgetPriority): Promise<void> {
    const caps = { second: budgetCap(priority, this.options.rps), minute: budgetCap(priority, this.options.rpm) };
    const deadline = Date.now() + this.waitMs[priority];
    for (;;) {
      const now = Date.now();
      const windows = budgetWindows(now);
      // Not in a window's last moments: the request must reach Altegio within the window it was
      // counted in, after the counter's round trip and its own way there.
      const closing = Math.min(windows.secondEnd, windows.minuteEnd) - now;
      if (closing < guardMs) {
        if (now + closing > deadline) throw this.busy(priority, caps, closing);
        await sleep(closing + 1);
        continue;
      }
      const outcome = await chargeAltegioBudget(this.name, windows, caps);
      if (outcome === 'charged') {
        // A slow counter (a busy table) may answer when the window is all but over: then the
        // request would land in the next window, uncounted there. It is not sent; the charge
        // stays, over-counting, which only ever errs on the safe side.
        if (Math.min(windows.secondEnd, windows.minuteEnd) - Date.now() >= guardMs) return;
        continue;
      }
      // The next moment there can be room: the next second, or the next minute if that is full.
      const next = outcome.refused === 'minute' ? windows.minuteEnd : windows.secondEnd;
      if (next > deadline) throw this.busy(priority, caps, next - now);
      // A little jitter, so the waiters of one second do not all arrive in the first millisecond of the next.
      await sleep(next - Date.now() + Math.random() * 40);
    }
  }

  private busy(priority: BudgetPriority, caps: { second: number; minute: number }, waitMs: number): AltegioBusy {
    return new AltegioBusy(`request budget full (${priority}: ${caps.second}/s, ${caps.minute}/min)`, undefined, waitMs / 1000);
  }

  /** What the current second and minute have used, against the limits. */
  async inUse(): Promise<{ second: number; minute: number; rps: number; rpm: number }> {
    return { ...(await altegioBudgetUsed(this.name, budgetWindows(Date.now()))), rps: this.options.rps, rpm: this.options.rpm };
  }
}
