// Where each location's backfill and reconcile are (CONTRACT 8.2), one item each per location:
// the backfill's cursor (its date window and the next page), so an interrupted run continues; the
// reconcile's watermark (the time up to which Altegio's changes were read), which a conditional
// write never moves backwards, even when two runs overlap. And the locations not to ask Altegio for
// again for a while, so that webhook deliveries for one it refuses do not each cost two requests.
import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
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
  const { Item } = await db.send(new GetCommand({ TableName: tableName, Key: keys.altegioSync(companyId, 'backfill'), ConsistentRead: true }));
  return Item ? (Item.cursor as BackfillCursor) : null;
}

export async function saveBackfillCursor(companyId: number, cursor: BackfillCursor): Promise<void> {
  await db.send(new PutCommand({ TableName: tableName, Item: { ...keys.altegioSync(companyId, 'backfill'), cursor } }));
}

export async function getReconcileMark(companyId: number): Promise<ReconcileMark | null> {
  const { Item } = await db.send(new GetCommand({ TableName: tableName, Key: keys.altegioSync(companyId, 'reconcile'), ConsistentRead: true }));
  return Item ? (Item.mark as ReconcileMark) : null;
}

/** False when a run that started later has already moved the watermark past this one. */
export function saveReconcileMark(companyId: number, mark: ReconcileMark): Promise<boolean> {
  return conditionHolds(
    db.send(
      new UpdateCommand({
        TableName: tableName, Key: keys.altegioSync(companyId, 'reconcile'),
        UpdateExpression: 'SET #m = :m, #l = :l', ConditionExpression: 'attribute_not_exists(#l) OR #l <= :l',
        ExpressionAttributeNames: { '#m': 'mark', '#l': 'last_at' }, ExpressionAttributeValues: { ':m': mark, ':l': mark.last_at },
      }),
    ),
  );
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
  const item = { ...keys.altegioUnreadable(companyId), type: 'altegio-unreadable', until, why, ttl: Math.ceil(until / 1000) + 3600, ...(doc ? { doc } : {}) };
  await db.send(new PutCommand({ TableName: tableName, Item: item }));
}
