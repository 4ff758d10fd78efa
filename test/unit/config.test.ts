import { readFileSync } from 'node:fs';
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
      PORT: '4000',
      CABINET_DYNAMODB_PORT: '4001',
      CABINET_DATA_DIR: '/tmp/x',
      CABINET_TABLE: 't',
      CABINET_DYNAMODB_ENDPOINT: 'http://127.0.0.1:4001',
      AWS_REGION: 'eu-central-1',
      CABINET_PARTNER_TOKEN: 'p'.repeat(20),
      CABINET_WEBHOOK_SECRET: 's'.repeat(20),
    });
    expect(config).toMatchObject({
      port: 4000,
      dynamodbLocalPort: 4001,
      dataDir: '/tmp/x',
      tableName: 't',
      dynamodbEndpoint: 'http://127.0.0.1:4001',
      region: 'eu-central-1',
      partnerToken: 'p'.repeat(20),
      webhookSecret: 's'.repeat(20),
    });
  });

  it('refuses a bad port and a guessable secret at start-up', () => {
    expect(() => readConfig({ PORT: 'eighty' })).toThrow(ConfigError);
    expect(() => readConfig({ PORT: '70000' })).toThrow(/PORT/);
    expect(() => readConfig({ CABINET_WEBHOOK_SECRET: 'short' })).toThrow(/CABINET_WEBHOOK_SECRET/);
    expect(() => readConfig({ CABINET_PARTNER_TOKEN: 'short' })).toThrow(/CABINET_PARTNER_TOKEN/);
  });

  it('logs one line per request and writes metrics unless told otherwise, and refuses a level it does not know', () => {
    expect(readConfig({})).toMatchObject({ logLevel: 'INFO', metrics: true });
    expect(readConfig({ CABINET_LOG_LEVEL: 'warn', CABINET_METRICS: 'OFF' })).toMatchObject({ logLevel: 'WARN', metrics: false });
    expect(() => readConfig({ CABINET_LOG_LEVEL: 'LOUD' })).toThrow(/CABINET_LOG_LEVEL/);
    expect(() => readConfig({ CABINET_METRICS: 'yes' })).toThrow(/CABINET_METRICS/);
  });

  it('is frozen', () => {
    expect(Object.isFrozen(readConfig({}))).toBe(true);
  });
});

describe('SMS and login settings', () => {
  it('default to the limits of docs/contract.md section 5', () => {
    expect(readConfig({}).smsLimits).toEqual({
      phoneCooldownS: 60,
      phonePerDay: 5,
      ipPerHour: 10,
      userPerHour: 5,
      companyPerDay: 500,
      deploymentPerDay: 5000,
    });
    expect(readConfig({})).toMatchObject({
      smsUrl: undefined,
      smsTimeoutMs: 5000,
      loginIpPerHour: 30,
      defaultCountry: 'RU',
      smsCountries: [],
    });
  });

  it('read every CABINET_SMS_* variable', () => {
    const config = readConfig({
      CABINET_SMS_URL: 'https://sms.example/send',
      CABINET_SMS_TIMEOUT_MS: '1500',
      CABINET_SMS_PHONE_COOLDOWN_S: '30',
      CABINET_SMS_PHONE_PER_DAY: '7',
      CABINET_SMS_IP_PER_HOUR: '20',
      CABINET_SMS_USER_PER_HOUR: '3',
      CABINET_SMS_COMPANY_PER_DAY: '1000',
      CABINET_LOGIN_IP_PER_HOUR: '12',
      CABINET_DEFAULT_COUNTRY: 'gb',
      CABINET_SMS_DEPLOYMENT_PER_DAY: '20000',
      CABINET_SMS_COUNTRIES: 'kz, BY,kz,gg',
    });
    expect(config.smsLimits).toEqual({
      phoneCooldownS: 30,
      phonePerDay: 7,
      ipPerHour: 20,
      userPerHour: 3,
      companyPerDay: 1000,
      deploymentPerDay: 20000,
    });
    expect(config).toMatchObject({
      smsUrl: 'https://sms.example/send',
      smsTimeoutMs: 1500,
      loginIpPerHour: 12,
      defaultCountry: 'GB',
      smsCountries: ['KZ', 'BY', 'GG'],
    });
  });

  it('refuse values that would silently disable a limit or break sending', () => {
    expect(() => readConfig({ CABINET_SMS_PHONE_PER_DAY: '0' })).toThrow(/CABINET_SMS_PHONE_PER_DAY/);
    expect(() => readConfig({ CABINET_SMS_IP_PER_HOUR: '-1' })).toThrow(ConfigError);
    expect(() => readConfig({ CABINET_SMS_COMPANY_PER_DAY: '1.5' })).toThrow(ConfigError);
    expect(() => readConfig({ CABINET_SMS_URL: 'sms.example' })).toThrow(/CABINET_SMS_URL/);
    expect(() => readConfig({ CABINET_DEFAULT_COUNTRY: 'Russia' })).toThrow(/CABINET_DEFAULT_COUNTRY/);
    expect(() => readConfig({ CABINET_SMS_DEPLOYMENT_PER_DAY: '0' })).toThrow(/CABINET_SMS_DEPLOYMENT_PER_DAY/);
    expect(() => readConfig({ CABINET_SMS_COUNTRIES: 'KZ,Belarus' })).toThrow(
      /CABINET_SMS_COUNTRIES must be comma-separated ISO 3166 two-letter country codes, got "BELARUS"/,
    );
  });
});

describe('docs/configuration.md', () => {
  it('documents every variable lib/config.ts reads', () => {
    const source = readFileSync(new URL('../../lib/config.ts', import.meta.url), 'utf8');
    const documented = readFileSync(new URL('../../docs/configuration.md', import.meta.url), 'utf8');
    const read = new Set([...source.matchAll(/\(env, '([A-Z0-9_]+)'/g)].map((m) => m[1]!));
    expect(read.size).toBeGreaterThan(10);
    for (const name of read) expect(documented).toContain(`\`${name}\``);
  });
});
