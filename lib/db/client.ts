// One DynamoDB client per process, built at module scope so a warm Lambda reuses its connections.
import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { buildFromConfig } from '../config.js';

export let dynamo: DynamoDBClient;
export let db: DynamoDBDocumentClient;
export let tableName: string;

buildFromConfig((config) => {
  // DynamoDB Local accepts any credentials but the SDK insists on having some.
  const local = config.dynamodbEndpoint
    ? { endpoint: config.dynamodbEndpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }
    : {};
  // A request that hangs is abandoned and retried (the SDK makes 3 attempts with backoff, also on
  // throttling and 5xx), so a sick table costs a request seconds, not the Lambda's whole timeout.
  // (throwOnRequestTimeout: without it the handler only warns when the time is up, and waits on.)
  const requestHandler = new NodeHttpHandler({
    requestTimeout: config.dynamodbTimeoutMs,
    connectionTimeout: Math.min(1000, config.dynamodbTimeoutMs),
    throwOnRequestTimeout: true,
  });
  dynamo = new DynamoDBClient({ region: config.region, requestHandler, ...local });
  db = DynamoDBDocumentClient.from(dynamo, { marshallOptions: { removeUndefinedValues: true } });
  tableName = config.tableName;
});

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

const transientNames = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'InternalServerError',
  'ServiceUnavailable',
  'TransactionInProgressException',
  'TimeoutError',
  'RequestTimeout',
  'AbortError',
  'TableBusy',
  // A single write to an item an ongoing transaction holds (a 400 the SDK does not retry).
  'TransactionConflictException',
]);

/**
 * Whether DynamoDB (not our code) failed in a way that passes: throttling (also of a batch read,
 * TableBusy in batch.ts), its 5xx, a timeout, a dropped connection, or transactions that kept
 * conflicting (or a write that met a transaction on its item). The request may be retried as is.
 */
export function isTransient(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const metadata = (error as { $metadata?: { httpStatusCode?: number; attempts?: number } }).$metadata;
  // An SDK error that never got an HTTP answer: timeouts, refused or dropped connections.
  if (metadata?.attempts !== undefined && metadata.httpStatusCode === undefined) return true;
  const status = metadata?.httpStatusCode;
  const code = (error as { code?: string }).code;
  if (transientNames.has(error.name) || (status !== undefined && status >= 500)) return true;
  if (code !== undefined && ['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN'].includes(code)) return true;
  return error.name === 'TransactionCanceledException' && /TransactionConflict/.test(error.message);
}
