// Profile and password (docs/contract.md 3.2–3.4, password login of section 2), through the real
// handlers with a real local SMS gateway and the service clock moved instead of sleeping.
import { jest } from '@jest/globals';
import { startSmsGateway } from '../helpers/sms-gateway.js';
import { given } from '../helpers/fixture.js';
import { request } from '../helpers/api.js';
import { asUser, partnerHeaders as partner, signIn } from '../helpers/sign-in.js';
import { companyEvent, recordEvent } from '../helpers/altegio.js';
import { push } from '../helpers/webhook.js';

const gateway = await startSmsGateway();
const { time } = await given({
  env: { CABINET_SMS_URL: gateway.url, CABINET_SMS_USER_PER_HOUR: '3', CABINET_LOGIN_PER_HOUR: '4' },
  clock: { stoppedAt: '2026-11-23T08:00:00Z' },
});

let ipCounter = 0;
let phoneCounter = 0;
const freshIp = () => `198.18.0.${++ipCounter}`;
const freshPhone = () => `7926${String(++phoneCounter).padStart(7, '0')}`;

// Every response and every log line of this file is kept, to check no password hash ever shows.
const seen: string[] = [];
const logs: string[] = [];
for (const method of ['log', 'error', 'warn', 'info'] as const) {
  jest.spyOn(console, method).mockImplementation((...args: unknown[]) => void logs.push(args.map(String).join(' ')));
}
async function call(method: string, path: string, options: Parameters<typeof request>[2] = {}) {
  const response = await request(method, path, options);
  seen.push(response.text);
  return response;
}

afterAll(async () => {
  await gateway.close();
  jest.restoreAllMocks();
});

const userData = async (token: string) => (await call('GET', '/v1/booking/user/data', { headers: asUser(token) })).body.data;

function confirmPhone(token: string, phone: string, query = 'company_id=4564', ip = freshIp()) {
  return call('GET', `/v1/booking/user/phone_confirmation?phone=${encodeURIComponent(phone)}&${query}`, {
    headers: asUser(token),
    sourceIp: ip,
  });
}

function updateUser(token: string, body: Record<string, unknown>) {
  return call('PUT', '/v1/booking/user', { headers: asUser(token), body });
}

const errorOf = (response: { body: { meta: { errors?: Array<{ code: number; message: string }> } } }) => response.body.meta.errors?.[0];

beforeAll(async () => {
  await push(companyEvent({ group_id: 77 }));
});

// Past every cooldown and hourly window between tests.
beforeEach(() => {
  time.advance(2 * 3600 * 1000);
});

describe('phone confirmation codes', () => {
  it('texts a code to the new phone, bound to the user, and acknowledges with 202', async () => {
    const { token } = await signIn(gateway, freshPhone(), freshIp());
    const target = freshPhone();
    const response = await confirmPhone(token, `+${target}`);
    expect(response.status).toBe(202);
    expect(response.body).toEqual({ success: true, meta: { message: 'Accepted' } });
    expect(gateway.received.at(-1)).toMatchObject({ to: target, purpose: 'phone_change' });
  });

  it('takes a group instead of a company, and needs exactly one of them', async () => {
    const { token } = await signIn(gateway, freshPhone(), freshIp());
    expect((await confirmPhone(token, freshPhone(), 'group_id=77')).status).toBe(202);
    for (const query of ['company_id=4564&group_id=77', 'x=1']) {
      const response = await confirmPhone(token, freshPhone(), query);
      expect(response.status).toBe(422);
      expect(errorOf(response)).toEqual({ code: 1001, message: 'company_id: give exactly one of company_id and group_id' });
    }
  });

  it('answers 404 for an unknown company or group, and sends nothing', async () => {
    const { token } = await signIn(gateway, freshPhone(), freshIp());
    const before = gateway.received.length;
    expect((await confirmPhone(token, freshPhone(), 'company_id=999')).status).toBe(404);
    expect((await confirmPhone(token, freshPhone(), 'group_id=999')).status).toBe(404);
    expect(gateway.received.length).toBe(before);
  });

  it('lets one user ask for at most 3 codes an hour (as configured), for any phones', async () => {
    const { token } = await signIn(gateway, freshPhone(), freshIp());
    for (let i = 0; i < 3; i++) expect((await confirmPhone(token, freshPhone())).status).toBe(202);
    const refused = await confirmPhone(token, freshPhone());
    expect(refused.status).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    time.advance(3600 * 1000);
    expect((await confirmPhone(token, freshPhone())).status).toBe(202);
  });

  it('needs a signed-in user', async () => {
    expect((await call('GET', '/v1/booking/user/phone_confirmation?phone=79161234567&company_id=4564', { headers: partner })).status).toBe(
      401,
    );
  });
});

describe('changing the phone', () => {
  it('moves the user, their appointments and their login to the new phone', async () => {
    const [oldPhone, newPhone] = [freshPhone(), freshPhone()];
    await push(recordEvent(810001, { client: { id: 1, phone: oldPhone } }));
    await push(recordEvent(810002, { client: { id: 2, phone: newPhone } }));
    const { id, token } = await signIn(gateway, oldPhone, freshIp());
    const ids = async () => (await call('GET', '/v1/user/records', { headers: asUser(token) })).body.data.map((r: { id: number }) => r.id);
    expect(await ids()).toEqual([810001]);

    await confirmPhone(token, newPhone);
    const changed = await updateUser(token, { phone: newPhone, confirmation_code: gateway.lastCode(newPhone) });
    expect(changed.status).toBe(202);
    expect(changed.body).toEqual({ success: true, meta: { message: 'Accepted' } });
    expect(await userData(token)).toMatchObject({ id, phone: newPhone, login: newPhone });
    expect(await ids()).toEqual([810002]);
    // The old phone no longer leads to this user: logging in with it makes someone else.
    time.advance(61_000);
    expect((await signIn(gateway, oldPhone, freshIp())).id).not.toBe(id);
  });

  it('needs the code: missing is 1001, wrong is 432', async () => {
    const { token } = await signIn(gateway, freshPhone(), freshIp());
    const target = freshPhone();
    await confirmPhone(token, target);
    expect(errorOf(await updateUser(token, { phone: target }))).toEqual({
      code: 1001,
      message: 'confirmation_code: required to change the phone',
    });
    const code = gateway.lastCode(target);
    const wrong = code === '111111' ? '222222' : '111111';
    expect(errorOf(await updateUser(token, { phone: target, confirmation_code: wrong }))).toEqual({
      code: 432,
      message: 'confirmation_code: wrong or expired SMS code',
    });
    expect((await updateUser(token, { phone: target, confirmation_code: code })).status).toBe(202);
  });

  it('refuses a code for another phone, one issued to another user, an expired one and a used one', async () => {
    const alice = await signIn(gateway, freshPhone(), freshIp());
    const bob = await signIn(gateway, freshPhone(), freshIp());
    const [p1, p2, p3] = [freshPhone(), freshPhone(), freshPhone()];
    await confirmPhone(alice.token, p1);
    const aliceCode = gateway.lastCode(p1);
    expect(errorOf(await updateUser(alice.token, { phone: p2, confirmation_code: aliceCode }))?.code).toBe(432);
    expect(errorOf(await updateUser(bob.token, { phone: p1, confirmation_code: aliceCode }))?.code).toBe(432);
    // Used: Alice moves to p1 with her code, back to her old phone, then tries the p1 code again.
    const original = (await userData(alice.token)).phone;
    expect((await updateUser(alice.token, { phone: p1, confirmation_code: aliceCode })).status).toBe(202);
    time.advance(2 * 3600 * 1000);
    // Moving the phone needs a fresh SMS login (test/api/phone-move.test.ts): Alice signs in again.
    const again = await signIn(gateway, p1, freshIp());
    await confirmPhone(again.token, original);
    expect((await updateUser(again.token, { phone: original, confirmation_code: gateway.lastCode(original) })).status).toBe(202);
    expect(errorOf(await updateUser(again.token, { phone: p1, confirmation_code: aliceCode }))?.code).toBe(432);
    // Expired: ten minutes after it was sent, even to a token from a fresh login.
    const bobPhone = (await userData(bob.token)).phone;
    await confirmPhone(bob.token, p3);
    time.advance(10 * 60 * 1000);
    const bobAgain = await signIn(gateway, bobPhone, freshIp());
    expect(errorOf(await updateUser(bobAgain.token, { phone: p3, confirmation_code: gateway.lastCode(p3) }))?.code).toBe(432);
  });

  it("refuses another user's phone with 1002, and keeps the code for a later try", async () => {
    const taken = freshPhone();
    const owner = await signIn(gateway, taken, freshIp());
    const { token } = await signIn(gateway, freshPhone(), freshIp());
    time.advance(61_000); // past the cooldown the owner's own login code started
    expect((await confirmPhone(token, taken)).status).toBe(202);
    const code = gateway.lastCode(taken);
    const response = await updateUser(token, { phone: taken, confirmation_code: code });
    expect(response.status).toBe(422);
    expect(errorOf(response)).toEqual({ code: 1002, message: 'phone: already used by another user' });
    // Once the owner moves away, the same code still works: nothing was used up by the refusal.
    time.advance(61_000);
    const elsewhere = freshPhone();
    await confirmPhone(owner.token, elsewhere);
    expect((await updateUser(owner.token, { phone: elsewhere, confirmation_code: gateway.lastCode(elsewhere) })).status).toBe(202);
    expect((await updateUser(token, { phone: taken, confirmation_code: code })).status).toBe(202);
  });

  it('lets exactly one of two users racing onto the same new phone win', async () => {
    const target = freshPhone();
    const a = await signIn(gateway, freshPhone(), freshIp());
    const b = await signIn(gateway, freshPhone(), freshIp());
    await confirmPhone(a.token, target);
    const codeA = gateway.lastCode(target);
    time.advance(61_000);
    await confirmPhone(b.token, target);
    const codeB = gateway.lastCode(target);
    const [ra, rb] = await Promise.all([
      updateUser(a.token, { phone: target, confirmation_code: codeA }),
      updateUser(b.token, { phone: target, confirmation_code: codeB }),
    ]);
    expect([ra.status, rb.status].sort()).toEqual([202, 422]);
    expect([errorOf(ra)?.code, errorOf(rb)?.code]).toContain(1002);
    const phones = [(await userData(a.token)).phone, (await userData(b.token)).phone];
    expect(phones.filter((p) => p === target)).toHaveLength(1);
  });
});

describe('name and email', () => {
  it('changes them, and the user object shows it', async () => {
    const { token } = await signIn(gateway, freshPhone(), freshIp());
    expect((await updateUser(token, { name: 'Maria', email: 'Maria@Example.com' })).status).toBe(202);
    expect(await userData(token)).toMatchObject({ name: 'Maria', email: 'Maria@Example.com' });
  });

  it('keeps emails unique whatever their case, and frees one that is cleared', async () => {
    const a = await signIn(gateway, freshPhone(), freshIp());
    const b = await signIn(gateway, freshPhone(), freshIp());
    expect((await updateUser(a.token, { email: 'shared@example.com' })).status).toBe(202);
    expect(errorOf(await updateUser(b.token, { email: 'SHARED@example.com' }))).toEqual({
      code: 1002,
      message: 'email: already used by another user',
    });
    expect((await updateUser(a.token, { email: '' })).status).toBe(202);
    expect((await updateUser(b.token, { email: 'shared@example.com' })).status).toBe(202);
  });

  it('refuses a malformed email or an empty name with 1001 naming the field', async () => {
    const { token } = await signIn(gateway, freshPhone(), freshIp());
    expect(errorOf(await updateUser(token, { email: 'not-an-email' }))).toMatchObject({
      code: 1001,
      message: expect.stringMatching(/^email: /),
    });
    expect(errorOf(await updateUser(token, { name: '  ' }))).toMatchObject({ code: 1001, message: expect.stringMatching(/^name: /) });
  });
});

const setPassword = (token: string, body: Record<string, unknown>) =>
  call('PUT', '/v1/booking/user/password', { headers: asUser(token), body });

describe('passwords', () => {
  it('sets the first password without an old one (fresh SMS login), answers a new token, and revokes every earlier token', async () => {
    const phone = freshPhone();
    const first = await signIn(gateway, phone, freshIp());
    time.advance(2 * 3600 * 1000);
    const second = await signIn(gateway, phone, freshIp());
    const response = await setPassword(second.token, { new_password: 'correct horse' });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ success: true, data: { user_token: expect.stringMatching(/^[0-9a-f]{32}$/) }, meta: [] });
    for (const old of [first.token, second.token])
      expect((await call('GET', '/v1/booking/user/data', { headers: asUser(old) })).status).toBe(401);
    expect((await userData(response.body.data.user_token)).id).toBe(first.id);
  });

  it('needs the old password to change it: missing or wrong is 1003', async () => {
    const { token } = await signIn(gateway, freshPhone(), freshIp());
    const set = (await setPassword(token, { new_password: 'first-password' })).body.data.user_token;
    expect(errorOf(await setPassword(set, { new_password: 'second-password' }))).toEqual({
      code: 1003,
      message: 'old_password: wrong password',
    });
    expect(errorOf(await setPassword(set, { old_password: 'not-it', new_password: 'second-password' }))?.code).toBe(1003);
    const changed = await setPassword(set, { old_password: 'first-password', new_password: 'second-password' });
    expect(changed.status).toBe(200);
    expect((await call('GET', '/v1/booking/user/data', { headers: asUser(set) })).status).toBe(401);
  });

  it('takes 6 to 128 characters', async () => {
    const { token } = await signIn(gateway, freshPhone(), freshIp());
    for (const bad of ['12345', 'x'.repeat(129)]) {
      expect(errorOf(await setPassword(token, { new_password: bad }))).toMatchObject({
        code: 1001,
        message: expect.stringMatching(/^new_password: /),
      });
    }
    expect((await setPassword(token, { new_password: '123456' })).status).toBe(200);
  });
});

describe('password login', () => {
  const login = (body: Record<string, unknown>, ip = freshIp()) =>
    call('POST', '/v1/booking/auth', { headers: partner, body, sourceIp: ip });

  it('logs in by phone in any format, or by email in any case, with 201 and a fresh token', async () => {
    const phone = freshPhone();
    const { id, token } = await signIn(gateway, phone, freshIp());
    await updateUser(token, { email: 'login.test@example.com' });
    const fresh = (await setPassword(token, { new_password: 'pass-word-1' })).body.data.user_token;
    for (const asLogin of [phone, `+${phone}`, `8 ${phone.slice(1, 4)} ${phone.slice(4)}`, 'Login.Test@Example.com']) {
      const response = await login({ login: asLogin, password: 'pass-word-1' });
      expect(response.status).toBe(201);
      expect(response.body.data).toMatchObject({
        id,
        phone,
        login: phone,
        email: 'login.test@example.com',
        user_token: expect.stringMatching(/^[0-9a-f]{32}$/),
      });
      expect(response.body.data.user_token).not.toBe(fresh);
    }
  });

  it('gives one answer for a wrong password, an unknown login and a user without a password', async () => {
    const withPassword = freshPhone();
    const { token } = await signIn(gateway, withPassword, freshIp());
    await setPassword(token, { new_password: 'the-real-one' });
    const withoutPassword = freshPhone();
    await signIn(gateway, withoutPassword, freshIp());
    const answers = [
      await login({ login: withPassword, password: 'a-wrong-one' }),
      await login({ login: freshPhone(), password: 'a-wrong-one' }),
      await login({ login: 'nobody@example.com', password: 'a-wrong-one' }),
      await login({ login: withoutPassword, password: 'a-wrong-one' }),
    ];
    for (const answer of answers) {
      expect(answer.status).toBe(422);
      expect(answer.body).toEqual({
        success: false,
        data: null,
        meta: { message: 'Wrong login or password.', errors: [{ code: 1008, message: 'Wrong login or password.' }] },
      });
    }
  });

  it('allows one login 4 attempts an hour (as configured), from any IPs, then 429', async () => {
    const phone = freshPhone();
    const { token } = await signIn(gateway, phone, freshIp());
    await setPassword(token, { new_password: 'guess-me-not' });
    for (let i = 0; i < 4; i++) expect((await login({ login: phone, password: `guess-${i}` })).status).toBe(422);
    const refused = await login({ login: `+${phone}`, password: 'guess-me-not' });
    expect(refused.status).toBe(429);
    time.advance(3600 * 1000);
    expect((await login({ login: phone, password: 'guess-me-not' })).status).toBe(201);
  });
});

describe('secrets at rest and in transit', () => {
  it('never shows a password hash in any response or log line of this file', () => {
    expect(seen.length).toBeGreaterThan(50);
    for (const text of [...seen, ...logs]) {
      expect(text).not.toContain('$scrypt$');
      expect(text).not.toContain('password_hash');
    }
  });
});
