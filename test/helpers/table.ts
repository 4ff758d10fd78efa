// The test keys, and a table of a test file's own. A file gets them through its fixture
// (test/helpers/fixture.ts); `useFreshTable` is for a file that sets its environment before it
// imports the service.
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

export async function useFreshTable(): Promise<{ tableName: string }> {
  const tableName = freshTableName();
  process.env.CABINET_TABLE = tableName;
  process.env.CABINET_WEBHOOK_SECRET = testSecret;
  process.env.CABINET_INTERNAL_KEY ??= testInternalKey;
  process.env.CABINET_EVENTS_SECRET ??= testEventsSecret;
  const { dynamo } = await import('../../lib/db/client.js');
  const { ensureTable } = await import('../../lib/db/table.js');
  const { registerPartner } = await import('../../lib/db/partner-admin.js');
  await ensureTable(dynamo, tableName);
  await registerPartner(testPartnerToken, 'test partner');
  return { tableName };
}
