import { ConfigError, readConfig } from '../../lib/config.js';

describe('configuration', () => {
  it('has the documented local defaults', () => {
    const config = readConfig({});
    expect(config).toMatchObject({ port: 3000, dynamodbLocalPort: 8000, tableName: 'cabinet-local', dataDir: '.data' });
    expect(config.webhookSecret).toBeUndefined();
  });

  it('talks to the embedded DynamoDB anywhere but in real Lambda', () => {
    expect(readConfig({}).dynamodbEndpoint).toBe('http://127.0.0.1:8000');
    expect(readConfig({ CABINET_DYNAMODB_PORT: '8123' }).dynamodbEndpoint).toBe('http://127.0.0.1:8123');
    expect(readConfig({ AWS_LAMBDA_FUNCTION_NAME: 'f', IS_OFFLINE: 'true' }).dynamodbEndpoint).toBe('http://127.0.0.1:8000');
    expect(readConfig({ AWS_LAMBDA_FUNCTION_NAME: 'f' }).dynamodbEndpoint).toBeUndefined();
    expect(readConfig({ CABINET_DYNAMODB_ENDPOINT: 'aws' }).dynamodbEndpoint).toBeUndefined();
    expect(() => readConfig({ CABINET_DYNAMODB_ENDPOINT: 'localhost:8000' })).toThrow(/CABINET_DYNAMODB_ENDPOINT/);
  });

  it('reads every variable', () => {
    const config = readConfig({
      PORT: '4000', CABINET_DYNAMODB_PORT: '4001', CABINET_DATA_DIR: '/tmp/x', CABINET_TABLE: 't',
      CABINET_DYNAMODB_ENDPOINT: 'http://127.0.0.1:4001', AWS_REGION: 'eu-central-1',
      CABINET_PARTNER_TOKEN: 'p'.repeat(20), CABINET_WEBHOOK_SECRET: 's'.repeat(20),
    });
    expect(config).toMatchObject({
      port: 4000, dynamodbLocalPort: 4001, dataDir: '/tmp/x', tableName: 't', dynamodbEndpoint: 'http://127.0.0.1:4001',
      region: 'eu-central-1', partnerToken: 'p'.repeat(20), webhookSecret: 's'.repeat(20),
    });
  });

  it('refuses a bad port and a guessable secret at start-up', () => {
    expect(() => readConfig({ PORT: 'eighty' })).toThrow(ConfigError);
    expect(() => readConfig({ PORT: '70000' })).toThrow(/PORT/);
    expect(() => readConfig({ CABINET_WEBHOOK_SECRET: 'short' })).toThrow(/CABINET_WEBHOOK_SECRET/);
    expect(() => readConfig({ CABINET_PARTNER_TOKEN: 'short' })).toThrow(/CABINET_PARTNER_TOKEN/);
  });

  it('is frozen', () => {
    expect(Object.isFrozen(readConfig({}))).toBe(true);
  });
});
