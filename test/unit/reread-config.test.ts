// A test file's fixture has the settings read again; what was built from the old ones (the
// DynamoDB client, the table name) must follow, and a bad value must fail as it does at start-up.
import { ConfigError, config, rereadConfig } from '../../lib/config.js';
import { dynamo, tableName } from '../../lib/db/client.js';

describe('reading the settings again', () => {
  it('rebuilds what was built from them', async () => {
    const before = dynamo;
    process.env.CABINET_TABLE = 'cabinet-reread';
    process.env.CABINET_DYNAMODB_ENDPOINT = 'http://127.0.0.1:4599';
    rereadConfig();
    expect(config.tableName).toBe('cabinet-reread');
    expect(tableName).toBe('cabinet-reread');
    expect(dynamo).not.toBe(before);
    const endpoint = await dynamo.config.endpoint!();
    expect(`${endpoint.protocol}//${endpoint.hostname}:${endpoint.port}`).toBe('http://127.0.0.1:4599');
  });

  it('refuses a bad value with the message naming the setting, and keeps the settings it had', () => {
    process.env.CABINET_EVENTS_MAX_ATTEMPTS = 'many';
    expect(() => rereadConfig()).toThrow(new ConfigError('CABINET_EVENTS_MAX_ATTEMPTS must be a whole number >= 1, got "many"'));
    expect(config.tableName).toBe('cabinet-reread');
    delete process.env.CABINET_EVENTS_MAX_ATTEMPTS;
  });
});
