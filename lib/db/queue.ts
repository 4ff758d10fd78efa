// The queues on the table's index (outbound events, Altegio write-back commands): items placed
// under a partition of gsi1 with a sort key that orders them by when they are due.
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { db, tableName } from './client.js';
import { index } from './keys.js';

/** Ids (attribute `idAttribute`) of the items queued under `pk` with a sort key up to `upTo`, first first. */
export async function queuedIds(pk: string, upTo: string, limit: number, idAttribute: string): Promise<string[]> {
  const { Items = [] } = await db.send(
    new QueryCommand({
      TableName: tableName, IndexName: index.name, Limit: limit,
      KeyConditionExpression: 'gsi1pk = :pk AND gsi1sk <= :upTo', ExpressionAttributeValues: { ':pk': pk, ':upTo': upTo },
    }),
  );
  return Items.map((item) => String(item[idAttribute]));
}
