// What one webhook delivery does (CONTRACT.md section 6): apply the object's new state if it is
// newer than what is stored, give the sender the record's link hash, and when the client came
// (`visit_attendance` 1), mint the visit's review link and ask for a review (once, however often
// the record is delivered).
import { clock } from './clock.js';
import { config } from './config.js';
import { applyChange } from './db/entities.js';
import { mintReviewToken } from './db/reviews.js';
import type { RecordDoc } from './domain/entities.js';
import { deriveRecordHash, recordHashDigest } from './domain/record-hash.js';
import { randomToken } from './domain/secrets.js';
import { changeWithOwner, recheckLocation, settleWaitingRecords } from './owners.js';
import type { WebhookEvent } from './schemas/webhook.js';

export interface IngestReply {
  resource: string;
  resource_id: number;
  applied: boolean;
  record_hash?: string;
}

export async function ingest(event: WebhookEvent, webhookSecret: string): Promise<IngestReply> {
  const reply = { resource: event.resource === 'other' ? event.name : event.resource, resource_id: event.resource_id };
  const change = await changeWithOwner(event, clock.now());
  if (!change) return { ...reply, applied: false };
  const minted = change.kind === 'record' ? deriveRecordHash(webhookSecret, change.id) : undefined;
  const outcome = await applyChange(change, minted);
  // Owners by the location's country: a waiting record, or a location that records wait for.
  if (outcome.applied) await recheckLocation(change);
  if (change.kind === 'company' && change.doc !== null) await settleWaitingRecords(change.id);
  const record = change.kind === 'record' ? (change.doc as RecordDoc | null) : null;
  // A duplicate of the visited state retries a mint that may have failed the first time.
  if (record?.visit_attendance === 1 && (outcome.applied || outcome.storedVersion === change.version)) {
    // 128 random bits, URL-safe: the link a messaging service sends the client.
    await mintReviewToken(record, randomToken(16), change.owner?.phone ?? (record.client?.phone || null), config.reviewTokenTtlDays * 24 * 3600 * 1000);
  }
  // Give the link hash back whenever the record's links use ours, so a retried delivery gets it too.
  const ours = minted !== undefined && record !== null && outcome.recordHashDigest === recordHashDigest(minted);
  return { ...reply, applied: outcome.applied, ...(ours ? { record_hash: minted } : {}) };
}
