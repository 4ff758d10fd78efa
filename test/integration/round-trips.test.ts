// DynamoDB round trips per operation, counted by a middleware on the one SDK client (the same
// counter as `npm run bench`). A count is deterministic, so it is asserted here; docs/performance.md
// argues why each is the minimum. The partner is remembered by a warm container, so it costs none.
import { startSmsGateway } from '../helpers/sms-gateway.js';
import { given } from '../helpers/fixture.js';
import { request } from '../helpers/api.js';
import { asUser, partnerHeaders as partner, signIn } from '../helpers/sign-in.js';
import { companyEvent, recordEvent, staffEvent } from '../helpers/altegio.js';
import { push, pushWebhook } from '../helpers/webhook.js';
import { countTrips } from '../../bench/round-trips.js';

const gateway = await startSmsGateway();
await given({ env: { CABINET_SMS_URL: gateway.url } });

afterAll(() => gateway.close());

const trips = (method: string, url: string, options: Parameters<typeof request>[2] = {}) => countTrips(() => request(method, url, options));

let hash: string;
let token: string;

beforeAll(async () => {
  await push(companyEvent({ allow_delete_record: true, allow_delete_record_delay_step: 0 }));
  await push(staffEvent());
  hash = (await push(recordEvent(1, { datetime: '2030-01-01T12:00:00+03:00', client: { id: 1, phone: '79160000002' } }))).record_hash!;
  token = (await signIn(gateway, '79160000002', '192.0.2.1')).token;
  await request('GET', '/v1/nothing', { headers: partner }); // the partner is now remembered
  await request('GET', `/v1/user/records/1/${hash}`, { headers: partner });
});

describe('round trips', () => {
  it('appointment by link: the record, then one batch for location, team member and services', async () => {
    expect(await trips('GET', `/v1/user/records/1/${hash}`, { headers: partner })).toEqual(['GetItem', 'BatchGetItem']);
  });

  it('appointment by user token: the token and its user, the record, one batch', async () => {
    expect(await trips('GET', '/v1/user/records/1/', { headers: asUser(token) })).toEqual([
      'GetItem',
      'GetItem',
      'GetItem',
      'BatchGetItem',
    ]);
  });

  it("the user's list: token, user, one index query, one batch for everything the page joins", async () => {
    expect(await trips('GET', '/v1/user/records', { headers: asUser(token) })).toEqual(['GetItem', 'GetItem', 'Query', 'BatchGetItem']);
  });

  it('a webhook: one conditional write', async () => {
    expect(await countTrips(() => pushWebhook(staffEvent(48, { last_change_date: '2026-12-01T00:00:00Z' })))).toEqual(['UpdateItem']);
  });

  it('a login code: the location, the deployment-wide cap alone (a hot item), one transaction for the other limits, the code', async () => {
    expect(await trips('POST', '/v1/book_code/4564', { headers: partner, body: { phone: '79160000003' }, sourceIp: '192.0.2.2' })).toEqual([
      'GetItem',
      'UpdateItem',
      'TransactWriteItems',
      'PutItem',
    ]);
  });

  it('a cancellation: the record, its location (for the rules), one transaction with the event', async () => {
    expect(await trips('DELETE', `/v1/user/records/1/${hash}`, { headers: partner })).toEqual(['GetItem', 'GetItem', 'TransactWriteItems']);
  });
});
