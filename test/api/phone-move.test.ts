// The other way to keep an account: a stolen user token moved the account to
// the thief's phone (`phone_confirmation` texts the thief's own phone, `PUT /booking/user` with
// that code), after which the owner's SMS login at the old phone found no account (it started a
// new one) and could take nothing back. The rule now (docs/api.md, docs/security.md): the phone is
// moved only with a token from an SMS-code login of the last CABINET_FRESH_LOGIN_S (10 minutes).
import { startSmsGateway } from '../helpers/sms-gateway.js';
import { given } from '../helpers/fixture.js';
import { request } from '../helpers/api.js';
import { asUser, signIn, partnerHeaders } from '../helpers/sign-in.js';
import { companyEvent } from '../helpers/altegio.js';
import { push } from '../helpers/webhook.js';

const gateway = await startSmsGateway();
const { time } = await given({
  env: { CABINET_SMS_URL: gateway.url },
  clock: { stoppedAt: '2026-11-23T10:00:00Z' },
});

afterAll(() => gateway.close());

const minute = 60_000;
let ipCounter = 0;
let phoneCounter = 0;
const freshIp = () => `198.18.13.${++ipCounter}`;
const freshPhone = () => `7924${String(++phoneCounter).padStart(7, '0')}`;

const askCode = (token: string, phone: string) =>
  request('GET', `/v1/booking/user/phone_confirmation?phone=${phone}&company_id=4564`, { headers: asUser(token), sourceIp: freshIp() });
const moveTo = (token: string, phone: string, code: string) =>
  request('PUT', '/v1/booking/user', { headers: asUser(token), body: { phone, confirmation_code: code }, sourceIp: freshIp() });
const userData = async (token: string) => (await request('GET', '/v1/booking/user/data', { headers: asUser(token) })).body.data;

beforeAll(async () => {
  await push(companyEvent());
});

beforeEach(() => {
  time.advance(24 * 3600 * 1000);
});

describe('moving the account to another phone', () => {
  it('is refused to a token older than 10 minutes: the owner keeps the account and its phone', async () => {
    const ownerPhone = freshPhone();
    const owner = await signIn(gateway, ownerPhone, freshIp());
    time.advance(30 * minute); // the token leaks later
    const thiefPhone = freshPhone();
    expect((await askCode(owner.token, thiefPhone)).status).toBe(202);
    const moved = await moveTo(owner.token, thiefPhone, gateway.lastCode(thiefPhone)!);
    expect(moved.status).toBe(422);
    expect(moved.body.meta.errors).toEqual([
      { code: 1009, message: 'phone: changing it needs a sign-in with an SMS code in the last 10 minutes' },
    ]);
    expect((await userData(owner.token)).phone).toBe(ownerPhone);
    // The owner's SMS login still finds the account.
    time.advance(2 * minute);
    expect((await signIn(gateway, ownerPhone, freshIp())).id).toBe(owner.id);
  });

  it('works with a token from an SMS login of the last 10 minutes, and the code refused before is still good then', async () => {
    const phone = freshPhone();
    const old = await signIn(gateway, phone, freshIp());
    time.advance(30 * minute);
    const target = freshPhone();
    expect((await askCode(old.token, target)).status).toBe(202);
    const code = gateway.lastCode(target)!;
    expect((await moveTo(old.token, target, code)).status).toBe(422);
    const fresh = await signIn(gateway, phone, freshIp());
    time.advance(9 * minute);
    expect((await moveTo(fresh.token, target, code)).status).toBe(202);
    expect((await userData(fresh.token)).phone).toBe(target);
  });

  it('is refused to a token from a password login, however fresh: knowing the password does not move the phone', async () => {
    const phone = freshPhone();
    const owner = await signIn(gateway, phone, freshIp());
    const set = await request('PUT', '/v1/booking/user/password', {
      headers: asUser(owner.token),
      body: { new_password: 'known-password' },
    });
    expect(set.status).toBe(200);
    const login = await request('POST', '/v1/booking/auth', {
      headers: partnerHeaders,
      body: { login: phone, password: 'known-password' },
      sourceIp: freshIp(),
    });
    expect(login.status).toBe(201);
    const target = freshPhone();
    expect((await askCode(login.body.data.user_token, target)).status).toBe(202);
    expect((await moveTo(login.body.data.user_token, target, gateway.lastCode(target)!)).body.meta.errors?.[0]?.code).toBe(1009);
  });

  it("does not touch a request that keeps the phone, whatever the token's age", async () => {
    const phone = freshPhone();
    const user = await signIn(gateway, phone, freshIp());
    time.advance(3 * 3600 * 1000);
    expect((await request('PUT', '/v1/booking/user', { headers: asUser(user.token), body: { phone, name: 'Same Phone' } })).status).toBe(
      202,
    );
    expect((await userData(user.token)).name).toBe('Same Phone');
  });
});
