// The limits that protect the SMS budget (docs/contract.md section 5), each tripped and reset by moving
// the service's clock, never by sleeping. The numbers are set low here so each limit can be
// reached in a few requests; the defaults are checked in test/unit/config.test.ts.
import { startSmsGateway } from '../helpers/sms-gateway.js';
import { testPartnerToken } from '../helpers/table.js';
import { given } from '../helpers/fixture.js';
import { request } from '../helpers/api.js';
import { companyEvent, signedHeaders } from '../helpers/altegio.js';
import { asUser } from '../helpers/sign-in.js';

const gateway = await startSmsGateway();
const { time } = await given({
  env: {
    CABINET_SMS_URL: gateway.url,
    CABINET_SMS_PHONE_COOLDOWN_S: '60',
    CABINET_SMS_PHONE_PER_DAY: '3',
    CABINET_SMS_IP_PER_HOUR: '4',
    CABINET_SMS_COMPANY_PER_DAY: '6',
    CABINET_LOGIN_IP_PER_HOUR: '5',
    // A slow gateway (below) answers after 700 ms: past this timeout, as 6 s is past the default 5 s.
    CABINET_SMS_TIMEOUT_MS: '300',
  },
  // Start each test at the beginning of its own day (UTC), so fixed windows line up predictably.
  clock: { stoppedAt: '2026-12-01T00:00:00Z' },
});

afterAll(() => gateway.close());

const partner = { authorization: `Bearer ${testPartnerToken}` };
const minute = 60_000;
const hour = 60 * minute;
const day = 24 * hour;
let ipCounter = 0;
let phoneCounter = 0;
const freshIp = () => `203.0.113.${++ipCounter}`;
const freshPhone = () => `7925${String(++phoneCounter).padStart(7, '0')}`;
let companyCounter = 6000;

async function freshCompany(): Promise<number> {
  const id = ++companyCounter;
  const event = { ...companyEvent(), company_id: id, resource_id: id, data: { ...companyEvent().data, id } };
  const raw = JSON.stringify(event);
  expect((await request('POST', '/v1/webhooks/altegio', { rawBody: raw, headers: signedHeaders(raw) })).status).toBe(200);
  return id;
}

function bookCode(phone: string, ip: string, company: number) {
  return request('POST', `/v1/book_code/${company}`, { headers: partner, body: { phone }, sourceIp: ip });
}

beforeEach(() => {
  time.set(Math.floor(time.now() / day) * day + 2 * day);
});

describe('SMS limits', () => {
  it('lets one code per phone through per cooldown, with Retry-After until it ends', async () => {
    const [phone, company] = [freshPhone(), await freshCompany()];
    expect((await bookCode(phone, freshIp(), company)).status).toBe(201);
    time.advance(20_000);
    const refused = await bookCode(phone, freshIp(), company);
    expect(refused.status).toBe(429);
    expect(refused.body).toEqual({ success: false, data: null, meta: { message: 'Too many requests.' } });
    expect(refused.headers['retry-after']).toBe('40');
    time.advance(40_000);
    expect((await bookCode(phone, freshIp(), company)).status).toBe(201);
  });

  it('sends a phone at most 3 codes a day (as configured), until the next day', async () => {
    const [phone, company] = [freshPhone(), await freshCompany()];
    for (let i = 0; i < 3; i++) {
      expect((await bookCode(phone, freshIp(), company)).status).toBe(201);
      time.advance(minute);
    }
    const refused = await bookCode(phone, freshIp(), company);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBe((day - 3 * minute) / 1000);
    time.advance(day);
    expect((await bookCode(phone, freshIp(), company)).status).toBe(201);
  });

  it('lets one client IP ask for at most 4 codes an hour, for any phones, until the next hour', async () => {
    const [ip, company] = [freshIp(), await freshCompany()];
    for (let i = 0; i < 4; i++) expect((await bookCode(freshPhone(), ip, company)).status).toBe(201);
    time.advance(10 * minute);
    const refused = await bookCode(freshPhone(), ip, company);
    expect(refused.status).toBe(429);
    expect(refused.headers['retry-after']).toBe(String(50 * 60));
    expect((await bookCode(freshPhone(), freshIp(), company)).status).toBe(201); // another IP is not held back
    time.advance(50 * minute);
    expect((await bookCode(freshPhone(), ip, company)).status).toBe(201);
  });

  it("spends at most a location's daily budget of 6, while other locations go on", async () => {
    const [company, other] = [await freshCompany(), await freshCompany()];
    for (let i = 0; i < 6; i++) expect((await bookCode(freshPhone(), freshIp(), company)).status).toBe(201);
    expect((await bookCode(freshPhone(), freshIp(), company)).status).toBe(429);
    expect((await bookCode(freshPhone(), freshIp(), other)).status).toBe(201);
    time.advance(day);
    expect((await bookCode(freshPhone(), freshIp(), company)).status).toBe(201);
  });

  it('charges nothing for a refused request: a limit that refuses does not use up the others', async () => {
    const [phone, company] = [freshPhone(), await freshCompany()];
    const ip = freshIp();
    expect((await bookCode(phone, ip, company)).status).toBe(201);
    // Three refusals by the phone's cooldown must not eat the IP's hourly allowance of 4.
    for (let i = 0; i < 3; i++) expect((await bookCode(phone, ip, company)).status).toBe(429);
    for (let i = 0; i < 3; i++) expect((await bookCode(freshPhone(), ip, company)).status).toBe(201);
  });

  it('delivers exactly one SMS to a phone asked for by 20 requests at once', async () => {
    const [phone, company] = [freshPhone(), await freshCompany()];
    const before = gateway.received.filter((sms) => sms.to === phone).length;
    const responses = await Promise.all(Array.from({ length: 20 }, (_, i) => bookCode(phone, `192.0.2.${i + 1}`, company)));
    const statuses = responses.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 429)).toHaveLength(19);
    expect(gateway.received.filter((sms) => sms.to === phone).length - before).toBe(1);
  });

  it('holds the daily budget exactly when a crowd of phones asks at once', async () => {
    const company = await freshCompany();
    const before = gateway.received.length;
    const responses = await Promise.all(Array.from({ length: 15 }, (_, i) => bookCode(freshPhone(), `192.0.2.${100 + i}`, company)));
    expect(responses.filter((r) => r.status === 201)).toHaveLength(6);
    expect(responses.every((r) => r.status === 201 || r.status === 429)).toBe(true);
    expect(gateway.received.length - before).toBe(6);
  });
});

describe('an SMS that may have been sent', () => {
  const sentTo = (phone: string) => gateway.received.filter((sms) => sms.to === phone).length;
  const login = (phone: string, code: string, ip: string) =>
    request('POST', '/v1/user/auth', { headers: partner, body: { phone, code }, sourceIp: ip });

  afterEach(() => {
    gateway.mode = 'ok';
  });

  it('keeps the cooldown charged when the gateway answers after the timeout: 8 asks, 1 SMS', async () => {
    const [phone, company] = [freshPhone(), await freshCompany()];
    gateway.mode = 'slow';
    gateway.slowMs = 700;
    const first = await bookCode(phone, freshIp(), company);
    expect(first.status).toBe(502);
    for (let i = 0; i < 7; i++) {
      time.advance(5_000);
      const again = await bookCode(phone, freshIp(), company);
      expect(again.status).toBe(429);
      expect(Number(again.headers['retry-after'])).toBe(60 - 5 * (i + 1));
    }
    await new Promise((resolve) => setTimeout(resolve, 800)); // the slow answer, long after ours
    expect(sentTo(phone)).toBe(1);
    // It may have arrived, and then it works: the code is kept, not discarded.
    expect((await login(phone, gateway.lastCode(phone), freshIp())).status).toBe(201);
  });

  it('keeps the per-phone, per-IP and location budgets charged across timeouts', async () => {
    gateway.mode = 'slow';
    gateway.slowMs = 700;
    // Per phone (3 a day): three timed-out sends a minute apart spend the day.
    const [phone, company] = [freshPhone(), await freshCompany()];
    for (let i = 0; i < 3; i++) {
      expect((await bookCode(phone, freshIp(), company)).status).toBe(502);
      time.advance(minute);
    }
    gateway.mode = 'ok';
    expect((await bookCode(phone, freshIp(), company)).status).toBe(429);
    // Per IP (4 an hour): four timed-out sends to four phones.
    gateway.mode = 'slow';
    const [ip, second] = [freshIp(), await freshCompany()];
    for (let i = 0; i < 4; i++) expect((await bookCode(freshPhone(), ip, second)).status).toBe(502);
    gateway.mode = 'ok';
    expect((await bookCode(freshPhone(), ip, second)).status).toBe(429);
    // The location's day (6): two more timed out spend what the IP test left of it.
    gateway.mode = 'slow';
    for (let i = 0; i < 2; i++) expect((await bookCode(freshPhone(), freshIp(), second)).status).toBe(502);
    gateway.mode = 'ok';
    expect((await bookCode(freshPhone(), freshIp(), second)).status).toBe(429);
  });

  it('keeps every limit charged when the connection is lost after the request was written', async () => {
    const [phone, company] = [freshPhone(), await freshCompany()];
    gateway.mode = 'drop';
    expect((await bookCode(phone, freshIp(), company)).status).toBe(502);
    expect(sentTo(phone)).toBe(1);
    gateway.mode = 'ok';
    expect((await bookCode(phone, freshIp(), company)).status).toBe(429);
  });

  it('keeps a phone confirmation charged when the gateway answers after the timeout', async () => {
    const [phone, company, ip] = [freshPhone(), await freshCompany(), freshIp()];
    expect((await bookCode(phone, ip, company)).status).toBe(201);
    const token = (await login(phone, gateway.lastCode(phone), ip)).body.data.user_token as string;
    const confirm = (newPhone: string) =>
      request('GET', `/v1/booking/user/phone_confirmation?phone=${newPhone}&company_id=${company}`, {
        headers: asUser(token),
        sourceIp: freshIp(),
      });
    const newPhone = freshPhone();
    gateway.mode = 'slow';
    gateway.slowMs = 700;
    expect((await confirm(newPhone)).status).toBe(502);
    gateway.mode = 'ok';
    time.advance(5_000);
    expect((await confirm(newPhone)).status).toBe(429);
    await new Promise((resolve) => setTimeout(resolve, 800));
    expect(sentTo(newPhone)).toBe(1);
  });

  it('gives every limit back for a clear refusal before sending: a 5xx answer, or the connection refused', async () => {
    const [phone, company] = [freshPhone(), await freshCompany()];
    const ip = freshIp();
    gateway.mode = 'fail';
    expect((await bookCode(phone, ip, company)).status).toBe(502);
    gateway.mode = 'ok';
    await gateway.refuse();
    try {
      expect((await bookCode(phone, ip, company)).status).toBe(502);
    } finally {
      await gateway.listen();
    }
    // Neither charged the cooldown nor the IP: asked again at once, it is sent.
    expect((await bookCode(phone, ip, company)).status).toBe(201);
    expect(sentTo(phone)).toBe(2);
    for (let i = 0; i < 3; i++) expect((await bookCode(freshPhone(), ip, company)).status).toBe(201);
  });
});

describe('login attempts', () => {
  it('allows one IP 5 login attempts an hour (as configured), right or wrong, then 429', async () => {
    const ip = freshIp();
    for (let i = 0; i < 5; i++) {
      const response = await request('POST', '/v1/user/auth', {
        headers: partner,
        body: { phone: freshPhone(), code: '123456' },
        sourceIp: ip,
      });
      expect(response.status).toBe(422);
    }
    const refused = await request('POST', '/v1/user/auth', {
      headers: partner,
      body: { phone: freshPhone(), code: '123456' },
      sourceIp: ip,
    });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    time.advance(hour);
    expect(
      (await request('POST', '/v1/user/auth', { headers: partner, body: { phone: freshPhone(), code: '123456' }, sourceIp: ip })).status,
    ).toBe(422);
  });
});
