// A record's link secret. When the sender gives a record without a record_hash, the cabinet mints
// one by HMAC of the record id and its client under a key derived from the internal key
// (CABINET_INTERNAL_KEY), which never leaves the service: the same record of the same client always
// gets the same hash, so a webhook retried after a lost response gets the link back again, and
// nothing but a digest of it has to be stored. Nothing a sender or subscriber holds (the webhook or
// events secret) computes a hash.
//
// A link is bound to the client it was handed out for. The record item keeps, beside the hash's
// digest, `hash_client`: the client that digest is valid for (lib/db/entities.ts). A write that
// gives the record to another client replaces the digest (with the new client's mint, or none until
// one is minted), so the old link stops opening at once; the access check stays one constant-time
// comparison of digests. Digests stored before the binding (minted from the id alone, or given by a
// sender) have no `hash_client`: the first write after the upgrade binds them to the client the
// record had then, if it is the same client, and replaces them if not.
import { derivedKey, hmacHex, safeEqual, sha256Hex } from './secrets.js';

/**
 * The client a record's link is bound to: its client phone's digits, as the sender wrote it (''
 * without one). The digits, not the owner read with the location's country: a record gets its
 * owner only when its location arrives, and that must not change what its link is bound to.
 */
export function hashClientOf(doc: { client: { phone?: string | undefined } | null } | null | undefined): string {
  return String(doc?.client?.phone ?? '').replace(/\D/g, '');
}

export function deriveRecordHash(internalKey: string, recordId: number, client: string): string {
  return hmacHex(derivedKey(internalKey, 'record-hash/v3'), `${recordId}:${client}`).slice(0, 32);
}

/**
 * How hashes were minted before they were bound to the client: from the record id alone. Only to
 * give a re-delivered record minted so its link back (it opens while the record keeps its client);
 * never used to mint a new one.
 */
export function idOnlyRecordHash(internalKey: string, recordId: number): string {
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
