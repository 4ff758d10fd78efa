// Cabinet users (a salon's customers) and their tokens. A phone has at most one owner: the owner
// item is created in the same transaction as the user, conditionally, so two first logins racing
// for one phone end as one user. Tokens are kept as digests and carry the user's token generation:
// raising the generation (a password change) revokes every earlier token at once.
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { clock } from '../clock.js';
import { randomHex, sha256Hex } from '../domain/secrets.js';
import type { User } from '../domain/users.js';
import { db, tableName } from './client.js';
import { keys } from './keys.js';

/** Tokens live a year from their issue; a client that keeps one longer signs in again. */
const tokenLifetimeMs = 365 * 24 * 3600 * 1000;

export async function getUser(id: number): Promise<User | null> {
  const { Item } = await db.send(new GetCommand({ TableName: tableName, Key: keys.user(id) }));
  return (Item as User | undefined) ?? null;
}

export async function findUserByPhone(phone: string): Promise<User | null> {
  const { Item } = await db.send(new GetCommand({ TableName: tableName, Key: keys.phoneOwner(phone) }));
  return Item ? getUser(Number(Item.user_id)) : null;
}

async function nextUserId(): Promise<number> {
  const { Attributes } = await db.send(
    new UpdateCommand({ TableName: tableName, Key: keys.sequence('user'), UpdateExpression: 'ADD n :one', ExpressionAttributeValues: { ':one': 1 }, ReturnValues: 'UPDATED_NEW' }),
  );
  return Number(Attributes!.n);
}

/** The phone's user, created on first login; whoever loses a race for the phone gets the winner. */
export async function userForLogin(phone: string, name: string): Promise<User> {
  const existing = await findUserByPhone(phone);
  if (existing) return existing;
  const user: User = { id: await nextUserId(), name, phone, email: '', avatar: '', generation: 0, created_at: new Date(clock.now()).toISOString() };
  try {
    await db.send(
      new TransactWriteCommand({
        TransactItems: [
          { Put: { TableName: tableName, Item: { ...keys.user(user.id), type: 'user', ...user }, ConditionExpression: 'attribute_not_exists(pk)' } },
          { Put: { TableName: tableName, Item: { ...keys.phoneOwner(user.phone), user_id: user.id }, ConditionExpression: 'attribute_not_exists(pk)' } },
        ],
      }),
    );
    return user;
  } catch (error) {
    if (!(error instanceof TransactionCanceledException)) throw error;
    const winner = await findUserByPhone(phone);
    if (!winner) throw error;
    return winner;
  }
}

/** A new token for the user's current generation; only its digest is stored. */
export async function issueToken(user: User): Promise<string> {
  const token = randomHex(16);
  const expiresAt = clock.now() + tokenLifetimeMs;
  const item = { ...keys.userToken(sha256Hex(token)), user_id: user.id, generation: user.generation, expires_at: expiresAt, ttl: Math.ceil(expiresAt / 1000) };
  await db.send(new PutCommand({ TableName: tableName, Item: item }));
  return token;
}

/** The token's user, unless the token is unknown, expired, or from before a revocation. */
export async function findUserByToken(token: string): Promise<User | null> {
  const { Item } = await db.send(new GetCommand({ TableName: tableName, Key: keys.userToken(sha256Hex(token)) }));
  if (!Item || Number(Item.expires_at) <= clock.now()) return null;
  const user = await getUser(Number(Item.user_id));
  return user && user.generation === Item.generation ? user : null;
}
