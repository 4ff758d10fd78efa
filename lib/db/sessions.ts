// What every signed-in request reads: the user token and its user. Kept apart from the code that
// writes users (users.ts), so that a function's role is granted only the reads it makes.
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { clock } from '../clock.js';
import { sha256Hex } from '../domain/secrets.js';
import type { User } from '../domain/users.js';
import { db, tableName } from './client.js';
import { keys } from './keys.js';

export async function getUser(id: number): Promise<User | null> {
  const { Item } = await db.send(new GetCommand({ TableName: tableName, Key: keys.user(id) }));
  return (Item as User | undefined) ?? null;
}

/** The token's user, unless the token is unknown, expired, or from before a revocation. */
export async function findUserByToken(token: string): Promise<User | null> {
  const { Item } = await db.send(new GetCommand({ TableName: tableName, Key: keys.userToken(sha256Hex(token)) }));
  if (!Item || Number(Item.expires_at) <= clock.now()) return null;
  const user = await getUser(Number(Item.user_id));
  if (!user || user.generation !== Item.generation) return null;
  // Tokens from before `via` was recorded count as password tokens: never fresh SMS logins.
  return { ...user, session: { via: Item.via === 'code' ? 'code' : 'password', issuedAt: Number(Item.issued_at ?? 0) } };
}
