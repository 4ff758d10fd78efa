// `PUT /booking/user {email}` told whether an email was taken (422 1002, as
// docs/contract.md 3.2 says it must), with no limit, so one account could test any number of addresses.
// Now each user may ask for CABINET_EMAIL_CHANGES_PER_DAY email changes a day (10 here, the
// default), taken or not, from any token or IP; past that 429 with Retry-After, which tells nothing
// of the address. The rule on unverified emails (docs/api.md, docs/security.md): an email set here is a
// login name at once; it opens nothing without the account's password.
import { startSmsGateway } from '../helpers/sms-gateway.js';
import { given } from '../helpers/fixture.js';
import { request } from '../helpers/api.js';
import { asUser, partnerHeaders, signIn } from '../helpers/sign-in.js';
import { companyEvent } from '../helpers/altegio.js';
import { push } from '../helpers/webhook.js';

const gateway = await startSmsGateway();
const { time } = await given({
  env: { CABINET_SMS_URL: gateway.url },
  // Mid-day, so that a day's window is not about to turn over.
  clock: { stoppedAt: '2026-11-23T10:00:00Z' },
});

afterAll(() => gateway.close());

const day = 24 * 3600 * 1000;
let ipCounter = 0;
let phoneCounter = 0;
const freshIp = () => `198.18.11.${++ipCounter}`;
const freshPhone = () => `7925${String(++phoneCounter).padStart(7, '0')}`;

const updateUser = (token: string, body: Record<string, unknown>) =>
  request('PUT', '/v1/booking/user', { headers: asUser(token), body, sourceIp: freshIp() });
const userData = async (token: string) => (await request('GET', '/v1/booking/user/data', { headers: asUser(token) })).body.data;
const errorOf = (response: { body: { meta: { errors?: Array<{ code: number; message: string }> } } }) => response.body.meta.errors?.[0];

beforeAll(async () => {
  await push(companyEvent());
});

beforeEach(() => {
  time.advance(day);
});

describe('email changes', () => {
  it(
    'are limited per user: an account probing whether addresses are taken gets 10 answers a day, then 429 that tells ' + 'nothing',
    async () => {
      const victim = await signIn(gateway, freshPhone(), freshIp());
      expect((await updateUser(victim.token, { email: 'victim@example.com' })).status).toBe(202);
      const prober = await signIn(gateway, freshPhone(), freshIp());

      const answers = [];
      for (let i = 0; i < 9; i++) answers.push((await updateUser(prober.token, { email: `guess${i}@example.com` })).status);
      expect(answers).toEqual(Array(9).fill(202));
      expect(errorOf(await updateUser(prober.token, { email: 'victim@example.com' }))).toEqual({
        code: 1002,
        message: 'email: already used by another user',
      });

      for (const email of ['victim@example.com', 'free-address@example.com']) {
        const refused = await updateUser(prober.token, { email });
        expect(refused.status).toBe(429);
        expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
        expect(refused.body).toEqual({ success: false, data: null, meta: { message: expect.any(String) } });
        expect(refused.text).not.toContain('already used');
      }
      // Nothing was changed by the refused ones.
      expect((await userData(prober.token)).email).toBe('guess8@example.com');
      // The next day it has its allowance again.
      time.advance(day);
      expect(errorOf(await updateUser(prober.token, { email: 'victim@example.com' }))?.code).toBe(1002);
      expect((await updateUser(prober.token, { email: 'next-day@example.com' })).status).toBe(202);
    },
  );

  it('count for the account whichever token asks, and not for another account', async () => {
    const phone = freshPhone();
    const first = await signIn(gateway, phone, freshIp());
    for (let i = 0; i < 10; i++) expect((await updateUser(first.token, { email: `a${i}@example.com` })).status).toBe(202);
    time.advance(2 * 60_000); // past the SMS cooldown: a second token of the same account
    const second = await signIn(gateway, phone, freshIp());
    expect(second.id).toBe(first.id);
    expect((await updateUser(second.token, { email: 'another@example.com' })).status).toBe(429);
    const other = await signIn(gateway, freshPhone(), freshIp());
    expect((await updateUser(other.token, { email: 'another@example.com' })).status).toBe(202);
  });

  it('hold under concurrency: of 15 changes asked for at once, exactly 5 are refused', async () => {
    const user = await signIn(gateway, freshPhone(), freshIp());
    const answers = await Promise.all(Array.from({ length: 15 }, (_, i) => updateUser(user.token, { email: `racing${i}@example.com` })));
    // The 10 let through race each other on the profile (202, or 503 to retry); none is over the limit.
    expect(answers.filter((a) => a.status === 429)).toHaveLength(5);
    expect(answers.every((a) => [202, 429, 503].includes(a.status))).toBe(true);
  });

  it('count only requests that change the email: a name change, or the same email in another case, never runs out', async () => {
    const user = await signIn(gateway, freshPhone(), freshIp());
    expect((await updateUser(user.token, { email: 'Same@Example.com' })).status).toBe(202);
    for (let i = 0; i < 12; i++) {
      expect((await updateUser(user.token, { name: `Name ${i}` })).status).toBe(202);
      expect((await updateUser(user.token, { email: 'same@example.COM', name: `Name ${i}` })).status).toBe(202);
    }
    // Its spelling is the user's to choose; the address, and who owns it, stayed the same.
    expect(await userData(user.token)).toMatchObject({ name: 'Name 11', email: 'same@example.COM' });
  });

  it("make an email a login name at once: with the account's password, and only with it", async () => {
    const user = await signIn(gateway, freshPhone(), freshIp());
    const set = await request('PUT', '/v1/booking/user/password', { headers: asUser(user.token), body: { new_password: 'owner-secret' } });
    expect(set.status).toBe(200);
    expect((await updateUser(set.body.data.user_token, { email: 'owner@example.com' })).status).toBe(202);
    const login = (login: string, password: string) =>
      request('POST', '/v1/booking/auth', { headers: partnerHeaders, body: { login, password }, sourceIp: freshIp() });
    const byEmail = await login('OWNER@example.com', 'owner-secret');
    expect(byEmail.status).toBe(201);
    expect(byEmail.body.data.id).toBe(user.id);
    expect((await login('owner@example.com', 'a-guess')).status).toBe(422);
  });
});
