// Delivers outbound events (CONTRACT.md section 6): each subscriber of CABINET_EVENTS_URL gets the
// event body POSTed as JSON, signed like inbound webhooks (`X-Cabinet-Signature: sha256=<hmac>`),
// with `X-Cabinet-Event-Id` to deduplicate on. At least once: a subscriber that fails or does not
// answer in time is tried again with backoff, by the sweeper, until the last attempt; then the
// event is kept as failed for `npm run events -- replay`. Never dropped, and never counted as
// delivered to nobody: while no subscriber exists it is kept (pending), and the sweeper hands what
// was kept, within CABINET_EVENTS_RETENTION_DAYS, to the first subscriber, and to any added later.
import fetch from 'node-fetch';
import { clock } from '../clock.js';
import { config } from '../config.js';
import { claimEvent, dueEventIds, recordAttempt, type StoredEvent } from '../db/events.js';
import { sha256Hex } from '../domain/secrets.js';
import { sign } from '../domain/signature.js';
import { count, logger } from '../observe.js';

export const eventIdHeader = 'x-cabinet-event-id';

/** How a subscriber is remembered on an event: its URL may carry credentials, so only a digest. */
export function subscriberId(url: string): string {
  return sha256Hex(url).slice(0, 16);
}

/** Wait before the next try, after `attempts` tries: base, doubling, at most an hour. */
export function backoffMs(attempts: number): number {
  return Math.min(config.eventsRetryBaseS * 2 ** (attempts - 1), 3600) * 1000;
}

async function post(url: string, event: StoredEvent, secret: string): Promise<boolean> {
  const body = event.payload!;
  const headers = { 'content-type': 'application/json', 'x-cabinet-signature': sign(secret, body), [eventIdHeader]: event.event_id, 'x-cabinet-event-attempt': String(event.attempts + 1) };
  try {
    const response = await fetch(url, { method: 'POST', headers, body, signal: AbortSignal.timeout(config.eventsTimeoutMs) });
    await response.arrayBuffer().catch(() => undefined);
    return response.ok;
  } catch {
    return false;
  }
}

/** Throws when events cannot be signed (a script checks this before it touches an event). */
export function assertCanSign(): void {
  if (!config.webhookSecret) throw new Error('CABINET_WEBHOOK_SECRET is not set; events cannot be signed');
}

/** One delivery attempt of one event to every subscriber that does not have it yet. */
export async function deliverEvent(id: string, subscribers: readonly string[] = config.eventsUrls): Promise<void> {
  assertCanSign();
  const event = await claimEvent(id);
  if (!event) return;
  if (!subscribers.length) return recordAttempt(event, event.delivered_to, { waiting: true }, config.eventsRetentionDays);
  const pending = subscribers.filter((url) => !event.delivered_to.includes(subscriberId(url)));
  const arrived = await Promise.all(pending.map((url) => post(url, event, config.webhookSecret!)));
  const deliveredTo = [...event.delivered_to, ...pending.filter((_, i) => arrived[i]).map(subscriberId)];
  if (arrived.every(Boolean)) {
    if (pending.length) count('EventsDelivered');
    return recordAttempt(event, deliveredTo, { delivered: true }, config.eventsRetentionDays);
  }
  const attempts = event.attempts + 1;
  const retryAt = attempts >= config.eventsMaxAttempts ? null : clock.now() + backoffMs(attempts);
  count('EventsFailed');
  logger.warn(retryAt ? 'event delivery failed; will retry' : 'event delivery failed; kept as failed', { event_id: id, attempts, subscribers_failed: arrived.filter((ok) => !ok).length });
  return recordAttempt(event, deliveredTo, { delivered: false, retryAt }, config.eventsRetentionDays);
}

/** Tries every event that is due, a few at a time; returns how many were due. */
export async function deliverDue(limit = 100, subscribers: readonly string[] = config.eventsUrls): Promise<number> {
  const ids = await dueEventIds(limit);
  for (let i = 0; i < ids.length; i += 8) await Promise.all(ids.slice(i, i + 8).map((id) => deliverEvent(id, subscribers)));
  return ids.length;
}
