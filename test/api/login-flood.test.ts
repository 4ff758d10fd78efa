// A flood of password logins with random
// logins, from as many addresses, each ran a full scrypt; 40 at once timed 36 out, honest ones too.
// Reproduced through the HTTP API: now the deployment-wide budget of logins that have no password
// to check answers the excess 429 before any scrypt, and a real user's login still gets through.
import { startSmsGateway } from '../helpers/sms-gateway.js';
import { given } from '../helpers/fixture.js';
import { request } from '../helpers/api.js';
import { captureAllLogs, jsonLines, metric } from '../helpers/logs.js';
import { asUser, partnerHeaders, signIn } from '../helpers/sign-in.js';
import { companyEvent } from '../helpers/altegio.js';
import { push } from '../helpers/webhook.js';
import { hashPassword } from '../../lib/domain/passwords.js';

const gateway = await startSmsGateway();
const { time } = await given({
  env: {
    CABINET_SMS_URL: gateway.url,
    CABINET_LOGIN_UNCHECKED_PER_MINUTE: '8',
    CABINET_LOGIN_PER_HOUR: '4',
    // A long DynamoDB timeout: 41 requests at once on a shared test machine must not be abandoned and retried.
    CABINET_DYNAMODB_TIMEOUT_MS: '15000',
    // Every password check (a scrypt: the account's own or a decoy) counts one Logins or LoginsFailed.
    CABINET_METRICS: 'on',
  },
  clock: { stoppedAt: '2026-11-23T10:00:00Z' },
});

// What the requests write is captured (and so not printed); the flood's metric lines are read from it.
const output = captureAllLogs();
afterAll(async () => {
  output.restore();
  await gateway.close();
});

async function timedLogin(login: string, password: string, ip: string) {
  const started = performance.now();
  const response = await request('POST', '/v1/booking/auth', { headers: partnerHeaders, body: { login, password }, sourceIp: ip });
  return { status: response.status, ms: performance.now() - started, response };
}

/** How long one scrypt of the service's own settings takes on this machine, as loaded as it is now. */
async function oneScrypt(): Promise<number> {
  const started = performance.now();
  await hashPassword('calibration');
  return performance.now() - started;
}

/**
 * A login with no password to check, admitted by the budget: 422, or 503 where this machine took
 * longer than the function's own time (10 s) for its decoy scrypt, as a loaded one did with eight at once.
 */
const wrongPassword = (status: number) => status === 422 || status === 503;

const randomLogin = (i: number) => `7903${String(1_000_000 + i * 7919).slice(-7)}`;

let realPhone: string;

beforeAll(async () => {
  await push(companyEvent());
  realPhone = '79030000001';
  const { token } = await signIn(gateway, realPhone, '203.0.113.250');
  const set = await request('PUT', '/v1/booking/user/password', { headers: asUser(token), body: { new_password: 'the-real-password' } });
  expect(set.status).toBe(200);
  await request('PUT', '/v1/booking/user', { headers: asUser(set.body.data.user_token), body: { email: 'real.user@example.com' } });
});

beforeEach(() => {
  time.advance(2 * 3600 * 1000);
});

describe('a flood of password logins', () => {
  it('answers the excess of 40 parallel random logins from 40 IPs with 429 at once; the real user still logs in', async () => {
    const scrypt = await oneScrypt();
    const from = output.lines.length;
    const flood = Array.from({ length: 40 }, (_, i) => timedLogin(randomLogin(i), 'guess', `198.51.100.${i + 1}`));
    const honest = timedLogin(realPhone, 'the-real-password', '192.0.2.200');
    const [results, mine] = await Promise.all([Promise.all(flood), honest]);
    const lines = jsonLines(output.lines.slice(from));

    const refused = results.filter((r) => r.status === 429);
    const admitted = results.filter((r) => r.status !== 429);
    expect(admitted).toHaveLength(8); // the budget: each ran a decoy scrypt
    for (const r of admitted) expect(wrongPassword(r.status)).toBe(true);
    expect(refused).toHaveLength(32);
    for (const r of refused) {
      expect(r.response.body).toEqual({ success: false, data: null, meta: { message: 'Too many requests.' } });
      expect(Number(r.response.headers['retry-after'])).toBeLessThanOrEqual(60);
    }
    // Refused before any scrypt: the password checks counted are the real user's and the admitted
    // decoys', none of the 32 refusals'. A decoy answered 503 at the function's time may finish, and
    // be counted, only after the flood; each answered 422 was counted before its answer.
    expect(metric(lines, 'Logins')).toBe(1);
    const decoys = metric(lines, 'LoginsFailed');
    expect(decoys).toBeGreaterThanOrEqual(admitted.filter((r) => r.status === 422).length);
    expect(decoys).toBeLessThanOrEqual(admitted.length);
    // The real user waits for at most the 8 decoys' scrypts and its own, not the flood's 40: a bound in
    // scrypts timed on this machine now, twice over for the table's work and a loaded machine (on a
    // quiet one this is well inside the Lambda timeout, 10 s in serverless.yml).
    expect(mine.status).toBe(201);
    expect(mine.ms).toBeLessThan(2 * 9 * scrypt);
  });

  it('gives the budget back the next minute, and never holds back a real account meanwhile', async () => {
    const spent = await Promise.all(Array.from({ length: 9 }, (_, i) => timedLogin(randomLogin(100 + i), 'guess', `198.51.101.${i + 1}`)));
    expect(spent.filter((r) => r.status === 429)).toHaveLength(1);
    expect(spent.filter((r) => wrongPassword(r.status))).toHaveLength(8);
    expect((await timedLogin(realPhone, 'a-wrong-one', '192.0.2.201')).status).toBe(422);
    expect((await timedLogin('real.user@example.com', 'the-real-password', '192.0.2.202')).status).toBe(201);
    time.advance(60_000);
    expect((await timedLogin(randomLogin(200), 'guess', '198.51.102.1')).status).toBe(422);
  });
});

describe('limits per account, not per login string', () => {
  it('counts guesses by phone and by email against one allowance (4 here, not 8)', async () => {
    const ips = Array.from({ length: 6 }, (_, i) => `192.0.2.${210 + i}`);
    expect((await timedLogin(realPhone, 'guess-1', ips[0]!)).status).toBe(422);
    expect((await timedLogin('REAL.USER@example.com', 'guess-2', ips[1]!)).status).toBe(422);
    expect((await timedLogin(`+${realPhone}`, 'guess-3', ips[2]!)).status).toBe(422);
    expect((await timedLogin('real.user@example.com', 'guess-4', ips[3]!)).status).toBe(422);
    expect((await timedLogin('real.user@example.com', 'the-real-password', ips[4]!)).status).toBe(429);
    expect((await timedLogin(realPhone, 'the-real-password', ips[5]!)).status).toBe(429);
    time.advance(3600 * 1000);
    expect((await timedLogin(realPhone, 'the-real-password', ips[5]!)).status).toBe(201);
  });
});
