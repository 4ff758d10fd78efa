// One DynamoDB client per process, built at module scope so a warm Lambda reuses its connections.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { config } from '../config.js';

// DynamoDB Local accepts any credentials but the SDK insists on having some.
const local = config.dynamodbEndpoint
  ? { endpoint: config.dynamodbEndpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }
  : {};

export const dynamo = new DynamoDBClient({ region: config.region, ...local });

export const db = DynamoDBDocumentClient.from(dynamo, { marshallOptions: { removeUndefinedValues: true } });

export const tableName = config.tableName;
