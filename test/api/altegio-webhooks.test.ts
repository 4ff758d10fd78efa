// Altegio's own webhooks, connected mode (docs/contract.md 8.6): the
// stand-in pushes sample payloads shaped as Altegio's to the running handler, as Altegio would:
// an array of events, ids and numbers as strings, `meta` as `[]` or `{}`, and a record `datetime`
// whose offset is wrong for the location (the local `date` and the zone decide). Each event of an
// array is applied on its own, idempotently, and the reply says what each did.
import { startSmsGateway } from '../helpers/sms-gateway.js';
import { altegioStamp, startStandin, type AltegioStandin } from '../helpers/altegio-standin.js';
import { testSecret } from '../helpers/table.js';
import { given } from '../helpers/fixture.js';
import { request } from '../helpers/api.js';
import { startCabinetServer } from '../helpers/cabinet-server.js';
import { asUser, partnerHeaders } from '../helpers/sign-in.js';
import { getEntity } from '../../lib/db/entities.js';

const gateway = await startSmsGateway();
const standin: AltegioStandin = await startStandin({ partnerToken: 'hooks-partner', userToken: 'hooks-user', rps: 20, rpm: 1000 });
standin.addSalon(4566, { title: 'Salon Novi Sad', city: 'Novi Sad' });
standin.addSalon(4567, { title: 'Salon Niš', city: 'Niš' }, { allow_delete_record_delay_step: 3600 });

// Ann, the sample client, has a US number at a Belgrade salon: US numbers may get codes.
await given({
  env: {
    CABINET_SMS_URL: gateway.url,
    CABINET_SMS_COUNTRIES: 'US',
    CABINET_ALTEGIO_PARTNER_TOKEN: 'hooks-partner',
    CABINET_ALTEGIO_URL: standin.url,
    CABINET_ALTEGIO_USER_TOKEN: 'hooks-user',
    CABINET_ALTEGIO_COMPANY_IDS: '4564,4565,4566,4567',
    CABINET_ALTEGIO_RPS: '20',
    CABINET_ALTEGIO_RPM: '1000',
  },
});
const cabinet = await startCabinetServer();
const hookUrl = `${cabinet.url}/api/v1/webhooks/altegio?secret=${testSecret}`;
for (const id of [4564, 4565, 4566, 4567])
  Object.assign(standin.salon(id).hooks, { urls: [hookUrl], active: 1, record: 1, client: 1, master: 1, service: 1, salon: 1 });

afterAll(async () => {
  await standin.close();
  await cabinet.close();
  await gateway.close();
});

/** Research file P7.4, as printed: a string `cost`, a `datetime` at +01:00 whatever the zone. */
const p74 = {
  id: 596792980,
  company_id: 4564,
  staff_id: 9,
  services: [{ id: 1, title: 'Haircut', cost: '100', first_cost: 100, discount: 0, amount: 1 }],
  staff: {
    id: 9,
    name: 'Alex',
    specialization: 'stylist',
    position: { id: 1, title: 'Master' },
    avatar: '…',
    avatar_big: '…',
    rating: 4.8,
    votes_count: 12,
  },
  client: { id: 18936825, name: 'Ann', phone: '+13155550175', email: 'ann@example.com' },
  clients_count: 1,
  date: '2026-12-01 14:00:00',
  datetime: '2026-12-01T14:00:00+01:00',
  create_date: '2026-11-20T10:00:00+0100',
  comment: '',
  visit_attendance: 0,
  attendance: 0,
  confirmed: 1,
  seance_length: 3600,
  length: 3600,
  sms_remain_hours: 2,
  email_remain_hours: 24,
  master_request: 1,
  api_id: '',
  online: true,
  visit_id: 8263004,
  deleted: false,
  prepaid: false,
  prepaid_confirmed: false,
  last_change_date: '2026-11-20T10:00:05+0100',
  short_link: 'https://…',
  activity_id: 0,
  documents: [],
};

/** Research file a.1's envelope, numbers as strings as Altegio writes them elsewhere (a.4). */
function event(data: Record<string, unknown>, status = 'update', extra: Record<string, unknown> = {}) {
  return { company_id: String(data.company_id), resource: 'record', resource_id: String(data.id), status, data, ...extra };
}

async function push(companyId: number, body: unknown) {
  const [pushed] = await standin.pushWebhook(companyId, body as never);
  return pushed!;
}

/** A company event of Altegio's, without the cancel rules unless `data` has them. */
function company(id: number, data: Record<string, unknown>) {
  return {
    company_id: String(id),
    resource: 'company',
    resource_id: String(id),
    status: 'update',
    data: {
      id: String(id),
      title: 'Salon Moscow Centre',
      city: 'Moscow',
      country: 'Russia',
      timezone: '3',
      timezone_name: 'Europe/Moscow',
      last_change_date: altegioStamp(Date.now()),
      ...data,
    },
  };
}

async function send(body: unknown) {
  return request('POST', `/v1/webhooks/altegio?secret=${testSecret}`, { body });
}

describe("Altegio's webhooks, connected", () => {
  it('takes an array of events pushed by Altegio: each applied on its own, a bad one refused alone, the reply per event', async () => {
    const summer = { ...p74, id: 596792981, date: '2026-07-01 14:00:00', datetime: '2026-07-01T14:00:00+01:00' };
    const moscow = {
      ...p74,
      id: 596800001,
      company_id: 4565,
      staff_id: 21,
      date: '2026-12-03 10:30:00',
      datetime: '2026-12-03T10:30:00+01:00',
      client: { id: 77001, name: 'Ann', phone: '+13155550175', email: '' },
    };
    const broken = { ...p74, id: 596792982, datetime: undefined };
    const body = [
      event(p74, 'create'),
      event(summer),
      { company_id: '4564', resource: 'good', resource_id: '55', status: 'update', data: { good_id: 55 } },
      event(broken),
      event(moscow),
    ];
    const pushed = await push(4564, body);
    expect(pushed.status).toBe(200);
    const outcome = (applied: boolean) => [
      { resource: 'record', resource_id: 596792980, applied, record_hash: expect.any(String) },
      { resource: 'record', resource_id: 596792981, applied, record_hash: expect.any(String) },
      { resource: 'good', resource_id: 55, applied: false },
      { resource: 'record', resource_id: 596792982, applied: false, errors: [{ code: 1001, message: 'data.datetime: required' }] },
      { resource: 'record', resource_id: 596800001, applied, record_hash: expect.any(String) },
    ];
    expect(pushed.reply).toEqual({ success: true, data: outcome(true), meta: [] });
    // The same body again: every event is a duplicate, and nothing changes.
    const before = await getEntity('record', 596792980);
    const again = await push(4564, body);
    expect(again.reply).toEqual({ success: true, data: outcome(false), meta: [] });
    expect(await getEntity('record', 596792980)).toEqual(before);
    // The start read from the local date in the location's zone, not from the offset sent.
    expect((await getEntity('record', 596792980))?.doc).toMatchObject({
      datetime: '2026-12-01T14:00:00+01:00',
      date: '2026-12-01 14:00:00',
    });
    expect((await getEntity('record', 596792981))?.doc).toMatchObject({ datetime: '2026-07-01T14:00:00+02:00' });
    expect((await getEntity('record', 596800001))?.doc).toMatchObject({ datetime: '2026-12-03T10:30:00+03:00', company_id: 4565 });
    expect(await getEntity('record', 596792982)).toBeNull();
    // The locations, never pushed, were read from Altegio once each and stored.
    expect(
      standin
        .requests('GET /company/:company_id')
        .map((r) => r.path)
        .sort(),
    ).toEqual(['/company/4564', '/company/4565']);
    expect((await getEntity('company', 4565))?.doc).toMatchObject({
      title: 'Salon Moscow',
      timezone_name: 'Europe/Moscow',
      allow_delete_record_delay_step: 7200,
    });
  });

  it(
    'answers 503 with Retry-After, and writes nothing, when the location cannot be read from Altegio now; the retry ' + 'applies it',
    async () => {
      const record = { ...p74, id: 596810001, company_id: 4566 };
      standin.fault('GET /company/:company_id', { kind: 'status', status: 502 }, 20);
      const failed = await send([event(record)]);
      standin.clearFaults();
      expect(failed.status).toBe(503);
      expect(Number(failed.headers['retry-after'])).toBeGreaterThan(0);
      expect(await getEntity('record', 596810001)).toBeNull();
      const retried = await send([event(record)]);
      expect(retried.body.data).toEqual([{ resource: 'record', resource_id: 596810001, applied: true, record_hash: expect.any(String) }]);
      expect((await getEntity('record', 596810001))?.doc).toMatchObject({ datetime: '2026-12-01T14:00:00+01:00' });
    },
    30_000,
  );

  it('reads the cancel rules from Altegio for a location event without them, when cabinet holds no copy of the location', async () => {
    expect(await getEntity('company', 4567)).toBeNull();
    await send(company(4567, { title: 'Salon Niš' }));
    expect((await getEntity('company', 4567))?.doc).toMatchObject({
      title: 'Salon Niš',
      allow_delete_record: true,
      allow_delete_record_delay_step: 3600,
    });
    expect(standin.requests('GET /companies').at(-1)?.query).toEqual({ id: '4567', my: '1' });
  });

  it('shows the client her appointments at the times the salon booked, after an SMS login', async () => {
    const sent = await request('POST', '/v1/book_code/4564', {
      headers: partnerHeaders,
      body: { phone: '+13155550175' },
      sourceIp: '10.9.0.1',
    });
    expect(sent.status).toBe(201);
    const login = await request('POST', '/v1/user/auth', {
      headers: partnerHeaders,
      body: { phone: '+13155550175', code: gateway.lastCode('13155550175') },
      sourceIp: '10.9.0.1',
    });
    expect(login.status).toBe(201);
    const list = await request('GET', '/v1/user/records', { headers: asUser(login.body.data.user_token) });
    expect(list.status).toBe(200);
    const byId = Object.fromEntries(list.body.data.map((r: any) => [r.id, r]));
    expect(byId[596800001]).toMatchObject({ datetime: '2026-12-03T10:30:00+03:00', company: { title: 'Salon Moscow' } });
    expect(byId[596792981]).toMatchObject({ datetime: '2026-07-01T14:00:00+02:00' });
  });

  it('applies the events of one array in order, so a newer change then an older one keeps the newer', async () => {
    const newer = { ...p74, id: 596792990, comment: 'newer', last_change_date: '2026-11-21T10:00:00+0100' };
    const older = { ...p74, id: 596792990, comment: 'older', last_change_date: '2026-11-20T10:00:00+0100' };
    const reply = await send([event(newer), event(older)]);
    expect(reply.status).toBe(200);
    expect(reply.body.data.map((r: any) => r.applied)).toEqual([true, false]);
    expect((await getEntity('record', 596792990))?.doc).toMatchObject({ comment: 'newer' });
  });

  it("takes the delete of P7.6 with `meta` as [] or {}, and `data` as Altegio's last snapshot or []", async () => {
    // Later than any copy cabinet holds: the list read-through stored the stand-in's own, changed "now".
    const gone = { ...p74, deleted: true, last_change_date: altegioStamp(Date.now() + 60_000) };
    const deleted = await push(4564, event(gone, 'delete', { meta: [] }));
    expect(deleted.status).toBe(200);
    expect(await getEntity('record', 596792980)).toBeNull();
    const again = await send([event({ ...p74, id: 596792981 }, 'delete', { meta: {}, data: [] })]);
    expect(again.status).toBe(200);
    expect(again.body.data).toEqual([{ resource: 'record', resource_id: 596792981, applied: true }]);
    expect(await getEntity('record', 596792981)).toBeNull();
  });

  it('refuses an empty array and one of more than 100 events, as a whole', async () => {
    const empty = await send([]);
    expect(empty.status).toBe(422);
    expect(empty.body.meta.errors).toEqual([{ code: 1001, message: 'body: must hold at least one event' }]);
    const many = await send(
      Array.from({ length: 101 }, () => ({ company_id: 4564, resource: 'good', resource_id: 1, status: 'update', data: {} })),
    );
    expect(many.status).toBe(422);
  });

  it("keeps a location's cancel rules when Altegio's company event leaves them out, and takes them when it sends them", async () => {
    const left = await push(4565, company(4565, {}));
    expect(left.reply).toMatchObject({ data: { resource: 'company', resource_id: 4565, applied: true } });
    expect((await getEntity('company', 4565))?.doc).toMatchObject({
      title: 'Salon Moscow Centre',
      allow_delete_record: true,
      allow_delete_record_delay_step: 7200,
      allow_change_record_delay_step: 10800,
    });
    const sent = await send(
      company(4565, { allow_delete_record: 0, allow_delete_record_delay_step: '0', last_change_date: altegioStamp(Date.now() + 1000) }),
    );
    expect(sent.body.data).toMatchObject({ applied: true });
    expect((await getEntity('company', 4565))?.doc).toMatchObject({ allow_delete_record: false, allow_delete_record_delay_step: 0 });
  });

  it('keeps the standalone format: one event, one answer', async () => {
    const one = await send(event({ ...p74, id: 596792995 }));
    expect(one.status).toBe(200);
    expect(one.body.data).toEqual({ resource: 'record', resource_id: 596792995, applied: true, record_hash: expect.any(String) });
  });
});
