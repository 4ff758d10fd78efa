// The test keys, and a table of a test file's own. A file gets them through its fixture
// (test/helpers/fixture.ts).
import { randomUUID } from 'node:crypto';

export const testSecret = 'test-webhook-secret-0123456789';
export const testPartnerToken = 'test-partner-token-0123456789abcdef';
/** Keys minted record hashes and code digests: no test client (sender or subscriber) is given it. */
export const testInternalKey = 'test-internal-key-never-leaves-0123456789';
/** Standard Webhooks secret of outbound events: 32 bytes, base64. */
export const testEventsSecret = `whsec_${Buffer.from('test-events-secret-0123456789abc').toString('base64')}`;

/** A table name of its own, in the DynamoDB Local that jest's global setup started. */
export function freshTableName(): string {
  if (!process.env.CABINET_DYNAMODB_ENDPOINT) throw new Error('jest globalSetup did not start DynamoDB Local');
  return `cabinet-test-${randomUUID()}`;
}
