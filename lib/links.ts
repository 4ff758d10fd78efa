// The links cabinet hands out, as a customer opens them (docs/contract.md section 10): an appointment's
// page and a visit's review page, under CABINET_PUBLIC_URL. Events carry them (`data.links`), so a
// messaging service sends a link that works in a browser.
import { config } from './config.js';
import type { StoredEntity } from './db/entities.js';
import type { RecordDoc } from './domain/entities.js';
import { deriveRecordHash, hashClientOf, idOnlyRecordHash, recordHashMatches } from './domain/record-hash.js';
import { internalKey } from './secret-store.js';

export const managePath = (recordId: number, hash: string) => `/r/${recordId}/${encodeURIComponent(hash)}`;
export const reviewPath = (token: string) => `/review/${encodeURIComponent(token)}`;

export const manageLink = (recordId: number, hash: string) => `${config.publicUrl}${managePath(recordId, hash)}`;
export const reviewLink = (token: string) => `${config.publicUrl}${reviewPath(token)}`;

/**
 * The appointment's page link, when its hash is one cabinet minted (re-derived from the internal key
 * and checked against the stored digest: the hash itself is never stored). A hash the platform gave
 * cannot be known again, so its record's events carry no link: the platform has it.
 */
export async function manageLinkOf(stored: StoredEntity<RecordDoc>): Promise<string | undefined> {
  const key = await internalKey();
  if (!key) return undefined;
  const hash = [deriveRecordHash(key, stored.doc.id, hashClientOf(stored.doc)), idOnlyRecordHash(key, stored.doc.id)].find((h) =>
    recordHashMatches(h, stored.record_hash_digest),
  );
  return hash === undefined ? undefined : manageLink(stored.doc.id, hash);
}
