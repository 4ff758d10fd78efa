// Cabinet users (a salon's customers) and their tokens. A phone has at most one owner: the owner
// item is created in the same transaction as the user, conditionally, so two first logins racing
// for one phone end as one user. Tokens are kept as digests and carry the user's token generation:
// raising the generation (a password change) revokes every earlier token at once.
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { clock } from '../clock.js';
import { randomHex, sha256Hex } from '../domain/secrets.js';
import { emailKey, type TokenOrigin, type User } from '../domain/users.js';
import type { spendTriedCode } from './codes.js';
import { eventPut } from './events.js';
import { db, tableName } from './client.js';
import { keys, type Key } from './keys.js';
import { getUser } from './sessions.js';

export { getUser };

/** Tokens live a year from their issue; a client that keeps one longer signs in again. */
const tokenLifetimeMs = 365 * 24 * 3600 * 1000;

/** No user has it (ids start at 1). */
const nobody = 0;

/**
 * The owner of a phone or email. A name nobody owns still costs the user read (of a user that
 * does not exist), so a failed login takes the same two reads whether or not the name is an
 * account's (docs/security.md).
 */
async function ownerOf(key: Key): Promise<User | null> {
  const { Item } = await db.send(new GetCommand({ TableName: tableName, Key: key }));
  const user = await getUser(Item ? Number(Item.user_id) : nobody);
  return Item ? user : null;
}

export function findUserByPhone(phone: string): Promise<User | null> {
  return ownerOf(keys.phoneOwner(phone));
}

export function findUserByEmail(email: string): Promise<User | null> {
  return ownerOf(keys.emailOwner(emailKey(email)));
}

async function nextUserId(): Promise<number> {
  const { Attributes } = await db.send(
    new UpdateCommand({
      TableName: tableName,
      Key: keys.sequence('user'),
      UpdateExpression: 'ADD n :one',
      ExpressionAttributeValues: { ':one': 1 },
      ReturnValues: 'UPDATED_NEW',
    }),
  );
  return Number(Attributes!.n);
}

function newToken(userId: number, generation: number, via: TokenOrigin) {
  const token = randomHex(16);
  const issuedAt = clock.now();
  const expiresAt = issuedAt + tokenLifetimeMs;
  // `via` and `issued_at` tell a fresh SMS-code login apart (lib/domain/users.ts isFreshCodeLogin).
  const item = {
    ...keys.userToken(sha256Hex(token)),
    user_id: userId,
    generation,
    via,
    issued_at: issuedAt,
    expires_at: expiresAt,
    ttl: Math.ceil(expiresAt / 1000),
  };
  return { token, item };
}

/** A new token for the user's current generation, from a password login; only its digest is stored. */
export async function issueToken(user: User): Promise<string> {
  const { token, item } = newToken(user.id, user.generation, 'password');
  await db.send(new PutCommand({ TableName: tableName, Item: item }));
  return token;
}

export interface ProfileChange {
  name?: string;
  /** '' clears the email. */
  email?: string;
  /** A new phone, with the code that proves it (docs/contract.md 3.2). */
  phone?: { value: string; code: ReturnType<typeof spendTriedCode> };
}

export type ProfileOutcome = 'ok' | 'wrong-code' | 'phone-taken' | 'email-taken' | 'stale';

type Item = NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']>[number];

/** Moves an owner item (phone or email) from the old value to the new one, in the same transaction. */
function moveOwner(userId: number, from: Key | null, to: Key | null, taken: ProfileOutcome, items: Item[], roles: ProfileOutcome[]): void {
  if (to) {
    items.push({ Put: { TableName: tableName, Item: { ...to, user_id: userId }, ConditionExpression: 'attribute_not_exists(pk)' } });
    roles.push(taken);
  }
  if (from) {
    items.push({
      Delete: { TableName: tableName, Key: from, ConditionExpression: 'user_id = :me', ExpressionAttributeValues: { ':me': userId } },
    });
    roles.push('stale');
  }
}

/**
 * Changes name, email and phone in ONE transaction with their owner items and the phone's code,
 * so two users can never end with the same phone or email, and a code is used only by a change
 * that happens. 'stale': the user changed meanwhile; read it again and retry.
 */
export async function updateProfile(
  user: User,
  change: ProfileChange,
  writeback: (now: Pick<User, 'name' | 'phone' | 'email'>) => Item[] = () => [],
): Promise<ProfileOutcome> {
  // Placeholders for every attribute: `name` is one of DynamoDB's reserved words.
  const names: Record<string, string> = { '#gen': 'generation', '#phone': 'phone', '#email': 'email' };
  const values: Record<string, unknown> = { ':gen': user.generation, ':oldPhone': user.phone, ':oldEmail': user.email };
  const set = Object.entries({ name: change.name, email: change.email, phone: change.phone?.value }).flatMap(([field, value]) => {
    if (value === undefined) return [];
    names[`#${field}`] = field;
    values[`:${field}`] = value;
    return [`#${field} = :${field}`];
  });
  const items: Item[] = [];
  const roles: ProfileOutcome[] = [];
  if (set.length) {
    // Other services learn of the change (docs/contract.md section 6) from the same transaction.
    const now = {
      id: user.id,
      name: change.name ?? user.name,
      phone: change.phone?.value ?? user.phone,
      email: change.email ?? user.email,
    };
    items.push(eventPut({ company_id: null, resource: 'client', resource_id: user.id, status: 'update', data: now }));
    roles.push('stale');
    // Connected mode: the Altegio write-back command of the change (docs/contract.md 8.4), in the same transaction.
    for (const item of writeback(now)) {
      items.push(item);
      roles.push('stale');
    }
    const condition = '#gen = :gen AND #phone = :oldPhone AND #email = :oldEmail';
    items.push({
      Update: {
        TableName: tableName,
        Key: keys.user(user.id),
        UpdateExpression: `SET ${set.join(', ')}`,
        ConditionExpression: condition,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      },
    });
    roles.push('stale');
  }
  if (change.phone && change.phone.value !== user.phone) {
    moveOwner(user.id, keys.phoneOwner(user.phone), keys.phoneOwner(change.phone.value), 'phone-taken', items, roles);
    items.push({ Delete: change.phone.code });
    roles.push('wrong-code');
  }
  if (change.email !== undefined && emailKey(change.email) !== emailKey(user.email)) {
    const from = user.email ? keys.emailOwner(emailKey(user.email)) : null;
    moveOwner(user.id, from, change.email ? keys.emailOwner(emailKey(change.email)) : null, 'email-taken', items, roles);
  }
  if (!items.length) return 'ok';
  try {
    await db.send(new TransactWriteCommand({ TransactItems: items }));
    return 'ok';
  } catch (error) {
    if (!(error instanceof TransactionCanceledException)) throw error;
    const failed = (error.CancellationReasons ?? []).flatMap((reason, i) => (reason.Code === 'ConditionalCheckFailed' ? [roles[i]!] : []));
    // A wrong code is reported before a taken phone: only the phone's owner may learn it is taken.
    return (['wrong-code', 'phone-taken', 'email-taken'] as const).find((role) => failed.includes(role)) ?? 'stale';
  }
}

/**
 * Sets the password hash and raises the token generation in one transaction with a new token:
 * every earlier token stops working at once. Null when the user changed meanwhile (for example
 * a concurrent password change), so the old password that was checked may no longer be right.
 */
export async function setPassword(user: User, passwordHash: string): Promise<string | null> {
  const next = newToken(user.id, user.generation + 1, 'password');
  const unchanged = user.password_hash === undefined ? 'attribute_not_exists(password_hash)' : 'password_hash = :old';
  const values = {
    ':gen': user.generation,
    ':next': user.generation + 1,
    ':hash': passwordHash,
    ...(user.password_hash === undefined ? {} : { ':old': user.password_hash }),
  };
  try {
    await db.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Update: {
              TableName: tableName,
              Key: keys.user(user.id),
              UpdateExpression: 'SET password_hash = :hash, generation = :next',
              ConditionExpression: `generation = :gen AND ${unchanged}`,
              ExpressionAttributeValues: values,
            },
          },
          { Put: { TableName: tableName, Item: next.item } },
        ],
      }),
    );
    return next.token;
  } catch (error) {
    // A conflict with a concurrent transaction is no verdict on the password: it is thrown (503).
    if (error instanceof TransactionCanceledException && error.CancellationReasons?.[0]?.Code === 'ConditionalCheckFailed') return null;
    throw error;
  }
}

export type LoginOutcome = { user: User; token: string } | 'wrong-code' | 'raced';

/**
 * Signs a phone in with its code in ONE transaction: the code's conditional delete, the token and,
 * on a first login, the user and its phone's owner item. So a code is spent only by a login that
 * happened, and two first logins of one phone make one user. 'raced': another first login of the
 * phone won meanwhile; sign in again as the user it made.
 */
export async function loginWithCode(
  phone: string,
  existing: User | null,
  code: ReturnType<typeof spendTriedCode>,
  name: string,
): Promise<LoginOutcome> {
  const user: User = existing ?? {
    id: await nextUserId(),
    name,
    phone,
    email: '',
    avatar: '',
    generation: 0,
    created_at: new Date(clock.now()).toISOString(),
  };
  const { token, item } = newToken(user.id, user.generation, 'code');
  const items: Item[] = [{ Delete: code }, { Put: { TableName: tableName, Item: item } }];
  if (!existing) {
    items.push(
      {
        Put: {
          TableName: tableName,
          Item: { ...keys.user(user.id), type: 'user', ...user },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      {
        Put: {
          TableName: tableName,
          Item: { ...keys.phoneOwner(phone), user_id: user.id },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
    );
  }
  try {
    await db.send(new TransactWriteCommand({ TransactItems: items }));
    return { user, token };
  } catch (error) {
    if (!(error instanceof TransactionCanceledException)) throw error;
    const reasons = error.CancellationReasons ?? [];
    if (reasons[0]?.Code === 'ConditionalCheckFailed') return 'wrong-code';
    if (reasons[3]?.Code === 'ConditionalCheckFailed') return 'raced';
    throw error;
  }
}
