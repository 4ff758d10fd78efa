// The derived roles (lib/db/iam.json) against what the functions really send: every DynamoDB
// request of a flow through every function is recorded with the function that sent it, and must be
// an action that function's role allows (a transaction: also the action of each of its items).
// IAM itself cannot run here; the requests are the real ones, to DynamoDB Local.
import { startSmsGateway } from '../helpers/sms-gateway.js';
import { startSubscriber } from '../helpers/subscriber.js';
import { testPartnerToken } from '../helpers/table.js';
import { given } from '../helpers/fixture.js';
import { asFunction, notAllowed, sent, withRoles } from '../helpers/table-actions.js';
import { buildEvent, lambdaContext, loadHandler, ownFormPost } from '../helpers/api.js';
import { companyEvent, recordEvent, serviceEvent, signedHeaders, staffEvent } from '../helpers/altegio.js';
import { config } from '../../lib/config.js';
import { dynamo } from '../../lib/db/client.js';
import { StreamRelay } from '../../scripts/event-relay.js';
import * as deliver from '../../functions/deliver-events.js';
import * as retry from '../../functions/retry-events.js';
import * as retryAltegio from '../../functions/retry-altegio.js';

const [gateway, subscriber] = await Promise.all([startSmsGateway(), startSubscriber()]);
const { time } = await given({
  env: { CABINET_SMS_URL: gateway.url, CABINET_EVENTS_URL: subscriber.url },
  clock: { stoppedAt: '2026-11-24T09:00:00Z' },
});

async function call(method: string, url: string, options: Parameters<typeof buildEvent>[2] = {}) {
  const { event, functionName } = buildEvent(method, url, options);
  const handler = await loadHandler(functionName);
  const result = await asFunction(functionName, () => handler(event, lambdaContext(functionName)));
  const json = /^application\/json/.test(String(result.headers?.['content-type'] ?? ''));
  return { status: result.statusCode!, body: json && result.body ? JSON.parse(result.body) : undefined };
}

const relay = new StreamRelay(dynamo, config, (e) =>
  asFunction('deliver-events', () => deliver.handler(e, lambdaContext('deliver-events'))),
);
afterAll(async () => {
  relay.close();
  await Promise.all([gateway.close(), subscriber.close()]);
});

const partner = { authorization: `Bearer ${testPartnerToken}` };
const user = (token: string) => ({ authorization: `Bearer ${testPartnerToken}, User ${token}` });
const webhook = (event: unknown) => {
  const raw = JSON.stringify(event);
  return call('POST', '/v1/webhooks/altegio', { rawBody: raw, headers: signedHeaders(raw) });
};

describe('every DynamoDB request of every function', () => {
  it('is allowed by the role derived for that function', async () => {
    for (const event of [
      companyEvent({
        allow_delete_record: true,
        allow_delete_record_delay_step: 0,
        allow_change_record: true,
        allow_change_record_delay_step: 0,
      }),
      staffEvent(),
      serviceEvent(),
    ])
      expect((await webhook(event)).status).toBe(200);
    const phone = '79161230001';
    const client = { id: 9101, name: 'Ivan', phone: `+${phone}` };
    const upcoming = (await webhook(recordEvent(8101, { client, datetime: '2026-12-01T14:00:00+03:00' }))).body.data.record_hash;
    await webhook(recordEvent(8102, { client, datetime: '2026-11-20T14:00:00+03:00', visit_attendance: 1, attendance: 1 }));
    await webhook(recordEvent(8101, { client, datetime: '2026-12-01T14:00:00+03:00', last_change_date: '2026-11-19T10:00:00+0300' }));

    expect((await call('POST', '/v1/book_code/4564', { headers: partner, body: { phone } })).status).toBe(201);
    await call('POST', '/v1/user/auth', { headers: partner, body: { phone, code: '000000' } });
    const login = await call('POST', '/v1/user/auth', { headers: partner, body: { phone, code: gateway.lastCode(phone) } });
    const token = login.body.data.user_token as string;
    await call('GET', '/v1/booking/user/data', { headers: user(token) });
    await call('GET', '/v1/user/records', { headers: user(token) });
    await call('GET', `/v1/user/records/8101/${upcoming}`, { headers: partner });
    await call('GET', '/v1/user/records/8101/', { headers: user(token) });
    await call('PUT', '/v1/booking/user', { headers: user(token), body: { name: 'Ivan I.', email: 'ivan@example.com' } });
    const newPhone = '79161230002';
    await call('GET', `/v1/booking/user/phone_confirmation?phone=${newPhone}&company_id=4564`, { headers: user(token) });
    await call('PUT', '/v1/booking/user', { headers: user(token), body: { phone: newPhone, confirmation_code: '000000' } });
    await call('PUT', '/v1/booking/user', {
      headers: user(token),
      body: { phone: newPhone, confirmation_code: gateway.lastCode(newPhone) },
    });
    await call('PUT', '/v1/booking/user/password', { headers: user(token), body: { new_password: 'correct horse battery' } });
    await call('POST', '/v1/booking/auth', { headers: partner, body: { login: newPhone, password: 'wrong horse battery' } });
    await call('POST', '/v1/booking/auth', { headers: partner, body: { login: newPhone, password: 'correct horse battery' } });
    // Moving it (docs/contract.md section 9), and the customer's pages (section 10).
    const schedule = { staff_id: 48, dates: [{ date: '2026-12-01', is_working: 1, slots: [{ from: '10:00', to: '19:00' }] }] };
    expect((await webhook({ company_id: 4564, resource: 'schedule', resource_id: 48, status: 'update', data: schedule })).status).toBe(200);
    await call('GET', `/v1/book_record/4564/8101/${upcoming}`, { headers: partner });
    await call('GET', '/v1/book_dates/4564?staff_id=48&date_from=2026-12-01&date_to=2026-12-02', { headers: partner });
    await call('GET', '/v1/book_times/4564/48/2026-12-01', { headers: partner });
    const moveTo = { datetime: '2026-12-01T16:00:00+03:00', record_hash: upcoming };
    expect((await call('PUT', '/v1/book_record/4564/8101', { headers: partner, body: moveTo })).status).toBe(200);
    const page = `/r/8101/${upcoming}`;
    for (const path of [page, `${page}/calendar.ics`, `${page}/cancel`, `${page}/reschedule`, `${page}/reschedule?date=2026-12-01`]) {
      expect((await call('GET', path)).status).toBe(200);
    }
    const moveBack = `datetime=${encodeURIComponent('2026-12-01T14:00:00+03:00')}`;
    expect((await call('POST', `${page}/reschedule`, { headers: ownFormPost, rawBody: moveBack })).status).toBe(200);
    expect((await call('POST', `${page}/cancel`, { headers: ownFormPost })).status).toBe(200);
    await call('DELETE', `/v1/user/records/8101/${upcoming}`, { headers: partner });

    await relay.pollOnce();
    const review = subscriber.deliveries.find((d) => d.body.resource === 'review_request');
    const reviewToken = String(review?.body.data.record_token ?? 'none');
    await call('GET', `/v1/master_record_review/${reviewToken}`, { headers: partner });
    await call('GET', `/review/${reviewToken}`);
    await call('POST', `/review/${reviewToken}`, { headers: ownFormPost, rawBody: 'rating=5&text=Great' });
    await call('POST', `/v1/master_record_review/${reviewToken}`, { headers: partner, body: { rating: 5, text: 'Great' } });
    subscriber.down = true;
    await relay.pollOnce();
    subscriber.down = false;
    time.advance(3_600_000);
    await asFunction('retry-events', () => retry.handler(undefined as never, lambdaContext('retry-events') as never));
    await asFunction('retry-altegio', () => retryAltegio.handler(undefined as never, lambdaContext('retry-altegio') as never));
    await call('GET', '/docs');
    await call('GET', '/v1/nowhere', { headers: partner });

    // The flow reached every function that talks to the table (the reference page and the catch-all
    // 404s, JSON and page, answer without it), and each sent only what its role allows.
    // The reconcile and the write-back sweep reach the table only when connected to Altegio:
    // test/integration/altegio-sync.test.ts and altegio-writeback.test.ts check their roles.
    expect([...sent.keys()].sort()).toEqual(
      withRoles.filter((fn) => !['api-docs', 'not-found', 'page-not-found', 'altegio-reconcile', 'retry-altegio'].includes(fn)).sort(),
    );
    for (const fn of sent.keys()) expect({ fn, notAllowed: notAllowed(fn) }).toEqual({ fn, notAllowed: [] });
  });
});
