// Bodies posted as `application/x-www-form-urlencoded` (jQuery's default): taken wherever
// JSON is, checked by the same schemas, with the same errors; any other type is still 400.
import { startSmsGateway } from '../helpers/sms-gateway.js';
import { given } from '../helpers/fixture.js';
import { request } from '../helpers/api.js';
import { asUser, partnerHeaders } from '../helpers/sign-in.js';
import { companyEvent, signedHeaders } from '../helpers/altegio.js';
import { push } from '../helpers/webhook.js';

const gateway = await startSmsGateway();
await given({ env: { CABINET_SMS_URL: gateway.url } });

afterAll(() => gateway.close());

const form = { 'content-type': 'application/x-www-form-urlencoded; charset=UTF-8' };
const phone = '79160000031';

beforeAll(async () => {
  await push(companyEvent());
});

describe('a jQuery widget logging in with forms', () => {
  let token: string;

  it('asks for a code and logs in with it, the phone with its + escaped as jQuery does', async () => {
    const sent = await request('POST', '/v1/book_code/4564', {
      rawBody: `phone=%2B${phone}&fullname=Ivan+Form`,
      headers: { ...partnerHeaders, ...form },
      sourceIp: '192.0.2.31',
    });
    expect(sent.status).toBe(201);
    const login = await request('POST', '/v1/user/auth', {
      rawBody: `phone=${phone}&code=${gateway.lastCode(phone)}`,
      headers: { ...partnerHeaders, ...form },
      sourceIp: '192.0.2.31',
    });
    expect(login.status).toBe(201);
    expect(login.body.data).toMatchObject({ phone, name: 'Ivan Form' });
    token = login.body.data.user_token;
  });

  it('changes the profile with a form, and refuses a bad field the way JSON is refused', async () => {
    const named = await request('PUT', '/v1/booking/user', { rawBody: 'name=Olga+Form', headers: { ...asUser(token), ...form } });
    expect(named.status).toBe(202);
    expect((await request('GET', '/v1/booking/user/data', { headers: asUser(token) })).body.data.name).toBe('Olga Form');
    const asForm = await request('PUT', '/v1/booking/user', { rawBody: 'email=not-an-email', headers: { ...asUser(token), ...form } });
    const asJson = await request('PUT', '/v1/booking/user', { body: { email: 'not-an-email' }, headers: asUser(token) });
    expect(asForm.status).toBe(422);
    expect(asForm.body).toEqual(asJson.body);
    expect(asForm.body.meta.errors).toEqual([{ code: 1001, message: 'email: not an email' }]);
  });

  it('names a missing field in a form as in JSON', async () => {
    const response = await request('POST', '/v1/user/auth', { rawBody: 'code=123456', headers: { ...partnerHeaders, ...form } });
    expect(response.status).toBe(422);
    expect(response.body.meta.message).toBe('phone: required');
  });

  it('takes a number where the schema takes one, and says so when it is not one', async () => {
    const review = await request('POST', '/v1/master_record_review/abcdefghijklmnopqrstuv', {
      rawBody: 'rating=great&text=ok',
      headers: { ...partnerHeaders, ...form },
    });
    expect(review.status).toBe(422);
    expect(review.body.meta.errors).toEqual([{ code: 1001, message: 'rating: must be a number' }]);
    const unknown = await request('POST', '/v1/master_record_review/abcdefghijklmnopqrstuv', {
      rawBody: 'rating=5&text=ok',
      headers: { ...partnerHeaders, ...form },
    });
    expect(unknown.status).toBe(404);
  });
});

it('takes a signed webhook as a form, its nested fields in brackets', async () => {
  const raw =
    'company_id=4564&resource=staff&resource_id=77&status=update&data%5Bname%5D=Form+Barber' +
    '&data%5Bposition%5D%5Btitle%5D=Barber&data%5Bposition%5D%5Bid%5D=3';
  const response = await request('POST', '/v1/webhooks/altegio', { rawBody: raw, headers: { ...signedHeaders(raw), ...form } });
  expect(response.status).toBe(200);
  expect(response.body.data).toEqual({ resource: 'staff', resource_id: 77, applied: true });
});

describe('still refused', () => {
  it.each(['multipart/form-data; boundary=x', 'text/plain', 'application/xml'])(
    'a body of type %s: 400 naming the two types taken',
    async (type) => {
      const response = await request('POST', '/v1/user/auth', {
        rawBody: `phone=${phone}&code=1`,
        headers: { ...partnerHeaders, 'content-type': type },
      });
      expect(response.status).toBe(400);
      expect(response.body).toEqual({
        success: false,
        data: null,
        meta: { message: 'Content-Type must be application/json or application/x-www-form-urlencoded.' },
      });
    },
  );

  it.each(['__proto__[x]=1', 'a[constructor][prototype]=1', 'phone=1&phone[x]=2', `${'a'}${'[b]'.repeat(8)}=1`])(
    'a form %s: 400, never a 500',
    async (raw) => {
      const response = await request('POST', '/v1/user/auth', { rawBody: raw, headers: { ...partnerHeaders, ...form } });
      expect(response.status).toBe(400);
      expect(response.body.meta.message).toMatch(/^Malformed form body: /);
    },
  );
});
