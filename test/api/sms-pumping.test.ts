// SMS pumping , each attack as it came in,
// through the HTTP API: foreign and satellite numbers texted for a Russian salon, no cap across
// locations, a second budget for one location through its group id, SMS login down for everyone
// once a budget was spent, and a code sent as a JSON number that lost its leading zero. Real
// handlers on DynamoDB Local, a real SMS gateway on 127.0.0.1, the service's clock moved, no sleep.
import { captureAllLogs, jsonLines } from '../helpers/logs.js';
import { startSmsGateway } from '../helpers/sms-gateway.js';
import { testPartnerToken } from '../helpers/table.js';
import { given } from '../helpers/fixture.js';
import { request } from '../helpers/api.js';
import { companyEvent } from '../helpers/altegio.js';
import { push } from '../helpers/webhook.js';

const gateway = await startSmsGateway();
const { time } = await given({
  env: {
    CABINET_SMS_URL: gateway.url,
    CABINET_SMS_COMPANY_PER_DAY: '4',
    CABINET_SMS_DEPLOYMENT_PER_DAY: '10',
    CABINET_SMS_USER_PER_HOUR: '20',
    CABINET_SMS_COUNTRIES: 'kz',
    CABINET_METRICS: 'on',
    // The slow gateway below answers after 700 ms, past this timeout.
    CABINET_SMS_TIMEOUT_MS: '300',
  },
  clock: { stoppedAt: '2026-12-01T00:00:00Z' },
});

// Metrics are on (a test reads them): everything the file's requests write is captured, not printed.
const output = captureAllLogs();
afterAll(async () => {
  output.restore();
  await gateway.close();
});

const partner = { authorization: `Bearer ${testPartnerToken}` };
const asUser = (token: string) => ({ authorization: `Bearer ${testPartnerToken}, User ${token}` });
const minute = 60_000;
const day = 24 * 60 * minute;
// Each test starts two minutes into a day of its own, so every window is fresh and predictable.
beforeEach(() => {
  time.set(Math.floor(time.now() / day) * day + 2 * day + 2 * minute);
});

let ipCounter = 0;
let phoneCounter = 0;
const freshIp = () => `203.0.113.${++ipCounter % 250}`;
/** Russian mobiles, E.164 digits. */
const freshPhone = () => `7926${String(++phoneCounter).padStart(7, '0')}`;
let companyCounter = 7100;

async function freshCompany(overrides: Record<string, unknown> = {}): Promise<number> {
  const id = ++companyCounter;
  const event = companyEvent({ id, ...overrides });
  await push({ ...event, company_id: id, resource_id: id });
  return id;
}

function bookCode(phone: string, company: number, ip = freshIp()) {
  return request('POST', `/v1/book_code/${company}`, { headers: partner, body: { phone }, sourceIp: ip });
}

function userAuth(phone: string, code: unknown, ip = freshIp()) {
  return request('POST', '/v1/user/auth', { headers: partner, body: { phone, code }, sourceIp: ip });
}

function confirmPhone(token: string, phone: string, query: string) {
  return request('GET', `/v1/booking/user/phone_confirmation?phone=${encodeURIComponent(phone)}&${query}`, {
    headers: asUser(token),
    sourceIp: freshIp(),
  });
}

async function signIn(phone: string, company: number): Promise<string> {
  expect((await bookCode(phone, company)).status).toBe(201);
  const login = await userAuth(phone, gateway.lastCode(phone));
  expect(login.status).toBe(201);
  return login.body.data.user_token;
}

const spentMessage = 'Too many requests. No more SMS codes can be sent here today: log in with your password, or with a code already sent.';

describe('SMS only to the countries allowed', () => {
  it.each([
    ['+8816 3111 2233', 'an Iridium satellite phone'],
    ['+232 76 123456', 'a Sierra Leone mobile'],
    ['+675 7012 3456', 'a Papua New Guinea mobile'],
    ['+1 201 555 0123', 'a US mobile'],
  ])('refuses %s (%s) for a Russian salon with 431, texts nothing', async (phone) => {
    const salon = await freshCompany();
    const before = gateway.received.length;
    const response = await bookCode(phone, salon);
    expect(response.status).toBe(422);
    expect(response.body).toEqual({
      success: false,
      data: null,
      meta: {
        message: 'phone: SMS codes are sent only to numbers of RU, KZ',
        errors: [{ code: 431, message: 'phone: SMS codes are sent only to numbers of RU, KZ' }],
      },
    });
    expect(gateway.received.length).toBe(before);
  });

  it('spends no budget on a refused number: the whole budget is left for real clients', async () => {
    const salon = await freshCompany();
    for (const phone of ['+881631112233', '+23276123456', '+67570123456', '+12015550123', '+881631112244']) {
      expect((await bookCode(phone, salon)).status).toBe(422);
    }
    for (let i = 0; i < 4; i++) expect((await bookCode(freshPhone(), salon)).status).toBe(201);
    expect((await bookCode(freshPhone(), salon)).status).toBe(429);
  });

  it("texts the location's own country and the operator's list (CABINET_SMS_COUNTRIES), at every location", async () => {
    const [salon, us] = [
      await freshCompany(),
      await freshCompany({ country: 'United States', country_code: 'US', phone: '+12125550100', phones: [] }),
    ];
    expect((await bookCode('+7 916 555-01-01', salon)).status).toBe(201);
    expect((await bookCode('+7 701 555 0101', salon)).status).toBe(201); // Kazakhstan, listed
    expect((await bookCode('(201) 555-0124', us)).status).toBe(201); // a local number of the US location
    expect((await bookCode('+7 701 555 0102', us)).status).toBe(201);
    const russianAtUs = await bookCode('+7 916 555-01-02', us);
    expect(russianAtUs.status).toBe(422);
    expect(russianAtUs.body.meta.errors).toEqual([{ code: 431, message: 'phone: SMS codes are sent only to numbers of US, KZ' }]);
    expect(gateway.received.slice(-4).map((sms) => sms.to)).toEqual(['79165550101', '77015550101', '12015550124', '77015550102']);
  });

  it('holds for phone confirmation too, by company and by group', async () => {
    const salon = await freshCompany({ group_id: 901 });
    const token = await signIn(freshPhone(), salon);
    const before = gateway.received.length;
    for (const query of [`company_id=${salon}`, 'group_id=901']) {
      const response = await confirmPhone(token, '+232 76 123456', query);
      expect(response.status).toBe(422);
      expect(response.body.meta.errors).toEqual([{ code: 431, message: 'phone: SMS codes are sent only to numbers of RU, KZ' }]);
    }
    expect(gateway.received.length).toBe(before);
  });
});

describe('a deployment-wide daily cap (CABINET_SMS_DEPLOYMENT_PER_DAY, 10 here)', () => {
  it('sends exactly 10 a day across all locations, however many ask at once, then 429 until the UTC day ends', async () => {
    // Five locations with 4 each could send 20; 3 asked of each stay within every location's budget.
    const salons = await Promise.all(Array.from({ length: 5 }, () => freshCompany()));
    const before = gateway.received.length;
    const responses = await Promise.all(salons.flatMap((salon) => [0, 1, 2].map(() => bookCode(freshPhone(), salon))));
    expect(responses.filter((r) => r.status === 201)).toHaveLength(10);
    const refused = responses.filter((r) => r.status !== 201);
    expect(refused).toHaveLength(5);
    for (const response of refused) {
      expect(response.status).toBe(429);
      expect(response.body.meta.message).toBe(spentMessage);
      expect(Number(response.headers['retry-after'])).toBe((day - 2 * minute) / 1000);
    }
    expect(gateway.received.length - before).toBe(10);
    expect((await bookCode(freshPhone(), await freshCompany())).status).toBe(429); // a location with all of its own budget
    time.advance(day);
    expect((await bookCode(freshPhone(), salons[0]!)).status).toBe(201);
  });
});

describe('a deployment-wide daily cap with a slow gateway', () => {
  it('is spent by sends that timed out (they may have been sent), not given back', async () => {
    const salons = await Promise.all(Array.from({ length: 5 }, () => freshCompany()));
    gateway.mode = 'slow';
    gateway.slowMs = 700;
    try {
      // Two per location: within every location's budget of 4, all ten of the deployment's.
      for (const salon of salons) for (let i = 0; i < 2; i++) expect((await bookCode(freshPhone(), salon)).status).toBe(502);
    } finally {
      gateway.mode = 'ok';
    }
    const refused = await bookCode(freshPhone(), salons[0]!);
    expect(refused.status).toBe(429);
    expect(refused.body.meta.message).toBe(spentMessage);
  });
});

describe('one budget per location, whichever id names it', () => {
  it("charges phone confirmation by group_id to the group's location, not to a budget of its own", async () => {
    const salon = await freshCompany({ group_id: 902 });
    const token = await signIn(freshPhone(), await freshCompany()); // signed in elsewhere: the salon's budget is untouched
    for (const query of [`company_id=${salon}`, 'group_id=902', `company_id=${salon}`, 'group_id=902']) {
      expect((await confirmPhone(token, `+${freshPhone()}`, query)).status).toBe(202);
    }
    // The salon's 4 are spent, by either name.
    expect((await confirmPhone(token, `+${freshPhone()}`, 'group_id=902')).status).toBe(429);
    expect((await confirmPhone(token, `+${freshPhone()}`, `company_id=${salon}`)).status).toBe(429);
    expect((await bookCode(freshPhone(), salon)).status).toBe(429);
  });
});

describe('a spent location budget', () => {
  it(
    'still lets users in by password and by a code already sent; others get 429 with a clear message until the day ' +
      'ends; the operator is told',
    async () => {
      const salon = await freshCompany();
      // A user with a password (set right after an SMS login), and one whose code is on its way.
      const withPassword = freshPhone();
      const token = await signIn(withPassword, salon);
      expect(
        (await request('PUT', '/v1/booking/user/password', { headers: asUser(token), body: { new_password: 'correct horse' } })).status,
      ).toBe(200);
      const waiting = freshPhone();
      expect((await bookCode(waiting, salon)).status).toBe(201);
      const code = gateway.lastCode(waiting);
      // The pumping spends the rest of the day's budget.
      for (let i = 0; i < 2; i++) expect((await bookCode(freshPhone(), salon)).status).toBe(201);

      time.advance(3 * minute);
      const from = output.lines.length;
      const refused = await bookCode(freshPhone(), salon);
      time.advance(minute);
      const again = await bookCode(waiting, salon); // asking again does not replace the code on its way
      const written = output.lines.slice(from);
      for (const response of [refused, again]) {
        expect(response.status).toBe(429);
        expect(response.body).toEqual({ success: false, data: null, meta: { message: spentMessage } });
      }
      expect(Number(refused.headers['retry-after'])).toBe((day - 5 * minute) / 1000);
      expect(Number(again.headers['retry-after'])).toBe((day - 6 * minute) / 1000);
      // One WARN line and one metric per refusal, with the location and never the phone.
      const lines = jsonLines(written);
      const warned = lines.filter((line) => line.message === 'SMS budget spent');
      expect(warned).toHaveLength(2);
      for (const line of warned) expect(line).toMatchObject({ level: 'WARN', location_id: salon, budget: 'location' });
      expect(
        lines
          .filter((line) => line._aws)
          .flatMap((line) => [line.SmsBudgetSpent ?? []].flat())
          .reduce((a: number, b: number) => a + b, 0),
      ).toBe(2);
      expect(written.join('\n')).not.toMatch(/7926\d{7}/);

      expect((await userAuth(waiting, code)).status).toBe(201);
      expect(
        (
          await request('POST', '/v1/booking/auth', {
            headers: partner,
            body: { login: withPassword, password: 'correct horse' },
            sourceIp: freshIp(),
          })
        ).status,
      ).toBe(201);
      time.advance(day);
      expect((await bookCode(freshPhone(), salon)).status).toBe(201);
    },
  );
});

describe('a code sent as a JSON number', () => {
  it('keeps its six digits: 12345 for the code "012345" logs in', async () => {
    let phone = '';
    let code = '';
    // One code in ten starts with 0; a new day each try keeps every limit fresh.
    for (let i = 0; i < 300 && !code.startsWith('0'); i++) {
      time.advance(day);
      phone = freshPhone();
      expect((await bookCode(phone, await freshCompany())).status).toBe(201);
      code = gateway.lastCode(phone);
    }
    expect(code).toMatch(/^0\d{5}$/);
    const login = await userAuth(phone, Number(code));
    expect(login.status).toBe(201);
    expect(login.body.data.phone).toBe(phone);
  });

  it('keeps its six digits as the confirmation code of a phone change too', async () => {
    const phone = freshPhone();
    let token = await signIn(phone, await freshCompany());
    const salon = await freshCompany();
    let target = '';
    let code = '';
    for (let i = 0; i < 300 && !code.startsWith('0'); i++) {
      time.advance(day);
      target = freshPhone();
      expect((await confirmPhone(token, `+${target}`, `company_id=${salon}`)).status).toBe(202);
      code = gateway.lastCode(target);
    }
    expect(code).toMatch(/^0\d{5}$/);
    // Moving the phone needs a fresh SMS login (test/api/phone-move.test.ts).
    token = await signIn(phone, salon);
    const changed = await request('PUT', '/v1/booking/user', {
      headers: asUser(token),
      body: { phone: `+${target}`, confirmation_code: Number(code) },
    });
    expect(changed.status).toBe(202);
    expect((await request('GET', '/v1/booking/user/data', { headers: asUser(token) })).body.data.phone).toBe(target);
  });

  it('refuses a number that cannot be a code with 1001, and counts no attempt against the code', async () => {
    const phone = freshPhone();
    expect((await bookCode(phone, await freshCompany())).status).toBe(201);
    const code = gateway.lastCode(phone);
    const wrong = (n: number) => String((Number(code) + n) % 1_000_000).padStart(6, '0');
    // Four wrong guesses of the five a code allows.
    for (let i = 1; i <= 4; i++)
      expect((await userAuth(phone, wrong(i))).body.meta.errors).toEqual([{ code: 432, message: 'code: wrong or expired SMS code' }]);
    for (const bad of [1234567, 12.5, -1]) {
      const response = await userAuth(phone, bad);
      expect(response.status).toBe(422);
      expect(response.body.meta.errors).toEqual([
        { code: 1001, message: 'code: a code sent as a number must be a whole number of at most 6 digits' },
      ]);
    }
    expect((await userAuth(phone, code)).status).toBe(201);
  });
});
