// CABINET_WEBHOOK_SIGNATURES=timestamped (docs/contract.md, webhook signatures): a standalone
// deployment accepts only deliveries signed in the Standard Webhooks format; the body-only
// signature and `?secret=`, which a captured delivery replays, are refused. Real handler, DynamoDB Local.
import { Webhook } from 'standardwebhooks';
import { testSecret } from '../helpers/table.js';
import { given } from '../helpers/fixture.js';
import { request } from '../helpers/api.js';
import { companyEvent, signedHeaders } from '../helpers/altegio.js';
import { getEntity } from '../../lib/db/entities.js';

const { time: serviceClock } = await given({
  env: { CABINET_WEBHOOK_SIGNATURES: 'timestamped' },
  clock: { stoppedAt: Date.parse('2026-11-24T09:00:00Z') },
});

it('refuses the body-only signature and ?secret= with 401, storing nothing, and accepts the timestamped one', async () => {
  const raw = JSON.stringify(companyEvent());
  const post = (headers: Record<string, string>, query = '') => request('POST', `/v1/webhooks/altegio${query}`, { rawBody: raw, headers });
  expect((await post(signedHeaders(raw))).status).toBe(401);
  expect((await post({ 'content-type': 'application/json' }, `?secret=${encodeURIComponent(testSecret)}`)).status).toBe(401);
  expect(await getEntity('company', 4564)).toBeNull();
  const signature = new Webhook(testSecret, { format: 'raw' }).sign('msg_1', new Date(serviceClock.now()), raw);
  const answer = await post({
    'content-type': 'application/json',
    'webhook-id': 'msg_1',
    'webhook-timestamp': String(serviceClock.now() / 1000),
    'webhook-signature': signature,
  });
  expect(answer.status).toBe(200);
  expect(answer.body.data.applied).toBe(true);
});
