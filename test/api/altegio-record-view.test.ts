// Connected to Altegio, what a customer sees of an appointment, as seen wrong on the local stack:
// the catalogue's price range in the list too (not the line's cost twice), with the record's
// numbers written as strings as Altegio writes them; and the record Altegio itself deleted,
// answered from what cabinet holds while Altegio is down (docs/contract.md, 8.3). The Altegio
// stand-in (a real HTTP server), a real SMS gateway, DynamoDB Local, the real handlers; Altegio's
// webhooks authenticated as Altegio's are (the `secret` query parameter).
import { belgradeIn, startStandin, type AltegioStandin } from '../helpers/altegio-standin.js';
import { startSmsGateway } from '../helpers/sms-gateway.js';
import { testSecret } from '../helpers/table.js';
import { given } from '../helpers/fixture.js';
import { request } from '../helpers/api.js';
import { asUser, partnerHeaders as partner } from '../helpers/sign-in.js';

const altegioPartner = 'record-view-partner-token';
const altegioUser = 'record-view-user-token';
const standin: AltegioStandin = await startStandin({ partnerToken: altegioPartner, userToken: altegioUser, rps: 0, rpm: 0 });
const gateway = await startSmsGateway();
const { time: serviceClock } = await given({
  env: {
    CABINET_SMS_URL: gateway.url,
    // The stand-in's clients have US numbers, at locations in Serbia and Russia.
    CABINET_SMS_COUNTRIES: 'US',
    CABINET_ALTEGIO_PARTNER_TOKEN: altegioPartner,
    CABINET_ALTEGIO_URL: standin.url,
    CABINET_ALTEGIO_USER_TOKEN: altegioUser,
    CABINET_ALTEGIO_COMPANY_IDS: '4564,4565',
    CABINET_ALTEGIO_RPS: '50',
    CABINET_ALTEGIO_RPM: '3000',
  },
  clock: { stoppedAt: Date.now() },
});

afterAll(async () => {
  await Promise.all([standin.close(), gateway.close()]);
});

const minutes = (n: number) => {
  serviceClock.advance(n * 60_000);
};

const ann = '13155550175';
let annToken = '';

/** Altegio's own webhook: the secret as a query parameter, the body as Altegio writes it. */
function altegioWebhook(event: unknown) {
  return request('POST', `/v1/webhooks/altegio?secret=${encodeURIComponent(testSecret)}`, {
    rawBody: JSON.stringify(event),
    headers: { 'content-type': 'application/json' },
  });
}

/** An appointment of Ann's at 4564 in the stand-in, every number of it a string, as Altegio writes them. */
function stringyRecord(id: number) {
  standin.addRecord(4564, id, { date: belgradeIn(48), staff_id: 9, client_id: 18936825, service_ids: [1] });
  const lines = [{ id: '1', title: 'Haircut', cost: '1500', first_cost: '1500', discount: '0', amount: '1' }];
  return standin.updateRecord(4564, id, {
    id: String(id),
    company_id: '4564',
    staff_id: '9',
    services: lines,
    length: '3600',
    seance_length: '3600',
  });
}

async function signIn(): Promise<string> {
  const sent = await request('POST', '/v1/book_code/4564', { headers: partner, body: { phone: `+${ann}` }, sourceIp: '198.51.100.1' });
  expect(sent.status).toBe(201);
  const login = await request('POST', '/v1/user/auth', {
    headers: partner,
    body: { phone: ann, code: gateway.lastCode(ann) },
    sourceIp: '198.51.100.1',
  });
  expect(login.status).toBe(201);
  return login.body.data.user_token as string;
}

beforeAll(() => {
  // The location's catalogue: a haircut from 1500 to 2000.
  Object.assign(
    standin.salon(4564).services.find((s) => s.id === '1')!,
    { price_min: '1500.00', price_max: '2000.00' },
  );
});

describe('an appointment, connected to Altegio', () => {
  it("shows the catalogue's price range in the list and when opened, its numbers sent as strings", async () => {
    stringyRecord(800_001);
    annToken = await signIn();
    const token = annToken;
    const range = { id: 1, title: 'Haircut', cost: 1500, price_min: 1500, price_max: 2000 };
    const list = await request('GET', '/v1/user/records', { headers: asUser(token) });
    expect(list.status).toBe(200);
    expect(list.body.data.find((r: { id: number }) => r.id === 800_001).services).toEqual([expect.objectContaining(range)]);
    const opened = await request('GET', '/v1/user/records/800001', { headers: asUser(token) });
    expect(opened.body.data[0].services).toEqual([expect.objectContaining(range)]);
    // Changed in Altegio and pushed: its link opens it with the same range.
    minutes(1);
    const changed = standin.updateRecord(4564, 800_001, { comment: 'window seat' });
    const pushed = await altegioWebhook({ company_id: '4564', resource: 'record', resource_id: '800001', status: 'update', data: changed });
    const linked = await request('GET', `/v1/user/records/800001/${pushed.body.data.record_hash}`, { headers: partner });
    expect(linked.body.data[0].services).toEqual([expect.objectContaining(range)]);
  });

  it(
    'once Altegio deleted it (its own webhook), is answered as cabinet holds it while Altegio answers 503: gone, not ' + '"try later"',
    async () => {
      const pushed = await altegioWebhook({
        company_id: '4564',
        resource: 'record',
        resource_id: '800002',
        status: 'create',
        data: stringyRecord(800_002),
      });
      expect(pushed.status).toBe(200);
      const open = () => request('GET', '/v1/user/records/800002', { headers: asUser(annToken) });
      expect((await open()).status).toBe(200);
      minutes(1);
      const deleted = standin.updateRecord(4564, 800_002, { deleted: true });
      expect(
        (await altegioWebhook({ company_id: 4564, resource: 'record', resource_id: 800_002, status: 'delete', data: deleted })).status,
      ).toBe(200);
      const gone = await open();
      expect(gone.status).toBe(404);
      minutes(5); // past every read-through freshness: opening it asks Altegio
      standin.fault('*', { kind: 'status', status: 503 }, 1000);
      try {
        const down = await open();
        expect([down.status, down.body]).toEqual([404, gone.body]);
        // A record cabinet knows nothing of is still not a 404 while Altegio cannot be asked.
        expect((await request('GET', '/v1/user/records/800003', { headers: asUser(annToken) })).status).toBe(503);
      } finally {
        standin.clearFaults();
      }
    },
  );
});
