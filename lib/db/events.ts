// The event outbox. An event is put in the same transaction as the change it tells of; its
// delivery then claims it with a lease (so two deliverers do not both send it), and records per
// subscriber what arrived. Events waiting for a retry, events that gave up, events kept while no
// subscriber exists and delivered events kept for subscribers added later (within the retention)
// are found through the GSI, never by a Scan.
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { clock } from '../clock.js';
import { randomHex } from '../domain/secrets.js';
import { conditionHolds, db, tableName } from './client.js';
import { index, keys } from './keys.js';
import { queuedIds } from './queue.js';

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

/** Grace before the sweeper tries an event the stream should already have delivered. */
const firstSweepAfterMs = 30_000;
const leaseMs = 60_000;

/** The outbox write to put in a change's transaction. Ids sort by time. */
export function eventPut(body: OutboundEvent) {
  const now = clock.now();
  const id = `${now.toString(36).padStart(10, '0')}${randomHex(6)}`;
  const due = now + firstSweepAfterMs;
  // Kept as the JSON text itself: a DynamoDB map would not keep the contract's field order.
  const payload = JSON.stringify({ company_id: body.company_id, resource: body.resource, resource_id: body.resource_id, status: body.status, data: body.data });
  const item = {
    ...keys.event(id), type: 'event', event_id: id, payload, state: 'pending', attempts: 0, delivered_to: [], created_at: now,
    gsi1pk: index.eventsDue, gsi1sk: index.eventOrder(due, id),
  };
  return { Put: { TableName: tableName, Item: item, ConditionExpression: 'attribute_not_exists(pk)' } };
}

/** Takes the event for delivery for a while; null when it is done, failed, or someone else has it. */
export async function claimEvent(id: string): Promise<StoredEvent | null> {
  const now = clock.now();
  let claimed: StoredEvent | null = null;
  await conditionHolds(
    db
      .send(
        new UpdateCommand({
          TableName: tableName, Key: keys.event(id), UpdateExpression: 'SET lease_until = :until',
          ConditionExpression: '#state IN (:pending, :retrying) AND (attribute_not_exists(lease_until) OR lease_until < :now)',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: { ':until': now + leaseMs, ':now': now, ':pending': 'pending', ':retrying': 'retrying' },
          ReturnValues: 'ALL_NEW',
        }),
      )
      .then(({ Attributes }) => (claimed = stored(Attributes))),
  );
  return claimed;
}

function stored(item: Record<string, unknown> | undefined): StoredEvent | null {
  return item ? ({ ...item, body: item.payload ? JSON.parse(String(item.payload)) : null } as StoredEvent) : null;
}

export type AttemptOutcome = { delivered: true } | { delivered: false; retryAt: number | null } | { waiting: true };

const dayMs = 86_400_000;

/** Where an attempt leaves the event: its state, and its place in the GSI. */
function placeAfter(event: StoredEvent, outcome: AttemptOutcome, now: number) {
  const byCreation = index.eventOrder(event.created_at, event.event_id);
  if ('waiting' in outcome) return { state: 'pending', place: { pk: index.eventsWaiting, sk: byCreation } };
  if (outcome.delivered) return { state: 'delivered', place: { pk: index.eventsKept, sk: byCreation } };
  if (outcome.retryAt === null) return { state: 'failed', place: { pk: index.eventsFailed, sk: index.eventOrder(now, event.event_id) } };
  return { state: 'retrying', place: { pk: index.eventsDue, sk: index.eventOrder(outcome.retryAt, event.event_id) } };
}

/**
 * Records an attempt and releases the lease: delivered, due again at `retryAt`, failed (null), or
 * waiting for a subscriber to exist (no attempt counted). A delivered event keeps its payload until
 * its retention ends (a subscriber added later gets it), then DynamoDB's TTL removes it.
 */
export async function recordAttempt(event: StoredEvent, deliveredTo: string[], outcome: AttemptOutcome, retentionDays: number): Promise<void> {
  const now = clock.now();
  const { state, place } = placeAfter(event, outcome, now);
  const attempts = 'waiting' in outcome ? event.attempts : event.attempts + 1;
  const values: Record<string, unknown> = { ':state': state, ':to': deliveredTo, ':attempts': attempts, ':now': now, ':g1': place.pk, ':g2': place.sk };
  let set = 'SET #state = :state, delivered_to = :to, attempts = :attempts, last_attempt_at = :now, gsi1pk = :g1, gsi1sk = :g2';
  const names: Record<string, string> = { '#state': 'state' };
  if (state === 'delivered') {
    set += ', #ttl = :ttl';
    names['#ttl'] = 'ttl';
    values[':ttl'] = Math.ceil(Math.max(event.created_at + retentionDays * dayMs, now + 7 * dayMs) / 1000);
  }
  await db.send(new UpdateCommand({ TableName: tableName, Key: keys.event(event.event_id), UpdateExpression: `${set} REMOVE lease_until`, ExpressionAttributeNames: names, ExpressionAttributeValues: values }));
}

/** Events whose next try is due, oldest due first. */
export function dueEventIds(limit: number): Promise<string[]> {
  return queuedIds(index.eventsDue, index.eventOrder(clock.now(), '~'), limit, 'event_id');
}

/** Events that gave up, oldest first. */
export function failedEventIds(limit: number): Promise<string[]> {
  return queuedIds(index.eventsFailed, '~', limit, 'event_id');
}

export async function getEvent(id: string): Promise<StoredEvent | null> {
  const { Item } = await db.send(new GetCommand({ TableName: tableName, Key: keys.event(id) }));
  return stored(Item);
}

/** Puts a failed event back in line, with its attempts counted afresh; false when it is not failed. */
export function requeueFailed(id: string): Promise<boolean> {
  const now = clock.now();
  return conditionHolds(
    db.send(
      new UpdateCommand({
        TableName: tableName, Key: keys.event(id), ConditionExpression: '#state = :failed',
        UpdateExpression: 'SET #state = :retrying, attempts = :zero, gsi1pk = :g1, gsi1sk = :g2',
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: { ':failed': 'failed', ':retrying': 'retrying', ':zero': 0, ':g1': index.eventsDue, ':g2': index.eventOrder(now, id) },
      }),
    ),
  );
}
