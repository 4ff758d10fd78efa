// SMS codes at rest: only a keyed digest, with the expiry and the wrong attempts beside it.
// Using a code is a conditional delete (so it works once, however many try at once), and a wrong
// guess is a conditional increment (so no more than the allowed number are ever counted).
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { clock } from '../clock.js';
import { codeDigest, codeLifetimeMs, maxCodeAttempts, type CodeBinding } from '../domain/codes.js';
import { db, tableName } from './client.js';
import { keys } from './keys.js';

function keyOf(binding: CodeBinding) {
  return keys.code(binding.purpose, binding.subject, binding.phone);
}

/** Stores a new code for the binding, replacing any earlier one (which stops working). */
export async function storeCode(digestKey: string, binding: CodeBinding, code: string, extra: Record<string, string> = {}): Promise<void> {
  const expiresAt = clock.now() + codeLifetimeMs;
  const item = { ...keyOf(binding), digest: codeDigest(digestKey, binding, code), expires_at: expiresAt, attempts: 0, ttl: Math.ceil(expiresAt / 1000), ...extra };
  await db.send(new PutCommand({ TableName: tableName, Item: item }));
}

/** Removes a code that must not be used, such as one whose SMS could not be sent. */
export async function discardCode(binding: CodeBinding, code: string, digestKey: string): Promise<void> {
  await db
    .send(
      new DeleteCommand({
        TableName: tableName, Key: keyOf(binding), ConditionExpression: 'digest = :d',
        ExpressionAttributeValues: { ':d': codeDigest(digestKey, binding, code) },
      }),
    )
    .catch((error) => {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    });
}

/**
 * Uses a code. Returns what was stored beside it (for example the name given with a login code)
 * when the code is right, live and not worn out by wrong attempts; null otherwise.
 */
export async function useCode(digestKey: string, binding: CodeBinding, code: string): Promise<Record<string, unknown> | null> {
  const now = clock.now();
  const live = { ':now': now, ':max': maxCodeAttempts };
  try {
    const { Attributes } = await db.send(
      new DeleteCommand({
        TableName: tableName, Key: keyOf(binding),
        ConditionExpression: 'digest = :d AND expires_at > :now AND attempts < :max',
        ExpressionAttributeValues: { ':d': codeDigest(digestKey, binding, code), ...live },
        ReturnValues: 'ALL_OLD',
      }),
    );
    return Attributes ?? {};
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
  }
  await db
    .send(
      new UpdateCommand({
        TableName: tableName, Key: keyOf(binding), UpdateExpression: 'ADD attempts :one',
        ConditionExpression: 'attribute_exists(pk) AND expires_at > :now AND attempts < :max',
        ExpressionAttributeValues: { ':one': 1, ...live },
      }),
    )
    .catch((error) => {
      // No live code left to count against: nothing to record.
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    });
  return null;
}
