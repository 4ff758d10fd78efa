// When read-through (docs/contract.md 8.3) last read something from Altegio: one marker item per location,
// team member, location's service list and client phone, beside the objects themselves (which are
// the same entity items webhooks write, versioned the same way). A marker holds when it was read
// and the version it wrote, so a webhook that changed the object since makes it stale, and the
// next read takes it from Altegio again. A location's service list is kept in its marker whole:
// one item, not one write per service on a customer's read. Markers sit in the GSI by kind and
// read time, so `status` counts them and finds the oldest without a Scan; they expire by TTL a
// week after their read (a day for a phone's appointments), long after they went stale.
import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { CompanyDoc, ServiceDoc } from '../domain/entities.js';
import { batchGet } from './batch.js';
import { db, tableName } from './client.js';
import { index, keys, type Key } from './keys.js';

// `company-sms`: a location as the SMS functions read it (its country told by the `mobile` metadata
// they carry), kept whole in its marker and apart from the location's entity item (see
// lib/ports/read-through.ts lookupCompanyToSendCode).
export type CacheKind = 'company' | 'company-sms' | 'staff' | 'services' | 'user-records';
export const cacheKinds: CacheKind[] = ['company', 'staff', 'services', 'user-records', 'company-sms'];

export interface CachedService extends ServiceDoc {
  /** A service's length per team member (Altegio's `staff[].seance_length`). */
  staff_lengths?: Record<string, number>;
}

export interface CacheMarker {
  kind: CacheKind;
  id: string;
  fetched_at: number;
  /** The version the read wrote (or found newer) on the entity item; absent for lists. */
  version?: number;
  /** Altegio answered 404: there is no such object, and that is what is cached. */
  absent?: boolean;
  services?: CachedService[];
  /** `company-sms`: the location read. */
  doc?: CompanyDoc;
}

const keepS: Record<CacheKind, number> = {
  company: 7 * 86_400,
  'company-sms': 86_400,
  staff: 7 * 86_400,
  services: 7 * 86_400,
  'user-records': 86_400,
};

export function markerKey(kind: CacheKind, id: number | string): Key {
  return keys.altegioCache(kind, String(id));
}

export async function readMarkers(wanted: Array<[CacheKind, number | string]>): Promise<Map<string, CacheMarker>> {
  const unique = new Map(wanted.map(([kind, id]) => [`${kind}:${id}`, markerKey(kind, id)]));
  const found = new Map<string, CacheMarker>();
  if (!unique.size) return found;
  for (const item of await batchGet([...unique.values()])) {
    const marker = item as unknown as CacheMarker;
    found.set(`${marker.kind}:${marker.id}`, marker);
  }
  return found;
}

export async function putMarker(marker: CacheMarker): Promise<void> {
  const id = String(marker.id);
  await db.send(
    new PutCommand({
      TableName: tableName,
      Item: {
        ...markerKey(marker.kind, id),
        ...marker,
        id,
        gsi1pk: index.altegioCache(marker.kind),
        gsi1sk: index.cacheOrder(marker.fetched_at, id),
        ttl: Math.ceil(marker.fetched_at / 1000) + keepS[marker.kind],
      },
    }),
  );
}

export interface CacheSummary {
  kind: CacheKind;
  count: number;
  /** When the least recently read one was read (ms); null when none is cached. */
  oldestAt: number | null;
}

/** How many of each kind are cached and the oldest read of each: two queries a kind. */
export async function cacheSummary(): Promise<CacheSummary[]> {
  return Promise.all(
    cacheKinds.map(async (kind) => {
      const values = { ':g': index.altegioCache(kind) };
      let count = 0;
      let startKey: Record<string, unknown> | undefined;
      do {
        const page = await db.send(
          new QueryCommand({
            TableName: tableName,
            IndexName: index.name,
            KeyConditionExpression: 'gsi1pk = :g',
            ExpressionAttributeValues: values,
            Select: 'COUNT',
            ExclusiveStartKey: startKey,
          }),
        );
        count += page.Count ?? 0;
        startKey = page.LastEvaluatedKey;
      } while (startKey);
      const { Items = [] } = await db.send(
        new QueryCommand({
          TableName: tableName,
          IndexName: index.name,
          KeyConditionExpression: 'gsi1pk = :g',
          ExpressionAttributeValues: values,
          Limit: 1,
        }),
      );
      const oldest = Items[0] as CacheMarker | undefined;
      return { kind, count, oldestAt: oldest ? Number(oldest.fetched_at) : null };
    }),
  );
}

/** When backfill and the reconcile last brought in a location's appointments (lib/db/altegio-sync.ts). */
export interface SyncTimes {
  /** When a backfill of the location read its window to the last page; absent: none finished. */
  backfilledAt?: number;
  /** Up to when the reconcile read the location's changes. */
  reconciledTo?: number;
}

/** The sync items of these locations in one BatchGet (read-through decides freshness with them). */
export async function readSyncTimes(companyIds: readonly number[]): Promise<Map<number, SyncTimes>> {
  const times = new Map<number, SyncTimes>(companyIds.map((id) => [id, {}]));
  if (!companyIds.length) return times;
  const owners = new Map<string, number>();
  const wanted = companyIds.flatMap((id) => [keys.altegioSync(id, 'backfill'), keys.altegioSync(id, 'reconcile')]);
  for (const [i, key] of wanted.entries()) owners.set(key.pk, companyIds[Math.floor(i / 2)]!);
  for (const item of await batchGet(wanted)) {
    const entry = times.get(owners.get(String(item.pk)) ?? -1);
    if (!entry) continue;
    const cursor = item.cursor as { done?: boolean; finished_at?: number } | undefined;
    const mark = item.mark as { last_at?: number } | undefined;
    if (cursor?.done) entry.backfilledAt = Number(cursor.finished_at ?? 0);
    if (mark?.last_at !== undefined) entry.reconciledTo = Number(mark.last_at);
  }
  return times;
}
