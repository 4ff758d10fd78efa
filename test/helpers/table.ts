// Gives a test file its own table, and the environment the service reads, before any service
// module is imported (lib/config.ts reads the environment once, on first import).
import { randomUUID } from 'node:crypto';

export const testSecret = 'test-webhook-secret-0123456789';
export const testPartnerToken = 'test-partner-token-0123456789abcdef';

export async function useFreshTable(): Promise<{ tableName: string }> {
  if (!process.env.CABINET_DYNAMODB_ENDPOINT) throw new Error('jest globalSetup did not start DynamoDB Local');
  const tableName = `cabinet-test-${randomUUID()}`;
  process.env.CABINET_TABLE = tableName;
  process.env.CABINET_WEBHOOK_SECRET = testSecret;
  const { dynamo } = await import('../../lib/db/client.js');
  const { ensureTable } = await import('../../lib/db/table.js');
  const { registerPartner } = await import('../../lib/db/partner-admin.js');
  await ensureTable(dynamo, tableName);
  await registerPartner(testPartnerToken, 'test partner');
  return { tableName };
}
