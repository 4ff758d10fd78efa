// Whose appointment it is: a client phone written without a country code is
// read with the country of the appointment's own location, never the deployment's default. At a
// US location, `(917) 601-8672` once went to the holder of Russian +7 917 601-86-72, who saw and
// cancelled it. A national-format phone whose location is not known yet gets no owner until the
// location arrives; then it does, with no second delivery of the record.
import { startSmsGateway } from '../helpers/sms-gateway.js';
import { given } from '../helpers/fixture.js';
import { request } from '../helpers/api.js';
import { asUser, partnerHeaders } from '../helpers/sign-in.js';
import { companyEvent, recordEvent } from '../helpers/altegio.js';
import { push } from '../helpers/webhook.js';

const gateway = await startSmsGateway();
await given({ env: { CABINET_SMS_URL: gateway.url, CABINET_DEFAULT_COUNTRY: 'RU' } });

afterAll(() => gateway.close());

const us = 7001;
const russian = '+7 917 601-86-72';
const american = '+1 917 601 8672';

/** A location in New York as Altegio describes it: a country name, no ISO code. */
function newYork(id: number, overrides: Record<string, unknown> = {}) {
  const event = companyEvent({
    id,
    title: 'Salon on 5th',
    country_id: 3,
    country: 'United States',
    city: 'New York',
    timezone: -5,
    timezone_name: 'America/New_York',
    phone: '+12125550100',
    phones: [],
    currency_short_title: 'USD',
    ...overrides,
  });
  return { ...event, company_id: id, resource_id: id };
}

function usRecord(id: number, phone: string, companyId = us) {
  const event = recordEvent(id, {
    company_id: companyId,
    datetime: '2030-03-01T10:00:00-05:00',
    date: '2030-03-01 10:00:00',
    client: { id: 77, name: 'Jane Roe', phone },
  });
  return { ...event, company_id: companyId };
}

/** Logs in by SMS code as a person types the phone; the gateway is sent its E.164 digits. */
async function signIn(phone: string, ip: string, companyId = 4564): Promise<{ token: string }> {
  const sent = await request('POST', `/v1/book_code/${companyId}`, { headers: partnerHeaders, body: { phone }, sourceIp: ip });
  if (sent.status !== 201) throw new Error(`book_code answered ${sent.status}: ${sent.text}`);
  const code = gateway.lastCode(phone.replace(/\D/g, ''));
  const login = await request('POST', '/v1/user/auth', { headers: partnerHeaders, body: { phone, code }, sourceIp: ip });
  if (login.status !== 201) throw new Error(`user/auth answered ${login.status}: ${login.text}`);
  return { token: login.body.data.user_token };
}

const ids = (response: { body: { data: Array<{ id: number }> } }) => response.body.data.map((r) => r.id).sort();

let russianToken: string;
/** The US client's token, once it could log in at its (then known) location. */
let americanToken: string;

beforeAll(async () => {
  await push(companyEvent()); // the Russian location 4564
  russianToken = (await signIn(russian, '192.0.2.31')).token;
});

describe('a national-format phone at a location not known yet', () => {
  let hash: string;

  beforeAll(async () => {
    hash = (await push(usRecord(9100, '(917) 601-8672'))).record_hash!;
  });

  it('is given to no one: the holder of the Russian number sees nothing and cannot cancel it', async () => {
    expect(ids(await request('GET', '/v1/user/records', { headers: asUser(russianToken) }))).toEqual([]);
    expect((await request('GET', '/v1/user/records/9100/', { headers: asUser(russianToken) })).status).toBe(404);
    expect((await request('DELETE', '/v1/user/records/9100/', { headers: asUser(russianToken) })).status).toBe(404);
  });

  it('is still opened from its link', async () => {
    expect((await request('GET', `/v1/user/records/9100/${hash}`, { headers: partnerHeaders })).status).toBe(200);
  });

  it('goes to the US client once the location arrives, with no second delivery of the record', async () => {
    expect((await push(newYork(us))).applied).toBe(true);
    americanToken = (await signIn(american, '192.0.2.32', us)).token;
    const list = await request('GET', '/v1/user/records', { headers: asUser(americanToken) });
    expect(ids(list)).toEqual([9100]);
    expect((await request('GET', '/v1/user/records/9100/', { headers: asUser(americanToken) })).status).toBe(200);
  });

  it("stays out of the Russian holder's reach after the location is known", async () => {
    expect(ids(await request('GET', '/v1/user/records', { headers: asUser(russianToken) }))).toEqual([]);
    expect((await request('DELETE', '/v1/user/records/9100/', { headers: asUser(russianToken) })).status).toBe(404);
  });

  it('is read by the known location at once when the record comes after it', async () => {
    await push(usRecord(9101, '917-601-8672'));
    expect(ids(await request('GET', '/v1/user/records', { headers: asUser(americanToken) }))).toEqual([9100, 9101]);
    expect(ids(await request('GET', '/v1/user/records', { headers: asUser(russianToken) }))).toEqual([]);
  });
});

describe('owners decided when the location arrives', () => {
  it('gives every pending record of the location its owner, more than a page of them', async () => {
    const location = 7002;
    const pending = Array.from({ length: 30 }, (_, i) => 9200 + i);
    for (const id of pending) await push(usRecord(id, '(917) 601-8672', location));
    await push(newYork(location, { country: 'USA', country_code: 'us' }));
    const list = await request('GET', `/v1/user/records?company_id=${location}&count=200`, { headers: asUser(americanToken) });
    expect(ids(list)).toEqual(pending);
  });

  it('leaves none waiting when the location and its records arrive at once', async () => {
    const location = 7006;
    const records = Array.from({ length: 12 }, (_, i) => 9500 + i);
    await Promise.all([...records.map((id) => push(usRecord(id, '(917) 601-8672', location))), push(newYork(location))]);
    const list = await request('GET', `/v1/user/records?company_id=${location}&count=200`, { headers: asUser(americanToken) });
    expect(ids(list)).toEqual(records);
  });

  it('needs no location for a phone written with its country code', async () => {
    await push(usRecord(9300, '+1 (917) 601-8672', 7003));
    expect(ids(await request('GET', '/v1/user/records?company_id=7003', { headers: asUser(americanToken) }))).toEqual([9300]);
  });

  it("reads a location's phones by its country name, or else by its own phone number", async () => {
    await push(usRecord(9400, '(917) 601-8672', 7004));
    await push(usRecord(9401, '(917) 601-8672', 7005));
    await push(newYork(7004, { country: 'Соединенные Штаты' }));
    await push(newYork(7005, { country: '', country_id: 0 }));
    expect(ids(await request('GET', '/v1/user/records?count=200', { headers: asUser(americanToken) }))).toEqual(
      expect.arrayContaining([9400, 9401]),
    );
  });
});
