// Webhook in → appointment out, through the real handlers on DynamoDB Local.
import { testPartnerToken, testSecret } from '../helpers/table.js';
import { given } from '../helpers/fixture.js';
import { request } from '../helpers/api.js';
import { companyEvent, recordEvent, serviceEvent, signedHeaders, staffEvent } from '../helpers/altegio.js';
import { pushWebhook as push } from '../helpers/webhook.js';

// A fixed "now", a week before the appointment below, so what the view says does not drift with the date.
await given({ clock: { stoppedAt: '2026-11-24T09:00:00Z' } });

const partner = { authorization: `Bearer ${testPartnerToken}` };

async function getRecord(id: number | string, hash: string, prefix = '/v1', headers: Record<string, string> = partner) {
  return request('GET', `${prefix}/user/records/${id}/${hash}`, { headers });
}

describe('an appointment pushed in by webhook, opened from its link', () => {
  let hash: string;

  beforeAll(async () => {
    for (const event of [companyEvent(), staffEvent(), serviceEvent()]) expect((await push(event)).status).toBe(200);
    const response = await push(recordEvent());
    expect(response.status).toBe(200);
    hash = response.body.data.record_hash;
  });

  it('gives the sender a link hash it can build links with', async () => {
    expect(hash).toMatch(/^[0-9a-f]{32}$/);
  });

  it('answers 200 with the record joined from location, team member and services', async () => {
    const response = await getRecord(596792980, hash);
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(response.body.success).toBe(true);
    expect(response.body.meta).toEqual([]);
    expect(response.body.data).toHaveLength(1);
    expect(response.body.data[0]).toEqual({
      id: 596792980,
      services: [
        {
          id: 331,
          title: "Men's haircut",
          cost: 1800,
          price_min: 1500,
          price_max: 2000,
          discount: 10,
          amount: 1,
          session_length: 3600,
          seance_length: 3600,
        },
      ],
      location: expect.objectContaining({
        id: 4564,
        title: 'Barbershop on Tverskaya',
        allow_delete_record: true,
        allow_delete_record_delay_step: 3600,
        timezone: 3,
        coordinate_lon: 37.613,
      }),
      company: expect.objectContaining({ id: 4564, title: 'Barbershop on Tverskaya' }),
      staff: {
        id: 48,
        name: 'Anna Petrova',
        specialization: 'Senior barber',
        position: { id: 7, title: 'Barber' },
        show_rating: 1,
        rating: 4.8,
        votes_count: 25,
        comments_count: 9,
        avatar: 'https://img.example/anna.png',
      },
      clients_count: 1,
      date: '2026-12-01 14:00:00',
      datetime: '2026-12-01T14:00:00+03:00',
      create_date: '2026-11-20T10:00:00+03:00',
      length: 3600,
      seance_length: 3600,
      deleted: false,
      notify_by_sms: 2,
      notify_by_email: 24,
      comment: 'window seat',
      master_requested: true,
      online: true,
      visit_attendance: 0,
      attendance: 0,
      api_id: 'ext-77',
      last_change_date: '2026-11-20T10:00:00+0300',
      prepaid: false,
      prepaid_confirmed: false,
      activity_id: 0,
      cancel_deadline: '2026-12-01T13:00:00+03:00',
      can_cancel: true,
      // The location lets customers move it until two hours before the start (its allow_change_record_delay_step).
      reschedule_deadline: '2026-12-01T12:00:00+03:00',
      can_reschedule: true,
    });
  });

  it('serves the same under the /api/v1 prefix', async () => {
    const [v1, api] = [await getRecord(596792980, hash), await getRecord(596792980, hash, '/api/v1')];
    expect(api.status).toBe(200);
    expect(api.body).toEqual(v1.body);
  });

  it('gives the same 404 for a wrong hash, an unknown id and a malformed id', async () => {
    const flipped = `${hash.slice(0, -1)}${hash.endsWith('0') ? '1' : '0'}`;
    const wrongHash = await getRecord(596792980, flipped);
    const unknownId = await getRecord(596792981, hash);
    const malformed = await getRecord('59679..2980', hash);
    for (const response of [wrongHash, unknownId, malformed]) {
      expect(response.status).toBe(404);
      expect(response.body).toEqual({ success: false, data: null, meta: { message: 'Not found.' } });
    }
  });

  it('refuses a missing, unknown or malformed partner token with 401, and reveals nothing', async () => {
    const refused: Record<string, string>[] = [
      {},
      { authorization: 'Bearer not-a-partner-token' },
      { authorization: `Basic ${testPartnerToken}` },
    ];
    for (const headers of refused) {
      const response = await getRecord(596792980, hash, '/v1', headers);
      expect(response.status).toBe(401);
      expect(response.body).toEqual({ success: false, data: null, meta: { message: 'Authentication needed.' } });
    }
  });

  it('accepts any Accept header real clients send', async () => {
    for (const accept of ['application/vnd.api.v2+json', 'application/vnd.yclients.v2+json', 'application/json', '*/*']) {
      const response = await getRecord(596792980, hash, '/v1', { authorization: `Bearer ${testPartnerToken}`, accept });
      expect(response.status).toBe(200);
    }
  });

  it('refuses a user token that is not live, even beside the right hash, so the client learns it is dead', async () => {
    const response = await getRecord(596792980, hash, '/v1', {
      authorization: `Bearer ${testPartnerToken}, User 0123456789abcdef0123456789abcdef`,
    });
    expect(response.status).toBe(401);
  });

  it('gives the same link hash back when the record is delivered again', async () => {
    const again = await push(recordEvent(596792980, { last_change_date: '2026-11-20T11:00:00+0300', comment: 'aisle seat' }, 'update'));
    expect(again.body.data).toEqual({ resource: 'record', resource_id: 596792980, applied: true, record_hash: hash });
    expect((await getRecord(596792980, hash)).body.data[0].comment).toBe('aisle seat');
  });
});

describe('ordering of deliveries', () => {
  const id = 700001;
  const at = (time: string) => `2026-11-21T${time}+03:00`;

  it('never moves a record backwards: a late older update and a duplicate are ignored', async () => {
    const first = await push(recordEvent(id, { comment: 'v2', last_change_date: at('12:00:00') }));
    const hash = first.body.data.record_hash;
    const late = await push(recordEvent(id, { comment: 'v1', last_change_date: at('11:00:00') }, 'update'));
    const duplicate = await push(recordEvent(id, { comment: 'v2-dup', last_change_date: at('12:00:00') }, 'update'));
    expect(first.body.data.applied).toBe(true);
    expect(late.body.data).toMatchObject({ applied: false, record_hash: hash });
    expect(duplicate.body.data.applied).toBe(false);
    expect((await getRecord(id, hash)).body.data[0].comment).toBe('v2');
  });

  it('ends on the newest state when many versions arrive at once, in any order', async () => {
    const rid = 700002;
    const minutes = Array.from({ length: 12 }, (_, i) => i);
    const shuffled = [...minutes].sort(() => Math.random() - 0.5);
    const responses = await Promise.all(
      shuffled.map((m) =>
        push(recordEvent(rid, { comment: `m${m}`, last_change_date: at(`12:${String(m).padStart(2, '0')}:00`) }, 'update')),
      ),
    );
    expect(responses.every((r) => r.status === 200)).toBe(true);
    const hash = responses[0]!.body.data.record_hash;
    expect((await getRecord(rid, hash)).body.data[0].comment).toBe('m11');
  });

  it('hides a deleted record, and a late update cannot bring it back', async () => {
    const rid = 700003;
    const hash = (await push(recordEvent(rid, { last_change_date: at('10:00:00') }))).body.data.record_hash;
    expect((await getRecord(rid, hash)).status).toBe(200);
    const removed = await push({ ...recordEvent(rid, {}, 'delete'), data: { last_change_date: at('11:00:00') } });
    expect(removed.body.data).toEqual({ resource: 'record', resource_id: rid, applied: true });
    expect((await getRecord(rid, hash)).status).toBe(404);
    await push(recordEvent(rid, { last_change_date: at('10:30:00') }, 'update'));
    expect((await getRecord(rid, hash)).status).toBe(404);
  });

  it('shows a removed team member from the snapshot the record carries', async () => {
    const rid = 700004;
    await push(staffEvent(77, { name: 'Boris Own', last_change_date: at('09:00:00') }));
    const hash = (await push(recordEvent(rid, { staff_id: 77, staff: { id: 77, name: 'Boris Snapshot' } }))).body.data.record_hash;
    expect((await getRecord(rid, hash)).body.data[0].staff.name).toBe('Boris Own');
    await push({ ...staffEvent(77), status: 'delete', data: { last_change_date: at('09:30:00') } });
    expect((await getRecord(rid, hash)).body.data[0].staff.name).toBe('Boris Snapshot');
  });

  it("keeps the sender's own record_hash, which later updates without one do not replace", async () => {
    const rid = 700005;
    const created = await push(recordEvent(rid, { record_hash: 'senders-own-hash-42', last_change_date: at('08:00:00') }));
    expect(created.body.data).toEqual({ resource: 'record', resource_id: rid, applied: true });
    await push(recordEvent(rid, { comment: 'later', last_change_date: at('08:05:00') }, 'update'));
    const response = await getRecord(rid, 'senders-own-hash-42');
    expect(response.status).toBe(200);
    expect(response.body.data[0].comment).toBe('later');
  });
});

describe('webhook authentication and input', () => {
  const rid = 800001;

  async function expectNotStored(id: number) {
    // A later, properly signed delivery of the same version must still apply: nothing was stored before it.
    const response = await push(recordEvent(id, { last_change_date: '2026-11-22T10:00:00+03:00' }));
    expect(response.body.data.applied).toBe(true);
  }

  it('refuses an unsigned webhook with 401 and stores nothing', async () => {
    const raw = JSON.stringify(recordEvent(rid, { last_change_date: '2026-11-22T10:00:00+03:00' }));
    const response = await request('POST', '/v1/webhooks/altegio', { rawBody: raw, headers: { 'content-type': 'application/json' } });
    expect(response.status).toBe(401);
    expect(response.body).toEqual({ success: false, data: null, meta: { message: 'Authentication needed.' } });
    await expectNotStored(rid);
  });

  it('refuses a webhook signed with another secret, or whose body was changed after signing', async () => {
    const raw = JSON.stringify(recordEvent(rid + 1, { last_change_date: '2026-11-22T10:00:00+03:00' }));
    const forged = await request('POST', '/v1/webhooks/altegio', { rawBody: raw, headers: signedHeaders(raw, 'some-other-secret-value') });
    const tampered = await request('POST', '/v1/webhooks/altegio', {
      rawBody: raw.replace('window seat', 'door seat'),
      headers: signedHeaders(raw),
    });
    expect([forged.status, tampered.status]).toEqual([401, 401]);
    await expectNotStored(rid + 1);
  });

  it("accepts Altegio's ?secret= query parameter, and refuses a wrong one", async () => {
    const raw = JSON.stringify(staffEvent(90));
    const wrong = await request('POST', '/api/v1/webhooks/altegio?secret=nope', {
      rawBody: raw,
      headers: { 'content-type': 'application/json' },
    });
    const right = await request('POST', `/api/v1/webhooks/altegio?secret=${testSecret}`, {
      rawBody: raw,
      headers: { 'content-type': 'application/json' },
    });
    expect(wrong.status).toBe(401);
    expect(right.status).toBe(200);
    expect(right.body.data).toEqual({ resource: 'staff', resource_id: 90, applied: true });
  });

  it('answers malformed JSON with 400 in the envelope', async () => {
    const raw = '{"company_id": 1, "resource": ';
    const response = await request('POST', '/v1/webhooks/altegio', { rawBody: raw, headers: signedHeaders(raw) });
    expect(response.status).toBe(400);
    expect(response.body).toEqual({ success: false, data: null, meta: { message: 'Malformed JSON body.' } });
  });

  it('answers a body of another content type with 400 (a form is taken: test/api/form-bodies.test.ts)', async () => {
    const raw = 'company_id=1&resource=record';
    const response = await request('POST', '/v1/webhooks/altegio', {
      rawBody: raw,
      headers: { ...signedHeaders(raw), 'content-type': 'text/plain' },
    });
    expect(response.status).toBe(400);
    expect(response.body.meta.message).toBe('Content-Type must be application/json or application/x-www-form-urlencoded.');
  });

  it('answers invalid events with 422, one error per field, each naming it', async () => {
    const event = recordEvent(rid + 2, { datetime: undefined, services: [{ id: 'x' }] });
    const response = await push({ ...event, status: 'upsert' });
    expect(response.status).toBe(422);
    expect(response.body.success).toBe(false);
    expect(response.body.data).toBeNull();
    const messages = response.body.meta.errors.map((e: { code: number; message: string }) => [e.code, e.message.split(':')[0]]);
    expect(messages).toEqual([[1001, 'status']]);
    const fields = await push(event);
    expect(fields.status).toBe(422);
    expect(fields.body.meta.errors.map((e: { message: string }) => e.message.split(':')[0]).sort()).toEqual([
      'data.datetime',
      'data.services.0.id',
    ]);
    expect(fields.body.meta.errors.every((e: { code: number }) => e.code === 1001)).toBe(true);
  });

  it('refuses an event whose data.id is not its resource_id', async () => {
    const event = staffEvent(91);
    const response = await push({ ...event, data: { ...event.data, id: 92 } });
    expect(response.status).toBe(422);
    expect(response.body.meta.errors).toEqual([{ code: 1001, message: 'data.id: must equal resource_id' }]);
  });

  it('accepts and ignores resources the cabinet does not show, so Altegio does not retry them', async () => {
    const response = await push({ company_id: 4564, resource: 'goods_transaction', resource_id: 5, status: 'create', data: { amount: 3 } });
    expect(response.status).toBe(200);
    expect(response.body.data).toEqual({ resource: 'goods_transaction', resource_id: 5, applied: false });
  });
});

describe('unknown routes', () => {
  it.each([
    ['GET', '/v1/no/such/route'],
    ['DELETE', '/v1/webhooks/altegio'],
    ['POST', '/'],
  ])('%s %s answers 404 in the envelope', async (method, path) => {
    const response = await request(method, path);
    expect(response.status).toBe(404);
    expect(response.body).toEqual({ success: false, data: null, meta: { message: 'Not found.' } });
  });
});
