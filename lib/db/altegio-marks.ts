// What cabinet notes about its own dealings with Altegio, apart from the write-back outbox: a
// record's state as a cancellation just read it (so a refusal stands a few seconds without asking
// again), and what cabinet just wrote into an Altegio object (so Altegio's webhook echoing it is
// known as ours, lib/altegio/writeback-echo.ts). Both expire by themselves.
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { clock } from '../clock.js';
import { db, tableName } from './client.js';
import { keys } from './keys.js';

/** A state read from Altegio a moment ago, and until when it may stand in for a new read. */
export async function rememberFresh(recordId: number, state: Record<string, unknown>, forMs: number): Promise<void> {
  const expiresAt = clock.now() + forMs;
  await db.send(
    new PutCommand({
      TableName: tableName,
      Item: { ...keys.altegioFresh(recordId), type: 'altegio-fresh', state, expires_at: expiresAt, ttl: Math.ceil(expiresAt / 1000) + 60 },
    }),
  );
}

export async function rememberedFresh(recordId: number): Promise<Record<string, unknown> | null> {
  const { Item } = await db.send(new GetCommand({ TableName: tableName, Key: keys.altegioFresh(recordId) }));
  return Item && Number(Item.expires_at) > clock.now() ? (Item.state as Record<string, unknown>) : null;
}

export interface EchoMarker {
  fields: Record<string, string>;
  expires_at: number;
}

/** Remembers what cabinet is about to write into an Altegio object, for a while. */
export async function rememberOwnWrite(resource: string, id: number, fields: Record<string, string>, forMs = 15 * 60_000): Promise<void> {
  const expiresAt = clock.now() + forMs;
  await db.send(
    new PutCommand({
      TableName: tableName,
      Item: { ...keys.altegioEcho(resource, id), type: 'altegio-echo', fields, expires_at: expiresAt, ttl: Math.ceil(expiresAt / 1000) },
    }),
  );
}

export async function ownWriteOf(resource: string, id: number): Promise<EchoMarker | null> {
  const { Item } = await db.send(new GetCommand({ TableName: tableName, Key: keys.altegioEcho(resource, id) }));
  // DynamoDB's TTL deletes only eventually: the expiry is checked here.
  return Item && Number(Item.expires_at) > clock.now()
    ? { fields: Item.fields as Record<string, string>, expires_at: Number(Item.expires_at) }
    : null;
}
