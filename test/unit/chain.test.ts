// The one middy chain, exercised with a small operation of its own: body parsing, validation,
// typed errors and the envelopes. (Partner and webhook authentication are covered through the
// real functions in test/api.)
import { z } from 'zod';
import { TooManyRequests, Unprocessable } from '../../lib/errors.js';
import { cabinetHandler, type CabinetContext } from '../../lib/http/handler.js';
import { ack, ok } from '../../lib/http/response.js';
import { lambdaContext, v2Event, type RequestOptions } from '../helpers/api.js';

const schema = z.object({
  body: z.object({ name: z.string().min(1), age: z.number().int().optional() }),
  query: z.object({ mode: z.enum(['ok', 'ack', 'limit', 'business', 'crash']).default('ok') }),
});

let seen: CabinetContext | undefined;

const echo = cabinetHandler(
  async ({ body, query }, cabinet) => {
    seen = cabinet;
    if (query.mode === 'ack') return ack('Accepted', 202);
    if (query.mode === 'limit') throw new TooManyRequests(42.2);
    if (query.mode === 'business') throw new Unprocessable([{ code: 1004, message: 'Cancelling is not allowed.' }]);
    if (query.mode === 'crash') throw new TypeError('secret detail');
    return ok({ hello: body.name });
  },
  { operation: 'echo', auth: 'none', schema, body: true },
);

const noBody = cabinetHandler(async (_input, cabinet) => ok({ ip: cabinet.sourceIp }), {
  operation: 'no-body',
  auth: 'none',
  schema: z.unknown(),
});

async function call(handler: typeof echo, url: string, options: RequestOptions) {
  const result = await handler(v2Event('POST', url, options, 'POST /echo'), lambdaContext('echo'));
  return { status: result.statusCode, headers: result.headers ?? {}, body: JSON.parse(result.body ?? 'null') };
}

describe('the middy chain', () => {
  it('parses the JSON body and wraps the result in the success envelope', async () => {
    const response = await call(echo, '/echo', { body: { name: 'Ann' } });
    expect(response).toMatchObject({ status: 200, body: { success: true, data: { hello: 'Ann' }, meta: [] } });
    expect(response.headers).toMatchObject({
      'content-type': 'application/json; charset=utf-8',
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    });
  });

  it('renders acknowledgements without a data key, as the vendor documents', async () => {
    const response = await call(echo, '/echo?mode=ack', { body: { name: 'Ann' } });
    expect(response).toMatchObject({ status: 202, body: { success: true, meta: { message: 'Accepted' } } });
    expect(response.body).not.toHaveProperty('data');
  });

  it('reads base64-encoded bodies, as API Gateway delivers some', async () => {
    const event = v2Event('POST', '/echo', { headers: { 'content-type': 'application/json' } }, 'POST /echo');
    event.body = Buffer.from('{"name":"Böb"}').toString('base64');
    event.isBase64Encoded = true;
    const result = await echo(event, lambdaContext('echo'));
    expect(JSON.parse(result.body!).data).toEqual({ hello: 'Böb' });
  });

  it('accepts a missing content type and vendor JSON types, and refuses others with 400', async () => {
    expect((await call(echo, '/echo', { rawBody: '{"name":"A"}' })).status).toBe(200);
    expect(
      (await call(echo, '/echo', { rawBody: '{"name":"A"}', headers: { 'Content-Type': 'application/vnd.api.v2+json; charset=utf-8' } }))
        .status,
    ).toBe(200);
    const refused = await call(echo, '/echo', { rawBody: '{"name":"A"}', headers: { 'content-type': 'text/plain' } });
    expect(refused).toMatchObject({
      status: 400,
      body: {
        success: false,
        data: null,
        meta: { message: 'Content-Type must be application/json or application/x-www-form-urlencoded.' },
      },
    });
  });

  it('answers a body over 64 KB with 413, before parsing it', async () => {
    const big = JSON.stringify({ name: 'x'.repeat(64 * 1024) });
    const response = await call(echo, '/echo', { rawBody: big, headers: { 'content-type': 'application/json' } });
    expect(response).toMatchObject({
      status: 413,
      body: { success: false, data: null, meta: { message: 'Request body too large (at most 65536 bytes).' } },
    });
    const justUnder = JSON.stringify({ name: 'x'.repeat(64 * 1024 - 20) });
    expect((await call(echo, '/echo', { rawBody: justUnder, headers: { 'content-type': 'application/json' } })).status).toBe(200);
  });

  it('answers malformed JSON with 400', async () => {
    const response = await call(echo, '/echo', { rawBody: '{"name":', headers: { 'content-type': 'application/json' } });
    expect(response).toMatchObject({ status: 400, body: { meta: { message: 'Malformed JSON body.' } } });
  });

  it('answers schema failures with 422 and a 1001 error naming each field', async () => {
    const response = await call(echo, '/echo?mode=nope', { body: { name: '', age: 1.5 } });
    expect(response.status).toBe(422);
    expect(response.body.success).toBe(false);
    expect(response.body.data).toBeNull();
    const fields = response.body.meta.errors.map((e: { code: number; message: string }) => `${e.code} ${e.message.split(':')[0]}`);
    expect(fields.sort()).toEqual(['1001 age', '1001 mode', '1001 name']);
    expect(response.body.meta.message).toBe(response.body.meta.errors[0].message);
  });

  it('answers an empty body as an empty object, so missing fields are named', async () => {
    const response = await call(echo, '/echo', {});
    expect(response.status).toBe(422);
    expect(response.body.meta.errors[0].message).toMatch(/^name: /);
  });

  it('renders business errors with their code, and 429 with Retry-After in whole seconds', async () => {
    const business = await call(echo, '/echo?mode=business', { body: { name: 'A' } });
    expect(business.body).toEqual({
      success: false,
      data: null,
      meta: { message: 'Cancelling is not allowed.', errors: [{ code: 1004, message: 'Cancelling is not allowed.' }] },
    });
    const limited = await call(echo, '/echo?mode=limit', { body: { name: 'A' } });
    expect(limited).toMatchObject({ status: 429, body: { meta: { message: 'Too many requests.' } } });
    expect(limited.headers['retry-after']).toBe('43');
  });

  it('hides unexpected errors behind a generic 500', async () => {
    const original = console.error;
    console.error = () => undefined;
    try {
      const response = await call(echo, '/echo?mode=crash', { body: { name: 'A' } });
      expect(response).toEqual({
        status: 500,
        headers: expect.any(Object),
        body: { success: false, data: null, meta: { message: 'Internal error.' } },
      });
    } finally {
      console.error = original;
    }
  });

  it('gives the function the caller: source IP, request id and parsed credentials', async () => {
    await call(echo, '/echo', { body: { name: 'A' }, sourceIp: '203.0.113.9', headers: { Authorization: 'Bearer P, User U' } });
    expect(seen).toMatchObject({ sourceIp: '203.0.113.9', credentials: { partnerToken: 'P', userToken: 'U' }, partner: null });
    expect(seen!.requestId).toMatch(/[0-9a-f-]{36}/);
  });

  it('ignores the body of operations that take none, even when it is not JSON', async () => {
    const response = await call(noBody, '/x', { rawBody: 'not json', sourceIp: '198.51.100.1' });
    expect(response).toMatchObject({ status: 200, body: { data: { ip: '198.51.100.1' } } });
  });
});
