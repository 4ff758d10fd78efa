// A wrong SMS code cost an unregistered phone extra work (a read of the code's
// extras, a sequential user id allocated, a bigger transaction: a timing oracle of whether a phone
// has an account) and burned a user id. Now the code is checked first and alone: a wrong code makes
// the same table requests whoever owns the phone, and only a login whose code was right allocates
// an id. A proxy in front of DynamoDB Local records every request the handlers make.
import { startDynamoProxy } from '../helpers/dynamo-proxy.js';
import { startSmsGateway } from '../helpers/sms-gateway.js';
import { given } from '../helpers/fixture.js';
import { request } from '../helpers/api.js';
import { partnerHeaders, signIn, asUser } from '../helpers/sign-in.js';
import { companyEvent } from '../helpers/altegio.js';
import { push } from '../helpers/webhook.js';

const [proxy, gateway] = await Promise.all([startDynamoProxy(process.env.CABINET_DYNAMODB_ENDPOINT!), startSmsGateway()]);
const { time } = await given({
  env: { CABINET_DYNAMODB_ENDPOINT: proxy.endpoint, CABINET_SMS_URL: gateway.url },
  clock: { stoppedAt: '2026-11-23T10:00:00Z' },
});

afterAll(() => Promise.all([proxy.close(), gateway.close()]));

let ipCounter = 0;
let phoneCounter = 0;
const freshIp = () => `198.18.9.${++ipCounter}`;
const freshPhone = () => `7926${String(++phoneCounter).padStart(7, '0')}`;

const bookCode = (phone: string) =>
  request('POST', '/v1/book_code/4564', { headers: partnerHeaders, body: { phone }, sourceIp: freshIp() });
const userAuth = (phone: string, code: string) =>
  request('POST', '/v1/user/auth', { headers: partnerHeaders, body: { phone, code }, sourceIp: freshIp() });
const wrongFor = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, '0');

/** What a request did to the table: each operation with the kinds of item it named (`CODE`, `USER`, …), values left out. */
function work(requests: typeof proxy.requests): string[] {
  return requests.map(({ operation, body }) => {
    const kinds = [...body.matchAll(/"pk":\{"S":"([A-Z_]+)#/g)].map((m) => m[1]);
    return `${operation} ${kinds.join(',')}`;
  });
}

async function workOf(send: () => Promise<{ status: number; body: any }>): Promise<string[]> {
  proxy.requests.length = 0;
  const response = await send();
  expect(response.status).toBe(422);
  expect(response.body.meta.errors).toEqual([{ code: 432, message: 'code: wrong or expired SMS code' }]);
  return work(proxy.requests);
}

beforeAll(async () => {
  await push(companyEvent());
});

// Past every SMS cooldown and window between tests.
beforeEach(() => {
  time.advance(24 * 3600 * 1000);
});

describe('a wrong SMS code', () => {
  it('makes the same table requests for a phone with an account and for one without', async () => {
    const registered = freshPhone();
    await signIn(gateway, registered, freshIp());
    time.advance(3600 * 1000);
    const unregistered = freshPhone();
    expect((await bookCode(registered)).status).toBe(201);
    expect((await bookCode(unregistered)).status).toBe(201);

    const forRegistered = await workOf(() => userAuth(registered, wrongFor(gateway.lastCode(registered)!)));
    const forUnregistered = await workOf(() => userAuth(unregistered, wrongFor(gateway.lastCode(unregistered)!)));
    expect(forUnregistered).toEqual(forRegistered);
    // Neither looked the phone's owner up, allocated an id or wrote a user.
    for (const step of forRegistered) expect(step).not.toMatch(/PHONE|USER|SEQUENCE/);
    // Nor does a phone that was never sent a code differ from them.
    expect(await workOf(() => userAuth(freshPhone(), '123456'))).toEqual(forRegistered);
  });

  it('consumes no user id: the next new user gets the id it would have had without the wrong codes', async () => {
    const before = await signIn(gateway, freshPhone(), freshIp());
    for (let i = 0; i < 5; i++) {
      const phone = freshPhone();
      expect((await bookCode(phone)).status).toBe(201);
      const code = gateway.lastCode(phone)!;
      // A phone's every attempt, and a code given for a phone that was sent none.
      for (let attempt = 0; attempt < 5; attempt++) expect((await userAuth(phone, wrongFor(code))).status).toBe(422);
      expect((await userAuth(freshPhone(), code)).status).toBe(422);
    }
    const next = await signIn(gateway, freshPhone(), freshIp());
    expect(next.id).toBe(before.id + 1);
  });

  it('still lets the right code in after wrong ones, and makes the user only then', async () => {
    const phone = freshPhone();
    expect((await bookCode(phone)).status).toBe(201);
    const code = gateway.lastCode(phone)!;
    expect((await userAuth(phone, wrongFor(code))).status).toBe(422);
    const login = await userAuth(phone, code);
    expect(login.status).toBe(201);
    expect(login.body.data.phone).toBe(phone);
    // The code is spent: it does not log in twice.
    expect((await userAuth(phone, code)).status).toBe(422);
  });

  it('is one use when the right code races itself: one login, one user', async () => {
    const phone = freshPhone();
    expect((await bookCode(phone)).status).toBe(201);
    const code = gateway.lastCode(phone)!;
    const answers = await Promise.all(Array.from({ length: 4 }, () => userAuth(phone, code)));
    expect(answers.map((a) => a.status).sort()).toEqual([201, 422, 422, 422]);
  });
});

describe('a failed password login', () => {
  const passwordLogin = (login: string) =>
    request('POST', '/v1/booking/auth', { headers: partnerHeaders, body: { login, password: 'not-the-password' }, sourceIp: freshIp() });

  async function failedWork(login: string): Promise<string[]> {
    proxy.requests.length = 0;
    const response = await passwordLogin(login);
    expect(response.status).toBe(422);
    expect(response.body.meta.errors).toEqual([{ code: 1008, message: 'Wrong login or password.' }]);
    return work(proxy.requests);
  }

  it('makes the same table requests for an unknown login as for an account (without a password) that has it', async () => {
    const phone = freshPhone();
    const { token } = await signIn(gateway, phone, freshIp());
    const email = `known-${phone}@example.com`;
    expect((await request('PUT', '/v1/booking/user', { headers: asUser(token), body: { email } })).status).toBe(202);
    const byPhone = await failedWork(phone);
    expect(await failedWork(freshPhone())).toEqual(byPhone);
    const byEmail = await failedWork(email);
    expect(await failedWork(`nobody-${phone}@example.com`)).toEqual(byEmail);
    // No user was made or changed by any.
    for (const step of [...byPhone, ...byEmail]) expect(step).not.toMatch(/^(PutItem|TransactWriteItems) .*USER/);
  });
});
