// Bad data refused at the door: every time and number field of every resource the
// webhook takes is checked for what it must be, else 422 naming the field and nothing stored.
// A record that was once stored with a datetime "tomorrow" answered 200 `applied: true`, then its
// link answered 500; a `last_change_date` in year 9999 froze its object for good; a record with
// 1000 services made every view of it 36× slower.
import { deriveRecordHash } from '../../lib/domain/record-hash.js';
import { testPartnerToken } from '../helpers/table.js';
import { given } from '../helpers/fixture.js';
import { request } from '../helpers/api.js';
import { companyEvent, recordEvent, serviceEvent, staffEvent } from '../helpers/altegio.js';
import { pushWebhook as push } from '../helpers/webhook.js';
import { applyChange } from '../../lib/db/entities.js';
import { changeOf } from '../../lib/domain/entities.js';
import { webhookBody } from '../../lib/schemas/webhook.js';

const { time } = await given({ clock: { stoppedAt: '2026-11-24T09:00:00Z' } });
const now = time.now();

const partner = { authorization: `Bearer ${testPartnerToken}` };
const errorFields = (response: { body: { meta: { errors: Array<{ code: number; message: string }> } } }) =>
  response.body.meta.errors.map((e) => [e.code, e.message.split(':')[0]]);

beforeAll(async () => {
  expect((await push(companyEvent())).status).toBe(200);
});

// Each case its own record: ids drawn at random collided now and then, and a case then saw another's record.
const used = new Map<number, number>();
const freshId = (base: number) => {
  const next = (used.get(base) ?? 0) + 1;
  used.set(base, next);
  return base + next;
};

/** Nothing was stored: a good delivery of the same version, later, is applied. */
async function expectNothingStored(event: ReturnType<typeof recordEvent>) {
  const good = await push(recordEvent(event.resource_id, { last_change_date: event.data.last_change_date }));
  expect(good.status).toBe(200);
  expect(good.body.data.applied).toBe(true);
  const view = await request('GET', `/v1/user/records/${event.resource_id}/${good.body.data.record_hash}`, { headers: partner });
  expect(view.status).toBe(200);
  return view;
}

describe('a record datetime that is no real instant', () => {
  it.each([
    'tomorrow',
    '2026-13-45T99:00:00',
    '12/02/2026',
    'x',
    '2026-02-30T10:00:00+03:00',
    '2026-12-01T14:00:00',
    '9999-12-01T14:00:00+03:00',
    '',
  ])('%j is 422 naming data.datetime, and nothing is stored', async (datetime) => {
    const id = freshId(610000);
    const event = recordEvent(id, { datetime });
    const response = await push(event);
    expect(response.status).toBe(422);
    expect(errorFields(response)).toEqual([[1001, 'data.datetime']]);
    // The link the record would have had answers 404 in the envelope (it answered 500 when such a record was stored).
    const link = await request('GET', `/v1/user/records/${id}/${deriveRecordHash(process.env.CABINET_INTERNAL_KEY!, id, '79161234567')}`, {
      headers: partner,
    });
    expect([link.status, link.body.success]).toEqual([404, false]);
    const view = await expectNothingStored(event);
    expect(view.body.data[0].datetime).toBe('2026-12-01T14:00:00+03:00');
  });
});

describe('the other dates of a record', () => {
  it.each([
    ['date', '2026-12-32 14:00:00'],
    ['date', 'next week'],
    ['create_date', 'yesterday'],
    ['last_change_date', '2026-11-20 10:00'],
    ['last_change_date', 'x'],
  ])('%s %j is 422 naming it', async (field, value) => {
    const event = recordEvent(freshId(620000), { [field]: value });
    const response = await push(event);
    expect(response.status).toBe(422);
    expect(errorFields(response)).toEqual([[1001, `data.${field}`]]);
  });

  it('accepts the formats Altegio really sends, with numbers as strings and a datetime whose offset is wrong', async () => {
    // As Altegio's GET /record answers, in a webhook.
    const altegio = {
      company_id: 4564,
      resource: 'record',
      resource_id: 596792990,
      status: 'update',
      data: {
        id: 596792990,
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
      },
    };
    const response = await push(altegio);
    expect(response.status).toBe(200);
    expect(response.body.data.applied).toBe(true);
    for (const datetime of ['2026-09-21T23:00:00.000-05:00', '2026-12-01T14:00:00Z', '2026-12-01T14:00+03:00', '2026-12-01 14:00:00+03']) {
      const ok = await push(recordEvent(freshId(630000), { datetime, date: datetime }));
      expect([datetime, ok.status]).toEqual([datetime, 200]);
    }
  });
});

describe('versions that would freeze an object', () => {
  it('refuses a last_change_date in year 9999, and later updates still apply', async () => {
    const id = 640001;
    const frozen = await push(recordEvent(id, { comment: 'frozen', last_change_date: '9999-12-31T23:59:59+00:00' }));
    expect(frozen.status).toBe(422);
    expect(errorFields(frozen)).toEqual([[1001, 'data.last_change_date']]);
    const later = await push(recordEvent(id, { comment: 'later', last_change_date: '2026-11-24T11:00:00+03:00' }, 'update'));
    expect(later.body.data.applied).toBe(true);
    const view = await request('GET', `/v1/user/records/${id}/${later.body.data.record_hash}`, { headers: partner });
    expect(view.body.data[0].comment).toBe('later');
    const removed = await push({ ...recordEvent(id, {}, 'delete'), data: { id, last_change_date: '2026-11-24T11:30:00+03:00' } });
    expect(removed.body.data.applied).toBe(true);
    expect((await request('GET', `/v1/user/records/${id}/${later.body.data.record_hash}`, { headers: partner })).status).toBe(404);
  });

  it("allows three hours ahead of the receipt time (clocks and Altegio's offsets drift), not more", async () => {
    const ahead = (ms: number) => new Date(now + ms).toISOString();
    expect((await push(staffEvent(60, { last_change_date: ahead(3 * 3600_000) }))).status).toBe(200);
    const refused = await push(staffEvent(61, { last_change_date: ahead(3 * 3600_000 + 1000) }));
    expect(refused.status).toBe(422);
    expect(errorFields(refused)).toEqual([[1001, 'data.last_change_date']]);
  });

  it.each([
    ['company', { ...companyEvent({ last_change_date: '9999-01-01T00:00:00Z' }) }],
    ['staff', staffEvent(62, { last_change_date: '9999-01-01T00:00:00Z' })],
    ['service', serviceEvent(63, { last_change_date: '9999-01-01T00:00:00Z' })],
    [
      'client',
      {
        company_id: 4564,
        resource: 'client',
        resource_id: 64,
        status: 'update',
        data: { id: 64, name: 'Ivan', phone: '+79160000064', last_change_date: '9999-01-01T00:00:00Z' },
      },
    ],
    ['a delete', { ...staffEvent(65), status: 'delete', data: { last_change_date: '9999-01-01T00:00:00Z' } }],
  ])('refuses it on %s too', async (_what, event) => {
    const response = await push(event);
    expect(response.status).toBe(422);
    expect(errorFields(response)).toEqual([[1001, 'data.last_change_date']]);
  });
});

describe('sizes and numbers', () => {
  const service = (i: number) => ({ id: i + 1, title: 'x', cost: 1, discount: 0, amount: 1 });

  it('refuses a record with 1000 services, and takes one with 100', async () => {
    const many = await push(recordEvent(650001, { services: Array.from({ length: 1000 }, (_, i) => service(i)) }));
    expect(many.status).toBe(422);
    expect(errorFields(many)).toEqual([[1001, 'data.services']]);
    expect((await push(recordEvent(650002, { services: Array.from({ length: 100 }, (_, i) => service(i)) }))).status).toBe(200);
  });

  it.each([
    ['record', 'comment', 'x'.repeat(10_001)],
    ['record', 'length', -1],
    ['record', 'length', 1e300],
    ['record', 'visit_attendance', 7],
    ['record', 'clients_count', 1.5],
    ['record', 'services.0.cost', '1e400'],
    ['record', 'services.0.amount', -3],
    ['record', 'services.0.title', 'y'.repeat(1001)],
    ['record', 'client.name', 'z'.repeat(1001)],
    ['staff', 'rating', 99],
    ['staff', 'votes_count', -1],
    ['service', 'price_min', 1e15],
    ['company', 'coordinate_lat', 91],
    ['company', 'allow_delete_record_delay_step', 1e12],
    ['company', 'timezone', 99],
    ['company', 'phones', Array.from({ length: 51 }, () => '+74950000000')],
  ])('%s %s out of bounds is 422 naming it', async (resource, field, value) => {
    const events: Record<string, () => { data: Record<string, unknown> }> = {
      record: () => recordEvent(freshId(660000)),
      staff: () => staffEvent(70),
      service: () => serviceEvent(71),
      company: () => companyEvent(),
    };
    const event = events[resource]!();
    const path = field.split('.');
    let target: Record<string, unknown> = event.data;
    for (const key of path.slice(0, -1)) target = target[key] as Record<string, unknown>;
    target[path.at(-1)!] = value;
    const response = await push(event);
    expect(response.status).toBe(422);
    expect(errorFields(response)).toEqual([[1001, `data.${field}`]]);
  });
});

describe('what is stored answers reads, never a 500', () => {
  it('opens a record stored before these checks, with a datetime that is no date', async () => {
    const change = changeOf(webhookBody.parse(recordEvent(670001, { record_hash: 'old-record-hash-670001' })), now, 'RU')!;
    const doc = {
      ...change.doc,
      datetime: 'tomorrow',
      date: 'tomorrow',
      services: Array.from({ length: 3 }, (_, i) => ({
        id: i,
        title: 't',
        cost: 1,
        price_min: null,
        price_max: null,
        discount: 0,
        amount: 1,
        seance_length: null,
      })),
    };
    await applyChange({ ...change, doc: doc as never });
    const view = await request('GET', '/v1/user/records/670001/old-record-hash-670001', { headers: partner });
    expect(view.status).toBe(200);
    expect(view.body.data[0]).toMatchObject({ datetime: 'tomorrow', cancel_deadline: null, can_cancel: false });
    const cancel = await request('DELETE', '/v1/user/records/670001/old-record-hash-670001', { headers: partner });
    expect(cancel.status).toBe(422);
  });
});
