// What an operator sees: one structured log line per request (request id, operation, route
// template, status, outcome, latency) and the abuse and health metrics, as the embedded-metric-
// format lines CloudWatch turns into metrics. Real handlers on DynamoDB Local, a real SMS gateway
// and a real subscriber on 127.0.0.1; the lines are read from the process's own output.
import { captureAllLogs, jsonLines, metric } from '../helpers/logs.js';
import { startSmsGateway } from '../helpers/sms-gateway.js';
import { startSubscriber } from '../helpers/subscriber.js';
import { given } from '../helpers/fixture.js';
import { buildEvent, lambdaContext, loadHandler, request } from '../helpers/api.js';
import { asUser, partnerHeaders as partner } from '../helpers/sign-in.js';
import { companyEvent, recordEvent, staffEvent } from '../helpers/altegio.js';
import { push } from '../helpers/webhook.js';
import { config } from '../../lib/config.js';
import { dynamo } from '../../lib/db/client.js';
import { StreamRelay } from '../../scripts/event-relay.js';
import * as deliver from '../../functions/deliver-events.js';

const [gateway, subscriber] = await Promise.all([startSmsGateway(), startSubscriber()]);
await given({
  env: { CABINET_SMS_URL: gateway.url, CABINET_EVENTS_URL: subscriber.url, CABINET_LOG_LEVEL: 'INFO', CABINET_METRICS: 'on' },
});

const relay = new StreamRelay(dynamo, config, deliver.handler);
// Everything the file's requests write is captured (and so not printed); a test reads its part.
const output = captureAllLogs();
afterAll(async () => {
  output.restore();
  relay.close();
  await Promise.all([gateway.close(), subscriber.close()]);
});

/** Runs `work`; returns the JSON lines written meanwhile. */
async function observe(work: () => Promise<unknown>) {
  const from = output.lines.length;
  await work();
  return jsonLines(output.lines.slice(from));
}

beforeAll(async () => {
  await push(companyEvent({ allow_delete_record: true }));
  await push(staffEvent(48));
});

describe('the request log', () => {
  it('is one line per request with the request id, operation, route template, status, outcome and latency', async () => {
    const { event, functionName } = buildEvent('GET', '/v1/user/records/77/0123456789abcdef0123456789abcdef', { headers: partner });
    const context = lambdaContext(functionName);
    const lines = await observe(() => loadHandler(functionName).then((h) => h(event, context)));
    const requests = lines.filter((l) => l.message === 'request');
    expect(requests).toHaveLength(1);
    expect(requests[0]).toMatchObject({
      level: 'INFO',
      service: 'cabinet',
      operation: 'get-user-record',
      request_id: event.requestContext.requestId,
      function_request_id: context.awsRequestId,
      route: 'GET /v1/user/records/{record_id}/{record_hash}',
      status: 404,
      outcome: 'rejected',
    });
    expect(requests[0]!.latency_ms).toBeGreaterThan(0);
    // The path (it holds the record hash) is not in it.
    expect(JSON.stringify(lines)).not.toContain('0123456789abcdef0123456789abcdef');
  });

  it('names the outcome an operator filters on', async () => {
    const lines = await observe(async () => {
      await request('GET', '/v1/booking/user/data', { headers: partner }); // no user token
      await request('POST', '/v1/book_code/4564', { headers: partner, body: { phone: '79160003001' }, sourceIp: '192.0.2.31' });
      await request('POST', '/v1/book_code/4564', { headers: partner, body: { phone: '79160003001' }, sourceIp: '192.0.2.31' }); // cooldown
    });
    expect(lines.filter((l) => l.message === 'request').map((l) => [l.operation, l.status, l.outcome])).toEqual([
      ['get-user-data', 401, 'denied'],
      ['send-book-code', 201, 'ok'],
      ['send-book-code', 429, 'limited'],
    ]);
  });
});

describe('the metrics', () => {
  it('count SMS sent, SMS refused by a limit and SMS the gateway failed', async () => {
    const lines = await observe(async () => {
      await request('POST', '/v1/book_code/4564', { headers: partner, body: { phone: '79160003002' }, sourceIp: '192.0.2.32' });
      await request('POST', '/v1/book_code/4564', { headers: partner, body: { phone: '79160003002' }, sourceIp: '192.0.2.32' });
      gateway.mode = 'fail';
      await request('POST', '/v1/book_code/4564', { headers: partner, body: { phone: '79160003003' }, sourceIp: '192.0.2.32' });
      gateway.mode = 'ok';
    });
    expect([metric(lines, 'SmsSent'), metric(lines, 'SmsRefusedByLimit'), metric(lines, 'SmsFailed')]).toEqual([1, 1, 1]);
  });

  it('count logins and failed logins, by code and by password', async () => {
    const phone = '79160003004';
    await request('POST', '/v1/book_code/4564', { headers: partner, body: { phone }, sourceIp: '192.0.2.33' });
    const code = gateway.lastCode(phone);
    const lines = await observe(async () => {
      await request('POST', '/v1/user/auth', { headers: partner, body: { phone, code: code === '000000' ? '000001' : '000000' } });
      const token = (await request('POST', '/v1/user/auth', { headers: partner, body: { phone, code } })).body.data.user_token;
      await request('PUT', '/v1/booking/user/password', { headers: asUser(token), body: { new_password: 'correct horse battery' } });
      await request('POST', '/v1/booking/auth', { headers: partner, body: { login: phone, password: 'wrong horse battery' } });
      await request('POST', '/v1/booking/auth', { headers: partner, body: { login: phone, password: 'correct horse battery' } });
    });
    expect([metric(lines, 'Logins'), metric(lines, 'LoginsFailed')]).toEqual([2, 2]);
  });

  it('count a cancellation once however often it is asked, the review, and the events delivered', async () => {
    const hash = (await push(recordEvent(5, { datetime: '2030-01-01T12:00:00+03:00', staff_id: 48 }))).record_hash!;
    await push(recordEvent(6, { staff_id: 48, staff: { id: 48, name: 'x' } }));
    await push(
      recordEvent(
        6,
        { staff_id: 48, staff: { id: 48, name: 'x' }, visit_attendance: 1, last_change_date: '2026-12-01T10:00:00Z' },
        'update',
      ),
    );
    const lines = await observe(async () => {
      await relay.pollOnce(); // the review request goes out
      await request('DELETE', `/v1/user/records/5/${hash}`, { headers: partner });
      await request('DELETE', `/v1/user/records/5/${hash}`, { headers: partner });
      const link = subscriber.deliveries.find((d) => d.body.resource === 'review_request')!.body.data.record_token;
      await request('POST', `/v1/master_record_review/${link}`, { headers: partner, body: { rating: 5 } });
      await relay.pollOnce(); // the cancellation and the review go out
    });
    expect([metric(lines, 'Cancellations'), metric(lines, 'Reviews')]).toEqual([1, 1]);
    expect(metric(lines, 'EventsDelivered')).toBeGreaterThanOrEqual(3);
  });

  it('count an event a subscriber did not take', async () => {
    const hash = (await push(recordEvent(7, { datetime: '2030-01-01T12:00:00+03:00', staff_id: 48 }))).record_hash!;
    await relay.pollOnce();
    subscriber.down = true;
    const lines = await observe(async () => {
      await request('DELETE', `/v1/user/records/7/${hash}`, { headers: partner });
      await relay.pollOnce();
    }).finally(() => (subscriber.down = false));
    expect([metric(lines, 'EventsFailed'), metric(lines, 'EventsDelivered')]).toEqual([1, 0]);
  });
});
