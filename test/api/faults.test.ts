// When DynamoDB throttles, fails or hangs: a real proxy in front of DynamoDB Local fails on
// command. After the SDK's own retries the client gets 503 with Retry-After in the envelope,
// nothing is half written, and the same request succeeds once the table is back.
import { captureErrors, jsonLines } from '../helpers/logs.js';
import { startDynamoProxy } from '../helpers/dynamo-proxy.js';
import { startSmsGateway } from '../helpers/sms-gateway.js';
import { given } from '../helpers/fixture.js';
import { request } from '../helpers/api.js';
import { partnerHeaders as partner } from '../helpers/sign-in.js';
import { companyEvent, recordEvent } from '../helpers/altegio.js';
import { push, pushWebhook } from '../helpers/webhook.js';
import { getEntity } from '../../lib/db/entities.js';
import { mintReviewToken } from '../../lib/db/reviews.js';

const proxy = await startDynamoProxy(process.env.CABINET_DYNAMODB_ENDPOINT!);
const gateway = await startSmsGateway();
await given({ env: { CABINET_DYNAMODB_ENDPOINT: proxy.endpoint, CABINET_DYNAMODB_TIMEOUT_MS: '300', CABINET_SMS_URL: gateway.url } });

afterAll(() => Promise.all([proxy.close(), gateway.close()]));

let hash: string;
const reviewToken = 'faultsReviewToken00000';
let logs: ReturnType<typeof captureErrors>;

beforeAll(async () => {
  await push(companyEvent({ allow_delete_record: true, allow_delete_record_delay_step: 0 }));
  hash = (await push(recordEvent(1, { datetime: '2030-01-01T12:00:00+03:00' }))).record_hash!;
  await request('GET', `/v1/user/records/1/${hash}`, { headers: partner }); // the partner is remembered
  await mintReviewToken((await getEntity<never>('record', 1))!.doc, reviewToken, null, 24 * 3600_000);
});

beforeEach(() => {
  logs = captureErrors();
});

afterEach(() => {
  proxy.mode = 'pass';
  proxy.failNext = undefined;
  proxy.passFirst = undefined;
  proxy.failed = 0;
  logs.restore();
});

const view = async () => (await request('GET', `/v1/user/records/1/${hash}`, { headers: partner })).body.data[0];

describe('when DynamoDB fails', () => {
  it.each(['throttle', 'error500', 'hang', 'drop'] as const)('answers 503 with Retry-After when it keeps failing (%s)', async (mode) => {
    proxy.mode = mode;
    const started = Date.now();
    const response = await request('GET', `/v1/user/records/1/${hash}`, { headers: partner });
    // A sick table costs the request its few retried attempts, and always less than the Lambda's 10 s.
    expect(Date.now() - started).toBeLessThan(8000);
    expect(response.status).toBe(503);
    expect(response.headers['retry-after']).toBe('1');
    expect(response.body).toEqual({ success: false, data: null, meta: { message: 'Service temporarily unavailable. Please retry.' } });
    expect(proxy.failed).toBeGreaterThanOrEqual(3); // the SDK retried before giving up
    expect(jsonLines(logs.lines).some((line) => line.message === 'table unavailable')).toBe(true);
    proxy.mode = 'pass';
    expect((await request('GET', `/v1/user/records/1/${hash}`, { headers: partner })).status).toBe(200);
  });

  it('answers 503, not a 500 or a false 404, when DynamoDB keeps a batch read unprocessed', async () => {
    proxy.mode = 'unprocessed';
    const record = await request('GET', `/v1/user/records/1/${hash}`, { headers: partner });
    expect(record.status).toBe(503);
    expect(record.headers['retry-after']).toBe('1');
    // The review form reads its visit in one batch: missing items must not read as an unknown link.
    const form = await request('GET', `/v1/master_record_review/${reviewToken}`, { headers: partner });
    expect(form.status).toBe(503);
    proxy.mode = 'pass';
    expect((await request('GET', `/v1/user/records/1/${hash}`, { headers: partner })).status).toBe(200);
    expect((await request('GET', `/v1/master_record_review/${reviewToken}`, { headers: partner })).status).toBe(200);
  });

  it('rides out a short fault: the SDK retries and the client never sees it', async () => {
    proxy.mode = 'throttle';
    proxy.failNext = 2;
    expect((await request('GET', `/v1/user/records/1/${hash}`, { headers: partner })).status).toBe(200);
  });

  it('leaves no half-done cancellation behind, and cancels once the table is back', async () => {
    proxy.mode = 'error500';
    const refused = await request('DELETE', `/v1/user/records/1/${hash}`, { headers: partner });
    expect(refused.status).toBe(503);
    proxy.mode = 'pass';
    expect((await view()).deleted).toBe(false);
    expect((await request('DELETE', `/v1/user/records/1/${hash}`, { headers: partner })).status).toBe(200);
    expect((await view()).deleted).toBe(true);
  });

  it('never spends a login code on a login that failed: the same code works once the table is back', async () => {
    const phone = '79160003001';
    expect((await request('POST', '/v1/book_code/4564', { headers: partner, body: { phone }, sourceIp: '192.0.2.50' })).status).toBe(201);
    const code = gateway.lastCode(phone);
    // The limit, the owner lookup, the code's extras and the new id pass (4 requests); then the
    // table fails for the login's own transaction.
    proxy.mode = 'error500';
    proxy.passFirst = 4;
    const failed = await request('POST', '/v1/user/auth', { headers: partner, body: { phone, code }, sourceIp: '192.0.2.50' });
    expect(failed.status).toBe(503);
    expect(proxy.failed).toBeGreaterThanOrEqual(4); // the transaction, tried and retried
    proxy.mode = 'pass';
    proxy.passFirst = undefined;
    const login = await request('POST', '/v1/user/auth', { headers: partner, body: { phone, code }, sourceIp: '192.0.2.50' });
    expect(login.status).toBe(201);
    expect(login.body.data.phone).toBe(phone);
  });

  it('does not apply a webhook it could not store, so the sender retries it', async () => {
    proxy.mode = 'throttle';
    const raw = recordEvent(2, { comment: 'first try', last_change_date: '2026-11-20T10:00:00+03:00' });
    expect((await pushWebhook(raw)).status).toBe(503);
    proxy.mode = 'pass';
    expect(await push(raw)).toMatchObject({ applied: true });
  });
});
