// Delivers outbound events (docs/contract.md section 6): each subscriber of CABINET_EVENTS_URL gets the
// event body POSTed as JSON, signed in the Standard Webhooks format with CABINET_EVENTS_SECRET (its
// own secret where one is configured for it), never with the inbound webhook secret: `webhook-id`
// (the event's id, the same on every retry: deduplicate on it), `webhook-timestamp` (this attempt,
// so a consumer can refuse replays) and `webhook-signature`. Redirects are not followed: a 3xx is a
// failed attempt, so the signed body never goes where it was not configured to. At least once: a
// subscriber that fails or does not answer in time is tried again with backoff, by the sweeper,
// until the last attempt; then the event is kept as failed for `npm run events -- replay`. Never dropped, and never counted as
// delivered to nobody: while no subscriber exists it is kept (pending), and the sweeper hands what
// was kept, within CABINET_EVENTS_RETENTION_DAYS, to the first subscriber, and to any added later.
import fetch from 'node-fetch';
import { clock } from '../clock.js';
import { config } from '../config.js';
import { claimEvent, dueEventIds, recordAttempt, type StoredEvent } from '../db/events.js';
import { nextTryAt, type RetryPolicy } from '../domain/backoff.js';
import { sha256Hex } from '../domain/secrets.js';
import { eventSecretFor, parseEventSecrets, signEvent } from '../domain/signature.js';
import { eventsSecret } from '../secret-store.js';
import { count, logger } from '../observe.js';

export const eventIdHeader = 'webhook-id';

/** How a subscriber is remembered on an event: its URL may carry credentials, so only a digest. */
export function subscriberId(url: string): string {
  return sha256Hex(url).slice(0, 16);
}

/** Waits before the next try: the base, doubling, at most an hour; failed after the last attempt. Read when asked, as settings are. */
const retries = (): RetryPolicy => ({
  maxAttempts: config.eventsMaxAttempts,
  firstMs: config.eventsRetryBaseS * 1000,
  factor: 2,
  capMs: 3_600_000,
  jitter: false,
});

async function post(url: string, event: StoredEvent, secret: string): Promise<boolean> {
  const body = event.payload!;
  // The consumer checks the timestamp against its own clock: the real time, not the service's clock.
  const timestamp = Math.floor(Date.now() / 1000);
  const headers = {
    'content-type': 'application/json',
    [eventIdHeader]: event.event_id,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': signEvent(secret, event.event_id, timestamp, body),
    'x-cabinet-event-attempt': String(event.attempts + 1),
  };
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers,
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(config.eventsTimeoutMs),
    });
    await response.arrayBuffer().catch(() => undefined);
    return response.ok;
  } catch {
    return false;
  }
}

/** The secret of each subscriber; throws when one has none (a script checks this before it touches an event). */
export async function assertCanSign(subscribers: readonly string[] = config.eventsUrls): Promise<Map<string, string>> {
  const secrets = parseEventSecrets(await eventsSecret());
  const bySubscriber = new Map(subscribers.map((url) => [url, eventSecretFor(secrets, url)] as const));
  const unsigned = [...bySubscriber.values()].filter((secret) => !secret).length;
  if (unsigned) throw new Error(`CABINET_EVENTS_SECRET has no secret for ${unsigned} subscriber(s); events cannot be signed`);
  return bySubscriber as Map<string, string>;
}

/** One delivery attempt of one event to every subscriber that does not have it yet. */
export async function deliverEvent(id: string, subscribers: readonly string[] = config.eventsUrls): Promise<void> {
  const secrets = await assertCanSign(subscribers);
  const event = await claimEvent(id);
  if (!event) return;
  if (!subscribers.length) return recordAttempt(event, event.delivered_to, { waiting: true }, config.eventsRetentionDays);
  const pending = subscribers.filter((url) => !event.delivered_to.includes(subscriberId(url)));
  const arrived = await Promise.all(pending.map((url) => post(url, event, secrets.get(url)!)));
  const deliveredTo = [...event.delivered_to, ...pending.filter((_, i) => arrived[i]).map(subscriberId)];
  if (arrived.every(Boolean)) {
    if (pending.length) count('EventsDelivered');
    return recordAttempt(event, deliveredTo, { delivered: true }, config.eventsRetentionDays);
  }
  const attempts = event.attempts + 1;
  const retryAt = nextTryAt(retries(), attempts, clock.now());
  count('EventsFailed');
  logger.warn(retryAt ? 'event delivery failed; will retry' : 'event delivery failed; kept as failed', {
    event_id: id,
    attempts,
    subscribers_failed: arrived.filter((ok) => !ok).length,
  });
  return recordAttempt(event, deliveredTo, { delivered: false, retryAt }, config.eventsRetentionDays);
}

/** Tries every event that is due, a few at a time; returns how many were due. */
export async function deliverDue(limit = 100, subscribers: readonly string[] = config.eventsUrls): Promise<number> {
  const ids = await dueEventIds(limit);
  for (let i = 0; i < ids.length; i += 8) await Promise.all(ids.slice(i, i + 8).map((id) => deliverEvent(id, subscribers)));
  return ids.length;
}
