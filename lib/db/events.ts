// Outbound events in the one outbox (lib/db/outbox.ts): what an event carries, and where an attempt
// leaves it. An event is put in the same transaction as the change it tells of, and records per
// subscriber what arrived. Besides the outbox's own partitions (due, failed), events kept while no
// subscriber exists and delivered events kept for subscribers added later (within the retention)
// sit under GSI partitions of their own, by creation.
import { clock } from '../clock.js';
import { randomHex } from '../domain/secrets.js';
import { index } from './keys.js';
import { claim, eventOutbox, failedIds, dueIds, getItem, newItemPut, replay, requeue, settle, type Settled } from './outbox.js';

export interface OutboundEvent {
  /** Null for changes that belong to no one location (a user's own profile). */
  company_id: number | null;
  resource: string;
  resource_id: number;
  status: 'create' | 'update' | 'delete';
  data: unknown;
}

export interface StoredEvent {
  event_id: string;
  /** The body exactly as it is sent and signed, fixed when the event is written; kept for the retention. */
  payload?: string;
  body: OutboundEvent | null;
  /** `pending` also while no subscriber exists (it waits for the first); `expired`: no one had it in time. */
  state: 'pending' | 'retrying' | 'delivered' | 'failed' | 'expired';
  attempts: number;
  /** Digests of the subscriber URLs that have it (URLs may carry credentials). */
  delivered_to: string[];
  created_at: number;
}

/** The outbox write to put in a change's transaction. Ids sort by time. */
export function eventPut(body: OutboundEvent) {
  const now = clock.now();
  const id = `${now.toString(36).padStart(10, '0')}${randomHex(6)}`;
  // Kept as the JSON text itself: a DynamoDB map would not keep the contract's field order.
  const payload = JSON.stringify({
    company_id: body.company_id,
    resource: body.resource,
    resource_id: body.resource_id,
    status: body.status,
    data: body.data,
  });
  return newItemPut(eventOutbox, id, { payload, delivered_to: [] }, now);
}

function stored(item: Record<string, unknown> | null): StoredEvent | null {
  return item ? ({ ...item, body: item.payload ? JSON.parse(String(item.payload)) : null } as StoredEvent) : null;
}

/** Takes the event for delivery for a while; null when it is done, failed, or someone else has it. */
export async function claimEvent(id: string): Promise<StoredEvent | null> {
  return stored(await claim(eventOutbox, id));
}

export type AttemptOutcome = { delivered: true } | { delivered: false; retryAt: number | null } | { waiting: true };

const dayMs = 86_400_000;

/** Where an attempt leaves the event: delivered and waiting ones are kept by creation. */
function settledAs(event: StoredEvent, outcome: AttemptOutcome): Settled {
  const byCreation = index.eventOrder(event.created_at, event.event_id);
  if ('waiting' in outcome) return { state: 'pending', place: { pk: index.eventsWaiting, sk: byCreation } };
  if (outcome.delivered) return { state: 'delivered', place: { pk: index.eventsKept, sk: byCreation } };
  return outcome.retryAt === null ? { state: 'failed' } : { state: 'retrying', retryAt: outcome.retryAt };
}

/**
 * Records an attempt and releases the lease: delivered, due again at `retryAt`, failed (null), or
 * waiting for a subscriber to exist (no attempt counted). A delivered event keeps its payload until
 * its retention ends (a subscriber added later gets it), then DynamoDB's TTL removes it.
 */
export async function recordAttempt(
  event: StoredEvent,
  deliveredTo: string[],
  outcome: AttemptOutcome,
  retentionDays: number,
): Promise<void> {
  const now = clock.now();
  const set: Record<string, unknown> = { delivered_to: deliveredTo, attempts: 'waiting' in outcome ? event.attempts : event.attempts + 1 };
  if ('delivered' in outcome && outcome.delivered) {
    set.ttl = Math.ceil(Math.max(event.created_at + retentionDays * dayMs, now + 7 * dayMs) / 1000);
  }
  await settle(eventOutbox, event.event_id, settledAs(event, outcome), { set });
}

/** Events whose next try is due, oldest due first. */
export function dueEventIds(limit: number): Promise<string[]> {
  return dueIds(eventOutbox, limit);
}

/** Events that gave up, oldest first. */
export function failedEventIds(limit: number): Promise<string[]> {
  return failedIds(eventOutbox, limit);
}

export async function getEvent(id: string): Promise<StoredEvent | null> {
  return stored(await getItem(eventOutbox, id));
}

/** Puts a failed event back in line, with its attempts counted afresh; false when it is not failed. */
export function requeueFailed(id: string): Promise<boolean> {
  return requeue(eventOutbox, id);
}

/** An operator's replay of a failed event: back in line, then `attempt` at once; null when it was not failed. */
export function replayFailedEvent<T>(id: string, attempt: (id: string) => Promise<T>): Promise<{ result: T } | null> {
  return replay(eventOutbox, id, attempt);
}
