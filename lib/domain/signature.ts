// Webhook authentication (CONTRACT.md section 6): an HMAC-SHA256 of the raw body in
// `X-Cabinet-Signature: sha256=<hex>`, or Altegio's own `?secret=` query parameter.
import { hmacHex, safeEqual } from './secrets.js';

export const signatureHeader = 'x-cabinet-signature';

export function sign(secret: string, rawBody: string | Buffer): string {
  return `sha256=${hmacHex(secret, rawBody)}`;
}

export interface WebhookCredentials {
  signature?: string;
  querySecret?: string;
}

export function isAuthentic(secret: string | undefined, rawBody: Buffer, given: WebhookCredentials): boolean {
  // No configured secret means nobody can be authentic: fail closed rather than accept everyone.
  if (!secret) return false;
  if (given.signature !== undefined) return safeEqual(given.signature.trim().toLowerCase(), sign(secret, rawBody));
  if (given.querySecret !== undefined) return safeEqual(given.querySecret, secret);
  return false;
}
