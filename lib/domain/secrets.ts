// Secret handling in one place: digests for what we keep, constant-time comparison for what we check.
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export function sha256Hex(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}

export function hmacHex(key: string, value: string | Buffer): string {
  return createHmac('sha256', key).update(value).digest('hex');
}

/**
 * Compares two secrets without leaking, through timing, how much of them matched. Both sides are
 * hashed first so that the comparison runs on equal lengths and the length is not leaked either.
 */
export function safeEqual(a: string, b: string): boolean {
  const left = createHash('sha256').update(a, 'utf8').digest();
  const right = createHash('sha256').update(b, 'utf8').digest();
  return timingSafeEqual(left, right);
}

/** An unguessable URL-safe token of `bytes` random bytes. */
export function randomToken(bytes = 24): string {
  return randomBytes(bytes).toString('base64url');
}

/**
 * A key for one purpose, derived from the internal key (CABINET_INTERNAL_KEY), so that the one key
 * an operator keeps yields independent keys (record hashes, SMS code digests) that cannot stand in
 * for each other.
 */
export function derivedKey(master: string, label: string): string {
  return hmacHex(master, `cabinet/${label}`);
}

/** `bytes` random bytes as hex: Altegio's user tokens are 32 hex characters (16 bytes, 128 bits). */
export function randomHex(bytes: number): string {
  return randomBytes(bytes).toString('hex');
}
