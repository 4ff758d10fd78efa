// One DynamoDB client per process, built at module scope so a warm Lambda reuses its connections.
import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { config } from '../config.js';

// DynamoDB Local accepts any credentials but the SDK insists on having some.
const local = config.dynamodbEndpoint
  ? { endpoint: config.dynamodbEndpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }
  : {};

export const dynamo = new DynamoDBClient({ region: config.region, ...local });

export const db = DynamoDBDocumentClient.from(dynamo, { marshallOptions: { removeUndefinedValues: true } });

export const tableName = config.tableName;

/**
 * Runs a conditional write; a failed condition is an answer, not an error, and comes back as
 * `false`. Any other failure is thrown.
 */
export async function conditionHolds(write: Promise<unknown>): Promise<boolean> {
  try {
    await write;
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}
