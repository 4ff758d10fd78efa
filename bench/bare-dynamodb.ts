// The floor the issue names: a function that does nothing but its DynamoDB round trip, with the
// same SDK clients, bundled the same way.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';

const endpoint = process.env.CABINET_DYNAMODB_ENDPOINT;
const db = DynamoDBDocumentClient.from(
  new DynamoDBClient({
    region: 'us-east-1',
    ...(endpoint ? { endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {}),
  }),
);

export const handler = async () => {
  const { Item } = await db.send(new GetCommand({ TableName: process.env.CABINET_TABLE, Key: { pk: 'RECORD#1', sk: 'RECORD' } }));
  return { statusCode: Item ? 200 : 404, body: '{}' };
};
