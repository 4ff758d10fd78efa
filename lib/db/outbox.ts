// The one outbox: what the service must send out (an event to its subscribers, a write-back
// command to Altegio) is an item written in the same transaction as the change it tells of, then
// taken through one lifecycle whatever it carries. An attempt claims it with a lease (a conditional
// write: two deliverers, or an inline attempt and the sweeper, never both send it); the attempt's
// outcome leaves it finished, due again at a time, or kept as failed; an operator's replay puts a
// failed one back in line and tries it at once. Items due and items failed sit under a partition of
// the GSI, ordered by when (never a Scan). What differs by kind (the key, the partitions, when an
// attempt is counted) is the `Outbox` below; what an item carries is its kind's own module
// (lib/db/events.ts, lib/db/altegio-commands.ts).
import { GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { clock } from '../clock.js';
import { conditionHolds, db, tableName } from './client.js';
import { index, keys, type Key } from './keys.js';

export interface Outbox {
  /** The item's `type` attribute. */
  type: string;
  /** The attribute that holds the item's id. */
  idAttribute: string;
  key: (id: string) => Key;
  /** The GSI partitions of items due for a (re)try and of items kept as failed. */
  due: string;
  failed: string;
  /**
   * Counted when claimed, a crash mid-attempt still counts as one whose outcome is unknown (a
   * command); counted when recorded, an attempt can end as no attempt at all (an event that waits
   * for its first subscriber).
   */
  countsOnClaim: boolean;
}

export const eventOutbox: Outbox = {
  type: 'event',
  idAttribute: 'event_id',
  key: keys.event,
  due: index.eventsDue,
  failed: index.eventsFailed,
  countsOnClaim: false,
};

export const commandOutbox: Outbox = {
  type: 'altegio-command',
  idAttribute: 'command_id',
  key: keys.altegioCommand,
  due: index.altegioCommandsDue,
  failed: index.altegioCommandsFailed,
  countsOnClaim: true,
};

/** Grace before the sweeper tries an item the stream or an inline attempt should already have sent. */
const firstSweepAfterMs = 30_000;
const leaseMs = 60_000;

/** A place on the GSI: a partition and the sort key that orders it. */
export interface Place {
  pk: string;
  sk: string;
}

/** Due at `atMs`. */
export function dueAt(box: Outbox, id: string, atMs: number): Place {
  return { pk: box.due, sk: index.eventOrder(atMs, id) };
}

/** Due after the first sweep's grace, counted from `now`: where a new item waits. */
export function firstDue(box: Outbox, id: string, now: number): Place {
  return dueAt(box, id, now + firstSweepAfterMs);
}

/** A new item, pending, no attempt yet, with what its kind carries. */
export function newItem(box: Outbox, id: string, carries: Record<string, unknown>, now = clock.now()) {
  const { pk, sk } = firstDue(box, id, now);
  return {
    ...box.key(id),
    type: box.type,
    [box.idAttribute]: id,
    ...carries,
    state: 'pending',
    attempts: 0,
    created_at: now,
    gsi1pk: pk,
    gsi1sk: sk,
  };
}

/** The write of a new item for its change's transaction: one per id, ever. */
export function newItemPut(box: Outbox, id: string, carries: Record<string, unknown>, now = clock.now()) {
  return { Put: { TableName: tableName, Item: newItem(box, id, carries, now), ConditionExpression: 'attribute_not_exists(pk)' } };
}

/** Takes the item for one attempt (a lease); null when it is finished, failed, or someone else has it. */
export async function claim(box: Outbox, id: string): Promise<Record<string, unknown> | null> {
  const now = clock.now();
  const counting = box.countsOnClaim ? { set: ', attempts = attempts + :one', values: { ':one': 1 } } : { set: '', values: {} };
  let claimed: Record<string, unknown> | null = null;
  await conditionHolds(
    db
      .send(
        new UpdateCommand({
          TableName: tableName,
          Key: box.key(id),
          UpdateExpression: `SET lease_until = :until${counting.set}`,
          ConditionExpression: '#state IN (:pending, :retrying) AND (attribute_not_exists(lease_until) OR lease_until < :now)',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: {
            ':until': now + leaseMs,
            ':now': now,
            ':pending': 'pending',
            ':retrying': 'retrying',
            ...counting.values,
          },
          ReturnValues: 'ALL_NEW',
        }),
      )
      .then(({ Attributes }) => (claimed = Attributes ?? null)),
  );
  return claimed;
}

/** Where an attempt leaves an item. */
export type Settled =
  /** Finished (`delivered`, `done`), or waiting for a subscriber (`pending`): at `place`, or out of the GSI (null). */
  { state: 'delivered' | 'done' | 'pending'; place: Place | null } | { state: 'retrying'; retryAt: number } | { state: 'failed' };

export interface SettleOptions {
  /** Attributes its kind sets, and removes, with the outcome. */
  set?: Record<string, unknown>;
  remove?: string[];
  /**
   * The `seq` the attempt worked on: an item changed meanwhile (its `seq` moved on) is not settled
   * by an attempt that sent what it held before; it goes back in line at once, and false is returned.
   */
  seq?: number;
}

function placeOf(box: Outbox, id: string, settled: Settled, now: number): Place | null {
  if (settled.state === 'retrying') return dueAt(box, id, settled.retryAt);
  if (settled.state === 'failed') return { pk: box.failed, sk: index.eventOrder(now, id) };
  return settled.place;
}

/** The update that records an outcome: state, when, place on the GSI, the kind's own attributes; the lease released. */
function settling(box: Outbox, id: string, settled: Settled, { set = {}, remove = [], seq }: SettleOptions, now: number) {
  const place = placeOf(box, id, settled, now);
  const names: Record<string, string> = { '#state': 'state' };
  const values: Record<string, unknown> = {
    ':state': settled.state,
    ':now': now,
    ...(place ? { ':g1': place.pk, ':g2': place.sk } : {}),
    ...(seq !== undefined ? { ':seq': seq } : {}),
  };
  const sets = ['#state = :state', 'last_attempt_at = :now', ...(place ? ['gsi1pk = :g1', 'gsi1sk = :g2'] : [])];
  const removes = ['lease_until', ...(place ? [] : ['gsi1pk', 'gsi1sk'])];
  Object.entries(set).forEach(([name, value], i) => {
    names[`#s${i}`] = name;
    values[`:s${i}`] = value;
    sets.push(`#s${i} = :s${i}`);
  });
  remove.forEach((name, i) => {
    names[`#r${i}`] = name;
    removes.push(`#r${i}`);
  });
  return {
    TableName: tableName,
    Key: box.key(id),
    UpdateExpression: `SET ${sets.join(', ')} REMOVE ${removes.join(', ')}`,
    ...(seq !== undefined ? { ConditionExpression: 'seq = :seq' } : {}),
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
  };
}

/** Records an attempt's outcome and releases the lease; false when the item changed meanwhile (`seq`). */
export async function settle(box: Outbox, id: string, settled: Settled, options: SettleOptions = {}): Promise<boolean> {
  const now = clock.now();
  const update = new UpdateCommand(settling(box, id, settled, options, now));
  if (options.seq === undefined) {
    await db.send(update);
    return true;
  }
  if (await conditionHolds(db.send(update))) return true;
  const { pk, sk } = dueAt(box, id, now);
  await db.send(
    new UpdateCommand({
      TableName: tableName,
      Key: box.key(id),
      UpdateExpression: 'SET #state = :pending, gsi1pk = :g1, gsi1sk = :g2 REMOVE lease_until',
      ExpressionAttributeNames: { '#state': 'state' },
      ExpressionAttributeValues: { ':pending': 'pending', ':g1': pk, ':g2': sk },
    }),
  );
  return false;
}

/**
 * Puts an item back in line, due now, its attempts counted afresh, if `condition` holds (by
 * default: it is failed); false when it does not. No read first: the condition decides.
 */
export function requeue(
  box: Outbox,
  id: string,
  state: 'pending' | 'retrying' = 'retrying',
  condition: { expression: string; values: Record<string, unknown> } = { expression: '#state = :failed', values: { ':failed': 'failed' } },
): Promise<boolean> {
  const { pk, sk } = dueAt(box, id, clock.now());
  return conditionHolds(
    db.send(
      new UpdateCommand({
        TableName: tableName,
        Key: box.key(id),
        ConditionExpression: condition.expression,
        UpdateExpression: 'SET #state = :to, attempts = :zero, gsi1pk = :g1, gsi1sk = :g2 REMOVE lease_until',
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: { ...condition.values, ':to': state, ':zero': 0, ':g1': pk, ':g2': sk },
      }),
    ),
  );
}

/** An operator's replay: a failed item back in line, then one attempt at once; null when it was not failed. */
export async function replay<T>(box: Outbox, id: string, attempt: (id: string) => Promise<T>): Promise<{ result: T } | null> {
  return (await requeue(box, id)) ? { result: await attempt(id) } : null;
}

/** Ids of the items queued under `pk` with a sort key up to `upTo`, first first. */
async function queuedIds(box: Outbox, pk: string, upTo: string, limit: number): Promise<string[]> {
  const { Items = [] } = await db.send(
    new QueryCommand({
      TableName: tableName,
      IndexName: index.name,
      Limit: limit,
      KeyConditionExpression: 'gsi1pk = :pk AND gsi1sk <= :upTo',
      ExpressionAttributeValues: { ':pk': pk, ':upTo': upTo },
    }),
  );
  return Items.map((item) => String(item[box.idAttribute]));
}

/** Items whose next try is due, oldest due first. */
export function dueIds(box: Outbox, limit: number): Promise<string[]> {
  return queuedIds(box, box.due, index.eventOrder(clock.now(), '~'), limit);
}

/** Items kept as failed, oldest first. */
export function failedIds(box: Outbox, limit: number): Promise<string[]> {
  return queuedIds(box, box.failed, '~', limit);
}

/** One item as it is now (a strongly consistent read: an operator looks right after an attempt). */
export async function getItem(box: Outbox, id: string): Promise<Record<string, unknown> | null> {
  const { Item } = await db.send(new GetCommand({ TableName: tableName, Key: box.key(id), ConsistentRead: true }));
  return Item ?? null;
}
