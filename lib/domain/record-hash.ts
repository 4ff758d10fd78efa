// A record's link secret. When the sender gives a record without a record_hash, the cabinet mints
// one by HMAC of the record id under a key derived from the webhook secret: the same record always
// gets the same hash, so a webhook retried after a lost response gets the link back again, and
// nothing but a digest of it has to be stored.
import { hmacHex, safeEqual, sha256Hex } from './secrets.js';

export function deriveRecordHash(webhookSecret: string, recordId: number): string {
  const key = hmacHex(webhookSecret, 'cabinet/record-hash/v1');
  return hmacHex(key, String(recordId)).slice(0, 32);
}

export function recordHashDigest(recordHash: string): string {
  return sha256Hex(recordHash);
}

/** True when `given` is the hash whose digest is stored; constant time in what matched. */
export function recordHashMatches(given: string, storedDigest: string | undefined): boolean {
  return storedDigest !== undefined && safeEqual(recordHashDigest(given), storedDigest);
}
