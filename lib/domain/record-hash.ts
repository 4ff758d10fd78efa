// A record's link secret. When the sender gives a record without a record_hash, the cabinet mints
// one by HMAC of the record id under a key derived from the internal key (CABINET_INTERNAL_KEY),
// which never leaves the service: the same record always gets the same hash, so a webhook retried
// after a lost response gets the link back again, and nothing but a digest of it has to be stored.
// Nothing a sender or subscriber holds (the webhook or events secret) computes a hash.
import { derivedKey, hmacHex, safeEqual, sha256Hex } from './secrets.js';

export function deriveRecordHash(internalKey: string, recordId: number): string {
  return hmacHex(derivedKey(internalKey, 'record-hash/v2'), String(recordId)).slice(0, 32);
}

/**
 * How hashes were minted before the internal key existed: under the webhook secret. Only to give a
 * re-delivered old record its link back (CABINET_LEGACY_HASH_SECRET, docs/operations.md); never
 * used to mint a new one.
 */
export function legacyRecordHash(oldWebhookSecret: string, recordId: number): string {
  return hmacHex(hmacHex(oldWebhookSecret, 'cabinet/record-hash/v1'), String(recordId)).slice(0, 32);
}

export function recordHashDigest(recordHash: string): string {
  return sha256Hex(recordHash);
}

/** True when `given` is the hash whose digest is stored; constant time in what matched. */
export function recordHashMatches(given: string, storedDigest: string | undefined): boolean {
  return storedDigest !== undefined && safeEqual(recordHashDigest(given), storedDigest);
}
