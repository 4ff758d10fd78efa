// Logging in by SMS code, end to end: real handlers, DynamoDB Local, a real HTTP SMS gateway.
import { captureErrors, jsonLines } from '../helpers/logs.js';
import { startSmsGateway } from '../helpers/sms-gateway.js';
import { testPartnerToken } from '../helpers/table.js';
import { given } from '../helpers/fixture.js';
import { request } from '../helpers/api.js';
import { companyEvent, recordEvent } from '../helpers/altegio.js';
import { pushWebhook as push } from '../helpers/webhook.js';

const gateway = await startSmsGateway();
const { time } = await given({
  env: {
    CABINET_SMS_URL: gateway.url,
    CABINET_SMS_TIMEOUT_MS: '300',
  },
  clock: { stoppedAt: '2026-11-23T10:00:00Z' },
});

afterAll(() => gateway.close());

const partner = { authorization: `Bearer ${testPartnerToken}` };
let ipCounter = 0;
/** Each test speaks from its own IP, so the per-IP limits of one do not reach into another. */
const freshIp = () => `198.51.100.${++ipCounter}`;
/** Past every cooldown, into a new day's windows. */
const nextDay = () => {
  time.advance(24 * 3600 * 1000);
};

function bookCode(phone: string, ip: string, extra: Record<string, unknown> = {}, companyId = 4564) {
  return request('POST', `/v1/book_code/${companyId}`, { headers: partner, body: { phone, ...extra }, sourceIp: ip });
}

function userAuth(phone: string, code: string, ip: string) {
  return request('POST', '/v1/user/auth', { headers: partner, body: { phone, code }, sourceIp: ip });
}

const asUser = (token: string) => ({ authorization: `Bearer ${testPartnerToken}, User ${token}` });

beforeAll(async () => {
  expect((await push(companyEvent())).status).toBe(200);
});

beforeEach(nextDay);

describe('login by SMS code', () => {
  it('texts a code, logs in with it, creates the user, and the token reads the user', async () => {
    const ip = freshIp();
    const sent = await bookCode('+7 (916) 111-22-33', ip, { fullname: 'Ivan Ivanov' });
    expect(sent.status).toBe(201);
    expect(sent.body).toEqual({ success: true, meta: { message: 'Created' } });
    const sms = gateway.received.at(-1)!;
    expect(sms).toEqual({ to: '79161112233', text: expect.stringMatching(/\b\d{6}\b/), purpose: 'login' });

    const login = await userAuth('8 916 111 22 33', gateway.lastCode('79161112233'), ip);
    expect(login.status).toBe(201);
    expect(login.body.data).toEqual({
      id: expect.any(Number),
      user_token: expect.stringMatching(/^[0-9a-f]{32}$/),
      name: 'Ivan Ivanov',
      phone: '79161112233',
      login: '79161112233',
      email: '',
      avatar: '',
    });

    const token = login.body.data.user_token;
    const data = await request('GET', '/v1/booking/user/data', { headers: asUser(token) });
    expect(data.status).toBe(200);
    expect(data.body).toEqual({ success: true, data: { '0': token, ...login.body.data }, meta: [] });
  });

  it('logs the same phone into the same user again, with a new token; both tokens work', async () => {
    const ip = freshIp();
    await bookCode('79161112244', ip);
    const first = await userAuth('79161112244', gateway.lastCode('79161112244'), ip);
    nextDay();
    await bookCode('+79161112244', ip);
    const second = await userAuth('79161112244', gateway.lastCode('79161112244'), ip);
    expect(second.body.data.id).toBe(first.body.data.id);
    expect(second.body.data.user_token).not.toBe(first.body.data.user_token);
    for (const token of [first.body.data.user_token, second.body.data.user_token]) {
      expect((await request('GET', '/v1/booking/user/data', { headers: asUser(token) })).status).toBe(200);
    }
  });

  it('refuses a wrong code with 432, and a used code a second time', async () => {
    const ip = freshIp();
    await bookCode('79161112255', ip);
    const code = gateway.lastCode('79161112255');
    const wrong = await userAuth('79161112255', code === '000000' ? '000001' : '000000', ip);
    expect(wrong.status).toBe(422);
    expect(wrong.body).toEqual({
      success: false,
      data: null,
      meta: { message: 'code: wrong or expired SMS code', errors: [{ code: 432, message: 'code: wrong or expired SMS code' }] },
    });
    expect((await userAuth('79161112255', code, ip)).status).toBe(201);
    expect((await userAuth('79161112255', code, ip)).body.meta.errors[0].code).toBe(432);
  });

  it('kills a code after 5 wrong attempts, even for the right code after them', async () => {
    const ip = freshIp();
    await bookCode('79161112266', ip);
    const code = gateway.lastCode('79161112266');
    const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, '0');
    for (let i = 0; i < 5; i++) expect((await userAuth('79161112266', wrong, ip)).body.meta.errors[0].code).toBe(432);
    expect((await userAuth('79161112266', code, ip)).body.meta.errors[0].code).toBe(432);
  });

  it('counts no more than 5 wrong attempts when many guesses race', async () => {
    const ip = freshIp();
    await bookCode('79161112267', ip);
    const code = gateway.lastCode('79161112267');
    const guesses = Array.from({ length: 12 }, (_, i) => String((Number(code) + 1 + i) % 1_000_000).padStart(6, '0'));
    await Promise.all(guesses.map((guess) => userAuth('79161112267', guess, ip)));
    expect((await userAuth('79161112267', code, ip)).body.meta.errors[0].code).toBe(432);
  });

  it('lets a code live 10 minutes, and no longer', async () => {
    const ip = freshIp();
    await bookCode('79161112277', ip);
    const code = gateway.lastCode('79161112277');
    time.advance(10 * 60 * 1000);
    expect((await userAuth('79161112277', code, ip)).body.meta.errors[0].code).toBe(432);
    nextDay();
    await bookCode('79161112277', ip);
    time.advance(10 * 60 * 1000 - 1000);
    expect((await userAuth('79161112277', gateway.lastCode('79161112277'), ip)).status).toBe(201);
  });

  it('binds a code to its phone: it does not log another phone in', async () => {
    const ip = freshIp();
    await bookCode('79161112288', ip);
    await bookCode('79161112299', ip);
    const codeFor88 = gateway.lastCode('79161112288');
    const tried = await userAuth('79161112299', codeFor88, ip);
    // Two random codes are equal one time in a million; then the other phone's own code was typed.
    const sameByChance = codeFor88 === gateway.lastCode('79161112299');
    expect(sameByChance ? 432 : tried.body.meta.errors[0].code).toBe(432);
    expect((await userAuth('79161112288', codeFor88, ip)).status).toBe(201);
  });

  it('accepts a code sent as a number and the company_id some clients add', async () => {
    const ip = freshIp();
    await bookCode('79161112300', ip);
    const code = gateway.lastCode('79161112300');
    const login = await request('POST', '/api/v1/user/auth', {
      headers: partner,
      body: { phone: 79161112300, code: code.startsWith('0') ? code : Number(code), company_id: 4564 },
      sourceIp: ip,
    });
    expect(login.status).toBe(201);
  });
});

describe('phones and companies', () => {
  it.each([
    ['12345', 'no phone number'],
    ['+7 000', 'no phone number'],
    ['+7 495 123-45-67', 'a landline'],
    ['+7 800 123-45-67', 'a toll-free number'],
    ['+44 909 879 0123', 'a premium-rate number'],
  ])('refuses %s (%s) with 431 and sends nothing', async (phone) => {
    const before = gateway.received.length;
    const response = await bookCode(phone, freshIp());
    expect(response.status).toBe(422);
    expect(response.body.meta.errors).toEqual([{ code: 431, message: 'phone: not a mobile number that can receive SMS' }]);
    expect(gateway.received.length).toBe(before);
  });

  it('answers 404 for an unknown company and sends nothing', async () => {
    const before = gateway.received.length;
    expect((await bookCode('79161112311', freshIp(), {}, 999999)).status).toBe(404);
    expect((await bookCode('79161112311', freshIp(), {}, 'abc' as never)).status).toBe(404);
    expect(gateway.received.length).toBe(before);
  });

  it("reads local numbers by the location's own country", async () => {
    await push(companyEvent({ id: 5001, country_code: 'GB' }, 'update') as never);
    const uk = { ...companyEvent({ country_code: 'GB' }), company_id: 5001, resource_id: 5001 };
    uk.data.id = 5001;
    expect((await push(uk)).status).toBe(200);
    expect((await bookCode('07400 123456', freshIp(), {}, 5001)).status).toBe(201);
    expect(gateway.received.at(-1)!.to).toBe('447400123456');
  });

  it('refuses a login request without a phone with 1001 naming the field', async () => {
    const response = await request('POST', '/v1/book_code/4564', { headers: partner, body: { fullname: 'x' }, sourceIp: freshIp() });
    expect(response.status).toBe(422);
    expect(response.body.meta.errors[0]).toMatchObject({ code: 1001, message: expect.stringMatching(/^phone: /) });
  });
});

describe('when the SMS gateway fails', () => {
  let logs: ReturnType<typeof captureErrors>;
  beforeEach(() => {
    logs = captureErrors();
  });

  afterEach(() => {
    gateway.mode = 'ok';
    logs.restore();
    // The operator learns the gateway failed; the log never carries the phone or the code.
    expect(logs.lines.join('\n')).not.toMatch(/7916111\d{4}|\b\d{6}\b/);
    const logged = jsonLines(logs.lines);
    expect(logged.length).toBeGreaterThan(0);
    for (const line of logged) expect(line).toMatchObject({ level: 'WARN', message: expect.stringMatching(/^sms gateway/) });
  });

  it('answers 502 when the gateway refuses (5xx), leaves no usable code, charges no limit', async () => {
    const ip = freshIp();
    gateway.mode = 'fail';
    const response = await bookCode('79161112322', ip);
    expect(response.status).toBe(502);
    expect(response.body).toEqual({ success: false, data: null, meta: { message: 'The SMS could not be sent. Please try again later.' } });
    const unseen = gateway.lastCode('79161112322'); // the gateway saw it, but refused to send it
    gateway.mode = 'ok';
    expect((await userAuth('79161112322', unseen, ip)).body.meta.errors[0].code).toBe(432);
    // No cooldown was charged: a new code can be asked for at once, and it works.
    expect((await bookCode('79161112322', ip)).status).toBe(201);
    expect((await userAuth('79161112322', gateway.lastCode('79161112322'), ip)).status).toBe(201);
  });

  it(
    'answers 502 when the gateway does not answer in time, keeps the cooldown charged and the code usable (it may ' + 'have been sent)',
    async () => {
      const ip = freshIp();
      gateway.mode = 'hang';
      const response = await bookCode('79161112324', ip);
      expect(response.status).toBe(502);
      expect(response.body).toEqual({
        success: false,
        data: null,
        meta: { message: 'The SMS may not have been sent. If it does not arrive, please try again later.' },
      });
      const maybeSeen = gateway.lastCode('79161112324');
      gateway.mode = 'ok';
      expect((await bookCode('79161112324', ip)).status).toBe(429);
      expect((await userAuth('79161112324', maybeSeen, ip)).status).toBe(201);
    },
  );

  it('answers 502 when the gateway drops the connection', async () => {
    gateway.mode = 'drop';
    expect((await bookCode('79161112333', freshIp())).status).toBe(502);
  });
});

describe('appointments of the signed-in user', () => {
  let own: string;
  let other: string;
  const records = { past: 900001, upcoming: 900002, otherCompany: 900003, someoneElses: 900004 };

  beforeAll(async () => {
    const ip = freshIp();
    const phone = '79161119900';
    await push(
      recordEvent(records.past, { datetime: '2026-10-01T12:00:00+03:00', client: { id: 1, name: 'Own', phone: '+7 916 111-99-00' } }),
    );
    await push(
      recordEvent(records.upcoming, { datetime: '2026-12-24T12:00:00+03:00', client: { id: 1, name: 'Own', phone: '89161119900' } }),
    );
    await push({
      ...recordEvent(records.otherCompany, { datetime: '2026-11-30T12:00:00+03:00', client: { id: 1, phone: '79161119900' } }),
      company_id: 5001,
    });
    await push(recordEvent(records.someoneElses, { client: { id: 2, phone: '79161119911' } }));
    await bookCode(phone, ip);
    own = (await userAuth(phone, gateway.lastCode(phone), ip)).body.data.user_token;
    nextDay();
    await bookCode('79161119922', ip);
    other = (await userAuth('79161119922', gateway.lastCode('79161119922'), ip)).body.data.user_token;
  });

  it("opens the client's own appointment by id alone, with or without the trailing slash", async () => {
    for (const path of [
      `/v1/user/records/${records.upcoming}/`,
      `/v1/user/records/${records.upcoming}`,
      `/api/v1/user/records/${records.upcoming}/`,
    ]) {
      const response = await request('GET', path, { headers: asUser(own) });
      expect(response.status).toBe(200);
      expect(response.body.data[0].id).toBe(records.upcoming);
    }
  });

  it("gives 404 for someone else's appointment, as for an unknown one", async () => {
    for (const [token, id] of [
      [other, records.upcoming],
      [own, records.someoneElses],
      [own, 123456789],
    ] as const) {
      const response = await request('GET', `/v1/user/records/${id}/`, { headers: asUser(token) });
      expect(response.status).toBe(404);
      expect(response.body.meta.message).toBe('Not found.');
    }
  });

  it('gives 404 without a hash and without a user token', async () => {
    expect((await request('GET', `/v1/user/records/${records.upcoming}/`, { headers: partner })).status).toBe(404);
  });

  it("lists the caller's appointments newest first, by location, a page at a time", async () => {
    const all = await request('GET', '/v1/user/records', { headers: asUser(own) });
    expect(all.status).toBe(200);
    expect(all.body.data.map((r: { id: number }) => r.id)).toEqual([records.upcoming, records.otherCompany, records.past]);
    const one = await request('GET', '/v1/user/records/?company_id=4564', { headers: asUser(own) });
    expect(one.body.data.map((r: { id: number }) => r.id)).toEqual([records.upcoming, records.past]);
    const page2 = await request('GET', '/api/v1/user/records?page=2&count=1', { headers: asUser(own) });
    expect(page2.body.data.map((r: { id: number }) => r.id)).toEqual([records.otherCompany]);
    const beyond = await request('GET', '/v1/user/records?page=4&count=1', { headers: asUser(own) });
    expect(beyond.body.data).toEqual([]);
    const theirs = await request('GET', '/v1/user/records', { headers: asUser(other) });
    expect(theirs.body.data).toEqual([]);
  });

  it('drops a deleted appointment from the list', async () => {
    await push({ ...recordEvent(records.past, {}, 'delete'), data: { last_change_date: '2026-11-22T10:00:00+03:00' } });
    const all = await request('GET', '/v1/user/records', { headers: asUser(own) });
    expect(all.body.data.map((r: { id: number }) => r.id)).not.toContain(records.past);
  });

  it('refuses bad paging with 1001 naming the field', async () => {
    const response = await request('GET', '/v1/user/records?count=0&page=x', { headers: asUser(own) });
    expect(response.status).toBe(422);
    expect(response.body.meta.errors.map((e: { message: string }) => e.message.split(':')[0]).sort()).toEqual(['count', 'page']);
  });

  it('needs a live user token: missing or unknown gives 401', async () => {
    expect((await request('GET', '/v1/user/records', { headers: partner })).status).toBe(401);
    expect((await request('GET', '/v1/booking/user/data', { headers: partner })).status).toBe(401);
    expect((await request('GET', '/v1/booking/user/data', { headers: asUser('f'.repeat(32)) })).status).toBe(401);
  });
});
