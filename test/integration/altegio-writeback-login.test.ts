// Write-back with login/password instead of a fixed user token, and with only `cancel` on (the
// default): a regenerated token is minted again once and the DELETE goes; a changed password stops
// the write-back with an alert; a review and a profile change send nothing to Altegio.
import { belgradeIn as belgrade, startStandin, type AltegioStandin } from '../helpers/altegio-standin.js';
import { startSmsGateway } from '../helpers/sms-gateway.js';
import { startSubscriber } from '../helpers/subscriber.js';
import { given } from '../helpers/fixture.js';
import { request } from '../helpers/api.js';
import { asUser, partnerHeaders as partner, signIn } from '../helpers/sign-in.js';
import { companyEvent } from '../helpers/altegio.js';
import { push, pushStandinRecord } from '../helpers/webhook.js';
import { config } from '../../lib/config.js';
import { dynamo } from '../../lib/db/client.js';
import { getCommand } from '../../lib/db/altegio-commands.js';
import { StreamRelay } from '../../scripts/event-relay.js';
import * as deliver from '../../functions/deliver-events.js';

const partnerToken = 'writeback-login-partner-token';
const standin: AltegioStandin = await startStandin({ partnerToken, rps: 0, rpm: 0 });
const [subscriber, gateway] = await Promise.all([startSubscriber(), startSmsGateway()]);
await given({
  env: {
    CABINET_ALTEGIO_PARTNER_TOKEN: partnerToken,
    CABINET_ALTEGIO_URL: standin.url,
    CABINET_ALTEGIO_LOGIN: 'admin@salon.test',
    CABINET_ALTEGIO_PASSWORD: 'pw',
    CABINET_ALTEGIO_COMPANY_IDS: '4564',
    CABINET_ALTEGIO_RPS: '200',
    CABINET_ALTEGIO_RPM: '10000',
    CABINET_DYNAMODB_TIMEOUT_MS: '10000',
    CABINET_EVENTS_URL: subscriber.url,
    CABINET_SMS_URL: gateway.url,
  },
});

const relay = new StreamRelay(dynamo, config, deliver.handler);
afterAll(async () => {
  relay.close();
  await standin.close();
  await Promise.all([subscriber.close(), gateway.close()]);
});

const phone = '79161234567';
beforeAll(async () => {
  await push(companyEvent({ allow_delete_record: true, allow_delete_record_delay_step: 3600 }));
  standin.salon(4564).clients.get(18936825)!.phone = `+${phone}`;
});

let nextId = 710_000;
const appointment = (extra: Record<string, unknown> = {}) => pushStandinRecord(standin, ++nextId, belgrade(72), 4564, extra);
const cancel = (id: number, hash: string) => request('DELETE', `/v1/user/records/${id}/${hash}`, { headers: partner });
const deletes = (id: number) => standin.requests('DELETE /record/:company_id/:record_id').filter((r) => r.path.endsWith(`/${id}`));

describe('write-back with login and password', () => {
  it('mints the token again once when Altegio regenerated it, and the DELETE goes', async () => {
    const first = await appointment();
    expect((await cancel(first.id, first.hash)).status).toBe(200);
    expect(standin.requests('POST /auth')).toHaveLength(1);
    standin.regenerateToken();
    const { id, hash } = await appointment();
    expect((await cancel(id, hash)).status).toBe(200);
    expect(standin.requests('POST /auth')).toHaveLength(2);
    expect(deletes(id).map((r) => r.status)).toEqual([204]);
    expect(standin.salon(4564).records.get(id)!.deleted).toBe(true);
  });

  it('stops (auth_revoked) when the password was changed, and still answers the customer 200', async () => {
    standin.changePassword('changed');
    const { id, hash } = await appointment();
    expect((await cancel(id, hash)).status).toBe(200);
    expect(await getCommand(`cancel-4564-${id}`)).toMatchObject({ state: 'failed', stop_reason: 'auth_revoked' });
    expect(deletes(id)).toHaveLength(0);
    standin.changePassword('pw');
  });
});

describe('only cancel on (the default)', () => {
  it('sends no PUT for a profile change and no POST for a review', async () => {
    const { token } = await signIn(gateway, phone, '10.0.8.1');
    expect((await request('PUT', '/v1/booking/user', { headers: asUser(token), body: { name: 'Ann C' } })).status).toBe(202);
    const { id } = await appointment({ date: belgrade(-24) });
    const visited = standin.updateRecord(4564, id, { visit_attendance: 1, attendance: 1 });
    await push({ company_id: 4564, resource: 'record', resource_id: id, status: 'update', data: visited });
    await relay.pollOnce();
    const reviewToken = subscriber.deliveries.find((d) => d.body.resource === 'review_request' && d.body.resource_id === id)!.body.data
      .record_token;
    expect(
      (
        await request('POST', `/v1/master_record_review/${reviewToken}`, {
          headers: partner,
          body: { rating: 5, text: 'Fine', tips_amount: 0 },
        })
      ).status,
    ).toBe(200);
    expect(standin.requests('PUT /client/:company_id/:client_id')).toHaveLength(0);
    expect(standin.requests('POST /comments/:company_id/:staff_id')).toHaveLength(0);
    expect(await getCommand(`review-${id}`)).toBeNull();
  });
});
