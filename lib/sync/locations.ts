// What backfill, reconcile and Altegio's own webhooks share in connected mode (docs/contract.md 8.2, 8.6):
// the location a record needs (stored, or fetched once when it is not, through the one connector),
// and a record's start placed by its local `date` in the location's zone, not by the offset Altegio
// wrote into `datetime` (it is often an hour off). A location stored here gets its waiting
// records' owners (lib/owners.ts), as after a webhook.
import { clock } from '../clock.js';
import { connector, listedLocation, readLocation as readFromAltegio } from '../altegio/connector.js';
import type { AltegioClient, Priority } from '../altegio/client.js';
import { AltegioError, AltegioNotFound } from '../altegio/errors.js';
import { markLocationUnreadable, unreadableLocation } from '../db/altegio-sync.js';
import { applyChange, getCompanyNow } from '../db/entities.js';
import { countryOfLocation } from '../domain/countries.js';
import { companyDocOf, serviceDocOf, staffDocOf, wallClockOf, zonedIso } from '../domain/altegio.js';
import type { Change, CompanyDoc } from '../domain/entities.js';
import { logger } from '../observe.js';
import { settleWaitingRecords } from '../owners.js';
import type { WebhookEvent } from '../schemas/webhook.js';

/** Errors that pass: a retry later can succeed. The rest need an operator, not a retry storm. */
export function isTransient(error: unknown): boolean {
  return error instanceof AltegioError && ['unreachable', 'throttled', 'busy'].includes(error.kind);
}

/**
 * A location as stored; when none is, fetched from Altegio (`GET /company/{id}` and its cancel
 * rules from `GET /companies?id=&my=1`) and stored, versioned by when it was read, so that any
 * later delivery of it wins. Its waiting records then get their owners, as after a webhook.
 */
export async function ensureLocation(client: AltegioClient, companyId: number, priority: Priority): Promise<CompanyDoc> {
  return (await readLocation(client, companyId, priority)).doc;
}

/** As ensureLocation; `stored` false when a newer delete kept what was read from being stored. */
async function readLocation(client: AltegioClient, companyId: number, priority: Priority): Promise<{ doc: CompanyDoc; stored: boolean }> {
  const stored = await getCompanyNow(companyId);
  if (stored) return { doc: stored, stored: true };
  const readAt = clock.now();
  const doc = await readFromAltegio(client, companyId, priority, countryOfLocation, true);
  await applyChange({ kind: 'company', id: companyId, companyId, version: readAt, doc });
  await settleWaitingRecords(companyId);
  const now = await getCompanyNow(companyId);
  return now ? { doc: now, stored: true } : { doc, stored: false };
}

/**
 * What one webhook delivery learnt of the locations it needed and does not have stored: the
 * location as read, or null when it cannot be had now. Without it, each of up to 100 events of an
 * array would ask Altegio again for a location it refuses (two requests each).
 */
export type LocationMemo = Map<number, CompanyDoc | null>;

/**
 * How long a location Altegio refused (not found, licence, rights, token), or one a delete stamped
 * ahead hides, is not asked for again by webhook deliveries. Reconcile (every 10 minutes) still
 * asks, so a location an operator fixed is stored by then at the latest.
 */
export const unreadableForMs = 5 * 60_000;

/** A location known by this delivery or, lately, by the table; undefined when Altegio may be asked. */
async function remembered(companyId: number, memo: LocationMemo): Promise<CompanyDoc | null | undefined> {
  if (memo.has(companyId)) return memo.get(companyId);
  const mark = await unreadableLocation(companyId);
  if (!mark) return undefined;
  memo.set(companyId, mark.doc);
  if (!mark.doc)
    logger.warn('altegio location refused lately, not asked again; record start kept as sent', {
      company_id: companyId,
      until: mark.until,
    });
  return mark.doc;
}

/** Altegio refused the location: remembered for this delivery and, for a while, in the table. */
async function refused(companyId: number, error: AltegioError, memo: LocationMemo): Promise<void> {
  memo.set(companyId, null);
  await markLocationUnreadable(companyId, unreadableForMs, error.kind);
}

const ruleFields = [
  'allow_delete_record',
  'allow_change_record',
  'allow_delete_record_delay_step',
  'allow_change_record_delay_step',
] as const;

/**
 * A location event of Altegio's that leaves the cancel rules out (they live in the online-booking
 * settings, which its company events are not known to carry) keeps the rules cabinet
 * has, or reads them from Altegio (`GET /companies?id=&my=1`) when it has none; otherwise the
 * update would turn cancelling off. Standalone, and with the rules in the event, it is as sent.
 */
export async function withKeptRules(event: WebhookEvent, memo: LocationMemo = new Map()): Promise<WebhookEvent> {
  const link = connector();
  if (!link || event.resource !== 'company' || event.status === 'delete' || !event.withoutRules) return event;
  let rules: Pick<CompanyDoc, (typeof ruleFields)[number]> | null = await getCompanyNow(event.company_id);
  // undefined: a configured location neither stored nor remembered, to be asked of Altegio now.
  const known = !rules && link.altegio.companyIds.includes(event.company_id) ? await remembered(event.company_id, memo) : null;
  if (known !== undefined) rules ??= known;
  else {
    try {
      const found = await listedLocation(link.client, event.company_id, 'read');
      const doc = found ? companyDocOf({ ...(found as object), id: event.company_id }, found) : null;
      // Asked once per delivery: the next event of the array finds the location stored, or this.
      if (doc) memo.set(event.company_id, doc);
      rules = doc;
    } catch (error) {
      if (!(error instanceof AltegioError) || isTransient(error)) throw error;
      await refused(event.company_id, error, memo);
      logger.warn('altegio cancel rules not readable; location stored as sent', { company_id: event.company_id, kind: error.kind });
    }
  }
  if (!rules) return event;
  return { ...event, data: { ...event.data, ...Object.fromEntries(ruleFields.map((field) => [field, rules[field]])) } };
}

/**
 * A record event of Altegio's with its start read from the local `date` in the location's zone.
 * A configured location that is not stored yet is fetched, once per delivery; when Altegio cannot
 * say (not found, refused), the start stays as sent, a warning says so, and the location is not
 * asked for again for `unreadableForMs`. A passing failure is thrown: the
 * sender gets a 503, and its retry (or the next reconcile) applies the event.
 */
export async function placedInZone(event: WebhookEvent, memo: LocationMemo = new Map()): Promise<WebhookEvent> {
  const link = connector();
  if (!link || event.resource !== 'record' || event.status === 'delete') return event;
  let location = await getCompanyNow(event.company_id);
  // undefined: a configured location neither stored nor remembered, to be asked of Altegio now.
  const known = !location && link.altegio.companyIds.includes(event.company_id) ? await remembered(event.company_id, memo) : null;
  if (known !== undefined) location ??= known;
  else {
    try {
      const read = await readLocation(link.client, event.company_id, 'read');
      location = read.doc;
      if (!read.stored) {
        // Hidden by a delete stamped ahead: reading it again would change nothing until then.
        memo.set(event.company_id, read.doc);
        await markLocationUnreadable(event.company_id, unreadableForMs, 'hidden', read.doc);
      }
    } catch (error) {
      if (!(error instanceof AltegioError) || isTransient(error)) throw error;
      await refused(event.company_id, error, memo);
      logger.warn('altegio location not readable; record start kept as sent', {
        company_id: event.company_id,
        kind: error.kind,
        not_asked_for_s: unreadableForMs / 1000,
      });
    }
  }
  const wall = wallClockOf(event.data.date || '') ?? wallClockOf(event.data.datetime);
  const datetime = location && wall ? zonedIso(wall, location.timezone_name) : null;
  if (!datetime || !wall) return event;
  return { ...event, data: { ...event.data, date: wall, datetime } };
}

/** A location, team member or service as Altegio has it now; null when it has none. */
async function readNow(client: AltegioClient, event: WebhookEvent): Promise<Change['doc'] | null> {
  const id = event.resource_id;
  if (event.resource === 'company') return readFromAltegio(client, id, 'read', countryOfLocation, true);
  if (event.resource === 'staff') return staffDocOf((await client.staff(event.company_id, id, 'read')).data);
  const { data } = await client.services(event.company_id, 'read');
  const found = (Array.isArray(data) ? data : []).find((s) => Number((s as { id?: unknown }).id) === id);
  return found ? serviceDocOf(found) : null;
}

/**
 * Connected: a location, team member or service of a configured location that Altegio's webhook
 * (`?secret=`, which cannot be signed, so can be replayed) pushes without a version is read again
 * from Altegio, through the budget, and stored as read: a replay of an old body then stores
 * Altegio's current state, never the old one. Undefined when the event is applied as sent; null
 * when Altegio has no such object (nothing is applied).
 */
export async function readInsteadOfBody(event: WebhookEvent): Promise<Change | null | undefined> {
  const link = connector();
  if (!link || event.status === 'delete' || !link.altegio.companyIds.includes(event.company_id)) return undefined;
  if ((event.resource !== 'company' && event.resource !== 'staff' && event.resource !== 'service') || event.data.last_change_date)
    return undefined;
  const readAt = clock.now();
  try {
    const doc = await readNow(link.client, event);
    return doc ? { kind: event.resource, id: event.resource_id, companyId: event.company_id, version: readAt, doc } : null;
  } catch (error) {
    if (error instanceof AltegioNotFound) return null;
    throw error;
  }
}
