// The event sweeper's own reads and writes (functions/retry-events.ts only, so that the stream's
// deliverer is granted none of them): events kept for subscribers that do not have them yet, the
// subscribers last seen, and the expiry of what no subscriber had within the retention.
import { GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { clock } from '../clock.js';
import { conditionHolds, db, tableName } from './client.js';
import { index, keys } from './keys.js';
import { eventOutbox, requeue } from './outbox.js';

/** Every event id on one GSI partition between two sort keys, page by page. */
async function allIdsOn(pk: string, from: string, to: string): Promise<string[]> {
  const ids: string[] = [];
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await db.send(
      new QueryCommand({
        TableName: tableName,
        IndexName: index.name,
        ExclusiveStartKey,
        ProjectionExpression: 'event_id',
        KeyConditionExpression: 'gsi1pk = :pk AND gsi1sk BETWEEN :from AND :to',
        ExpressionAttributeValues: { ':pk': pk, ':from': from, ':to': to },
      }),
    );
    ids.push(...(page.Items ?? []).map((item) => String(item.event_id)));
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return ids;
}

/** Puts an event of partition `from` back in line, if it still lacks one of `lacking` (conditional: no read first). */
function requeueLacking(id: string, from: string, lacking: string[]): Promise<boolean> {
  const values: Record<string, unknown> = { ':from': from };
  lacking.forEach((subscriber, i) => (values[`:s${i}`] = subscriber));
  const lacks = lacking.map((_, i) => `NOT contains(delivered_to, :s${i})`).join(' OR ');
  return requeue(eventOutbox, id, 'pending', { expression: `gsi1pk = :from AND (${lacks})`, values });
}

/**
 * Queues, for delivery now, what the current subscribers do not have: every event kept while there
 * was no subscriber, and (when a subscriber was added since the last sweep) every delivered event
 * it lacks; both within the retention (created at or after `cutoff`). Returns how many were queued.
 */
export async function catchUpSubscribers(current: string[], cutoff: number): Promise<{ queued: number; added: number }> {
  if (!current.length) {
    if ((await knownSubscribers())?.length !== 0) await rememberSubscribers([]);
    return { queued: 0, added: 0 };
  }
  const from = index.eventOrder(cutoff, '');
  const to = index.eventOrder(Number.MAX_SAFE_INTEGER, '~');
  let queued = 0;
  for (const id of await allIdsOn(index.eventsWaiting, from, to)) if (await requeueLacking(id, index.eventsWaiting, current)) queued++;
  const known = await knownSubscribers();
  const added = current.filter((subscriber) => !known?.includes(subscriber));
  if (added.length) {
    for (const id of await allIdsOn(index.eventsKept, from, to)) if (await requeueLacking(id, index.eventsKept, added)) queued++;
  }
  // Remembered only once everything is queued: a sweep cut short is simply done again.
  if (added.length || known?.length !== current.length) await rememberSubscribers(current);
  return { queued, added: added.length };
}

async function knownSubscribers(): Promise<string[] | null> {
  const { Item } = await db.send(new GetCommand({ TableName: tableName, Key: keys.eventSubscribers() }));
  return Item ? (Item.subscribers as string[]) : null;
}

async function rememberSubscribers(subscribers: string[]): Promise<void> {
  await db.send(new PutCommand({ TableName: tableName, Item: { ...keys.eventSubscribers(), type: 'event-subscribers', subscribers } }));
}

/** Events kept for a subscriber that never came, created before `cutoff`: their payload goes; returns how many. */
export async function expireWaiting(cutoff: number): Promise<number> {
  const now = clock.now();
  let expired = 0;
  for (const id of await allIdsOn(index.eventsWaiting, index.eventOrder(0, ''), index.eventOrder(cutoff, ''))) {
    const done = await conditionHolds(
      db.send(
        new UpdateCommand({
          TableName: tableName,
          Key: keys.event(id),
          ConditionExpression: 'gsi1pk = :waiting',
          UpdateExpression: 'SET #state = :expired, #ttl = :ttl REMOVE payload, gsi1pk, gsi1sk',
          ExpressionAttributeNames: { '#state': 'state', '#ttl': 'ttl' },
          ExpressionAttributeValues: {
            ':waiting': index.eventsWaiting,
            ':expired': 'expired',
            ':ttl': Math.ceil(now / 1000) + 7 * 24 * 3600,
          },
        }),
      ),
    );
    if (done) expired++;
  }
  return expired;
}
