// For operator scripts (`npm run partner`, `npm run events`): the table they work on. Which
// DynamoDB that is was settled before (scripts/stack.ts): this only makes sure a local table exists.
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Config } from '../lib/config.js';
import { ensureTable } from '../lib/db/table.js';

export async function withTable<T>(config: Config, dynamo: DynamoDBClient, work: () => Promise<T>): Promise<T> {
  const endpoint = config.dynamodbEndpoint;
  if (endpoint !== undefined && /^http:\/\/127\.0\.0\.1:/.test(endpoint)) await ensureTable(dynamo, config.tableName);
  return work();
}
