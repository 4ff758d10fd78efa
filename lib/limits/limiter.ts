// Rate limits (docs/contract.md section 5) as conditional atomic writes. All the limits of one request
// are charged in ONE transaction: either every counter moves or none does, so a request refused by
// one limit never uses up another, and N parallel requests get exactly the allowed number through.
import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { clock } from '../clock.js';
import { db, tableName } from '../db/client.js';
import { keys } from '../db/keys.js';
import { TooManyRequests } from '../errors.js';
import { logger } from '../observe.js';

export type Limit =
  /**
   * At most `max` per fixed window of `windowS` seconds. `shared`: one counter for the whole
   * deployment, which every request of a flood hits: charged first and alone (a conditional update
   * is serialised; transactions on one hot item conflict and would retry), so the excess of a
   * flood is refused at once.
   */
  | { kind: 'window'; scope: string; key: string; max: number; windowS: number; shared?: boolean }
  /** At most one per `seconds`, measured from the last one. */
  | { kind: 'cooldown'; scope: string; key: string; seconds: number };

type TransactItem = NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']>[number];

interface Planned {
  charge: TransactItem;
  refund: () => Promise<unknown>;
  /** Seconds until this limit lets a request through again, given the item that refused. */
  retryAfter: (old: Record<string, unknown> | undefined) => number;
}

function planWindow(limit: Extract<Limit, { kind: 'window' }>, now: number): Planned {
  const windowMs = limit.windowS * 1000;
  const window = Math.floor(now / windowMs);
  const Key = keys.limitWindow(limit.scope, limit.key, window);
  const end = (window + 1) * windowMs;
  return {
    charge: {
      Update: {
        TableName: tableName,
        Key,
        UpdateExpression: 'ADD #n :one SET #ttl = :ttl',
        ConditionExpression: 'attribute_not_exists(#n) OR #n < :max',
        ExpressionAttributeNames: { '#n': 'n', '#ttl': 'ttl' },
        ExpressionAttributeValues: { ':one': 1, ':max': limit.max, ':ttl': Math.ceil(end / 1000) + 60 },
      },
    },
    refund: () =>
      db.send(
        new UpdateCommand({
          TableName: tableName,
          Key,
          UpdateExpression: 'ADD #n :minus',
          ConditionExpression: '#n > :zero',
          ExpressionAttributeNames: { '#n': 'n' },
          ExpressionAttributeValues: { ':minus': -1, ':zero': 0 },
        }),
      ),
    retryAfter: () => (end - now) / 1000,
  };
}

function planCooldown(limit: Extract<Limit, { kind: 'cooldown' }>, now: number): Planned {
  const Key = keys.cooldown(limit.scope, limit.key);
  const until = now + limit.seconds * 1000;
  return {
    charge: {
      Update: {
        TableName: tableName,
        Key,
        UpdateExpression: 'SET #until = :until, #ttl = :ttl',
        // The expiry is compared here, not left to DynamoDB's TTL, which deletes only eventually.
        ConditionExpression: 'attribute_not_exists(#until) OR #until <= :now',
        ExpressionAttributeNames: { '#until': 'until', '#ttl': 'ttl' },
        ExpressionAttributeValues: { ':until': until, ':now': now, ':ttl': Math.ceil(until / 1000) + 60 },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      },
    },
    // Only our own cooldown is lifted, never one a later request has set since.
    refund: () =>
      db.send(
        new DeleteCommand({
          TableName: tableName,
          Key,
          ConditionExpression: '#until = :until',
          ExpressionAttributeNames: { '#until': 'until' },
          ExpressionAttributeValues: { ':until': until },
        }),
      ),
    retryAfter: (old) => (Number(old?.until ?? until) - now) / 1000,
  };
}

export interface Charge {
  /** Gives back what was charged, for a request that in the end did nothing (best effort). */
  refund: () => Promise<void>;
}

const conflictRetries = 5;

/** Charges every limit, or throws TooManyRequests (429 with Retry-After) and charges none. */
export async function chargeLimits(limits: Limit[]): Promise<Charge> {
  const shared = limits.filter((limit) => limit.kind === 'window' && limit.shared);
  const charged: Planned[] = [];
  try {
    for (const limit of shared) charged.push(await chargeAlone(limit));
    const rest = await chargeTogether(limits.filter((limit) => !shared.includes(limit)));
    return { refund: async () => void (await Promise.all([rest.refund(), refund(charged)])) };
  } catch (error) {
    if (charged.length) await refund(charged);
    throw error;
  }
}

function plan(limit: Limit, now: number): Planned {
  return limit.kind === 'window' ? planWindow(limit, now) : planCooldown(limit, now);
}

async function chargeAlone(limit: Limit): Promise<Planned> {
  const now = clock.now();
  const planned = plan(limit, now);
  const update = planned.charge.Update!;
  try {
    await db.send(new UpdateCommand({ ...update, ReturnValuesOnConditionCheckFailure: 'ALL_OLD' } as never));
    return planned;
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
    throw new TooManyRequests(planned.retryAfter(error.Item ? unmarshall(error.Item as never) : undefined), [limit.scope]);
  }
}

async function chargeTogether(limits: Limit[]): Promise<Charge> {
  if (!limits.length) return { refund: async () => undefined };
  for (let attempt = 0; ; attempt++) {
    const now = clock.now();
    const planned = limits.map((limit) => plan(limit, now));
    try {
      await db.send(new TransactWriteCommand({ TransactItems: planned.map((p) => p.charge) }));
      return { refund: () => refund(planned) };
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      const reasons = error.CancellationReasons ?? [];
      const refused = reasons.flatMap((reason, i) =>
        reason.Code === 'ConditionalCheckFailed'
          ? [planned[i]!.retryAfter(reason.Item ? unmarshall(reason.Item as never) : undefined)]
          : [],
      );
      const scopes = reasons.flatMap((reason, i) => (reason.Code === 'ConditionalCheckFailed' ? [limits[i]!.scope] : []));
      if (refused.length > 0) throw new TooManyRequests(Math.max(...refused), scopes);
      // Only conflicts with concurrent transactions on the same counters: try again shortly. Past
      // the retries the table is busy, not the caller over a limit: 503 (isTransient), not 429.
      if (attempt >= conflictRetries) throw error;
      await new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 20 * (attempt + 1)));
    }
  }
}

/** Each limit is refunded on its own: one that cannot be (its window has moved on) keeps the rest from failing. */
async function refund(planned: Planned[]): Promise<void> {
  const results = await Promise.allSettled(planned.map((p) => p.refund()));
  const failed = results.filter((r) => r.status === 'rejected').length;
  // Failing to refund over-counts, which errs on the safe side.
  if (failed > 0) logger.warn('limit refund incomplete', { failed });
}
