// `npm run altegio -- connect | status` against the Altegio stand-in: registers cabinet's webhook
// on every location (and a webhook the stand-in then pushes reaches cabinet), changes nothing when
// run again, keeps other integrations' URLs, and fails with one clear line, never a stack.
import { spawnSync } from 'node:child_process';
import { freePort } from '../../scripts/local-dynamodb.js';
import { startStandin, type AltegioStandin } from '../helpers/altegio-standin.js';
import { startCabinetServer } from '../helpers/cabinet-server.js';
import { testSecret } from '../helpers/table.js';
import { given } from '../helpers/fixture.js';
import { main } from '../../scripts/altegio.js';
import { getEntity } from '../../lib/db/entities.js';

const partnerToken = 'script-partner-token';
const standin: AltegioStandin = await startStandin({ partnerToken, userToken: 'script-user-token' });
const cabinetPort = await freePort();
const publicUrl = `http://127.0.0.1:${cabinetPort}`;
await given({
  env: {
    CABINET_ALTEGIO_PARTNER_TOKEN: partnerToken,
    CABINET_ALTEGIO_URL: standin.url,
    CABINET_ALTEGIO_LOGIN: 'admin@salon.test',
    CABINET_ALTEGIO_PASSWORD: 'pw',
    CABINET_ALTEGIO_COMPANY_IDS: '4564,4565',
    CABINET_PUBLIC_URL: publicUrl,
  },
});

// Cabinet's API on the public URL the webhook was registered with, so the stand-in can reach it.
const cabinet = await startCabinetServer(cabinetPort);

afterAll(async () => {
  await standin.close();
  await cabinet.close();
});

async function run(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const ourUrl = `${publicUrl}/api/v1/webhooks/altegio?secret=${testSecret}`;

describe('npm run altegio -- connect', () => {
  it(
    'registers the webhook of docs/contract.md 8.1 on every location, keeping other integrations, ' +
      'and prints it with the secret masked',
    async () => {
      standin.salon(4565).hooks.urls = ['https://other.example/hook'];
      standin.salon(4565).hooks.active = 1;
      const result = await run('connect');
      expect(result).toMatchObject({ code: 0, err: '' });
      for (const id of [4564, 4565]) {
        expect(standin.salon(id).hooks).toMatchObject({ active: 1, salon: 1, service: 1, master: 1, client: 1, record: 1 });
      }
      expect(standin.salon(4564).hooks.urls).toEqual([ourUrl]);
      expect(standin.salon(4565).hooks.urls).toEqual(['https://other.example/hook', ourUrl]);
      expect(result.out).toContain('location 4564 "Salon Belgrade": tokens ok; cancelling allowed until 18000 s before the visit');
      expect(result.out).toContain(
        `webhook ${publicUrl}/api/v1/webhooks/altegio?secret=*** registered for salon, service, ` + `master, client, record`,
      );
      expect(result.out).toContain('kept 1 other webhook URL(s)');
      expect(result.out).not.toContain(testSecret);
      // The user token was minted with the login, once.
      expect(standin.requests('POST /auth')).toHaveLength(1);
    },
  );

  it('changes nothing when run again', async () => {
    const before = standin.requests('POST /hooks_settings/:company_id').length;
    const result = await run('connect');
    expect(result.code).toBe(0);
    expect(result.out).toMatch(/already registered .*: unchanged/);
    expect(standin.requests('POST /hooks_settings/:company_id')).toHaveLength(before);
  });

  it('registers a URL that works: a webhook the stand-in pushes is accepted by cabinet', async () => {
    const record = standin.salon(4564).records.get(596792980)!;
    const [pushed] = await standin.pushWebhook(4564, {
      company_id: 4564,
      resource: 'record',
      resource_id: 596792980,
      status: 'update',
      data: record,
    });
    expect(pushed!.status).toBe(200);
    expect((await getEntity('record', 596792980))?.doc).toMatchObject({ id: 596792980, company_id: 4564 });
  });

  it('replaces an earlier cabinet URL (a rotated secret) instead of adding a second one', async () => {
    standin.salon(4564).hooks.urls = [`${publicUrl}/api/v1/webhooks/altegio?secret=old-secret-0123456789`];
    const result = await run('connect');
    expect(result.out).toContain('replaced 1 earlier cabinet webhook URL(s)');
    expect(standin.salon(4564).hooks.urls).toEqual([ourUrl]);
  });

  it('changes nothing anywhere when a location is refused, and says why in one line', async () => {
    standin.salon(4564).hooks.urls = [];
    standin.fault('GET /companies', { kind: 'licence' });
    const before = standin.requests('POST /hooks_settings/:company_id').length;
    const result = await run('connect');
    expect(result.code).toBe(1);
    expect(result.err).toMatch(/^Altegio: the location's licence must be renewed in Altegio \(GET \/companies: 403 /);
    expect(result.err.split('\n')).toHaveLength(1);
    expect(standin.requests('POST /hooks_settings/:company_id')).toHaveLength(before);
    standin.clearFaults();
  });
});

describe('npm run altegio -- status', () => {
  it("prints the tokens' check, the webhook, the budget in use and what is cached", async () => {
    await run('connect');
    const result = await run('status');
    expect(result.code).toBe(0);
    expect(result.out).toContain('user by login (POST /auth); write-back: cancel');
    expect(result.out).toMatch(/budget: 3\/s, 150\/min; in use now: \d+ this second, \d+ this minute/);
    expect(result.out).toContain('location 4565 "Salon Moscow": tokens ok; cancelling allowed until 7200 s before the visit');
    expect(result.out).toContain(`webhook: registered (${publicUrl}/api/v1/webhooks/altegio?secret=***)`);
    expect(result.out).toContain('cached: nothing yet');
    expect(result.out).not.toContain(testSecret);
  });

  it('fails, with a non-zero exit, when a location is missing its webhook or refuses the user', async () => {
    standin.salon(4565).hooks.urls = [];
    standin.deny('GET /companies');
    const result = await run('status');
    standin.clearFaults();
    expect(result.code).toBe(1);
    expect(result.out).toContain('location 4564: FAILED: Altegio: the cabinet user lacks a right in Altegio');
  });

  it('answers an unknown command with its usage', async () => {
    expect(await run('launch')).toMatchObject({
      code: 2,
      out: '',
      err: expect.stringMatching(/^usage: npm run altegio -- connect \| status\b/),
    });
  });
});

describe('npm run altegio, misconfigured', () => {
  const script = (env: Record<string, string>) =>
    spawnSync(process.execPath, ['node_modules/tsx/dist/cli.mjs', 'scripts/altegio.ts', 'status'], {
      // A table elsewhere (never asked: the settings stop it first), so the script works as configured, not on the local stack.
      env: { PATH: process.env.PATH!, CABINET_LOG_LEVEL: 'SILENT', CABINET_DYNAMODB_ENDPOINT: 'http://127.0.0.1:9', ...env },
      encoding: 'utf8',
      timeout: 30_000,
    });

  it('says what is wrong in one line and exits non-zero, without a stack trace', () => {
    const standalone = script({});
    expect(standalone.status).toBe(1);
    expect(standalone.stderr.trim()).toBe('Not connected to Altegio: CABINET_ALTEGIO_COMPANY_IDS is not set (see docs/altegio.md).');
    const half = script({ CABINET_ALTEGIO_PARTNER_TOKEN: 'p', CABINET_ALTEGIO_COMPANY_IDS: '4564' });
    expect(half.status).toBe(1);
    expect(half.stderr.trim()).toBe(
      'connected mode needs CABINET_ALTEGIO_USER_TOKEN, or CABINET_ALTEGIO_LOGIN and CABINET_ALTEGIO_PASSWORD',
    );
    expect(`${standalone.stderr}${half.stderr}`).not.toMatch(/\n\s+at /);
  }, 60_000);
});
