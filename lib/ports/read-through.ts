// Read-through (docs/contract.md 8.3): the connected implementation of the record and location ports
// (lib/ports/records.ts, lib/ports/locations.ts), chosen there once, and only when connected: what
// cabinet needs and does not hold fresh it reads from the salon's Altegio account through the one
// connector (lib/altegio/connector.ts), stores and serves. A location that is not configured is the
// table lookup it replaces, with no extra round trip.
//
// - A configured location: `GET /companies?id=&my=1` (the location with its cancel rules; also
//   `GET /company/{id}` when that entry lacks the title or zone), kept 15 min. A team member
//   (`GET /staff`) 1 h, a location's services 24 h. A signed-in user's appointments 60 s, per
//   location: the user's client card there (`clients/search` on the phone, kept only where the
//   card's phone is the user's), then `GET /records?client_id=`, each record stored as a webhook's
//   would be (versioned by `last_change_date`, never backwards). Opening one record reads just it.
// - Objects go into the same entity items webhooks write (lib/db/entities.ts), and the time they
//   were read into a marker beside them (lib/db/altegio-cache.ts). What a webhook, backfill or the
//   reconcile stored counts as read for its TTL from its version, and a user's appointments at a
//   location for 60 s after its backfill or reconcile: no call for what cabinet already holds.
// - Stale and Altegio fails: the cached copy is served. Not cached and Altegio fails: the error,
//   a 503 with Retry-After (lib/altegio/errors.ts), never a 404 that is not true. A team member
//   or the service catalogue that cannot be read is not an error: the record carries its own
//   snapshot of both. A location that cannot be read is: its title, address and rules would be wrong.
// - Access is unchanged (docs/contract.md 3.5): a record is shown to its own client (same phone) or through
//   its link hash; read-through only ever fetches the signed-in user's own appointments, by phone.
// - Reads take the `read` share of the budget. Concurrent reads of one thing in a process share
//   one request; after Altegio failed (down, throttling, tokens refused) this process does not ask
//   again for a few seconds (the connector's pause), so many customers cannot turn an outage into a retry storm.
import { clock } from '../clock.js';
import { config } from '../config.js';
import {
  putMarker,
  readMarkers,
  readSyncTimes,
  type CacheKind,
  type CacheMarker,
  type CachedService,
  type SyncTimes,
} from '../db/altegio-cache.js';
import { applyChange, getEntities, getEntity, wasRemoved, type StoredEntity } from '../db/entities.js';
import { findAccessibleRecord as findStoredRecord, listRecordsOfPhone } from '../db/records.js';
import { AltegioShapeError, recordChangeOf, serviceDocOf, staffDocOf } from '../domain/altegio.js';
import { countryOfLocation } from '../domain/countries.js';
import {
  regionOf,
  sameClient,
  type CompanyDoc,
  type EntityKind,
  type RecordDoc,
  type ServiceDoc,
  type StaffDoc,
} from '../domain/entities.js';
import { normalizePhone } from '../domain/phone.js';
import { smsCountryOfLocation } from '../domain/sms-phone.js';
import { withReviews, type ReviewTally } from '../domain/ratings.js';
import type { RecordParts } from '../domain/record-view.js';
import type { User } from '../domain/users.js';
import { logger } from '../observe.js';
import { settleWaitingRecords } from '../owners.js';
import type { Ask } from '../altegio/client.js';
import { configured, guarded, linked, readLocation as readFromAltegio, resetConnector, shared } from '../altegio/connector.js';
import { AltegioError, AltegioNotFound, AltegioUnreachable } from '../altegio/errors.js';
import { wholeRecord, type LocationReads, type PartNeeds, type RecordReads } from './types.js';

/** How long what was read stays fresh (docs/contract.md 8.3). */
export const cacheTtlMs: Record<CacheKind, number> = {
  company: 15 * 60_000,
  'company-sms': 15 * 60_000,
  staff: 3_600_000,
  services: 86_400_000,
  'user-records': 60_000,
};

/** A customer is waiting: two attempts at most, and 2.5 s of waiting for budget and retries together. */
const reading: Ask = { priority: 'read', attempts: 2, timeoutMs: 3000, maxWaitMs: 2500 };

/** How far back and ahead a user's appointments are read: one year each way. */
const historyDays = 365;
const recordsPage = 200;
const recordPagesPerCard = 5;
const storeAtOnce = 25;

function client() {
  return linked().client;
}

/** For tests and the bench: forget the pause, the client and what was kept for the SMS functions (the configuration stays). */
export function resetReadThrough(): void {
  codeLocations.clear();
  resetConnector();
}

function withinTtl(at: number, kind: CacheKind): boolean {
  const age = clock.now() - at;
  return age >= 0 && age < cacheTtlMs[kind];
}

function fresh(marker: CacheMarker | undefined, kind: CacheKind, version: number | undefined): boolean {
  if (!marker || !withinTtl(Number(marker.fetched_at), kind)) return false;
  if (marker.absent) return version === undefined;
  return marker.version === undefined || marker.version === version;
}

/**
 * Whether what the table holds counts as read: read here within its TTL, or written within it by
 * anything else that had it from Altegio (a webhook, backfill, the reconcile, write-back). A stored
 * object's version is when it was read, or when Altegio changed it (a webhook's `last_change_date`):
 * never later than when cabinet learned it, so it is never served as fresher than it is.
 */
function heldFresh(marker: CacheMarker | undefined, kind: CacheKind, stored: { version: number } | null | undefined): boolean {
  return fresh(marker, kind, stored?.version) || (stored != null && withinTtl(Number(stored.version), kind));
}

/**
 * A location's appointments are all in the table, as of the returned time: a backfill of it
 * finished (so everything from its window on came in) and then either that backfill or the
 * reconcile, whichever is later, brought in Altegio's changes up to then.
 */
function syncedAt(times: SyncTimes | undefined): number | undefined {
  if (times?.backfilledAt === undefined) return undefined;
  return Math.max(times.backfilledAt, times.reconciledTo ?? 0);
}

/** What was read, or on an Altegio failure the cached copy; with none, the failure (a 503) unless `optional`. */
async function through<T>(
  cached: T | null,
  isFresh: boolean,
  read: () => Promise<T | null>,
  what: string,
  optional = false,
): Promise<T | null> {
  if (isFresh) return cached;
  try {
    return await read();
  } catch (error) {
    if (!(error instanceof AltegioError)) throw error;
    if (cached !== null || optional) {
      logger.warn('altegio read failed; serving what is cached', { what, kind: error.kind, cached: cached !== null });
      return cached;
    }
    logger.warn('altegio read failed; nothing cached', { what, kind: error.kind, detail: error.detail });
    throw error;
  }
}

/** Altegio sent something that cannot be stored: for the customer it is an upstream failure. */
function shapeFailure(error: unknown, what: string): never {
  if (error instanceof AltegioShapeError) throw new AltegioUnreachable(`${what}: ${error.message}`, 200);
  throw error;
}

// ---- reading from Altegio, and storing what was read ---------------------------------------------

/** A location as Altegio has it now, its country told by `countryOf`; null (and so cached) when Altegio has none. */
async function readLocationDoc(companyId: number, countryOf: (doc: CompanyDoc) => string | null): Promise<CompanyDoc | null> {
  const at = clock.now();
  try {
    return await readFromAltegio(client(), companyId, reading, countryOf);
  } catch (error) {
    if (!(error instanceof AltegioNotFound)) shapeFailure(error, `location ${companyId}`);
    await putMarker({ kind: 'company', id: String(companyId), fetched_at: at, absent: true });
    return null;
  }
}

async function readLocation(companyId: number): Promise<StoredEntity<CompanyDoc> | null> {
  const at = clock.now();
  const doc = await readLocationDoc(companyId, countryOfLocation);
  if (!doc) return null;
  const outcome = await applyChange({ kind: 'company', id: companyId, companyId, version: at, doc });
  await putMarker({
    kind: 'company',
    id: String(companyId),
    fetched_at: at,
    version: outcome.applied ? at : (outcome.storedVersion ?? at),
  });
  if (!outcome.applied) return getEntity<CompanyDoc>('company', companyId);
  // Records that waited for this location's country to know their client get their owners now.
  await settleWaitingRecords(companyId);
  return { doc, version: at };
}

async function readStaff(companyId: number, staffId: number): Promise<StaffDoc | null> {
  const at = clock.now();
  let doc: StaffDoc;
  try {
    doc = staffDocOf((await client().staff(companyId, staffId, reading)).data);
  } catch (error) {
    if (!(error instanceof AltegioNotFound)) shapeFailure(error, `team member ${staffId}`);
    await putMarker({ kind: 'staff', id: String(staffId), fetched_at: at, absent: true });
    return null;
  }
  const outcome = await applyChange({ kind: 'staff', id: staffId, companyId, version: at, doc });
  await putMarker({ kind: 'staff', id: String(staffId), fetched_at: at, version: outcome.applied ? at : (outcome.storedVersion ?? at) });
  return doc;
}

/** A service's length for each of its team members, as Altegio lists them (`staff[].seance_length`). */
function lengthsOf(service: unknown): Record<string, number> {
  const staff = (service as { staff?: unknown } | null)?.staff;
  const lengths: Record<string, number> = {};
  for (const entry of Array.isArray(staff) ? staff : []) {
    const id = Number((entry as { id?: unknown } | null)?.id);
    const length = Number.isInteger(id) && id > 0 ? serviceDocOf(service, id).seance_length : null;
    if (length !== null) lengths[String(id)] = length;
  }
  return lengths;
}

async function readServices(companyId: number): Promise<CachedService[]> {
  const at = clock.now();
  const { data } = await client().services(companyId, reading);
  const services = (Array.isArray(data) ? data : []).flatMap((service): CachedService[] => {
    try {
      return [{ ...serviceDocOf(service), staff_lengths: lengthsOf(service) }];
    } catch {
      return []; // a service without an id cannot be shown; the others can
    }
  });
  await putMarker({ kind: 'services', id: String(companyId), fetched_at: at, services });
  return services;
}

/**
 * Stores a record read from Altegio as a webhook's delivery would be. No link hash is minted here:
 * these reads serve the record's own signed-in client, and a read path holds no secret (a webhook
 * or backfill of the record mints it, as for any record).
 */
async function storeRecord(raw: unknown, location: CompanyDoc) {
  const change = recordChangeOf(raw, location, regionOf(location, config.defaultCountry));
  const outcome = await applyChange(change);
  return { change, applied: outcome.applied };
}

/**
 * A phone's appointments at one location: its client cards there (by phone), then their records.
 * Then the records the table lists under the phone there that this read did not bring (given to
 * another client): each is read on its own and stored as Altegio has it, so a record that left the
 * card leaves the list. Only when the read was whole: a card with more pages than
 * are read, or a record outside the years read, may still be the phone's.
 */
async function readUserRecordsAt(phone: string, companyId: number): Promise<void> {
  const at = clock.now();
  const day = (offsetDays: number) => new Date(at + offsetDays * 86_400_000).toISOString().slice(0, 10);
  // The location first: its zone places the records in time, its country reads their phones.
  const [location, cards] = await Promise.all([
    lookupCompany(companyId),
    guarded(() => client().searchClients(companyId, phone.replace(/\D/g, ''), reading)),
  ]);
  if (location) {
    const region = regionOf(location.doc, config.defaultCountry);
    // quick_search matches parts of numbers too: only a card with the user's own phone is theirs.
    const mine = (Array.isArray(cards.data) ? cards.data : []).filter((card) => {
      const given = (card as { phone?: unknown } | null)?.phone;
      return typeof given === 'string' && normalizePhone(given, region) === phone;
    });
    const read = new Set<number>();
    let whole = true;
    for (const card of mine) {
      const clientId = Number((card as { id?: unknown }).id);
      if (!Number.isInteger(clientId) || clientId <= 0) continue;
      for (let page = 1; page <= recordPagesPerCard; page++) {
        const query = {
          client_id: clientId,
          with_deleted: 1,
          start_date: day(-historyDays),
          end_date: day(historyDays),
          count: recordsPage,
          page,
        };
        const { data } = await guarded(() => client().records(companyId, query, reading));
        const rows = Array.isArray(data) ? data : [];
        for (const raw of rows) read.add(Number((raw as { id?: unknown } | null)?.id));
        // A page's records are independent writes: a few at a time, not one after another.
        for (let i = 0; i < rows.length; i += storeAtOnce) {
          await Promise.all(rows.slice(i, i + storeAtOnce).map((raw) => storeRecord(raw, location.doc).catch(skipUnstorable(companyId))));
        }
        if (rows.length < recordsPage) break;
        if (page === recordPagesPerCard) whole = false;
      }
    }
    if (whole) await recheckLeftCard(phone, location.doc, read, [day(-historyDays), day(historyDays)]);
  }
  await putMarker({ kind: 'user-records', id: `${phone}#${companyId}`, fetched_at: at });
}

function skipUnstorable(companyId: number) {
  return (error: unknown) => {
    if (!(error instanceof AltegioShapeError)) throw error;
    logger.warn('altegio record skipped: cannot be stored', { companyId, detail: error.message });
  };
}

/** The records listed under `phone` at the location, in the years read, that the read did not bring: each read again. */
async function recheckLeftCard(phone: string, location: CompanyDoc, read: Set<number>, [from, to]: [string, string]): Promise<void> {
  const listed = await listRecordsOfPhone(phone, { page: 1, count: recordsPage, companyId: location.id });
  const left = listed.filter((doc) => !read.has(doc.id) && doc.date.slice(0, 10) >= from && doc.date.slice(0, 10) <= to);
  for (const doc of left) {
    try {
      await storeRecord((await guarded(() => client().record(location.id, doc.id, reading))).data, location).catch(
        skipUnstorable(location.id),
      );
    } catch (error) {
      // Unknown to Altegio: nothing to store from its word (as when a user opens it); kept as it is.
      if (!(error instanceof AltegioNotFound)) throw error;
    }
  }
}

// ---- the lookups the read paths use --------------------------------------------------------------

/** A location as the table has it, or in connected mode (a configured one) from Altegio when not fresh. */
export async function lookupCompany(companyId: number): Promise<StoredEntity<CompanyDoc> | null> {
  if (!configured(companyId)) return getEntity<CompanyDoc>('company', companyId);
  const [stored, markers] = await Promise.all([getEntity<CompanyDoc>('company', companyId), readMarkers([['company', companyId]])]);
  const isFresh = heldFresh(markers.get(`company:${companyId}`), 'company', stored);
  return through(stored, isFresh, () => shared(`company:${companyId}`, () => readLocation(companyId)), `location ${companyId}`);
}

/**
 * What this process read from Altegio for the SMS functions, for its TTL: a flood of code requests
 * (anyone with a partner token can send them) costs one call per location per TTL, not one each.
 */
const codeLocations = new Map<number, { at: number; value: StoredEntity<CompanyDoc> | null }>();

function keptForCodes(companyId: number): { value: StoredEntity<CompanyDoc> | null } | undefined {
  const kept = codeLocations.get(companyId);
  return kept && withinTtl(kept.at, 'company-sms') ? kept : undefined;
}

function keepForCodes(companyId: number, at: number, doc: CompanyDoc | null | undefined): StoredEntity<CompanyDoc> | null {
  const value = doc ? { doc, version: at } : null;
  codeLocations.set(companyId, { at, value });
  return value;
}

async function readLocationToSendCode(companyId: number): Promise<StoredEntity<CompanyDoc> | null> {
  // A request that found nothing stored while another one's read was under way: that read stands.
  const kept = keptForCodes(companyId);
  if (kept) return kept.value;
  const at = clock.now();
  const doc = await readLocationDoc(companyId, smsCountryOfLocation);
  await putMarker({ kind: 'company-sms', id: String(companyId), fetched_at: at, ...(doc ? { doc } : { absent: true }) });
  return keepForCodes(companyId, at, doc);
}

/**
 * lookupCompany for the functions that send SMS codes (`book_code`, `phone_confirmation`): what is
 * read from Altegio is not stored as the location's entity (that maps its waiting records' phones,
 * and its country is told here with the `mobile` set these functions carry for the codes: with
 * neither, they carry no second set of libphonenumber's metadata), but kept for the location's
 * TTL in a marker of its own (`company-sms`) for every process, and in this one: concurrent reads
 * share one request, and later ones none.
 */
export async function lookupCompanyToSendCode(companyId: number): Promise<StoredEntity<CompanyDoc> | null> {
  if (!configured(companyId)) return getEntity<CompanyDoc>('company', companyId);
  const kept = keptForCodes(companyId);
  if (kept) return kept.value;
  const [stored, markers] = await Promise.all([
    getEntity<CompanyDoc>('company', companyId),
    readMarkers([
      ['company', companyId],
      ['company-sms', companyId],
    ]),
  ]);
  if (heldFresh(markers.get(`company:${companyId}`), 'company', stored)) return stored;
  const read = markers.get(`company-sms:${companyId}`);
  if (read && withinTtl(Number(read.fetched_at), 'company-sms')) return keepForCodes(companyId, Number(read.fetched_at), read.doc);
  return through(stored, false, () => shared(`company-doc:${companyId}`, () => readLocationToSendCode(companyId)), `location ${companyId}`);
}

interface AppointmentsState {
  marker: CacheMarker | undefined;
  /** Read within 60 s, here or by a sync of the whole location. */
  fresh: boolean;
  /** The table holds the location's appointments (a finished backfill) even if this phone was never read. */
  held: boolean;
}

/** How current the table's copy of a user's appointments is, per location. */
async function appointmentsState(user: User, companyIds: readonly number[]): Promise<Map<number, AppointmentsState>> {
  const id = (companyId: number) => `${user.phone}#${companyId}`;
  const [markers, syncs] = await Promise.all([
    readMarkers(companyIds.map((companyId) => ['user-records', id(companyId)])),
    readSyncTimes(companyIds),
  ]);
  return new Map(
    companyIds.map((companyId) => {
      const marker = markers.get(`user-records:${id(companyId)}`);
      const synced = syncedAt(syncs.get(companyId));
      const isFresh = fresh(marker, 'user-records', undefined) || (synced !== undefined && withinTtl(synced, 'user-records'));
      return [companyId, { marker, fresh: isFresh, held: synced !== undefined }];
    }),
  );
}

/**
 * Makes the table hold the signed-in user's appointments in the configured locations, read within
 * the last 60 s, location by location: what one location's read achieved stays done when another's
 * fails, so customers retrying under a full budget each get further, and none is starved. A
 * location backfilled and reconciled within the minute counts as read. On an Altegio failure an
 * earlier read is served, or the table's copy of a backfilled location; with neither, the failure (a 503).
 */
export async function refreshUserRecords(user: User, only?: readonly number[]): Promise<void> {
  const companyIds = only ?? linked().altegio.companyIds;
  const states = await appointmentsState(user, companyIds);
  const outcomes = await Promise.allSettled(
    companyIds.map((companyId) => {
      const { marker, fresh: isFresh, held } = states.get(companyId)!;
      const cached = marker ?? (held ? ({} as CacheMarker) : null);
      return through(
        cached,
        isFresh,
        async () => {
          await shared(`user-records:${user.phone}#${companyId}`, () => readUserRecordsAt(user.phone, companyId));
          return cached;
        },
        `appointments of a user at ${companyId}`,
      );
    }),
  );
  const failed = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
  if (failed) throw failed.reason;
}

/**
 * One record read from Altegio (`GET /record/{company_id}/{record_id}`): true when it is the user's
 * own (its client's phone is theirs, as the BOLA rule compares it). It is stored when it is theirs,
 * or when it refreshes the copy the user could already open (`held`: a record moved to another
 * client leaves their list); a probe for someone else's record stores nothing. False when Altegio
 * has no such record there, or it is someone else's: both lead to the same answer.
 */
async function readOwnRecord(recordId: number, companyId: number, user: User, held: boolean): Promise<boolean> {
  let raw: unknown;
  try {
    raw = (await shared(`record:${companyId}:${recordId}`, () => client().record(companyId, recordId, reading))).data;
  } catch (error) {
    if (error instanceof AltegioNotFound) return false;
    throw error;
  }
  const location = await lookupCompany(companyId);
  if (!location) return false;
  try {
    const change = recordChangeOf(raw, location.doc, regionOf(location.doc, config.defaultCountry));
    const own = change.doc !== null && change.owner?.phone === user.phone;
    if (own || held) await applyChange(change);
    return own;
  } catch (error) {
    return shapeFailure(error, `record ${recordId}`);
  }
}

/**
 * `lib/db/records.ts` findAccessibleRecord, with the signed-in user's appointments read through
 * when the table's are not current: first the record itself (one call: its location is known when
 * the table has the record, else each configured location is asked), then, when Altegio shows no
 * record of the user's by that id, the user's appointments (which also bounds what probing ids
 * costs: after it, a minute of 404s without asking Altegio). A non-owner's record and a missing one
 * take the same path to the same 404.
 */
export async function findAccessibleRecord(recordId: string, hash: string, user: User | null): Promise<StoredEntity<RecordDoc> | null> {
  if (!user || !/^\d{1,15}$/.test(recordId) || hash.length > 128) return findStoredRecord(recordId, hash, user);
  const stored = await findStoredRecord(recordId, hash, user);
  const where = stored ? [stored.doc.company_id].filter(configured) : linked().altegio.companyIds;
  const states = await appointmentsState(user, where);
  // A sync of the location vouches for records the table has, not for one it lacks: a user never
  // read may have appointments from before the backfill's window.
  const stale = where.filter((companyId) => {
    const state = states.get(companyId)!;
    return !state.fresh || (!stored && !state.marker);
  });
  if (!stale.length) return stored;
  let failure: AltegioError | undefined;
  const keep = (error: unknown) => {
    if (!(error instanceof AltegioError)) throw error;
    failure ??= error;
    return false;
  };
  const found = await Promise.all(stale.map((companyId) => readOwnRecord(Number(recordId), companyId, user, stored !== null).catch(keep)));
  if (found.some(Boolean)) return findStoredRecord(recordId, hash, user);
  // What is cached is served; a record that may exist is not a 404 while Altegio cannot be asked.
  if (failure) {
    if (stored) return stored;
    // Removed by Altegio's own delete: cabinet holds that, and answers as it does with Altegio up.
    if (await wasRemoved('record', Number(recordId))) return null;
    throw failure;
  }
  // Altegio holds no record of the user's by this id there: the answer stands whatever the list read does.
  await refreshUserRecords(user, stale).catch((error: unknown) => {
    if (!(error instanceof AltegioError)) throw error;
  });
  return findStoredRecord(recordId, hash, user);
}

/**
 * Whether Altegio's fresh copy of a stored record (`record`, read from `raw`) names another client
 * than the stored copy. Then it is stored as a webhook's delivery would be: the record leaves the
 * former client's list, and the link handed out for them stops opening (lib/db/entities.ts).
 */
export async function movedToAnotherClient(stored: StoredEntity<RecordDoc>, fresh: { record: RecordDoc; raw: unknown }): Promise<boolean> {
  const location = await getEntity<CompanyDoc>('company', stored.doc.company_id);
  let change;
  try {
    change = recordChangeOf(fresh.raw, location?.doc ?? null, regionOf(location?.doc ?? null, config.defaultCountry));
  } catch (error) {
    if (!(error instanceof AltegioShapeError)) throw error;
    return !sameClient(stored, { doc: fresh.record });
  }
  if (change.doc === null || sameClient(stored, { doc: change.doc as RecordDoc, ...(change.owner ? { owner: change.owner } : {}) }))
    return false;
  await applyChange(change);
  return true;
}

function tallyOf(item: StoredEntity | undefined): ReviewTally {
  return (item ?? {}) as ReviewTally;
}

/** `lib/db/records.ts` loadRecordParts, with configured locations' parts read through. */
export async function loadRecordParts(records: RecordDoc[], needs: PartNeeds = wholeRecord): Promise<RecordParts[]> {
  const wanted: Array<[EntityKind, number]> = [];
  const markersWanted: Array<[CacheKind, number]> = [];
  for (const record of records) {
    wanted.push(['company', record.company_id]);
    if (record.staff_id) wanted.push(['staff', record.staff_id]);
    for (const line of record.services) wanted.push(['service', line.id]);
    if (!configured(record.company_id)) continue;
    markersWanted.push(['company', record.company_id], ['services', record.company_id]);
    if (record.staff_id) markersWanted.push(['staff', record.staff_id]);
  }
  const [entities, markers] = await Promise.all([
    wanted.length ? getEntities(wanted) : new Map<string, StoredEntity>(),
    readMarkers(markersWanted),
  ]);

  const companies = new Map<number, Promise<CompanyDoc | null>>();
  const staff = new Map<number, Promise<StaffDoc | null>>();
  const catalogues = new Map<number, Promise<CachedService[] | null>>();
  for (const record of records) {
    const cid = record.company_id;
    const ours = configured(cid);
    if (!companies.has(cid)) {
      const stored = entities.get(`company:${cid}`) as StoredEntity<CompanyDoc> | undefined;
      companies.set(
        cid,
        !ours
          ? Promise.resolve(stored?.doc ?? null)
          : through(
              stored?.doc ?? null,
              heldFresh(markers.get(`company:${cid}`), 'company', stored),
              async () => (await shared(`company:${cid}`, () => readLocation(cid)))?.doc ?? null,
              `location ${cid}`,
            ),
      );
    }
    if (record.staff_id && !staff.has(record.staff_id)) {
      const sid = record.staff_id;
      const stored = entities.get(`staff:${sid}`) as StoredEntity<StaffDoc> | undefined;
      const cached = stored ? withReviews(stored.doc, tallyOf(stored)) : null;
      const isFresh = !ours || !needs.staff || heldFresh(markers.get(`staff:${sid}`), 'staff', stored);
      staff.set(
        sid,
        through(
          cached,
          isFresh,
          async () => {
            const read = await shared(`staff:${sid}`, () => readStaff(cid, sid));
            return read ? withReviews(read, tallyOf(stored)) : null;
          },
          `team member ${sid}`,
          true,
        ),
      );
    }
    if (ours && !catalogues.has(cid)) {
      const marker = markers.get(`services:${cid}`);
      // Backfill and webhooks store services one by one: when each of the location's records' services is held fresh, no list is read.
      const lines = records.filter((r) => r.company_id === cid).flatMap((r) => r.services);
      const held = lines.length > 0 && lines.every((line) => heldFresh(undefined, 'services', entities.get(`service:${line.id}`)));
      // Without `needs.services` a catalogue is not refreshed, but one never read is read: else the
      // price ranges and lengths shown would be each line's cost and the record's length.
      const known = marker !== undefined || (lines.length > 0 && lines.every((line) => entities.has(`service:${line.id}`)));
      const isFresh = held || fresh(marker, 'services', undefined) || (!needs.services && known);
      catalogues.set(
        cid,
        through(marker?.services ?? null, isFresh, () => shared(`services:${cid}`, () => readServices(cid)), `services of ${cid}`, true),
      );
    }
  }
  return Promise.all(
    records.map(async (record) => {
      const catalogue = (await catalogues.get(record.company_id)) ?? null;
      const fetchedAt = Number(markers.get(`services:${record.company_id}`)?.fetched_at ?? 0);
      const services = new Map<number, ServiceDoc>();
      for (const line of record.services) {
        const pushed = entities.get(`service:${line.id}`) as StoredEntity<ServiceDoc> | undefined;
        const listed = catalogue?.find((s) => s.id === line.id);
        // A webhook newer than the list's read wins; else the list, which is Altegio's as of its read.
        const chosen: ServiceDoc | undefined =
          pushed && (!listed || pushed.version > fetchedAt) ? pushed.doc : listed && serviceFor(listed, record.staff_id);
        if (chosen) services.set(line.id, chosen);
      }
      return {
        company: await companies.get(record.company_id)!,
        staff: record.staff_id ? await staff.get(record.staff_id)! : null,
        services,
      };
    }),
  );
}

function serviceFor({ staff_lengths, ...service }: CachedService, staffId: number | null): ServiceDoc {
  const length = staffId ? staff_lengths?.[String(staffId)] : undefined;
  return { ...service, seance_length: length ?? service.seance_length };
}

/** A review form's location and team member, read through like a record's. */
export async function withAltegioParts<C extends { record: RecordDoc; company: CompanyDoc | null; staff: StaffDoc | null }>(
  context: C | null,
): Promise<C | null> {
  if (!context || !configured(context.record.company_id)) return context;
  const [parts] = await loadRecordParts([context.record], { staff: true, services: false });
  return { ...context, company: parts!.company, staff: parts!.staff ?? context.staff };
}

export const readThroughRecords: RecordReads = {
  findAccessible: findAccessibleRecord,
  listOfUser: async (user, page) => {
    await refreshUserRecords(user);
    return listRecordsOfPhone(user.phone, page);
  },
  partsOf: loadRecordParts,
  withFormParts: withAltegioParts,
};

export const readThroughLocations: LocationReads = { find: lookupCompany };

export const readThroughCodeLocations: LocationReads = { find: lookupCompanyToSendCode };
