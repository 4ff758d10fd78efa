// Pages of `GET /records/{company_id}` ingested as webhooks would be (docs/contract.md 8.2): each record
// through the webhook's own checks and `ingest`, so its version (`last_change_date`) decides, as for
// a delivery: a newer webhook wins over a copy read here, an older one does not, and a record read
// twice changes nothing. Before a page, what its records need and the table lacks (team members,
// catalogue services) is read from Altegio and stored. Budget priority `backfill`, last of all.
import { clock } from '../clock.js';
import { applyChange, getEntities } from '../db/entities.js';
import type { SyncCounts } from '../db/altegio-sync.js';
import { serviceDocOf, staffDocOf } from '../domain/altegio.js';
import type { EntityKind } from '../domain/entities.js';
import { ingest } from '../ingest.js';
import { logger } from '../observe.js';
import { webhookBody } from '../schemas/webhook.js';
import type { AltegioClient } from '../altegio/client.js';
import { AltegioNotFound } from '../altegio/errors.js';

/** docs/contract.md 8.2: Altegio's largest page seen in the wild that every integration uses. */
export const pageSize = 200;

/** A run stops here whatever Altegio says: 2 000 000 records is no salon. */
const maxPages = 10_000;

type Json = Record<string, unknown>;

export interface Stored {
  staff: number;
  services: number;
}

export interface PageRun {
  client: AltegioClient;
  companyId: number;
  query: Record<string, string | number>;
  firstPage: number;
  size?: number;
  counts: SyncCounts;
  stored: Stored;
  /** After each page is ingested: the next page to read, and whether this was the last. */
  onPage?: (next: number, last: boolean) => Promise<void>;
}

/** Reads pages from `firstPage` until a short one; returns how many pages it read. */
export async function ingestPages(run: PageRun): Promise<number> {
  const size = run.size ?? pageSize;
  const catalogue = new Catalogue(run.client, run.companyId, run.stored);
  let pages = 0;
  for (let page = run.firstPage; page < run.firstPage + maxPages; page++) {
    const { data } = await run.client.records(run.companyId, { ...run.query, count: size, page, with_deleted: 1 }, 'backfill');
    const rows = (Array.isArray(data) ? data : []).filter((row): row is Json => Boolean(row) && typeof row === 'object');
    await catalogue.complete(rows);
    for (const row of rows) run.counts[await ingestRow(run.companyId, row)]++;
    pages++;
    const last = rows.length < size;
    await run.onPage?.(page + 1, last);
    if (last) break;
  }
  return pages;
}

async function ingestRow(companyId: number, row: Json): Promise<keyof SyncCounts> {
  const event = {
    company_id: row.company_id ?? companyId,
    resource: 'record',
    resource_id: row.id,
    status: row.deleted === true || row.deleted === 1 ? 'delete' : 'update',
    data: row,
  };
  const parsed = webhookBody.safeParse(event);
  // Without its version a copy cannot be ordered against webhooks: the receipt time would make it win over newer ones.
  if (!parsed.success || !row.last_change_date || Number(event.company_id) !== companyId) {
    logger.warn('altegio record refused', {
      company_id: companyId,
      record_id: Number(row.id) || null,
      fields: parsed.success ? ['last_change_date'] : parsed.error.issues.map((i) => i.path.join('.')),
    });
    return 'refused';
  }
  return (await ingest(parsed.data)).applied ? 'applied' : 'unchanged';
}

/** The team members and services a page's records show, read once per run when the table lacks them. */
class Catalogue {
  private services: Json[] | undefined;

  constructor(
    private readonly client: AltegioClient,
    private readonly companyId: number,
    private readonly stored: Stored,
  ) {}

  async complete(rows: Json[]): Promise<void> {
    const staffIds = new Set(rows.map((r) => Number(r.staff_id)).filter((id) => Number.isInteger(id) && id > 0));
    const serviceIds = new Set(
      rows
        .flatMap((r) => (Array.isArray(r.services) ? r.services : []).map((s) => Number((s as Json)?.id)))
        .filter((id) => Number.isInteger(id) && id > 0),
    );
    const wanted: Array<[EntityKind, number]> = [
      ...[...staffIds].map((id) => ['staff', id] as [EntityKind, number]),
      ...[...serviceIds].map((id) => ['service', id] as [EntityKind, number]),
    ];
    if (!wanted.length) return;
    const have = await getEntities(wanted);
    for (const id of staffIds) if (!have.has(`staff:${id}`)) await this.storeStaff(id);
    const missing = [...serviceIds].filter((id) => !have.has(`service:${id}`));
    if (missing.length) await this.storeServices(missing);
  }

  private async storeStaff(id: number): Promise<void> {
    try {
      const { data } = await this.client.staff(this.companyId, id, 'backfill');
      if (
        (
          await applyChange({
            kind: 'staff',
            id,
            companyId: this.companyId,
            version: clock.now(),
            doc: staffDocOf({ ...(data as Json), id }),
          })
        ).applied
      )
        this.stored.staff++;
    } catch (error) {
      // A team member who left may be gone from Altegio: the record shows what it carries.
      if (!(error instanceof AltegioNotFound)) throw error;
    }
  }

  private async storeServices(ids: number[]): Promise<void> {
    this.services ??= ((await this.client.services(this.companyId, 'backfill')).data ?? []).filter(
      (s): s is Json => Boolean(s) && typeof s === 'object',
    );
    for (const service of this.services) {
      const id = Number(service.id);
      if (!ids.includes(id)) continue;
      if ((await applyChange({ kind: 'service', id, companyId: this.companyId, version: clock.now(), doc: serviceDocOf(service) })).applied)
        this.stored.services++;
    }
  }
}
