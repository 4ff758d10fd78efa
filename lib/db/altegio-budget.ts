// The Altegio request budget's counters (docs/contract.md 8.5): one item per clock second and one per clock
// minute, each charged by a conditional update that never lets it count past its cap, however many
// functions ask at once. Single-item conditional writes, not a transaction: they queue on the item
// instead of cancelling each other, which matters when twenty customers ask in the same second.
// When the minute refuses after the second was charged, the second is given back; until then it
// over-counts by one, which only ever errs on the safe side. Items expire by TTL a minute after
// their window; the condition, not the TTL, decides.
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { BudgetWindows } from '../domain/altegio-budget.js';
import { batchGet } from './batch.js';
import { conditionHolds, db, tableName } from './client.js';
import { keys, type Key } from './keys.js';
import { logger } from '../observe.js';

export type ChargeOutcome = 'charged' | { refused: 'second' | 'minute' };

function charge(key: Key, cap: number, windowEnd: number): Promise<boolean> {
  return conditionHolds(
    db.send(
      new UpdateCommand({
        TableName: tableName,
        Key: key,
        UpdateExpression: 'ADD #n :one SET #ttl = :ttl',
        ConditionExpression: 'attribute_not_exists(#n) OR #n < :cap',
        ExpressionAttributeNames: { '#n': 'n', '#ttl': 'ttl' },
        ExpressionAttributeValues: { ':one': 1, ':cap': cap, ':ttl': Math.ceil(windowEnd / 1000) + 60 },
      }),
    ),
  );
}

export async function chargeAltegioBudget(
  name: string,
  windows: BudgetWindows,
  caps: { second: number; minute: number },
): Promise<ChargeOutcome> {
  const second = keys.altegioBudget(name, 's', windows.second);
  if (!(await charge(second, caps.second, windows.secondEnd))) return { refused: 'second' };
  if (await charge(keys.altegioBudget(name, 'm', windows.minute), caps.minute, windows.minuteEnd)) return 'charged';
  await db
    .send(
      new UpdateCommand({
        TableName: tableName,
        Key: second,
        UpdateExpression: 'ADD #n :minus',
        ExpressionAttributeNames: { '#n': 'n' },
        ExpressionAttributeValues: { ':minus': -1 },
      }),
    )
    .catch((error: Error) => logger.warn('altegio budget refund failed', { error: error.name }));
  return { refused: 'minute' };
}

/** What the current second and minute have used so far (for `npm run altegio -- status`). */
export async function altegioBudgetUsed(name: string, windows: BudgetWindows): Promise<{ second: number; minute: number }> {
  const second = keys.altegioBudget(name, 's', windows.second);
  const minute = keys.altegioBudget(name, 'm', windows.minute);
  const items = await batchGet([second, minute]);
  const n = (key: Key) => Number(items.find((item) => item.pk === key.pk)?.n ?? 0);
  return { second: n(second), minute: n(minute) };
}
