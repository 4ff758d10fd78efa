// How the Altegio request budget (docs/contract.md 8.5) is shared between who asks. Every priority counts
// on the same counters, but a lower one may only fill part of each window, so room is always left
// for a higher one: write-back may use all of it, a customer's read 80 %, backfill 40 % (at least
// one request per window each, or a budget of 1 would starve them). Pure: no I/O.
// `fresh` is a cancellation's look at Altegio's current state before deciding:
// half of each window at most, so looks a customer can ask for at will never take the room of the
// DELETEs themselves.
export type BudgetPriority = 'writeback' | 'read' | 'backfill' | 'fresh';

const shares: Record<BudgetPriority, number> = { writeback: 1, read: 0.8, backfill: 0.4, fresh: 0.5 };

/** How full a window of `max` requests may be before `priority` must wait for the next one. */
export function budgetCap(priority: BudgetPriority, max: number): number {
  return priority === 'writeback' ? max : Math.max(1, Math.floor(max * shares[priority]));
}

export interface BudgetWindows {
  second: number;
  minute: number;
  /** When each window ends (ms). */
  secondEnd: number;
  minuteEnd: number;
}

/** The clock second and clock minute `now` (ms) falls in. */
export function budgetWindows(now: number): BudgetWindows {
  const second = Math.floor(now / 1000);
  const minute = Math.floor(now / 60_000);
  return { second, minute, secondEnd: (second + 1) * 1000, minuteEnd: (minute + 1) * 60_000 };
}
