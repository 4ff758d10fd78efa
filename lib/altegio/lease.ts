// One run at a time per location (docs/contract.md 8.2): a backfill and the reconcile, or two backfills, on
// the same location would page the same records twice over the budget's smallest share and race on
// its cursor. A run takes each location's lease in the table first (lib/db/altegio-sync.ts), before
// it sends Altegio anything, renews it while it works and gives it back when done. The lease
// expires on its own, so a run that crashed holds its locations only until then.
import { randomUUID } from 'node:crypto';
import { clock } from '../clock.js';
import { getSyncLease, releaseSyncLease, renewSyncLease, takeSyncLease, type SyncLease, type SyncRun } from '../db/altegio-sync.js';
import { logger } from '../observe.js';

/** How long a lease lasts unless renewed: what a crashed run can block. */
export const leaseMs = 2 * 60_000;
/** Renewed this often, a few times within its length, so one slow renewal does not lose it. */
export const renewEveryMs = 30_000;

const runName: Record<SyncRun, string> = { backfill: 'a backfill', reconcile: 'the scheduled reconcile' };
const iso = (ms: number) => new Date(ms).toISOString();

/** Another run holds the location: nothing was sent to Altegio for it. */
export class LocationBusy extends Error {
  override readonly name = 'LocationBusy';

  constructor(
    readonly companyId: number,
    readonly held: SyncLease,
  ) {
    super(
      `location ${companyId}: ${runName[held.run] ?? 'another run'} is already running there (since ${iso(held.since)}); ` +
        `its lease expires at ${iso(held.expires_at)} unless that run renews it`,
    );
  }
}

/** This run held the location too long without renewing (it stalled), and another run took it over. */
export class LeaseLost extends Error {
  override readonly name = 'LeaseLost';

  constructor(readonly companyId: number) {
    super(
      `location ${companyId}: this run lost its lease (it stalled past the lease's expiry and another run took the location over); stopped`,
    );
  }
}

export interface TakeOptions {
  /** Wait while a reconcile holds a location, instead of refusing (the backfill script's choice). */
  waitForReconcile?: boolean;
  /** Told once per location it waits for. */
  onWait?: (line: string) => void;
}

export class SyncLeases {
  readonly holder = randomUUID();
  private readonly held = new Set<number>();
  private readonly lost = new Set<number>();
  private timer: NodeJS.Timeout | undefined;

  private constructor(private readonly run: SyncRun) {}

  /**
   * Takes the lease of every location in `companyIds`, or of none: when one is held by another
   * run, the ones taken are given back and LocationBusy says which run holds it and until when.
   */
  static async take(run: SyncRun, companyIds: readonly number[], options: TakeOptions = {}): Promise<SyncLeases> {
    const leases = new SyncLeases(run);
    // A reconcile is one short pass: an operator's backfill that meets one waits it out (at most
    // its lease, should it have crashed) rather than fail. A backfill it meets still refuses.
    const waitUntil = clock.now() + (options.waitForReconcile ? leaseMs + 5_000 : 0);
    const told = new Set<number>();
    // Renewed from the first lease on: those taken stay held however long a later one is waited for.
    leases.timer = setInterval(() => void leases.renew(), renewEveryMs);
    leases.timer.unref();
    try {
      for (const companyId of companyIds) {
        for (;;) {
          try {
            await leases.add(companyId);
            break;
          } catch (error) {
            if (!(error instanceof LocationBusy) || error.held.run !== 'reconcile' || clock.now() >= waitUntil) throw error;
            if (!told.has(companyId))
              options.onWait?.(`location ${companyId}: the scheduled reconcile is at work there; waiting for it to end`);
            told.add(companyId);
            await new Promise((resolve) => setTimeout(resolve, 500));
          }
        }
      }
    } catch (error) {
      await leases.releaseAll();
      throw error;
    }
    return leases;
  }

  private async add(companyId: number): Promise<void> {
    const now = clock.now();
    const outcome = await takeSyncLease(companyId, { run: this.run, holder: this.holder, since: now, expires_at: now + leaseMs }, now);
    if (!outcome.taken) throw new LocationBusy(companyId, outcome.held);
    this.held.add(companyId);
  }

  /** Moves every held lease's expiry on (the timer calls it every `renewEveryMs`). */
  async renew(): Promise<void> {
    for (const companyId of this.held) {
      try {
        if (await renewSyncLease(companyId, this.holder, clock.now() + leaseMs)) continue;
        this.held.delete(companyId);
        this.lost.add(companyId);
        logger.error('altegio sync lease lost', { company_id: companyId, run: this.run });
      } catch (error) {
        // The next renewal, well within the lease, tries again.
        logger.warn('altegio sync lease renewal failed', { company_id: companyId, run: this.run, error: (error as Error).name });
      }
    }
  }

  /** Throws LeaseLost when another run has taken the location over: this one must stop there. */
  check(companyId: number): void {
    if (this.lost.has(companyId)) throw new LeaseLost(companyId);
  }

  async release(companyId: number): Promise<void> {
    if (!this.held.delete(companyId)) return;
    await releaseSyncLease(companyId, this.holder);
  }

  /** At the end of a run, however it ended: a lease that cannot be given back expires by itself. */
  async releaseAll(): Promise<void> {
    clearInterval(this.timer);
    for (const companyId of [...this.held]) {
      await this.release(companyId).catch((error: Error) =>
        logger.warn('altegio sync lease not given back; it expires by itself', { company_id: companyId, run: this.run, error: error.name }),
      );
    }
  }
}

/** For `status`: the run working on a location now, if any. */
export async function describeLease(companyId: number): Promise<string | null> {
  const lease = await getSyncLease(companyId);
  if (!lease || lease.expires_at <= clock.now()) return null;
  return (
    `running now: ${runName[lease.run] ?? 'another run'} (since ${iso(lease.since)}; its lease expires at ` +
    `${iso(lease.expires_at)} unless renewed)`
  );
}
