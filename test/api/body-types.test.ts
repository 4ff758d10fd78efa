// Bodies of the wrong JSON type, on every operation that takes a body: a scalar or
// `null` is 400 in the envelope, never a 500 and never accepted. Sent twice: as API Gateway hands
// them to the function (the body as text), and as the local stack (serverless offline) hands them,
// which passes a falsy JSON value on as the value itself (`0`, `false`) or as no body at all (`null`).
import { startSmsGateway } from '../helpers/sms-gateway.js';
import { testSecret } from '../helpers/table.js';
import { given } from '../helpers/fixture.js';
import { buildEvent, lambdaContext, loadHandler, request } from '../helpers/api.js';
import { asUser, signIn } from '../helpers/sign-in.js';
import { companyEvent } from '../helpers/altegio.js';
import { push } from '../helpers/webhook.js';

const gateway = await startSmsGateway();
await given({ env: { CABINET_SMS_URL: gateway.url } });

afterAll(() => gateway.close());

let token: string;

beforeAll(async () => {
  await push(companyEvent());
  token = (await signIn(gateway, '79160000019', '192.0.2.19')).token;
});

const operations: Array<[string, string]> = [
  ['POST', `/v1/webhooks/altegio?secret=${testSecret}`],
  ['POST', '/v1/book_code/4564'],
  ['POST', '/v1/user/auth'],
  ['POST', '/v1/booking/auth'],
  ['PUT', '/v1/booking/user'],
  ['PUT', '/v1/booking/user/password'],
  ['POST', '/v1/master_record_review/abcdefghijklmnopqrstuv'],
];

const wrongType = { success: false, data: null, meta: { message: 'The body must be a JSON object.' } };

describe.each(operations)('%s %s', (method, url) => {
  it.each(['0', 'false', '"x"', 'null', '17', 'true'])('answers the JSON body %s with 400 in the envelope', async (raw) => {
    const response = await request(method, url, { rawBody: raw, headers: { ...asUser(token), 'content-type': 'application/json' } });
    expect(response.status).toBe(400);
    expect(response.body).toEqual(wrongType);
  });

  it.each([
    [0, '0'],
    [false, 'false'],
    [null, 'null'],
  ])('answers %s as the local stack passes it on with 400', async (value, raw) => {
    const { event, functionName } = buildEvent(method, url, {
      headers: { ...asUser(token), 'content-type': 'application/json', 'content-length': String(raw.length) },
    });
    (event as { body: unknown }).body = value;
    const result = await (await loadHandler(functionName))(event, lambdaContext(functionName));
    expect(result.statusCode).toBe(400);
    expect(JSON.parse(result.body!)).toEqual(wrongType);
  });
});

it('refuses PUT /booking/user with a null body, and changes nothing', async () => {
  const before = await request('GET', '/v1/booking/user/data', { headers: asUser(token) });
  const response = await request('PUT', '/v1/booking/user', {
    rawBody: 'null',
    headers: { ...asUser(token), 'content-type': 'application/json' },
  });
  expect(response.status).toBe(400);
  expect((await request('GET', '/v1/booking/user/data', { headers: asUser(token) })).body).toEqual(before.body);
});

it('still reads an empty body as no fields, and an object as before', async () => {
  const empty = await request('PUT', '/v1/booking/user', { rawBody: '', headers: asUser(token) });
  expect(empty.status).toBe(202);
  const named = await request('PUT', '/v1/booking/user', { body: { name: 'Olga' }, headers: asUser(token) });
  expect(named.status).toBe(202);
  expect((await request('GET', '/v1/booking/user/data', { headers: asUser(token) })).body.data.name).toBe('Olga');
});
