// The ids of accepted timestamped webhook deliveries (`webhook-id`), so that a captured delivery
// replayed within its 5 minutes, or a sender's retry of one already applied, changes nothing. An
// id is claimed by a conditional put before the delivery is applied (exactly one of several at once
// wins) and given back when applying it failed, so the sender's retry is applied then.
import { DeleteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { clock } from '../clock.js';
import { sha256Hex } from '../domain/secrets.js';
import { conditionHolds, db, tableName } from './client.js';
import { keys } from './keys.js';

/** How long an accepted id is remembered: a sender's retries of one message come within a day. */
export const webhookIdKeepMs = 24 * 3600_000;

const keyOf = (id: string) => keys.webhookId(sha256Hex(id));

/** True when this delivery is the first with its id (or the id's memory ran out); false: a replay. */
export async function claimWebhookId(id: string): Promise<boolean> {
  const now = clock.now();
  return conditionHolds(
    db.send(
      new PutCommand({
        TableName: tableName,
        Item: { ...keyOf(id), expires_at: now + webhookIdKeepMs, ttl: Math.ceil((now + webhookIdKeepMs) / 1000) },
        ConditionExpression: 'attribute_not_exists(pk) OR expires_at < :now',
        ExpressionAttributeValues: { ':now': now },
      }),
    ),
  );
}

/** Forgets an id whose delivery could not be applied, so that the sender's retry is. */
export async function releaseWebhookId(id: string): Promise<void> {
  await db.send(new DeleteCommand({ TableName: tableName, Key: keyOf(id) }));
}
