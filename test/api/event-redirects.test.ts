// The event deliverer follows no redirect : a subscriber URL that answers 3xx
// counts as a failed delivery, and the signed body never reaches where it points. Real HTTP servers
// on 127.0.0.1: one redirects, the other (its target) must receive nothing.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startSubscriber } from '../helpers/subscriber.js';
import { testPartnerToken } from '../helpers/table.js';
import { listenOnLoopback } from '../helpers/loopback.js';
import { given } from '../helpers/fixture.js';
import { request } from '../helpers/api.js';
import { companyEvent, recordEvent } from '../helpers/altegio.js';
import { push } from '../helpers/webhook.js';
import { captureErrors, jsonLines } from '../helpers/logs.js';
import { config } from '../../lib/config.js';
import { dynamo } from '../../lib/db/client.js';
import { getEvent } from '../../lib/db/events.js';
import { StreamRelay } from '../../scripts/event-relay.js';
import * as deliver from '../../functions/deliver-events.js';

const target = await startSubscriber();
let redirected = 0;
const redirector = createServer((req, res) => {
  redirected++;
  req.resume().on('end', () => res.writeHead(Number(req.url!.split('/')[1]), { location: target.url }).end());
});
await listenOnLoopback(redirector);
const origin = `http://127.0.0.1:${(redirector.address() as AddressInfo).port}`;
const statuses = [301, 302, 303, 307, 308];
await given({ env: { CABINET_EVENTS_URL: statuses.map((s) => `${origin}/${s}`).join(','), CABINET_EVENTS_MAX_ATTEMPTS: '3' } });

const relay = new StreamRelay(dynamo, config, deliver.handler);
afterAll(async () => {
  relay.close();
  await Promise.all([target.close(), new Promise((resolve) => redirector.close(resolve))]);
});

describe('a subscriber that redirects', () => {
  it('gets the event, the redirect is not followed, and the delivery counts as failed', async () => {
    await push(companyEvent({ allow_delete_record: true, allow_delete_record_delay_step: 0 }));
    const { record_hash: hash } = await push(recordEvent(551, { datetime: '2030-01-01T12:00:00+03:00' }));
    const partner = { authorization: `Bearer ${testPartnerToken}` };
    expect((await request('DELETE', `/v1/user/records/551/${hash}`, { headers: partner })).status).toBe(200);
    const logs = captureErrors();
    try {
      await relay.pollOnce();
    } finally {
      logs.restore();
    }
    expect(redirected).toBe(statuses.length);
    expect(target.deliveries).toHaveLength(0);
    const failed = jsonLines(logs.lines).find((line) => line.message === 'event delivery failed; will retry');
    expect(failed).toMatchObject({ subscribers_failed: statuses.length });
    // Kept for a retry, delivered to none of them.
    expect(await getEvent(String(failed!.event_id))).toMatchObject({ state: 'retrying', attempts: 1, delivered_to: [] });
  });
});
