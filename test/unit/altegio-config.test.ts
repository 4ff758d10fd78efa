// Connected mode's variables (docs/contract.md section 8): off without the locations it serves
// (CABINET_ALTEGIO_COMPANY_IDS), checked at start when they are set, with a message that names the
// variable. On a deployed stage (CABINET_SECRETS_PATH) the credentials are SSM SecureStrings, so
// their checks move to where they are read (test/api/altegio-ssm.test.ts).
import { ConfigError, readConfig } from '../../lib/config.js';

const connected = { CABINET_ALTEGIO_PARTNER_TOKEN: 'partner', CABINET_ALTEGIO_USER_TOKEN: 'user', CABINET_ALTEGIO_COMPANY_IDS: '4564' };

describe('connected mode configuration', () => {
  it('is off without the locations: standalone, as before', () => {
    expect(readConfig({}).altegio).toBeNull();
    expect(readConfig({}).publicUrl).toBe('http://127.0.0.1:3000');
    expect(readConfig({ PORT: '4100' }).publicUrl).toBe('http://127.0.0.1:4100');
  });

  it('refuses Altegio variables without the locations, instead of silently running standalone', () => {
    expect(() => readConfig({ CABINET_ALTEGIO_PARTNER_TOKEN: 'partner', CABINET_ALTEGIO_USER_TOKEN: 'user' })).toThrow(
      /CABINET_ALTEGIO_PARTNER_TOKEN, CABINET_ALTEGIO_USER_TOKEN set but CABINET_ALTEGIO_COMPANY_IDS is not/,
    );
    // What a deployed stage gets when nothing is configured: every setting passed, empty.
    const empty = Object.fromEntries(['COMPANY_IDS', 'URL', 'LOGIN', 'WRITEBACK', 'RPS', 'RPM'].map((n) => [`CABINET_ALTEGIO_${n}`, '']));
    expect(readConfig({ ...empty, CABINET_SECRETS_PATH: '/cabinet/prod/' }).altegio).toBeNull();
  });

  it('requires the partner token once connected, where it is read from the environment', () => {
    const { CABINET_ALTEGIO_PARTNER_TOKEN: _partner, ...noPartner } = connected;
    expect(() => readConfig(noPartner)).toThrow(/CABINET_ALTEGIO_PARTNER_TOKEN is required when CABINET_ALTEGIO_COMPANY_IDS is set/);
  });

  it('on a deployed stage takes no credential from the environment and leaves their checks to where SSM is read', () => {
    const deployed = readConfig({
      CABINET_SECRETS_PATH: '/cabinet/prod/',
      CABINET_ALTEGIO_COMPANY_IDS: '4564',
      CABINET_ALTEGIO_LOGIN: 'admin@salon.test',
      CABINET_ALTEGIO_PARTNER_TOKEN: 'stray-partner-token',
      CABINET_ALTEGIO_USER_TOKEN: 'stray-user-token',
    });
    expect(deployed.altegio).toMatchObject({
      companyIds: [4564],
      login: 'admin@salon.test',
      partnerToken: undefined,
      userToken: undefined,
      password: undefined,
    });
    expect(readConfig({ CABINET_SECRETS_PATH: '/cabinet/prod/', CABINET_ALTEGIO_COMPANY_IDS: '4564' }).altegio).toMatchObject({
      companyIds: [4564],
      login: undefined,
    });
    // The non-secret settings are still checked at start.
    expect(() => readConfig({ CABINET_SECRETS_PATH: '/cabinet/prod/', CABINET_ALTEGIO_COMPANY_IDS: '45a' })).toThrow(
      /CABINET_ALTEGIO_COMPANY_IDS/,
    );
    expect(() =>
      readConfig({ CABINET_SECRETS_PATH: '/cabinet/prod/', CABINET_ALTEGIO_COMPANY_IDS: '4564', CABINET_ALTEGIO_RPM: 'lots' }),
    ).toThrow(/CABINET_ALTEGIO_RPM/);
  });

  it('has the documented defaults', () => {
    expect(readConfig(connected).altegio).toEqual({
      baseUrl: 'https://api.alteg.io/api/v1',
      partnerToken: 'partner',
      userToken: 'user',
      login: undefined,
      password: undefined,
      companyIds: [4564],
      writeback: ['cancel'],
      rps: 3,
      rpm: 150,
    });
  });

  it('reads every variable', () => {
    const config = readConfig({
      CABINET_ALTEGIO_PARTNER_TOKEN: 'partner',
      CABINET_ALTEGIO_LOGIN: 'admin@salon.test',
      CABINET_ALTEGIO_PASSWORD: 'pw',
      CABINET_ALTEGIO_URL: 'http://127.0.0.1:9999/api/v1/',
      CABINET_ALTEGIO_COMPANY_IDS: '4564, 4565,4564',
      CABINET_ALTEGIO_WRITEBACK: 'Cancel,review',
      CABINET_ALTEGIO_RPS: '2',
      CABINET_ALTEGIO_RPM: '100',
      CABINET_PUBLIC_URL: 'https://cabinet.salon.test/',
    });
    expect(config.altegio).toMatchObject({
      baseUrl: 'http://127.0.0.1:9999/api/v1',
      login: 'admin@salon.test',
      password: 'pw',
      userToken: undefined,
      companyIds: [4564, 4565],
      writeback: ['cancel', 'review'],
      rps: 2,
      rpm: 100,
    });
    expect(config.publicUrl).toBe('https://cabinet.salon.test');
    expect(readConfig({ ...connected, CABINET_ALTEGIO_WRITEBACK: 'none' }).altegio?.writeback).toEqual([]);
  });

  it('refuses what connected mode cannot work with, naming the variable', () => {
    const { CABINET_ALTEGIO_COMPANY_IDS: _ids, ...noIds } = connected;
    expect(() => readConfig(noIds)).toThrow(/set but CABINET_ALTEGIO_COMPANY_IDS is not/);
    expect(() => readConfig({ ...connected, CABINET_ALTEGIO_COMPANY_IDS: '45a' })).toThrow(/CABINET_ALTEGIO_COMPANY_IDS/);
    expect(() => readConfig({ ...connected, CABINET_ALTEGIO_COMPANY_IDS: ' , ' })).toThrow(/at least one/);
    const { CABINET_ALTEGIO_USER_TOKEN: _user, ...noUser } = connected;
    expect(() => readConfig(noUser)).toThrow(/needs CABINET_ALTEGIO_USER_TOKEN, or CABINET_ALTEGIO_LOGIN and CABINET_ALTEGIO_PASSWORD/);
    expect(() => readConfig({ ...noUser, CABINET_ALTEGIO_LOGIN: 'admin' })).toThrow(/go together/);
    expect(() => readConfig({ ...connected, CABINET_ALTEGIO_WRITEBACK: 'cancel,refund' })).toThrow(/CABINET_ALTEGIO_WRITEBACK.*"refund"/);
    expect(() => readConfig({ ...connected, CABINET_ALTEGIO_RPS: '0' })).toThrow(/CABINET_ALTEGIO_RPS/);
    expect(() => readConfig({ ...connected, CABINET_ALTEGIO_URL: 'api.alteg.io' })).toThrow(ConfigError);
    expect(() => readConfig({ ...connected, CABINET_PUBLIC_URL: 'cabinet.test' })).toThrow(/CABINET_PUBLIC_URL/);
  });
});
