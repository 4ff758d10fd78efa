// The key rules a deployment is checked against at start-up, and the events signature against the
// `standardwebhooks` library's own signer.
import { Webhook } from 'standardwebhooks';
import { ConfigError, readConfig } from '../../lib/config.js';
import { eventSecretFor, parseEventSecrets, signEvent } from '../../lib/domain/signature.js';

const whsec = (fill: string) => `whsec_${Buffer.from(fill.repeat(32).slice(0, 32)).toString('base64')}`;
const a = whsec('a');
const b = whsec('b');

describe('events secrets', () => {
  it('sign exactly as the standardwebhooks library does', () => {
    const body = '{"resource":"record","resource_id":1}';
    const at = new Date(1_764_000_000_000);
    expect(signEvent(a, 'evt_1', at.getTime() / 1000, body)).toBe(new Webhook(a).sign('evt_1', at, body));
  });

  it('give each subscriber its own secret, else the shared one', () => {
    const secrets = parseEventSecrets(`${a}, https://crm.example/hook?x=1=${b}`);
    expect(eventSecretFor(secrets, 'https://crm.example/hook?x=1')).toBe(b);
    expect(eventSecretFor(secrets, 'https://sms.example/hook')).toBe(a);
    expect(eventSecretFor(parseEventSecrets(`https://crm.example/hook=${b}`), 'https://sms.example/hook')).toBeUndefined();
  });

  it('refuse what is not a whsec_ secret of 24+ bytes, and two shared ones', () => {
    expect(() => parseEventSecrets('s'.repeat(40))).toThrow(/whsec_/);
    expect(() => parseEventSecrets(`whsec_${Buffer.from('short').toString('base64')}`)).toThrow(/24/);
    expect(() => parseEventSecrets(`${a},${b}`)).toThrow(/one secret without a URL/);
    expect(() => parseEventSecrets(`crm=${b}`)).toThrow(/URL/);
  });
});

describe('configuration of the keys', () => {
  const url = 'https://crm.example/hook';
  it('reads them', () => {
    const config = readConfig({
      CABINET_EVENTS_URL: url,
      CABINET_EVENTS_SECRET: a,
      CABINET_INTERNAL_KEY: 'i'.repeat(32),
      CABINET_LEGACY_HASH_SECRET: 'l'.repeat(20),
      CABINET_SECRETS_PATH: '/cabinet/prod/',
    });
    expect(config).toMatchObject({
      eventsSecret: a,
      internalKey: 'i'.repeat(32),
      legacyHashSecret: 'l'.repeat(20),
      secretsPath: '/cabinet/prod/',
    });
  });

  it('refuses one key for two purposes', () => {
    expect(() => readConfig({ CABINET_WEBHOOK_SECRET: 's'.repeat(20), CABINET_INTERNAL_KEY: 's'.repeat(20) })).toThrow(
      /CABINET_WEBHOOK_SECRET and CABINET_INTERNAL_KEY must be different/,
    );
    expect(() => readConfig({ CABINET_INTERNAL_KEY: a, CABINET_EVENTS_SECRET: a })).toThrow(ConfigError);
  });

  it('refuses a subscriber no secret signs for, and a secret for a subscriber not configured', () => {
    expect(() => readConfig({ CABINET_EVENTS_URL: `${url},https://crm2.example/e`, CABINET_EVENTS_SECRET: `${url}=${b}` })).toThrow(
      /CABINET_EVENTS_SECRET: no secret signs the events of https:\/\/crm2.example/,
    );
    // Unset: the deliverer refuses to send unsigned events (api/keys.test.ts); `npm start` keeps a secret of its own.
    expect(readConfig({ CABINET_EVENTS_URL: url }).eventsSecret).toBeUndefined();
    expect(() => readConfig({ CABINET_EVENTS_URL: url, CABINET_EVENTS_SECRET: `https://other.example/x=${b}` })).toThrow(
      /not in CABINET_EVENTS_URL/,
    );
    // From SSM the value is not in the environment: the deliverer checks it when it reads it.
    expect(readConfig({ CABINET_EVENTS_URL: url, CABINET_SECRETS_PATH: '/cabinet/prod/' }).eventsSecret).toBeUndefined();
  });

  it('refuses an SSM path that is not one', () => {
    expect(() => readConfig({ CABINET_SECRETS_PATH: 'cabinet/prod' })).toThrow(/CABINET_SECRETS_PATH/);
  });

  it('never puts a secret in its error messages', () => {
    let message = '';
    try {
      readConfig({ CABINET_EVENTS_URL: url, CABINET_EVENTS_SECRET: `${url}=whsec_c2hvcnQ=` });
    } catch (error) {
      message = String(error);
    }
    expect(message).toMatch(/CABINET_EVENTS_SECRET/);
    expect(message).not.toContain('c2hvcnQ');
  });
});
