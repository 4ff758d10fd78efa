// Creates the table from table.json, the same definition serverless.yml deploys as a
// CloudFormation resource, so the local stack and the tests run on the table AWS gets.
import { readFileSync } from 'node:fs';
import {
  CreateTableCommand,
  DescribeTableCommand,
  ResourceInUseException,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
  waitUntilTableExists,
  type CreateTableCommandInput,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';

const definition = JSON.parse(readFileSync(new URL('./table.json', import.meta.url), 'utf8'));

export function createTableInput(tableName: string): CreateTableCommandInput {
  const { AttributeDefinitions, KeySchema, GlobalSecondaryIndexes, BillingMode, StreamSpecification } = definition;
  // The stream carries the event outbox to its delivery (CloudFormation's form lacks StreamEnabled).
  const stream = { StreamEnabled: true, StreamViewType: StreamSpecification.StreamViewType };
  return { TableName: tableName, AttributeDefinitions, KeySchema, GlobalSecondaryIndexes, BillingMode, StreamSpecification: stream };
}

/** Turns on the stream of a table made before the event outbox existed (local data kept on disk). */
async function ensureStream(client: DynamoDBClient, tableName: string): Promise<void> {
  const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
  if (Table?.StreamSpecification?.StreamEnabled) return;
  const { StreamSpecification } = createTableInput(tableName);
  await client.send(new UpdateTableCommand({ TableName: tableName, StreamSpecification }));
}

/** Creates the table if it is missing and turns its TTL and stream on; safe to call on every start. */
export async function ensureTable(client: DynamoDBClient, tableName: string): Promise<'created' | 'existing'> {
  let outcome: 'created' | 'existing' = 'created';
  try {
    await client.send(new CreateTableCommand(createTableInput(tableName)));
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
    outcome = 'existing';
  }
  await waitUntilTableExists({ client, maxWaitTime: 60 }, { TableName: tableName });
  if (outcome === 'existing') await ensureStream(client, tableName);
  const ttl = definition.TimeToLiveSpecification;
  if (outcome === 'created') {
    await client.send(
      new UpdateTimeToLiveCommand({
        TableName: tableName,
        TimeToLiveSpecification: { AttributeName: ttl.AttributeName, Enabled: ttl.Enabled },
      }),
    );
  }
  return outcome;
}
