// Who owns an appointment now, connected to Altegio: the salon gives a record to another client in
// Altegio and no webhook comes. Her list, refreshed, no longer holds it; a cancellation decided on
// Altegio's fresh copy refuses (404) when that copy names another client, deletes nothing and sends
// nothing; a link handed out for the former client stops opening. Real handlers on DynamoDB Local,
// the Altegio stand-in (a real HTTP server), a real SMS gateway; the service's clock is moved, never slept through.
import { belgradeIn, startStandin, type AltegioStandin } from '../helpers/altegio-standin.js';
import { advanceClock, fixtureEpoch } from '../helpers/clock.js';
import { captureAllLogs } from '../helpers/logs.js';
import { startSmsGateway } from '../helpers/sms-gateway.js';
import { given } from '../helpers/fixture.js';
import { request } from '../helpers/api.js';
import { asUser, partnerHeaders as partner } from '../helpers/sign-in.js';
import { pushStandinRecord } from '../helpers/webhook.js';
import { getCommand } from '../../lib/db/altegio-commands.js';

const partnerToken = 'owner-partner-token';
const userToken = 'owner-user-token';
const standin: AltegioStandin = await startStandin({ partnerToken, userToken, rps: 0, rpm: 0 });
const gateway = await startSmsGateway();
await given({
  env: {
    CABINET_SMS_URL: gateway.url,
    // The stand-in's clients have US numbers, at locations in Serbia and Russia.
    CABINET_SMS_COUNTRIES: 'US',
    CABINET_ALTEGIO_PARTNER_TOKEN: partnerToken,
    CABINET_ALTEGIO_URL: standin.url,
    CABINET_ALTEGIO_USER_TOKEN: userToken,
    CABINET_ALTEGIO_COMPANY_IDS: '4564,4565',
    CABINET_ALTEGIO_WRITEBACK: 'cancel',
    CABINET_ALTEGIO_RPS: '200',
    CABINET_ALTEGIO_RPM: '10000',
  },
  clock: { runningFrom: fixtureEpoch },
});

afterAll(async () => {
  await Promise.all([standin.close(), gateway.close()]);
});

const ann = { id: 18936825, phone: '+13155550175' };
const bob = standin.addClient(4564, 18936901, { name: 'Bob', phone: '+13155550199', email: 'bob@example.com' });
let ip = 0;

async function signIn(phone: string): Promise<string> {
  const sourceIp = `198.51.100.${++ip}`;
  expect((await request('POST', '/v1/book_code/4564', { headers: partner, body: { phone }, sourceIp })).status).toBe(201);
  const login = await request('POST', '/v1/user/auth', {
    headers: partner,
    body: { phone, code: gateway.lastCode(phone.replace(/\D/g, '')) },
    sourceIp,
  });
  expect(login.status).toBe(201);
  return login.body.data.user_token;
}

let annToken = '';
beforeAll(async () => {
  annToken = await signIn(ann.phone);
});

let nextId = 9002;
/** An appointment of Ann's at 4564, three days ahead (cancellable), only in Altegio. */
function annsAppointment(): number {
  const id = ++nextId;
  standin.addRecord(4564, id, { date: belgradeIn(72), staff_id: 9, client_id: ann.id, service_ids: [1] });
  return id;
}

/**
 * The salon's admin gives the record to Bob in Altegio; no webhook is sent. Seconds later: Altegio's
 * `last_change_date` counts seconds, and a change stamped the same second as the last is no newer.
 */
function giveToBob(id: number): void {
  advanceClock(2_000);
  standin.updateRecord(4564, id, { client: { id: bob.id, name: bob.name, phone: bob.phone, email: bob.email } });
}

const listed = async () => {
  const list = await request('GET', '/v1/user/records', { headers: asUser(annToken) });
  expect(list.status).toBe(200);
  return list.body.data.map((r: { id: number }) => r.id) as number[];
};
const cancelAsAnn = (id: number) => request('DELETE', `/v1/user/records/${id}`, { headers: asUser(annToken) });
const asked = (route: string, id: number) => standin.requests(route).filter((r) => r.path.endsWith(`/${id}`));

/** No DELETE of the record reached Altegio, and Altegio still has it. */
function notDeletedInAltegio(id: number): void {
  expect(asked('DELETE /record/:company_id/:record_id', id)).toEqual([]);
  expect(standin.salon(4564).records.get(id)!.deleted).toBe(false);
}

/** A new appointment of Ann's, in her list as read a moment ago (a minute after the last read, so it is read again). */
async function annsListedAppointment(): Promise<number> {
  const id = annsAppointment();
  advanceClock(61_000);
  expect(await listed()).toContain(id);
  return id;
}

describe('a record the salon gave to another client in Altegio, without a webhook', () => {
  it('leaves her refreshed list, and her cancellation then is 404: nothing deleted in Altegio', async () => {
    const id = annsAppointment();
    expect(await listed()).toContain(id);
    giveToBob(id);
    advanceClock(50_000); // her list is still the one read 50 s ago (cached for 60 s)
    await listed();
    for (const step of [50_000, 50_000]) {
      advanceClock(step);
      expect(await listed()).not.toContain(id);
    }
    advanceClock(5_000);
    expect((await cancelAsAnn(id)).status).toBe(404);
    notDeletedInAltegio(id);
  });

  it(
    'is refused with 404 by her cancellation while her list is still cached: decided on Altegio’s fresh copy, nothing ' + 'deleted or sent',
    async () => {
      const id = await annsListedAppointment();
      giveToBob(id);
      advanceClock(10_000);
      const refused = await cancelAsAnn(id);
      expect(refused.status).toBe(404);
      expect(refused.body).toEqual({ success: false, data: null, meta: { message: 'Not found.' } });
      expect(asked('GET /record/:company_id/:record_id', id).length).toBeGreaterThan(0);
      notDeletedInAltegio(id);
      // What Altegio said is kept: it has left her list at once, and asking again costs Altegio nothing.
      expect(await listed()).not.toContain(id);
      const before = standin.log.length;
      expect((await cancelAsAnn(id)).status).toBe(404);
      expect((await request('GET', `/v1/user/records/${id}`, { headers: asUser(annToken) })).status).toBe(404);
      expect(standin.log.slice(before).filter((r) => r.path.endsWith(`/${id}`))).toEqual([]);
    },
  );

  it('is refused with 404 through the link handed out for her, and the link stops opening', async () => {
    const { id, hash } = await pushStandinRecord(standin, ++nextId, belgradeIn(72), 4564, {});
    expect((await request('GET', `/v1/user/records/${id}/${hash}`, { headers: partner })).status).toBe(200);
    giveToBob(id);
    expect((await request('DELETE', `/v1/user/records/${id}/${hash}`, { headers: partner })).status).toBe(404);
    notDeletedInAltegio(id);
    expect((await request('GET', `/v1/user/records/${id}/${hash}`, { headers: partner })).status).toBe(404);
  });

  it('leaves her refreshed list when the salon gives it to a client card without a phone', async () => {
    const id = await annsListedAppointment();
    standin.updateRecord(4564, id, { client: { id: 18936902, name: 'Walk-in', phone: '', email: '' } });
    advanceClock(61_000);
    expect(await listed()).not.toContain(id);
    expect((await cancelAsAnn(id)).status).toBe(404);
    expect(asked('DELETE /record/:company_id/:record_id', id)).toEqual([]);
  });

  it(
    'is not deleted in Altegio when the cancellation was decided on the stored copy (Altegio unreadable) and its ' + 'DELETE looks first',
    async () => {
      const id = await annsListedAppointment();
      giveToBob(id);
      standin.fault('GET /record/:company_id/:record_id', { kind: 'drop' });
      const logs = captureAllLogs();
      try {
        expect((await cancelAsAnn(id)).status).toBe(200);
      } finally {
        logs.restore();
      }
      expect(await getCommand(`cancel-4564-${id}`)).toMatchObject({
        decided_on: 'stored',
        state: 'failed',
        stop_reason: 'not_cancellable',
      });
      notDeletedInAltegio(id);
    },
  );

  it('still cancels her own appointment: the fresh copy names her', async () => {
    const id = await annsListedAppointment();
    expect((await cancelAsAnn(id)).status).toBe(200);
    expect(asked('DELETE /record/:company_id/:record_id', id)).toHaveLength(1);
  });
});
