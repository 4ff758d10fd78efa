// The examples docs/webhooks.md and the reference page show, sent as an integrator would send them
// (company, staff, service, client, record, in that order), make what the guide says they make:
// one location whose customer Ivan finds his appointment with Anna, priced from the catalogue,
// cancellable under the location's rules; and the delete example takes it away.
import { startSmsGateway } from '../helpers/sms-gateway.js';
import { given } from '../helpers/fixture.js';
import { request } from '../helpers/api.js';
import { asUser, partnerHeaders, signIn } from '../helpers/sign-in.js';
import { push } from '../helpers/webhook.js';
import { webhookExamples } from '../../lib/schemas/webhook-examples.js';

const gateway = await startSmsGateway();
await given({ env: { CABINET_SMS_URL: gateway.url } });

afterAll(() => gateway.close());

const { company, staff, service, client, record } = webhookExamples;

it('sent in order, the examples make an appointment Ivan lists and opens, with Anna, priced from the catalogue', async () => {
  for (const event of [company, staff, service, client])
    expect(await push(event)).toMatchObject({ resource: event.resource, applied: true });
  const delivered = await push(record);
  expect(delivered).toMatchObject({ applied: true, record_hash: expect.stringMatching(/^[0-9a-f]{32}$/) });

  const byLink = await request('GET', `/v1/user/records/${record.resource_id}/${delivered.record_hash}`, { headers: partnerHeaders });
  expect(byLink.status).toBe(200);
  expect(byLink.body.data[0]).toMatchObject({
    id: record.resource_id,
    datetime: '2026-12-01T14:00:00+03:00',
    staff: { id: 48, name: 'Anna Petrova', rating: 4.8 },
    services: [{ id: 331, title: "Men's haircut", cost: 1800, price_min: 1500, price_max: 2000 }],
    company: { id: 4564, title: 'Barbershop on Tverskaya', allow_delete_record: true, allow_delete_record_delay_step: 3600 },
  });

  const ivan = await signIn(gateway, '79161234567', '192.0.2.40');
  const mine = await request('GET', '/v1/user/records', { headers: asUser(ivan.token) });
  expect(mine.status).toBe(200);
  expect(mine.body.data.map((r: { id: number }) => r.id)).toEqual([record.resource_id]);
});

it('the delete example takes the appointment away: its link answers 404', async () => {
  const hash = (await push(record)).record_hash;
  expect(await push(webhookExamples['record-delete'])).toMatchObject({ applied: true });
  expect((await request('GET', `/v1/user/records/${record.resource_id}/${hash}`, { headers: partnerHeaders })).status).toBe(404);
});

it('an event of a resource the cabinet does not show is accepted and ignored', async () => {
  expect(await push(webhookExamples.other)).toEqual({ resource: 'goods', resource_id: 77, applied: false });
});
