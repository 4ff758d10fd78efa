// Where each location's backfill and reconcile are (docs/contract.md 8.2), one item each per location:
// the backfill's cursor (its date window and the next page), so an interrupted run continues; the
// reconcile's watermark (the time up to which Altegio's changes were read), which a conditional
// write never moves backwards, even when two runs overlap. And the lease that lets one run at a
// time work on a location: taken by a conditional write that only succeeds when no other run holds
// it or its expiry has passed, so a run that crashed blocks the location only until then. And the
// locations not to ask Altegio for again for a while, so that webhook deliveries for one it
// refuses do not each cost two requests.
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { clock } from '../clock.js';
import type { CompanyDoc } from '../domain/entities.js';
import { conditionHolds, db, tableName } from './client.js';
import { keys } from './keys.js';

export interface SyncCounts {
  applied: number;
  unchanged: number;
  refused: number;
}

export interface BackfillCursor {
  start_date: string;
  end_date: string;
  /** The next page to read. */
  page: number;
  /** The window was read to its last page. */
  done: boolean;
  started_at: number;
  finished_at?: number;
}

export interface ReconcileMark extends SyncCounts {
  /** Changes made before this instant were read (less the overlap of the next run). */
  last_at: number;
  /** When that run ended. */
  ran_at: number;
}

export async function getBackfillCursor(companyId: number): Promise<BackfillCursor | null> {
  const { Item } = await db.send(
    new GetCommand({ TableName: tableName, Key: keys.altegioSync(companyId, 'backfill'), ConsistentRead: true }),
  );
  return Item ? (Item.cursor as BackfillCursor) : null;
}

export async function saveBackfillCursor(companyId: number, cursor: BackfillCursor): Promise<void> {
  await db.send(new PutCommand({ TableName: tableName, Item: { ...keys.altegioSync(companyId, 'backfill'), cursor } }));
}

export async function getReconcileMark(companyId: number): Promise<ReconcileMark | null> {
  const { Item } = await db.send(
    new GetCommand({ TableName: tableName, Key: keys.altegioSync(companyId, 'reconcile'), ConsistentRead: true }),
  );
  return Item ? (Item.mark as ReconcileMark) : null;
}

/** False when a run that started later has already moved the watermark past this one. */
export function saveReconcileMark(companyId: number, mark: ReconcileMark): Promise<boolean> {
  return conditionHolds(
    db.send(
      new UpdateCommand({
        TableName: tableName,
        Key: keys.altegioSync(companyId, 'reconcile'),
        UpdateExpression: 'SET #m = :m, #l = :l',
        ConditionExpression: 'attribute_not_exists(#l) OR #l <= :l',
        ExpressionAttributeNames: { '#m': 'mark', '#l': 'last_at' },
        ExpressionAttributeValues: { ':m': mark, ':l': mark.last_at },
      }),
    ),
  );
}

export type SyncRun = 'backfill' | 'reconcile';

export interface SyncLease {
  run: SyncRun;
  /** This run's own id: only it renews or gives back its lease. */
  holder: string;
  since: number;
  expires_at: number;
}

/** A day after its expiry the item goes by TTL; the condition, not the TTL, decides. */
const ttlOf = (expiresAt: number) => Math.ceil(expiresAt / 1000) + 24 * 3600;

/** Takes the location's lease, or says which run holds it (and until when). */
export async function takeSyncLease(
  companyId: number,
  lease: SyncLease,
  now: number,
): Promise<{ taken: true } | { taken: false; held: SyncLease }> {
  try {
    await db.send(
      new PutCommand({
        TableName: tableName,
        Item: { ...keys.altegioSyncLease(companyId), ...lease, ttl: ttlOf(lease.expires_at) },
        ConditionExpression: 'attribute_not_exists(#e) OR #e <= :now OR #h = :h',
        ExpressionAttributeNames: { '#e': 'expires_at', '#h': 'holder' },
        ExpressionAttributeValues: { ':now': now, ':h': lease.holder },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
    );
    return { taken: true };
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
    const old = error.Item ? unmarshall(error.Item) : {};
    return { taken: false, held: { run: old.run, holder: old.holder, since: Number(old.since), expires_at: Number(old.expires_at) } };
  }
}

/** Moves the expiry on; false when the lease is no longer this run's (it expired and another took it). */
export function renewSyncLease(companyId: number, holder: string, expiresAt: number): Promise<boolean> {
  return conditionHolds(
    db.send(
      new UpdateCommand({
        TableName: tableName,
        Key: keys.altegioSyncLease(companyId),
        UpdateExpression: 'SET #e = :e, #ttl = :ttl',
        ConditionExpression: '#h = :h',
        ExpressionAttributeNames: { '#e': 'expires_at', '#h': 'holder', '#ttl': 'ttl' },
        ExpressionAttributeValues: { ':e': expiresAt, ':h': holder, ':ttl': ttlOf(expiresAt) },
      }),
    ),
  );
}

/** Gives the lease back, if it is still this run's. */
export async function releaseSyncLease(companyId: number, holder: string): Promise<void> {
  await conditionHolds(
    db.send(
      new DeleteCommand({
        TableName: tableName,
        Key: keys.altegioSyncLease(companyId),
        ConditionExpression: '#h = :h',
        ExpressionAttributeNames: { '#h': 'holder' },
        ExpressionAttributeValues: { ':h': holder },
      }),
    ),
  );
}

/** The location's lease as stored, expired or not (for `status`). */
export async function getSyncLease(companyId: number): Promise<SyncLease | null> {
  const { Item } = await db.send(new GetCommand({ TableName: tableName, Key: keys.altegioSyncLease(companyId), ConsistentRead: true }));
  return Item ? { run: Item.run, holder: Item.holder, since: Number(Item.since), expires_at: Number(Item.expires_at) } : null;
}

/**
 * A location not to be read from Altegio now: until when, and what was read of it when a newer
 * delete hid it (null when Altegio refused it); null when it may be read.
 */
export async function unreadableLocation(companyId: number): Promise<{ until: number; doc: CompanyDoc | null } | null> {
  const { Item } = await db.send(new GetCommand({ TableName: tableName, Key: keys.altegioUnreadable(companyId) }));
  const until = Number(Item?.until);
  return until > clock.now() ? { until, doc: (Item?.doc as CompanyDoc | undefined) ?? null } : null;
}

/** `why`: the Altegio error's kind, or `hidden` (read as `doc`, but a newer delete keeps it from being stored). */
export async function markLocationUnreadable(companyId: number, forMs: number, why: string, doc?: CompanyDoc): Promise<void> {
  const until = clock.now() + forMs;
  const item = {
    ...keys.altegioUnreadable(companyId),
    type: 'altegio-unreadable',
    until,
    why,
    ttl: Math.ceil(until / 1000) + 3600,
    ...(doc ? { doc } : {}),
  };
  await db.send(new PutCommand({ TableName: tableName, Item: item }));
}
