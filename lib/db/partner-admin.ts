// Registering and revoking partner tokens (`npm start`, `npm run partner`): kept apart from the
// lookup every request makes, so that no function's role is granted writes it never makes.
import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { randomToken, sha256Hex } from '../domain/secrets.js';
import { conditionHolds, db, tableName } from './client.js';
import { keys } from './keys.js';
import { known } from './partners.js';

export async function registerPartner(token: string, name: string): Promise<void> {
  const item = { ...keys.partner(sha256Hex(token)), type: 'partner', name, created_at: new Date().toISOString() };
  await db.send(new PutCommand({ TableName: tableName, Item: item }));
}

/**
 * Registers a token unless it is known already (`npm start` at every start): a revoked token stays
 * revoked. Says which it was.
 */
export async function registerPartnerOnce(token: string, name: string): Promise<'registered' | 'known' | 'revoked'> {
  const key = keys.partner(sha256Hex(token));
  const item = { ...key, type: 'partner', name, created_at: new Date().toISOString() };
  if (await conditionHolds(db.send(new PutCommand({ TableName: tableName, Item: item, ConditionExpression: 'attribute_not_exists(pk)' }))))
    return 'registered';
  const { Item } = await db.send(new GetCommand({ TableName: tableName, Key: key, ConsistentRead: true }));
  return Item?.revoked ? 'revoked' : 'known';
}

/** 256 bits: far beyond guessing, and URL- and header-safe. */
export function mintPartnerToken(): string {
  return randomToken(32);
}

/** Revokes a partner token; false when no such token was ever registered. */
export async function revokePartner(token: string): Promise<boolean> {
  known.delete(sha256Hex(token));
  return conditionHolds(
    db.send(
      new UpdateCommand({
        TableName: tableName,
        Key: keys.partner(sha256Hex(token)),
        UpdateExpression: 'SET revoked = :yes',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':yes': true },
      }),
    ),
  );
}
