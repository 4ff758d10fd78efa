// What one webhook delivery does (docs/contract.md section 6): apply the object's new state if it is
// newer than what is stored, give the sender the record's link hash, and when the client came
// (`visit_attendance` 1), mint the visit's review link and ask for a review (once, however often
// the record is delivered).
import { clock } from './clock.js';
import { config } from './config.js';
import { applyChange } from './db/entities.js';
import { listBusy, saveSchedule } from './db/schedules.js';
import { mintReviewToken } from './db/reviews.js';
import { claimWebhookId, releaseWebhookId } from './db/webhook-ids.js';
import { versionOf, type RecordDoc } from './domain/entities.js';
import { deriveRecordHash, hashClientOf, idOnlyRecordHash, legacyRecordHash, recordHashDigest } from './domain/record-hash.js';
import { randomToken } from './domain/secrets.js';
import { ErrorCode } from './domain/refusals.js';
import { reviewLink } from './links.js';
import { changeWithOwner, recheckLocation, settleWaitingRecords } from './owners.js';
import { ingesting } from './ports/ingesting.js';
import type { BatchItem, WebhookEvent } from './schemas/webhook.js';
import type { LocationMemo } from './sync/locations.js';
import { internalKey, legacyHashSecret } from './secret-store.js';

type ScheduleEvent = Extract<WebhookEvent, { resource: 'schedule'; status: 'create' | 'update' }>;

export interface IngestReply {
  resource: string;
  resource_id: number;
  applied: boolean;
  record_hash?: string;
}

/**
 * `locations`: what the delivery, when it is an array, learnt of its locations already.
 * `readVersionless`: the delivery came by Altegio's `?secret=` (replayable): connected, its
 * locations, team members and services without a version are read from Altegio, not taken from it.
 */
export async function ingest(sent: WebhookEvent, locations: LocationMemo = new Map(), readVersionless = false): Promise<IngestReply> {
  if (sent.resource === 'schedule')
    return sent.status === 'delete'
      ? { resource: 'schedule', resource_id: sent.resource_id, applied: false }
      : ingestSchedule(sent as ScheduleEvent);
  const connected = await ingesting();
  const read = readVersionless && connected ? await connected.readInsteadOfBody(sent) : undefined;
  // Connected to Altegio, a record's start is read from its local date in its location's zone
  // (docs/contract.md 8.6), and a location event without the cancel rules keeps the ones known.
  const event =
    read === undefined && connected ? await connected.placedInZone(await connected.withKeptRules(sent, locations), locations) : sent;
  const reply = { resource: event.resource === 'other' ? event.name : event.resource, resource_id: event.resource_id };
  // Connected: Altegio telling cabinet of cabinet's own write-back changes nothing.
  if (connected && (await connected.isOwnEcho(event))) return { ...reply, applied: false };
  const change = read === undefined ? await changeWithOwner(event, clock.now()) : read;
  if (!change) return { ...reply, applied: false };
  // Bound to the record's client: given to another, the record gets another link (lib/domain/record-hash.ts).
  const key = change.kind === 'record' ? await mintingKey() : undefined;
  const minted = key !== undefined ? deriveRecordHash(key, change.id, hashClientOf(change.doc as RecordDoc | null)) : undefined;
  const record = change.kind === 'record' ? (change.doc as RecordDoc | null) : null;
  const outcome = await applyChange(change, minted);
  // Listed under its team member's date, so free times are read with one Query (lib/free-times.ts).
  const start = record ? Date.parse(record.datetime) : NaN;
  if (outcome.applied && record?.staff_id && Number.isFinite(start)) {
    // The start's own date (its offset is the location's): the local `date` a sender writes may disagree.
    await listBusy(record.staff_id, record.datetime.slice(0, 10), {
      recordId: record.id,
      start,
      end: start + record.length * 1000,
      version: change.version,
    });
  }
  // Owners by the location's country: a waiting record, or a location that records wait for.
  if (outcome.applied) await recheckLocation(change);
  if (change.kind === 'company' && change.doc !== null) await settleWaitingRecords(change.id);
  // A duplicate of the visited state retries a mint that may have failed the first time.
  if (record?.visit_attendance === 1 && (outcome.applied || outcome.storedVersion === change.version)) {
    // 128 random bits, URL-safe: the link a messaging service sends the client.
    const token = randomToken(16);
    await mintReviewToken(
      record,
      token,
      change.owner?.phone ?? (record.client?.phone || null),
      config.reviewTokenTtlDays * 24 * 3600 * 1000,
      reviewLink(token),
    );
  }
  // Give the link hash back whenever the record's links use ours, so a retried delivery gets it too.
  const ours =
    key !== undefined && minted !== undefined && record !== null
      ? await ourHash(change.id, [minted, idOnlyRecordHash(key, change.id)], outcome.recordHashDigest)
      : undefined;
  return { ...reply, applied: outcome.applied, ...(ours ? { record_hash: ours } : {}) };
}

/** A team member's working dates (docs/contract.md section 9): each date replaced unless as new or newer. */
// A delete names no dates (it applies nothing): a date is cleared by pushing it with `is_working: 0`.
async function ingestSchedule(event: ScheduleEvent): Promise<IngestReply> {
  const written = await saveSchedule(
    event.company_id,
    event.data.staff_id,
    event.data.dates,
    versionOf(event.data.last_change_date, clock.now()),
  );
  return { resource: 'schedule', resource_id: event.resource_id, applied: written > 0 };
}

export interface RefusedReply {
  resource?: string;
  resource_id?: number;
  applied: false;
  errors: Array<{ code: typeof ErrorCode.invalidField; message: string }>;
}

/** An event of an array refused at validation: named as far as it could be, with its errors. */
export function refusedReply({ errors, ...which }: Extract<BatchItem, { refused: unknown }>['refused']): RefusedReply {
  return { ...which, applied: false, errors: errors.map((message) => ({ code: ErrorCode.invalidField, message })) };
}

/**
 * An array body (docs/contract.md 8.6): each event on its own, in the order sent, each as idempotent as a
 * single delivery. One that is refused refuses only itself. A failure of the table or of Altegio
 * stops the rest and reaches the sender as a 503: its retry repeats the events already applied,
 * which then change nothing.
 */
export async function ingestBatch(items: BatchItem[], readVersionless = false): Promise<Array<IngestReply | RefusedReply>> {
  const replies: Array<IngestReply | RefusedReply> = [];
  // A location Altegio refuses is asked for once per array, not once per event.
  const locations: LocationMemo = new Map();
  for (const item of items) {
    replies.push('event' in item ? await ingest(item.event, locations, readVersionless) : refusedReply(item.refused));
  }
  return replies;
}

/** A delivery under a webhook id applied once: a replay of the id applies nothing and is answered `replayed()`. */
export async function onceById<T>(id: string, apply: () => Promise<T>, replayed: () => T): Promise<T> {
  if (!(await claimWebhookId(id))) return replayed();
  try {
    return await apply();
  } catch (error) {
    // Not applied: the sender's retry, with the same id, must be.
    await releaseWebhookId(id).catch(() => undefined);
    throw error;
  }
}

async function mintingKey(): Promise<string> {
  const key = await internalKey();
  if (!key) throw new Error('CABINET_INTERNAL_KEY is not set; record hashes cannot be minted');
  return key;
}

/**
 * Ours: minted now for the record's client, minted from its id alone before links were bound to
 * clients (its digest is kept only while the record keeps that client), or (during a key
 * migration) minted before under the old webhook secret.
 */
async function ourHash(id: number, minted: string[], stored: string | undefined): Promise<string | undefined> {
  if (stored === undefined) return undefined;
  const found = minted.find((hash) => stored === recordHashDigest(hash));
  if (found !== undefined) return found;
  const legacySecret = await legacyHashSecret();
  const legacy = legacySecret ? legacyRecordHash(legacySecret, id) : undefined;
  return legacy !== undefined && stored === recordHashDigest(legacy) ? legacy : undefined;
}
