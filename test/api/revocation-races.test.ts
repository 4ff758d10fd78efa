// Token revocation under concurrency: many password changes at once, and requests racing a change.
// Whatever interleaving DynamoDB picks, exactly one change wins, every token from before it is
// dead afterwards, and only the winner's new token (and tokens issued after it) work.
import { startSmsGateway } from '../helpers/sms-gateway.js';
import { given } from '../helpers/fixture.js';
import { request } from '../helpers/api.js';
import { asUser, signIn } from '../helpers/sign-in.js';
import { companyEvent } from '../helpers/altegio.js';
import { push } from '../helpers/webhook.js';

const gateway = await startSmsGateway();
const { time } = await given({
  env: {
    CABINET_SMS_URL: gateway.url,
    // Many scrypt hashes and transactions at once: on a loaded machine DynamoDB Local answers slowly,
    // and a 2 s timeout would turn a slow answer into a 503 the race is not about.
    CABINET_DYNAMODB_TIMEOUT_MS: '10000',
  },
  clock: { stoppedAt: '2026-11-23T10:00:00Z' },
});

afterAll(() => gateway.close());

/**
 * A 503 (a transaction that met a concurrent one: no verdict on the password) tells the client to
 * try again, so the test does, as a client would: a retried loser must still lose.
 */
async function settled(attempt: () => ReturnType<typeof request>): ReturnType<typeof request> {
  let response = await attempt();
  for (let tries = 1; response.status === 503 && tries < 4; tries++) response = await attempt();
  return response;
}
const setPassword = (token: string, body: Record<string, unknown>) =>
  settled(() => request('PUT', '/v1/booking/user/password', { headers: asUser(token), body }));
const works = async (token: string) => (await request('GET', '/v1/booking/user/data', { headers: asUser(token) })).status === 200;

beforeAll(async () => {
  await push(companyEvent());
});

describe('password changes racing', () => {
  it('lets exactly one of 6 simultaneous first passwords win; every other token is dead', async () => {
    const phone = '79160001001';
    const tokens: string[] = [];
    for (let i = 0; i < 3; i++) {
      tokens.push((await signIn(gateway, phone, `192.0.2.${10 + i}`)).token);
      time.advance(61_000);
    }
    const responses = await Promise.all(
      Array.from({ length: 6 }, (_, i) => setPassword(tokens[i % 3]!, { new_password: `password-${i}` })),
    );
    const winners = responses.filter((r) => r.status === 200);
    expect(winners).toHaveLength(1);
    // The losers were refused as having the wrong (now changed) old password, or as no longer signed in.
    for (const loser of responses.filter((r) => r.status !== 200)) expect([401, 422]).toContain(loser.status);
    for (const old of tokens) expect(await works(old)).toBe(false);
    expect(await works(winners[0]!.body.data.user_token)).toBe(true);
  });

  it('leaves only the winner of 5 simultaneous changes of an existing password able to sign in', async () => {
    const phone = '79160001002';
    const first = await signIn(gateway, phone, '192.0.2.20');
    const set = (await setPassword(first.token, { new_password: 'the-old-one' })).body.data.user_token;
    const responses = await Promise.all(
      Array.from({ length: 5 }, (_, i) => setPassword(set, { old_password: 'the-old-one', new_password: `new-one-${i}` })),
    );
    const winners = responses.flatMap((r, i) => (r.status === 200 ? [i] : []));
    expect(winners).toHaveLength(1);
    expect(await works(set)).toBe(false);
    const logins = await Promise.all(
      Array.from({ length: 5 }, (_, i) =>
        request('POST', '/v1/booking/auth', {
          body: { login: phone, password: `new-one-${i}` },
          headers: { authorization: 'Bearer test-partner-token-0123456789abcdef' },
          sourceIp: `192.0.2.${30 + i}`,
        }),
      ),
    );
    expect(logins.map((r) => r.status)).toEqual(logins.map((_, i) => (i === winners[0] ? 201 : 422)));
  });

  it('lets no request with an old token through once the change has answered', async () => {
    const phone = '79160001003';
    const { token } = await signIn(gateway, phone, '192.0.2.40');
    const racing = Array.from({ length: 10 }, () => request('GET', '/v1/booking/user/data', { headers: asUser(token) }));
    const change = await setPassword(token, { new_password: 'after-the-race' });
    await Promise.all(racing); // whatever they saw while the change was in flight
    expect(change.status).toBe(200);
    const after = await Promise.all(Array.from({ length: 10 }, () => request('GET', '/v1/booking/user/data', { headers: asUser(token) })));
    expect(after.map((r) => r.status)).toEqual(Array(10).fill(401));
  });
});
