// Drop-in compatibility: requests exactly as public Altegio/YCLIENTS clients build them, for every
// operation of docs/contract.md sections 2 and 3, under both prefixes and every Accept they send.
import { startSmsGateway } from '../helpers/sms-gateway.js';
import { startSubscriber } from '../helpers/subscriber.js';
import { testPartnerToken } from '../helpers/table.js';
import { given } from '../helpers/fixture.js';
import { request } from '../helpers/api.js';
import { companyEvent, recordEvent } from '../helpers/altegio.js';
import { push } from '../helpers/webhook.js';
import { PhpSdkClient, PythonAioClient, YclientsJqueryClient } from './clients.js';
import { config } from '../../lib/config.js';
import { dynamo } from '../../lib/db/client.js';
import { StreamRelay } from '../../scripts/event-relay.js';
import * as deliver from '../../functions/deliver-events.js';

const [gateway, subscriber] = await Promise.all([startSmsGateway(), startSubscriber()]);
await given({
  env: {
    CABINET_SMS_URL: gateway.url,
    CABINET_EVENTS_URL: subscriber.url,
    CABINET_SMS_USER_PER_HOUR: '1000',
    CABINET_SMS_IP_PER_HOUR: '1000',
    CABINET_LOGIN_PER_HOUR: '1000',
  },
});

afterAll(() => Promise.all([gateway.close(), subscriber.close()]));

const php = new PhpSdkClient(testPartnerToken);
const python = new PythonAioClient(testPartnerToken);
const jquery = new YclientsJqueryClient(testPartnerToken);
const phone = '79160004001';
let hash: string;

beforeAll(async () => {
  await push(companyEvent({ allow_delete_record: true, allow_delete_record_delay_step: 0 }));
  hash = (await push(recordEvent(1, { datetime: '2030-01-01T12:00:00+03:00', client: { id: 1, phone } }))).record_hash!;
  await push(recordEvent(2, { datetime: '2030-01-02T12:00:00+03:00', client: { id: 1, phone } }));
});

describe('the PHP SDK (slowprog, andrey-tech)', () => {
  let token: string;

  it('logs in by SMS code, reads and cancels appointments, without tripping its response checks', async () => {
    expect(await php.postBookCode(4564, phone, 'Ivan')).toEqual({ success: true, meta: { message: 'Created' } });
    const auth = (await php.postUserAuth(phone, gateway.lastCode(phone))) as { data: { user_token: string; login: string } };
    token = auth.data.user_token;
    expect(auth.data.login).toBe(phone);
    const byHash = (await php.getUserRecords(1, hash, null)) as { data: Array<{ id: number }> };
    expect(byHash.data.map((r) => r.id)).toEqual([1]);
    const byToken = (await php.getUserRecords(2, null, token)) as { data: Array<{ id: number }> };
    expect(byToken.data.map((r) => r.id)).toEqual([2]);
    expect(await php.deleteUserRecords(2, null, token)).toEqual({ success: true, data: null, meta: [] });
  });

  it('gets failures as JSON it can read, never a body it cannot decode', async () => {
    await expect(php.postUserAuth(phone, '000000')).rejects.toMatchObject({ status: 422, json: { meta: { errors: [{ code: 432 }] } } });
    await expect(php.getUserRecords(1, 'wrong-hash', null)).rejects.toMatchObject({ status: 404 });
    await expect(new PhpSdkClient('not-a-partner').postBookCode(4564, phone)).rejects.toMatchObject({ status: 401 });
  });
});

describe('the Python asyncio client (akimrx)', () => {
  it('gets user tokens by SMS code and by password from response["data"]', async () => {
    const other = '79160004002';
    await python.generateSmsCode(4564, other, 'Olga');
    const bySms = await python.getClientTokenBySmsCode(other, gateway.lastCode(other));
    expect(bySms).toMatchObject({ user_token: expect.stringMatching(/^[0-9a-f]{32}$/), phone: other, name: 'Olga' });
    await request('PUT', '/v1/booking/user/password', {
      headers: { authorization: `Bearer ${testPartnerToken}, User ${bySms.user_token}` },
      body: { new_password: 'py-password' },
    });
    const byPassword = await python.getClientTokenByPassword(other, 'py-password');
    expect(byPassword).toMatchObject({ id: bySms.id, user_token: expect.stringMatching(/^[0-9a-f]{32}$/), login: other });
  });
});

describe('the YCLIENTS jQuery client', () => {
  it('logs in with company_id, reads the user with the "0" key, and lists \'my orders\'', async () => {
    const other = '79160004003';
    await jquery.call('POST', '/book_code/4564', undefined, { phone: other });
    const login = await jquery.call('POST', '/user/auth', undefined, { phone: other, code: gateway.lastCode(other), company_id: 4564 });
    expect(login.status).toBe(201);
    const token = login.body.data.user_token;
    const data = await jquery.call('GET', '/booking/user/data', token);
    expect(data.body.data).toMatchObject({ '0': token, user_token: token, login: other });
    const orders = await jquery.call('GET', '/user/records/?company_id=4564', token);
    expect(orders.status).toBe(200);
    expect(orders.body.data).toEqual([]);
  });
});

describe('every operation, both prefixes, every Accept clients send', () => {
  const accepts = [undefined, 'application/vnd.api.v2+json', 'application/vnd.yclients.v2+json', 'application/json', '*/*'];
  let token: string;
  let reviewToken: string;

  beforeAll(async () => {
    const other = '79160004004';
    await php.postBookCode(4564, other);
    token = ((await php.postUserAuth(other, gateway.lastCode(other))) as { data: { user_token: string } }).data.user_token;
    const first = await request('PUT', '/v1/booking/user/password', {
      headers: { authorization: `Bearer ${testPartnerToken}, User ${token}` },
      body: { new_password: 'every-op-password' },
    });
    token = first.body.data.user_token;
    await push(recordEvent(3, { visit_attendance: 1, client: { id: 3, phone: other } }));
    const relay = new StreamRelay(dynamo, config, deliver.handler);
    await relay.pollOnce();
    relay.close();
    reviewToken = subscriber.deliveries.find((d) => d.body.resource === 'review_request')!.body.data.record_token;
  });

  let n = 0;
  const operations: Array<[string, string, (i: number) => string, ((i: number) => unknown) | undefined, 'partner' | 'user', number[]]> = [
    ['send a login code', 'POST', () => '/book_code/4564', (i) => ({ phone: `7916000${5000 + i}` }), 'partner', [201]],
    ['log in with a code', 'POST', () => '/user/auth', () => ({ phone: '79160004004', code: '000000' }), 'partner', [422]],
    [
      'log in with a password',
      'POST',
      () => '/booking/auth',
      () => ({ login: '79160004004', password: 'every-op-password' }),
      'partner',
      [201],
    ],
    ['read the user', 'GET', () => '/booking/user/data', undefined, 'user', [200]],
    ['change the user', 'PUT', () => '/booking/user', (i) => ({ name: `Name ${i}` }), 'user', [202]],
    [
      'refuse a wrong old password',
      'PUT',
      () => '/booking/user/password',
      () => ({ old_password: 'not-it', new_password: 'whatever-new' }),
      'user',
      [422],
    ],
    [
      'send a phone confirmation code',
      'GET',
      (i) => `/booking/user/phone_confirmation?phone=7916000${6000 + i}&company_id=4564`,
      undefined,
      'user',
      [202],
    ],
    ['read an appointment by link', 'GET', () => `/user/records/1/${hash}`, undefined, 'partner', [200]],
    ['read the review form', 'GET', () => `/master_record_review/${reviewToken}`, undefined, 'partner', [200]],
    ['review the visit (once)', 'POST', () => `/master_record_review/${reviewToken}`, () => ({ rating: 5 }), 'partner', [200, 422]],
    ['cancel an appointment (again and again)', 'DELETE', () => `/user/records/1/${hash}`, undefined, 'partner', [200]],
  ];

  it.each(operations)('%s', async (_name, method, path, body, who, statuses) => {
    for (const prefix of ['/v1', '/api/v1']) {
      for (const accept of accepts) {
        const i = n++;
        const headers: Record<string, string> = {
          authorization: who === 'user' ? `Bearer ${testPartnerToken}, User ${token}` : `Bearer ${testPartnerToken}`,
        };
        if (accept) headers.accept = accept;
        const payload = body?.(i);
        const response = await request(method, `${prefix}${path(i)}`, {
          headers,
          ...(payload ? { body: payload } : {}),
          sourceIp: `198.18.1.${i % 250}`,
        });
        expect(statuses).toContain(response.status);
        expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
        expect(response.body).not.toHaveProperty('errors');
        expect(response.body.success).toBe(response.status < 300);
      }
    }
  });
});
