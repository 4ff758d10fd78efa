// Triggered by the table's stream (an INSERT of an outbox item): delivers each new event at once.
// A record whose delivery throws (the table, not a subscriber, failed) is handed back to Lambda to
// retry; subscriber failures are retried by retry-events, so they never hold the stream up.
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { deliverEvent } from '../lib/events/deliver.js';
import { logger, observed } from '../lib/observe.js';

export async function deliverStream(stream: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> {
  const failures: DynamoDBBatchResponse['batchItemFailures'] = [];
  for (const record of stream.Records) {
    const id = record.eventName === 'INSERT' ? record.dynamodb?.NewImage?.event_id?.S : undefined;
    if (!id) continue;
    await deliverEvent(id).catch((error: Error) => {
      logger.error('event delivery crashed', { event_id: id, error: error.name });
      failures.push({ itemIdentifier: record.dynamodb!.SequenceNumber! });
    });
  }
  return { batchItemFailures: failures };
}

export const handler = observed('deliver-events', deliverStream);
