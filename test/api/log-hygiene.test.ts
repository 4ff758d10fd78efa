// Nothing secret reaches the logs: one flow through every operation, failures included (a wrong
// code, a wrong password, the SMS gateway down, a subscriber down, an unsigned webhook), with every
// channel captured (stdout, stderr, the console) at the most verbose level, metric lines included;
// then every secret the flow handled is searched for in what was written.
import { captureAllLogs, jsonLines } from '../helpers/logs.js';
import { startSmsGateway } from '../helpers/sms-gateway.js';
import { startSubscriber } from '../helpers/subscriber.js';
import { testPartnerToken, testSecret } from '../helpers/table.js';
import { given } from '../helpers/fixture.js';
import { request } from '../helpers/api.js';
import { asUser, partnerHeaders as partner } from '../helpers/sign-in.js';
import { companyEvent, recordEvent } from '../helpers/altegio.js';
import { push, pushWebhook } from '../helpers/webhook.js';
import { config } from '../../lib/config.js';
import { dynamo } from '../../lib/db/client.js';
import { StreamRelay } from '../../scripts/event-relay.js';
import * as deliver from '../../functions/deliver-events.js';

const [gateway, subscriber] = await Promise.all([startSmsGateway(), startSubscriber()]);
await given({
  env: {
    CABINET_SMS_URL: gateway.url,
    CABINET_EVENTS_URL: `${subscriber.url}?key=subscriber-credential-42`,
    CABINET_LOG_LEVEL: 'DEBUG',
    CABINET_METRICS: 'on',
  },
});

afterAll(async () => {
  await Promise.all([gateway.close(), subscriber.close()]);
});

it('logs no token, code, password, hash, secret or phone, whatever happens', async () => {
  const logs = captureAllLogs();
  const secrets: string[] = [testPartnerToken, testSecret, 'subscriber-credential-42', 'correct horse battery', 'wrong horse battery'];
  const phone = '79160002001';
  try {
    await push(companyEvent({ allow_delete_record: true }));
    const hash = (await push(recordEvent(1, { datetime: '2030-01-01T12:00:00+03:00', client: { id: 1, phone } }))).record_hash!;
    secrets.push(hash);
    await pushWebhook({ unsigned: true }).catch(() => undefined);
    await request('POST', '/v1/webhooks/altegio', {
      rawBody: '{"company_id":1}',
      headers: { 'content-type': 'application/json', 'x-cabinet-signature': 'sha256=forged' },
    });

    gateway.mode = 'fail';
    await request('POST', '/v1/book_code/4564', { headers: partner, body: { phone }, sourceIp: '192.0.2.1' });
    secrets.push(gateway.lastCode(phone));
    gateway.mode = 'ok';
    await request('POST', '/v1/book_code/4564', { headers: partner, body: { phone }, sourceIp: '192.0.2.1' });
    const code = gateway.lastCode(phone);
    secrets.push(code);
    await request('POST', '/v1/user/auth', { headers: partner, body: { phone, code: code === '000000' ? '000001' : '000000' } });
    const user = (await request('POST', '/v1/user/auth', { headers: partner, body: { phone, code } })).body.data.user_token;
    secrets.push(user);
    const next = (
      await request('PUT', '/v1/booking/user/password', { headers: asUser(user), body: { new_password: 'correct horse battery' } })
    ).body.data.user_token;
    secrets.push(next);
    await request('POST', '/v1/booking/auth', { headers: partner, body: { login: phone, password: 'wrong horse battery' } });
    await request('PUT', '/v1/booking/user/password', {
      headers: asUser(next),
      body: { old_password: 'wrong horse battery', new_password: 'whatever-else' },
    });

    subscriber.down = true;
    await request('DELETE', `/v1/user/records/1/${hash}`, { headers: partner });
    const relay = new StreamRelay(dynamo, config, deliver.handler);
    await relay.pollOnce();
    relay.close();
    // The review link minted for a visit goes out in an event; it must not be logged either.
    await push(recordEvent(2, { visit_attendance: 1, client: { id: 1, phone } }));
  } finally {
    logs.restore();
    subscriber.down = false;
  }
  // The failures an operator must see were logged (so the capture works)...
  const lines = jsonLines(logs.lines);
  expect(lines.map((line) => line.message)).toEqual(
    expect.arrayContaining(['request', 'sms gateway refused', 'event delivery failed; will retry']),
  );
  expect(lines.filter((line) => line._aws).length).toBeGreaterThan(3);
  // ...and nothing secret was.
  const all = logs.lines.join('\n');
  for (const secret of secrets) expect(all).not.toContain(secret);
  expect(all).not.toContain(phone);
  expect(all).not.toMatch(/sha256=[0-9a-f]{64}/);
  expect(all).not.toMatch(/\$scrypt\$/);
});
