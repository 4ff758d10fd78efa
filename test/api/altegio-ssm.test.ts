// Connected mode as deployed (running on AWS): CABINET_SECRETS_PATH set, the Altegio
// partner token, user token and password only in SSM Parameter Store, the non-secret settings in
// the environment as serverless.yml passes them. Two things are stood in, both real HTTP servers on
// 127.0.0.1: SSM, which cannot run here (test/helpers/ssm-standin.ts, reached by the real SDK client
// through Powertools Parameters), and the salon's Altegio account (test/helpers/altegio-standin.ts).
// Everything else is the real handlers on DynamoDB Local. No Altegio credential is in the environment.
import { jest } from '@jest/globals';
import { startStandin, type AltegioStandin } from '../helpers/altegio-standin.js';
import { startSsm } from '../helpers/ssm-standin.js';
import { testPartnerToken } from '../helpers/table.js';
import { withClockAhead } from '../helpers/clock.js';
import { given } from '../helpers/fixture.js';
import { request } from '../helpers/api.js';
import { captureAllLogs, jsonLines } from '../helpers/logs.js';
import { companyEvent, signedHeaders } from '../helpers/altegio.js';
import { config } from '../../lib/config.js';
import { forgetSecrets } from '../../lib/secret-store.js';
import { connector } from '../../lib/altegio/connector.js';
import { toEnvelope } from '../../lib/http/errors.js';
import { clientOf } from '../../lib/altegio/client.js';
import { AltegioBudget } from '../../lib/altegio/budget.js';
import { AltegioNotConfigured } from '../../lib/altegio/errors.js';
import { getCommand } from '../../lib/db/altegio-commands.js';
import { getEntity } from '../../lib/db/entities.js';
import { main } from '../../scripts/altegio.js';

const partnerToken = 'ssm-altegio-partner-token-0001';
const userToken = 'ssm-altegio-user-token-0001';
const password = 'ssm-altegio-password-0001';
const webhookSecret = 'ssm-webhook-secret-0123456789';
const standin: AltegioStandin = await startStandin({ partnerToken, userToken, password, rps: 0, rpm: 0 });
// A third location cabinet has never heard of, for read-through.
standin.addSalon(4566, { title: 'Salon Novi Sad', city: 'Novi Sad' });
const ssm = await startSsm({
  '/cabinet/test/webhook-secret': webhookSecret,
  '/cabinet/test/internal-key': 'ssm-internal-key-0123456789abcdef',
  '/cabinet/test/altegio-partner-token': partnerToken,
  '/cabinet/test/altegio-user-token': userToken,
});
// None of the Altegio settings of the shell that runs the tests: only those below.
const inherited = Object.keys(process.env).filter((name) => name.startsWith('CABINET_ALTEGIO_'));
await given({
  env: {
    ...Object.fromEntries(inherited.map((name) => [name, undefined])),
    CABINET_SECRETS_PATH: '/cabinet/test/',
    AWS_ENDPOINT_URL_SSM: ssm.url,
    AWS_ACCESS_KEY_ID: 'AKIDSSMSTANDIN000002',
    AWS_SECRET_ACCESS_KEY: 'stand-in',
    AWS_REGION: 'eu-west-1',
    // What serverless.yml passes a connected stage: the locations, the URL, the rest empty (defaults).
    CABINET_ALTEGIO_COMPANY_IDS: '4564,4565,4566',
    CABINET_ALTEGIO_URL: standin.url,
    CABINET_ALTEGIO_LOGIN: '',
    CABINET_ALTEGIO_WRITEBACK: '',
    CABINET_ALTEGIO_RPS: '200',
    CABINET_ALTEGIO_RPM: '10000',
    CABINET_PUBLIC_URL: 'http://127.0.0.1:9',
  },
});

afterAll(async () => {
  await standin.close();
  await ssm.close();
});

const secretValues = [partnerToken, userToken, password, webhookSecret, 'ssm-altegio-password-0002'];
const asked = (name: string) => ssm.requests.filter((r) => r.name === `/cabinet/test/${name}`);
const bothTokens = `Bearer ${partnerToken}, User ${userToken}`;
const partner = { authorization: `Bearer ${testPartnerToken}` };

/** A webhook as Altegio sends it, authenticated by the secret in SSM. */
function webhook(event: unknown) {
  const raw = JSON.stringify(event);
  return request('POST', '/v1/webhooks/altegio', { rawBody: raw, headers: signedHeaders(raw, webhookSecret) });
}

let nextId = 810_000;
/** An appointment of Ann's in the stand-in's Belgrade location, three days ahead, delivered to cabinet once. */
async function appointment(): Promise<{ id: number; hash: string }> {
  const id = ++nextId;
  const date = new Date(Date.now() + 72 * 3600_000 + 3600_000).toISOString().slice(0, 19).replace('T', ' ');
  const record = standin.addRecord(4564, id, { date, staff_id: 9, client_id: 18936825, service_ids: [1] });
  const reply = await webhook({ company_id: 4564, resource: 'record', resource_id: id, status: 'create', data: record });
  expect(reply.status).toBe(200);
  return { id, hash: reply.body.data.record_hash };
}

async function run(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('connected mode with the Altegio credentials in SSM', () => {
  it('is on by the locations alone, with no credential in the environment or the configuration', () => {
    expect(config.altegio).toMatchObject({
      companyIds: [4564, 4565, 4566],
      baseUrl: standin.url,
      login: undefined,
      partnerToken: undefined,
      userToken: undefined,
      password: undefined,
    });
    expect(Object.keys(process.env).filter((n) => /^CABINET_ALTEGIO_(PARTNER_TOKEN|USER_TOKEN|PASSWORD)$/.test(n))).toEqual([]);
  });

  it(
    'answers 503 with Retry-After, not 500, while SSM cannot give the Altegio tokens, and writes ' +
      'nothing; the log names the parameter, never a value',
    async () => {
      const record = standin.salon(4565).records.get(596800001)!;
      ssm.down = /altegio-/;
      const logs = captureAllLogs();
      let reply;
      try {
        reply = await webhook({ company_id: 4565, resource: 'record', resource_id: 596800001, status: 'create', data: record });
      } finally {
        logs.restore();
        ssm.down = false;
      }
      expect(reply.status).toBe(503);
      expect(reply.headers['retry-after']).toBeDefined();
      expect(await getEntity('company', 4565)).toBeNull();
      expect(standin.requests()).toEqual([]); // nothing was sent without its tokens
      // The tokens are asked for together: whichever failed first is named.
      expect(jsonLines(logs.lines)).toContainEqual(
        expect.objectContaining({
          message: 'secret unavailable',
          parameter: expect.stringMatching(/^\/cabinet\/test\/altegio-(partner|user)-token$/),
        }),
      );
      for (const value of secretValues) expect(logs.lines.join('\n')).not.toContain(value);
    },
  );

  it("reads the location a webhook needs from Altegio with the tokens from SSM, decrypted, signed with the function's keys", async () => {
    const record = standin.salon(4565).records.get(596800001)!;
    const reply = await webhook({ company_id: 4565, resource: 'record', resource_id: 596800001, status: 'create', data: record });
    expect(reply.status).toBe(200);
    expect((await getEntity('company', 4565))?.doc).toMatchObject({ title: 'Salon Moscow', timezone_name: 'Europe/Moscow' });
    expect(standin.requests('GET /company/:company_id').at(-1)!.authorization).toBe(bothTokens);
    const reads = [...asked('altegio-partner-token'), ...asked('altegio-user-token')];
    expect(reads.length).toBeGreaterThan(0);
    expect(reads.every((r) => r.target === 'AmazonSSM.GetParameter' && r.decrypt && r.signedWith === 'AKIDSSMSTANDIN000002')).toBe(true);
    // No login is configured, so the password is never asked for.
    expect(asked('altegio-password')).toEqual([]);
  });

  it("writes a customer's cancellation back with those tokens: the slot is free in the salon's calendar", async () => {
    expect(
      (
        await webhook(
          companyEvent({ id: 4564, allow_delete_record: true, allow_delete_record_delay_step: 3600, timezone_name: 'Europe/Belgrade' }),
        )
      ).status,
    ).toBe(200);
    const { id, hash } = await appointment();
    const response = await request('DELETE', `/v1/user/records/${id}/${hash}`, { headers: partner });
    expect(response.status).toBe(200);
    const sent = standin.requests('DELETE /record/:company_id/:record_id').filter((r) => r.path.endsWith(`/${id}`));
    expect(sent.map((r) => [r.status, r.authorization])).toEqual([[204, bothTokens]]);
    expect(standin.salon(4564).records.get(id)!.deleted).toBe(true);
  });

  it('asks SSM once per five minutes per secret, and takes a rotated user token within five minutes', async () => {
    const before = asked('altegio-user-token').length;
    for (let i = 0; i < 3; i++) await connector()!.client.company(4564);
    expect(asked('altegio-user-token').length).toBe(before); // cached since the earlier tests
    // The operator regenerates the user's API token in Altegio and puts the new one in SSM.
    standin.regenerateToken();
    ssm.stored['/cabinet/test/altegio-user-token'] = standin.userToken;
    await expect(connector()!.client.company(4564)).rejects.toMatchObject({ kind: 'auth_revoked' }); // the old one, still cached
    const later = jest.spyOn(Date, 'now').mockReturnValue(Date.now() + 301_000);
    try {
      await connector()!.client.company(4564);
    } finally {
      later.mockRestore();
    }
    expect(standin.requests('GET /company/:company_id').at(-1)).toMatchObject({
      status: 200,
      authorization: `Bearer ${partnerToken}, User ${standin.userToken}`,
    });
  });

  it(
    'stops the write-back when a credential is not in SSM, naming the parameter, and sends it once the operator puts ' + 'it there',
    async () => {
      const { id, hash } = await appointment();
      delete ssm.stored['/cabinet/test/altegio-partner-token'];
      forgetSecrets(); // a new container
      const logs = captureAllLogs();
      let response;
      try {
        response = await request('DELETE', `/v1/user/records/${id}/${hash}`, { headers: partner });
      } finally {
        logs.restore();
      }
      // The customer is not the one to tell: the cancellation stands, the write-back waits for an operator.
      expect(response.status).toBe(200);
      const commandId = `cancel-4564-${id}`;
      expect(await getCommand(commandId)).toMatchObject({ state: 'failed', stop_reason: 'auth_revoked' });
      expect((await getCommand(commandId))!.last_error).toContain('/cabinet/test/altegio-partner-token is not set');
      const lines = jsonLines(logs.lines);
      expect(lines).toContainEqual(
        expect.objectContaining({
          level: 'ERROR',
          message: 'altegio credentials missing',
          problem: '/cabinet/test/altegio-partner-token is not set',
        }),
      );
      expect(lines).toContainEqual(
        expect.objectContaining({ message: 'altegio write-back stopped: an operator must act', command_id: commandId }),
      );
      for (const value of secretValues) expect(logs.lines.join('\n')).not.toContain(value);
      expect(standin.requests('DELETE /record/:company_id/:record_id').filter((r) => r.path.endsWith(`/${id}`))).toEqual([]);

      ssm.stored['/cabinet/test/altegio-partner-token'] = partnerToken;
      forgetSecrets(); // or five minutes
      const replayed = await run('replay', commandId);
      expect(replayed).toMatchObject({ code: 0 });
      expect(standin.salon(4564).records.get(id)!.deleted).toBe(true);
    },
  );

  it('lets `npm run altegio -- status | connect` read the tokens and the webhook secret from SSM, as the functions do', async () => {
    const status = await run('status');
    expect(status.out).toMatch(/location 4564 "Salon Belgrade": tokens ok/);
    expect(status.out).toContain('user by API token');
    const connected = await run('connect');
    expect(connected.code).toBe(0);
    expect(standin.salon(4564).hooks.urls).toContain(`http://127.0.0.1:9/api/v1/webhooks/altegio?secret=${webhookSecret}`);
    for (const value of secretValues) expect(`${status.out}${status.err}${connected.out}${connected.err}`).not.toContain(value);
  });

  it('logs in with the password from SSM when a login is configured, and again once after a 401', async () => {
    ssm.stored['/cabinet/test/altegio-password'] = password;
    forgetSecrets();
    const login = clientOf({ ...config.altegio!, login: 'admin@salon.test' }, new AltegioBudget({ rps: 200, rpm: 10_000 }));
    standin.regenerateToken(); // the stored user token is refused from now on
    await login.company(4564);
    const auths = standin.requests('POST /auth');
    expect(auths.at(-1)).toMatchObject({ status: 201, body: { login: 'admin@salon.test', password } });
    expect(standin.requests('GET /company/:company_id').at(-1)).toMatchObject({
      status: 200,
      authorization: `Bearer ${partnerToken}, User ${standin.userToken}`,
    });

    // The salon changes the password in Altegio and the operator in SSM: after the cache has aged, a 401 mints with the new one.
    standin.changePassword('ssm-altegio-password-0002');
    ssm.stored['/cabinet/test/altegio-password'] = 'ssm-altegio-password-0002';
    const later = jest.spyOn(Date, 'now').mockReturnValue(Date.now() + 301_000);
    try {
      await login.company(4564);
    } finally {
      later.mockRestore();
    }
    expect(standin.requests('POST /auth').at(-1)).toMatchObject({ status: 201, body: { password: 'ssm-altegio-password-0002' } });
    expect(standin.requests('GET /company/:company_id').at(-1)!.status).toBe(200);
  });

  it('refuses a login without its password in SSM on first use, naming the parameter: an error that answers 503, not 500', async () => {
    delete ssm.stored['/cabinet/test/altegio-password'];
    forgetSecrets();
    const login = clientOf({ ...config.altegio!, login: 'admin@salon.test' }, new AltegioBudget({ rps: 200, rpm: 10_000 }));
    const sentBefore = standin.requests().length;
    const logs = captureAllLogs();
    let error: unknown;
    try {
      await login.company(4564).catch((e: unknown) => (error = e));
    } finally {
      logs.restore();
    }
    expect(error).toBeInstanceOf(AltegioNotConfigured);
    const missing = 'CABINET_ALTEGIO_LOGIN is set but /cabinet/test/altegio-password is not';
    expect(error).toMatchObject({ detail: expect.stringContaining(missing) });
    expect(toEnvelope(error).statusCode).toBe(503);
    expect(standin.requests().length).toBe(sentBefore);
    expect(jsonLines(logs.lines)).toContainEqual(expect.objectContaining({ message: 'altegio credentials missing' }));
  });

  it(
    'answers a customer whose request needs Altegio with 503 and Retry-After while a credential is ' +
      'missing, then reads through with the SSM tokens',
    async () => {
      ssm.stored['/cabinet/test/altegio-user-token'] = standin.userToken; // as the operator left it after the rotations above
      delete ssm.stored['/cabinet/test/altegio-partner-token'];
      forgetSecrets();
      const askCode = () =>
        request('POST', '/v1/book_code/4566', { headers: partner, body: { phone: '+381641234567' }, sourceIp: '198.51.100.66' });
      const sentBefore = standin.requests().length;
      const logs = captureAllLogs();
      let refused;
      try {
        refused = await askCode();
      } finally {
        logs.restore();
      }
      expect(refused.status).toBe(503);
      expect(refused.headers['retry-after']).toBeDefined();
      expect(refused.body).toMatchObject({ success: false, data: null });
      expect(jsonLines(logs.lines)).toContainEqual(
        expect.objectContaining({
          level: 'ERROR',
          message: 'altegio credentials missing',
          problem: '/cabinet/test/altegio-partner-token is not set',
        }),
      );
      expect(standin.requests().length).toBe(sentBefore); // nothing is sent without its tokens

      ssm.stored['/cabinet/test/altegio-partner-token'] = partnerToken;
      forgetSecrets();
      // Read-through leaves Altegio alone for 30 s after tokens were refused (no retry storm); later:
      const readFrom = standin.requests().length;
      expect((await withClockAhead(31_000, askCode)).status).toBe(201);
      const read = standin.requests().slice(readFrom);
      expect(read.length).toBeGreaterThan(0);
      expect(read.every((r) => r.authorization === `Bearer ${partnerToken}, User ${standin.userToken}`)).toBe(true);
      expect(read.some((r) => r.route === 'GET /companies' && r.query.id === '4566' && r.status === 200)).toBe(true);
    },
  );
});
