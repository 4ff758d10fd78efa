// A phone change's code under racing guesses (docs/contract.md section 5: at most 5 wrong attempts,
// exact under concurrency). DynamoDB is slowed by the fault proxy, 40 ms a request, so that many
// guesses are in flight at once, as they are against a table in another data centre.
import { startDynamoProxy } from '../helpers/dynamo-proxy.js';
import { startSmsGateway } from '../helpers/sms-gateway.js';
import { given } from '../helpers/fixture.js';
import { request } from '../helpers/api.js';
import { asUser, signIn } from '../helpers/sign-in.js';
import { companyEvent } from '../helpers/altegio.js';
import { push } from '../helpers/webhook.js';
import { keys } from '../../lib/db/keys.js';

const [proxy, gateway] = await Promise.all([startDynamoProxy(process.env.CABINET_DYNAMODB_ENDPOINT!), startSmsGateway()]);
const { time: serviceClock } = await given({
  env: { CABINET_DYNAMODB_ENDPOINT: proxy.endpoint, CABINET_SMS_URL: gateway.url },
  clock: { stoppedAt: Date.parse('2026-11-23T08:00:00Z') },
});

let counter = 0;
const freshPhone = () => `7926${String(++counter).padStart(7, '0')}`;
const freshIp = () => `198.18.1.${++counter}`;

afterAll(() => Promise.all([proxy.close(), gateway.close()]));
beforeAll(() => push(companyEvent({})));
beforeEach(() => {
  serviceClock.advance(2 * 3600 * 1000);
  proxy.delayMs = 0;
});

const updateUser = (token: string, body: Record<string, unknown>) =>
  request('PUT', '/v1/booking/user', { headers: asUser(token), body, sourceIp: freshIp() });
const wrongOf = (code: string) => Array.from({ length: 40 }, (_, i) => String((Number(code) + 1 + i * 7919) % 1_000_000).padStart(6, '0'));

/** A signed-in user with a phone-change code sent to `target`: the right code. */
async function userWithCode(target: string) {
  const { id, token } = await signIn(gateway, freshPhone(), freshIp());
  const sent = await request('GET', `/v1/booking/user/phone_confirmation?phone=${target}&company_id=4564`, {
    headers: asUser(token),
    sourceIp: freshIp(),
  });
  expect(sent.status).toBe(202);
  return { id, token, code: gateway.lastCode(target) };
}

/**
 * The table requests that could have let a guess at this code through: a transaction holding the
 * code's item (where the digest is compared), and each attempt the table granted (answered 200 to
 * the counting update, after which the digest is compared in the function).
 */
function checksOf(userId: number, phone: string) {
  const key = JSON.stringify(keys.code('phone_change', String(userId), phone).pk);
  return proxy.requests.filter(
    (r) => r.body.includes(key) && (r.operation === 'TransactWriteItems' || (r.operation === 'UpdateItem' && r.status === 200)),
  ).length;
}

describe('a phone-change code under racing guesses', () => {
  it('is checked at most 5 times when 40 wrong codes race, and then refuses the right one', async () => {
    const target = freshPhone();
    const { id, token, code } = await userWithCode(target);
    proxy.requests.length = 0;
    proxy.delayMs = 40;
    const answers = await Promise.all(wrongOf(code).map((guess) => updateUser(token, { phone: target, confirmation_code: guess })));
    expect(answers.map((a) => a.status)).toEqual(Array(40).fill(422));
    expect(answers.every((a) => a.body.meta.errors?.[0]?.code === 432)).toBe(true);
    expect(checksOf(id, target)).toBeLessThanOrEqual(5);
    expect((await updateUser(token, { phone: target, confirmation_code: code })).body.meta.errors?.[0]?.code).toBe(432);
    expect((await request('GET', '/v1/booking/user/data', { headers: asUser(token) })).body.data.phone).not.toBe(target);
  });

  it('refuses the right code sent 12th of 40 racing guesses unless it was among the first 5 checked', async () => {
    const target = freshPhone();
    const { id, token, code } = await userWithCode(target);
    proxy.requests.length = 0;
    proxy.delayMs = 40;
    const guesses = wrongOf(code).slice(0, 39);
    guesses.splice(11, 0, code);
    const answers = await Promise.all(guesses.map((guess) => updateUser(token, { phone: target, confirmation_code: guess })));
    const accepted = answers.filter((a) => a.status === 202).length;
    expect(accepted).toBeLessThanOrEqual(1);
    expect(checksOf(id, target)).toBeLessThanOrEqual(5 + accepted);
    const phone = (await request('GET', '/v1/booking/user/data', { headers: asUser(token) })).body.data.phone;
    expect(phone === target).toBe(accepted === 1);
  });

  it('refuses the right code after 5 wrong ones, one at a time', async () => {
    const target = freshPhone();
    const { token, code } = await userWithCode(target);
    proxy.delayMs = 40;
    for (const guess of wrongOf(code).slice(0, 5))
      expect((await updateUser(token, { phone: target, confirmation_code: guess })).body.meta.errors?.[0]?.code).toBe(432);
    expect((await updateUser(token, { phone: target, confirmation_code: code })).body.meta.errors?.[0]?.code).toBe(432);
  });
});
