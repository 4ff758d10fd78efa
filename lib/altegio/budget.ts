// The request budget every Altegio request takes first (docs/contract.md 8.5): at most RPS in any clock
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
  /** The time (ms) the windows are counted by; tests pin it, so that no window closes under a slow table. */
  now?: () => number;
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
  private readonly now: () => number;

  constructor(private readonly options: BudgetOptions) {
    this.waitMs = { ...defaultBudgetWaitMs, ...options.waitMs };
    this.name = options.name ?? 'altegio';
    this.now = options.now ?? Date.now;
  }

  async take(priority: BudgetPriority): Promise<void> {
    const caps = { second: budgetCap(priority, this.options.rps), minute: budgetCap(priority, this.options.rpm) };
    const deadline = this.now() + this.waitMs[priority];
    // Write-back and a customer's read that find a window full book the next one at once, while
    // it has not begun; backfill only ever charges the window it is in. So a lower priority never
    // takes the first slots of a window a higher one is waiting for, and waiting is at most a window.
    const books = priority !== 'backfill';
    let at = this.now();
    for (;;) {
      const now = this.now();
      if (!books || at < now) at = now;
      const windows = budgetWindows(at);
      // Not in a window's last moments: the request must reach Altegio within the window it was
      // counted in, after the counter's round trip and its own way there.
      const end = Math.min(windows.secondEnd, windows.minuteEnd);
      if (end - at < guardMs) {
        if (end > deadline) throw this.busy(priority, caps, end - now);
        if (books) at = end;
        else await sleep(end - now + 1);
        continue;
      }
      const outcome = await chargeAltegioBudget(this.name, windows, caps);
      if (outcome === 'charged') {
        // A booked window: sent when it has begun.
        if (at > this.now()) await sleep(at - this.now() + 1);
        // A slow counter (a busy table) may answer when the window is all but over: then the
        // request would land in the next window, uncounted there. It is not sent; the charge
        // stays, over-counting, which only ever errs on the safe side.
        const sendAt = this.now();
        if (sendAt >= windows.second * 1000 && end - sendAt >= guardMs) return;
        at = sendAt;
        continue;
      }
      // The next moment there can be room: the next second, or the next minute if that is full.
      const next = outcome.refused === 'minute' ? windows.minuteEnd : windows.secondEnd;
      if (next > deadline) throw this.busy(priority, caps, next - now);
      if (books) {
        at = next;
        continue;
      }
      // A little jitter, so the waiters of one second do not all arrive in the first millisecond of the next.
      await sleep(next - this.now() + Math.random() * 40);
    }
  }

  private busy(priority: BudgetPriority, caps: { second: number; minute: number }, waitMs: number): AltegioBusy {
    return new AltegioBusy(`request budget full (${priority}: ${caps.second}/s, ${caps.minute}/min)`, undefined, waitMs / 1000);
  }

  /** What the current second and minute have used, against the limits. */
  async inUse(): Promise<{ second: number; minute: number; rps: number; rpm: number }> {
    return { ...(await altegioBudgetUsed(this.name, budgetWindows(this.now()))), rps: this.options.rps, rpm: this.options.rpm };
  }
}
