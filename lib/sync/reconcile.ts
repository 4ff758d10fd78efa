// The reconcile every 10 minutes (docs/contract.md 8.2): for each configured location, the records Altegio
// changed since the last run (`changed_after`, less an overlap, deleted ones included), ingested as
// webhooks would be; so a webhook Altegio never delivered heals by itself, and one it did deliver
// changes nothing a second time. The watermark is kept per location in the table and moves only
// when its run succeeded. A location that a backfill (or an overlapping reconcile) is working on is
// skipped this round: its lease (lib/altegio/lease.ts) says so, and the next round catches up from
// the watermark. Standalone, it does nothing and says so.
import { clock } from '../clock.js';
import { getReconcileMark, saveReconcileMark, type ReconcileMark } from '../db/altegio-sync.js';
import { atLocation } from '../domain/dates.js';
import { logger } from '../observe.js';
import { AltegioError } from '../altegio/errors.js';
import { LocationBusy, SyncLeases } from '../altegio/lease.js';
import { connector } from '../altegio/connector.js';
import { ensureLocation } from './locations.js';
import { ingestPages } from './pages.js';

/** Read again before the watermark: Altegio's clock and ours differ, and a change may be stamped late. */
export const reconcileOverlapMs = 2 * 60_000;
/** A location never reconciled looks back this far (what is older is backfill's). */
export const firstLookbackMs = 24 * 3600_000;

export type LocationOutcome =
  | { companyId: number; ok: true; mark: ReconcileMark }
  | { companyId: number; ok: false; error: string }
  /** Another run holds the location: skipped, nothing sent to Altegio for it. */
  | { companyId: number; ok: false; error: 'busy'; held_by: string; until: string };

export interface ReconcileResult {
  connected: boolean;
  locations: LocationOutcome[];
}

export async function reconcile(): Promise<ReconcileResult> {
  // Loaded only when connected (lib/reconcile.ts answers standalone), so the link is there.
  const link = connector();
  if (!link) return { connected: false, locations: [] };
  const locations: LocationOutcome[] = [];
  let unexpected: unknown;
  // One location at a time: they share the budget, and backfill's share is small.
  for (const companyId of link.altegio.companyIds) {
    let leases: SyncLeases | undefined;
    try {
      leases = await SyncLeases.take('reconcile', [companyId]);
      const startedAt = clock.now();
      const location = await ensureLocation(link.client, companyId, 'backfill');
      const since = ((await getReconcileMark(companyId))?.last_at ?? startedAt - firstLookbackMs) - reconcileOverlapMs;
      const counts = { applied: 0, unchanged: 0, refused: 0 };
      await ingestPages({
        client: link.client,
        companyId,
        query: { changed_after: atLocation(since, location) },
        firstPage: 1,
        counts,
        stored: { staff: 0, services: 0 },
        onPage: async () => leases!.check(companyId),
      });
      const mark = { last_at: startedAt, ran_at: clock.now(), ...counts };
      await saveReconcileMark(companyId, mark);
      logger.info('altegio reconcile', { company_id: companyId, ...counts });
      locations.push({ companyId, ok: true, mark });
    } catch (error) {
      if (error instanceof LocationBusy) {
        const until = new Date(error.held.expires_at).toISOString();
        logger.info('altegio reconcile skipped: location busy', { company_id: companyId, held_by: error.held.run, until });
        locations.push({ companyId, ok: false, error: 'busy', held_by: error.held.run, until });
        continue;
      }
      // A location Altegio refuses must not keep the others from healing.
      const kind = error instanceof AltegioError ? error.kind : (error as Error)?.name;
      logger.error('altegio reconcile failed', {
        company_id: companyId,
        kind,
        detail: error instanceof AltegioError ? error.detail : undefined,
      });
      locations.push({ companyId, ok: false, error: String(kind) });
      if (!(error instanceof AltegioError)) unexpected ??= error;
    } finally {
      await leases?.releaseAll();
    }
  }
  // The table failing (or a bug) fails the invocation, for the function's error metric.
  if (unexpected) throw unexpected;
  return { connected: true, locations };
}

/** For `status`: one line on a location's last reconcile. */
export async function describeReconcile(companyId: number): Promise<string> {
  const mark = await getReconcileMark(companyId);
  if (!mark) return 'last reconcile: never';
  return (
    `last reconcile: ${new Date(mark.ran_at).toISOString()} (changes read up to ` +
    `${new Date(mark.last_at).toISOString()}): ${mark.applied} applied, ${mark.unchanged} unchanged, ${mark.refused} refused`
  );
}
