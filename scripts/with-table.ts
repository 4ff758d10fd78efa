// For operator scripts (`npm run partner`, `npm run events`): the table they work on.
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { join } from 'node:path';
import type { Config } from '../lib/config.js';
import { ensureTable } from '../lib/db/table.js';
import { isAnswering, startLocalDynamo, type LocalDynamo } from './local-dynamodb.js';

/**
 * Runs `work` against the configured table. For the embedded DynamoDB, it uses the running one (of
 * `npm start`) or starts one on the same data for the moment; a deployment's table is used as is.
 */
export async function withTable<T>(config: Config, dynamo: DynamoDBClient, work: () => Promise<T>): Promise<T> {
  const endpoint = config.dynamodbEndpoint;
  const local = endpoint !== undefined && /^http:\/\/127\.0\.0\.1:/.test(endpoint);
  let embedded: LocalDynamo | undefined;
  if (local && !(await isAnswering(endpoint))) {
    embedded = await startLocalDynamo({ port: config.dynamodbLocalPort, dataDir: join(config.dataDir, 'dynamodb') });
  }
  try {
    if (local) await ensureTable(dynamo, config.tableName);
    return await work();
  } finally {
    await embedded?.stop();
  }
}
