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
