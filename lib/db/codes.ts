// SMS codes at rest: only a keyed digest, with the expiry and the wrong attempts beside it.
// A guess first spends an attempt by a conditional increment (so no more than the allowed number
// are ever checked), then using the right code is a conditional delete, made inside the
// transaction of what the code allows (so it works once, however many try at once).
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { clock } from '../clock.js';
import { codeDigest, codeLifetimeMs, maxCodeAttempts, type CodeBinding } from '../domain/codes.js';
import { safeEqual } from '../domain/secrets.js';
import { conditionHolds, db, tableName } from './client.js';
import { keys } from './keys.js';

function keyOf(binding: CodeBinding) {
  return keys.code(binding.purpose, binding.subject, binding.phone);
}

/** Stores a new code for the binding, replacing any earlier one (which stops working). */
export async function storeCode(digestKey: string, binding: CodeBinding, code: string, extra: Record<string, string> = {}): Promise<void> {
  const expiresAt = clock.now() + codeLifetimeMs;
  const item = {
    ...extra,
    ...keyOf(binding),
    digest: codeDigest(digestKey, binding, code),
    expires_at: expiresAt,
    attempts: 0,
    ttl: Math.ceil(expiresAt / 1000),
  };
  await db.send(new PutCommand({ TableName: tableName, Item: item }));
}

/** Removes a code that must not be used, such as one whose SMS could not be sent. */
export async function discardCode(binding: CodeBinding, code: string, digestKey: string): Promise<void> {
  await conditionHolds(
    db.send(
      new DeleteCommand({
        TableName: tableName,
        Key: keyOf(binding),
        ConditionExpression: 'digest = :d',
        ExpressionAttributeValues: { ':d': codeDigest(digestKey, binding, code) },
      }),
    ),
  );
}

/**
 * Checks a code by spending one of its attempts first (a conditional increment, so no more than the
 * allowed number are ever checked, however many race), then comparing digests in constant time.
 * The right code's item (with what was stored beside it), or null: wrong, expired, worn out or
 * none. One request either way, whoever owns the phone (docs/security.md).
 */
export async function tryCode(digestKey: string, binding: CodeBinding, code: string): Promise<Record<string, unknown> | null> {
  try {
    const { Attributes } = await db.send(
      new UpdateCommand({
        TableName: tableName,
        Key: keyOf(binding),
        UpdateExpression: 'ADD attempts :one',
        ConditionExpression: 'attribute_exists(pk) AND expires_at > :now AND attempts < :max',
        ExpressionAttributeValues: { ':one': 1, ':now': clock.now(), ':max': maxCodeAttempts },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return Attributes && safeEqual(String(Attributes.digest), codeDigest(digestKey, binding, code)) ? Attributes : null;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return null;
    throw error;
  }
}

/** The conditional delete that spends a code `tryCode` found right (its attempt already counted). */
export function spendTriedCode(digestKey: string, binding: CodeBinding, code: string) {
  return {
    TableName: tableName,
    Key: keyOf(binding),
    ConditionExpression: 'digest = :d AND expires_at > :now',
    ExpressionAttributeValues: { ':d': codeDigest(digestKey, binding, code), ':now': clock.now() },
  };
}
