// Batch reads, kept in a file of their own so that only functions that make them are granted
// BatchGetItem (scripts/iam.ts grants per file).
import { BatchGetCommand } from '@aws-sdk/lib-dynamodb';
import { db, tableName } from './client.js';
import type { Key } from './keys.js';

/** DynamoDB kept refusing part of a request (throttling) after our own retries: a 503, not a 500. */
export class TableBusy extends Error {
  override name = 'TableBusy';
}

/**
 * Reads items by key in as few BatchGetItem calls as DynamoDB allows. Keys it leaves unprocessed
 * (throttling) are asked for again with backoff; if it keeps refusing, TableBusy: never a silent
 * gap that would read as "not found".
 */
export async function batchGet(wanted: Key[]): Promise<Record<string, unknown>[]> {
  const found: Record<string, unknown>[] = [];
  let pending: Record<string, unknown>[] = [...wanted] as unknown as Record<string, unknown>[];
  for (let attempt = 0; pending.length > 0; attempt++) {
    if (attempt >= 6) throw new TableBusy('BatchGetItem left keys unprocessed after 6 attempts');
    if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 2 ** attempt * 10));
    const response = await db.send(new BatchGetCommand({ RequestItems: { [tableName]: { Keys: pending.splice(0, 100) } } }));
    found.push(...(response.Responses?.[tableName] ?? []));
    pending = [...pending, ...(response.UnprocessedKeys?.[tableName]?.Keys ?? [])];
  }
  return found;
}
