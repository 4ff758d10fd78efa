// Replayed webhooks when connected to Altegio (docs/contract.md section 6,
// webhook signatures), with CABINET_WEBHOOK_SIGNATURES=timestamped: Altegio cannot sign, so its `?secret=`
// stays accepted, and what it pushes without a version (a location, team member, service) is read
// again from Altegio instead of taken from the body, so a captured delivery replayed later stores
// Altegio's current state. The body-only signature is refused; a timestamped array is applied once.
// Real handler, DynamoDB Local, the Altegio stand-in as the salon's account.
import { randomUUID } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { startStandin, type AltegioStandin } from '../helpers/altegio-standin.js';
import { testSecret } from '../helpers/table.js';
import { given } from '../helpers/fixture.js';
import { request } from '../helpers/api.js';
import { companyEvent, signedHeaders, staffEvent } from '../helpers/altegio.js';
import { getEntity } from '../../lib/db/entities.js';

const standin: AltegioStandin = await startStandin({ partnerToken: 'replay-partner', userToken: 'replay-user', rps: 0, rpm: 0 });
await given({
  env: {
    CABINET_ALTEGIO_PARTNER_TOKEN: 'replay-partner',
    CABINET_ALTEGIO_URL: standin.url,
    CABINET_ALTEGIO_USER_TOKEN: 'replay-user',
    CABINET_ALTEGIO_COMPANY_IDS: '4564,4565',
    CABINET_ALTEGIO_RPS: '20',
    CABINET_ALTEGIO_RPM: '1000',
    CABINET_WEBHOOK_SIGNATURES: 'timestamped',
  },
});
type CompanyDoc = import('../../lib/domain/entities.js').CompanyDoc;
type StaffDoc = import('../../lib/domain/entities.js').StaffDoc;

afterAll(() => standin.close());

const bySecret = (event: unknown) =>
  request('POST', `/v1/webhooks/altegio?secret=${encodeURIComponent(testSecret)}`, {
    rawBody: JSON.stringify(event),
    headers: { 'content-type': 'application/json' },
  });
const reads = (route: string) => standin.requests(route).length;

describe('connected, with only timestamped signatures', () => {
  it("keeps Altegio's ?secret= and refuses the body-only signature", async () => {
    const raw = JSON.stringify(companyEvent({ id: 4565 }, 'update'));
    expect((await request('POST', '/v1/webhooks/altegio', { rawBody: raw, headers: signedHeaders(raw) })).status).toBe(401);
    expect((await bySecret({ ...companyEvent({ id: 4565 }), company_id: 4565, resource_id: 4565 })).status).toBe(200);
  });

  it('stores a location replayed by ?secret= as Altegio has it now, not as the old body says', async () => {
    standin.salon(4564).rules = { allow_delete_record: true, allow_delete_record_delay_step: 3600 };
    const captured = companyEvent({ allow_delete_record: true });
    expect((await bySecret(captured)).body.data.applied).toBe(true);
    expect((await getEntity<CompanyDoc>('company', 4564))?.doc.allow_delete_record).toBe(true);
    // The salon turns cancelling off; Altegio pushes that; then the captured delivery is posted again.
    standin.salon(4564).rules = { allow_delete_record: false, allow_delete_record_delay_step: 3600 };
    expect((await bySecret(companyEvent({ allow_delete_record: false }))).status).toBe(200);
    const before = reads('GET /companies');
    expect((await bySecret(captured)).status).toBe(200);
    expect(reads('GET /companies')).toBe(before + 1);
    expect((await getEntity<CompanyDoc>('company', 4564))?.doc.allow_delete_record).toBe(false);
    expect((await getEntity<CompanyDoc>('company', 4564))?.doc.title).toBe('Salon Belgrade');
  });

  it('stores a team member pushed by ?secret= as Altegio has it', async () => {
    expect((await bySecret(staffEvent(9, { name: 'Somebody Else' }))).status).toBe(200);
    expect((await getEntity<StaffDoc>('staff', 9))?.doc.name).toBe('Alex');
  });

  it('answers a replayed timestamped array with nothing applied', async () => {
    const raw = JSON.stringify([{ ...companyEvent({ id: 4565 }), company_id: 4565, resource_id: 4565 }, { resource: 'company' }]);
    const id = `msg_${randomUUID()}`;
    const headers = {
      'content-type': 'application/json',
      'webhook-id': id,
      'webhook-timestamp': String(Math.floor(Date.now() / 1000)),
      'webhook-signature': new Webhook(testSecret, { format: 'raw' }).sign(id, new Date(), raw),
    };
    const first = await request('POST', '/v1/webhooks/altegio', { rawBody: raw, headers });
    expect(first.status).toBe(200);
    const again = await request('POST', '/v1/webhooks/altegio', { rawBody: raw, headers });
    expect(again.status).toBe(200);
    expect(again.body.data[0]).toEqual({ resource: 'company', resource_id: 4565, applied: false });
    expect(again.body.data[1]).toEqual(first.body.data[1]);
  });
});
