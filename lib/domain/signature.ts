// Two signatures, one per direction, each with its own key (docs/contract.md section 6).
// - In: webhook authentication under CABINET_WEBHOOK_SECRET: the Standard Webhooks headers (an
//   HMAC-SHA256 of `<id>.<timestamp>.<body>`, keyed with the secret's UTF-8 bytes: a delivery more
//   than 5 minutes from now is refused, and its id is accepted once, lib/db/webhook-ids.ts), or an
//   HMAC-SHA256 of the raw body alone in `X-Cabinet-Signature: sha256=<hex>` (replayable: nothing
//   dates it), or Altegio's own `?secret=` query parameter (Altegio cannot sign).
// - Out: events signed in the Standard Webhooks format under CABINET_EVENTS_SECRET, so a subscriber
//   verifies them with the `standardwebhooks` library and what it holds can never sign an inbound
//   webhook.
import { createHmac } from 'node:crypto';
import { hmacHex, safeEqual } from './secrets.js';

export const signatureHeader = 'x-cabinet-signature';

export function sign(secret: string, rawBody: string | Buffer): string {
  return `sha256=${hmacHex(secret, rawBody)}`;
}

/** The Standard Webhooks headers of a delivery, as sent (any of them present makes it one). */
export interface TimestampedSignature {
  id?: string;
  timestamp?: string;
  signature?: string;
}

export interface WebhookCredentials {
  signature?: string;
  querySecret?: string;
  timestamped?: TimestampedSignature;
}

/** How far a timestamped delivery may be from now, either way. */
export const webhookToleranceS = 300;

export interface WebhookPolicy {
  /** Now, in seconds: timestamped deliveries are checked against it. */
  nowS: number;
  /** Whether the body-only `X-Cabinet-Signature` is accepted (CABINET_WEBHOOK_SIGNATURES). */
  bodyOnly: boolean;
  /** Whether `?secret=` is accepted. */
  querySecret: boolean;
}

/** `v1,` and the base64 HMAC-SHA256 of `<id>.<timestamp>.<body>`, keyed with the secret's UTF-8 bytes. */
export function signTimestamped(secret: string, id: string, timestamp: string | number, rawBody: string | Buffer): string {
  return `v1,${createHmac('sha256', Buffer.from(secret, 'utf8')).update(`${id}.${timestamp}.`).update(rawBody).digest('base64')}`;
}

function timestampedAuthentic(secret: string, rawBody: Buffer, given: TimestampedSignature, nowS: number): boolean {
  const { id, timestamp, signature } = given;
  if (!id || id.length > 200 || !timestamp || !/^\d{1,12}$/.test(timestamp) || !signature) return false;
  if (Math.abs(nowS - Number(timestamp)) > webhookToleranceS) return false;
  const expected = signTimestamped(secret, id, timestamp, rawBody);
  // Space-separated, so a sender can sign with an old and a new secret while rotating.
  return signature
    .split(' ')
    .filter(Boolean)
    .some((one) => safeEqual(one, expected));
}

export function isAuthentic(secret: string | undefined, rawBody: Buffer, given: WebhookCredentials, policy?: WebhookPolicy): boolean {
  // No configured secret means nobody can be authentic: fail closed rather than accept everyone.
  if (!secret) return false;
  if (given.timestamped) return policy !== undefined && timestampedAuthentic(secret, rawBody, given.timestamped, policy.nowS);
  if (given.signature !== undefined)
    return (policy?.bodyOnly ?? true) && safeEqual(given.signature.trim().toLowerCase(), sign(secret, rawBody));
  if (given.querySecret !== undefined) return (policy?.querySecret ?? true) && safeEqual(given.querySecret, secret);
  return false;
}

const eventSecretPrefix = 'whsec_';
/** 192 bits, the least the Standard Webhooks guidance asks of a signing key. */
const minEventKeyBytes = 24;

/** The key bytes of a `whsec_<base64>` secret; throws (naming no part of it) when it is not one. */
export function eventKey(secret: string): Buffer {
  const encoded = secret.startsWith(eventSecretPrefix) ? secret.slice(eventSecretPrefix.length) : '';
  const key = Buffer.from(encoded, 'base64');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encoded) || key.length < minEventKeyBytes) {
    throw new Error(`an events secret must be "whsec_" and the base64 of at least ${minEventKeyBytes} random bytes`);
  }
  return key;
}

/**
 * Which secret signs the events of which subscriber. The value is a comma-separated list whose
 * items are either `whsec_…` (every subscriber without one of its own; at most one such item) or
 * `<subscriber URL>=whsec_…` (that subscriber only, the URL exactly as in CABINET_EVENTS_URL).
 */
export interface EventSecrets {
  fallback?: string;
  byUrl: Record<string, string>;
}

export function parseEventSecrets(value: string | undefined): EventSecrets {
  const parsed: EventSecrets = { byUrl: {} };
  for (const item of (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const at = item.lastIndexOf(`=${eventSecretPrefix}`);
    const [url, secret] = at < 0 ? [undefined, item] : [item.slice(0, at), item.slice(at + 1)];
    eventKey(secret);
    if (url === undefined) {
      if (parsed.fallback !== undefined) throw new Error('an events secret list may hold one secret without a URL, not several');
      parsed.fallback = secret;
    } else {
      if (!/^https?:\/\/\S+$/.test(url)) throw new Error('an events secret list item must be whsec_… or <http(s) URL>=whsec_…');
      parsed.byUrl[url] = secret;
    }
  }
  return parsed;
}

export function eventSecretFor(secrets: EventSecrets, url: string): string | undefined {
  return Object.hasOwn(secrets.byUrl, url) ? secrets.byUrl[url] : secrets.fallback;
}

/** `webhook-signature`: `v1,` and the base64 HMAC-SHA256 of `<id>.<timestamp>.<body>`. */
export function signEvent(secret: string, id: string, timestampS: number, body: string): string {
  return `v1,${createHmac('sha256', eventKey(secret)).update(`${id}.${timestampS}.${body}`).digest('base64')}`;
}
