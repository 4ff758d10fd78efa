// `npm run altegio -- backfill [--days N]` (docs/contract.md 8.2): for each configured location, every
// record from yesterday to N days ahead (local dates at the location), deleted ones included, page
// by page, ingested as webhooks would be (lib/sync/pages.ts). A cursor per location is
// kept in the table after each page: a run that was interrupted continues where it stopped, in the
// same window; a run after a finished one starts again and, with nothing changed in Altegio,
// changes nothing. A run holds each location's lease (lib/altegio/lease.ts) while it works on it, so
// that no second backfill nor the reconcile works on the same location at the same time.
import { clock } from '../clock.js';
import { getBackfillCursor, saveBackfillCursor, type BackfillCursor, type SyncCounts } from '../db/altegio-sync.js';
import { getCompanyNow } from '../db/entities.js';
import { atLocation } from '../domain/dates.js';
import type { AltegioClient } from '../altegio/client.js';
import type { SyncLeases } from '../altegio/lease.js';
import { ensureLocation } from './locations.js';
import { ingestPages, type Stored } from './pages.js';

export const defaultBackfillDays = 90;
export const maxBackfillDays = 366;

export interface BackfillReport extends SyncCounts, Stored {
  companyId: number;
  title: string;
  window: { start_date: string; end_date: string };
  /** The page an interrupted run had reached, when this run continued it. */
  resumedAt?: number;
  pages: number;
  location: boolean;
}

const dayMs = 24 * 3600 * 1000;

export interface BackfillOptions {
  /** Records per page (docs/contract.md 8.2: 200); tests make long backfills with small ones. */
  size?: number;
  /** The run's leases, which must include this location: checked before each page. */
  leases?: SyncLeases;
}

export async function backfillLocation(
  client: AltegioClient,
  companyId: number,
  days: number,
  options: BackfillOptions = {},
): Promise<BackfillReport> {
  const { size, leases } = options;
  leases?.check(companyId);
  const known = (await getCompanyNow(companyId)) !== null;
  const location = await ensureLocation(client, companyId, 'backfill');
  const now = clock.now();
  const previous = await getBackfillCursor(companyId);
  const resumed = previous && !previous.done ? previous : null;
  const cursor: BackfillCursor = resumed ?? {
    start_date: atLocation(now - dayMs, location).slice(0, 10),
    end_date: atLocation(now + days * dayMs, location).slice(0, 10),
    page: 1,
    done: false,
    started_at: now,
  };
  const counts = { applied: 0, unchanged: 0, refused: 0 };
  const stored = { staff: 0, services: 0 };
  const pages = await ingestPages({
    client,
    companyId,
    query: { start_date: cursor.start_date, end_date: cursor.end_date },
    firstPage: cursor.page,
    size,
    counts,
    stored,
    onPage: async (next, last) => {
      await saveBackfillCursor(companyId, { ...cursor, page: next, done: last, ...(last ? { finished_at: clock.now() } : {}) });
      leases?.check(companyId);
    },
  });
  return {
    companyId,
    title: location.title,
    window: { start_date: cursor.start_date, end_date: cursor.end_date },
    ...(resumed ? { resumedAt: resumed.page } : {}),
    pages,
    location: !known,
    ...counts,
    ...stored,
  };
}

export function describeBackfill(r: BackfillReport): string {
  const made = [
    r.location ? 'the location' : '',
    r.staff ? `${r.staff} team member(s)` : '',
    r.services ? `${r.services} service(s)` : '',
  ].filter(Boolean);
  return (
    `location ${r.companyId} "${r.title}": ${r.window.start_date} to ${r.window.end_date}${
      r.resumedAt ? `, continued ` + `at page ${r.resumedAt}` : ''
    }: ` +
    `${r.pages} page(s), ${r.applied + r.unchanged + r.refused} record(s): ${r.applied} applied, ${r.unchanged} ` +
    `unchanged, ${r.refused} refused` +
    (made.length ? `; stored ${made.join(', ')}` : '')
  );
}
