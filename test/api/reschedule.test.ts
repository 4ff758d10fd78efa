// Moving an appointment, standalone (docs/contract.md section 9), end to end: the location's rules and
// the team member's pushed schedule decide; real handlers on DynamoDB Local, the table's real stream
// read by the relay into the real delivery handler, a real HTTP subscriber on 127.0.0.1. The clock
// stands still and is moved by hand.
import { startSubscriber } from '../helpers/subscriber.js';
import { startSmsGateway } from '../helpers/sms-gateway.js';
import { given } from '../helpers/fixture.js';
import { request } from '../helpers/api.js';
import { asUser, partnerHeaders as partner, signIn } from '../helpers/sign-in.js';
import { companyEvent, recordEvent, serviceEvent } from '../helpers/altegio.js';
import { push } from '../helpers/webhook.js';
import { config } from '../../lib/config.js';
import { dynamo } from '../../lib/db/client.js';
import { StreamRelay } from '../../scripts/event-relay.js';
import * as deliver from '../../functions/deliver-events.js';

const [subscriber, gateway] = await Promise.all([startSubscriber(), startSmsGateway()]);
const { time } = await given({
  env: { CABINET_EVENTS_URL: subscriber.url, CABINET_SMS_URL: gateway.url },
  clock: { stoppedAt: '2026-11-24T09:00:00Z' },
});

const relay = new StreamRelay(dynamo, config, deliver.handler);
afterAll(async () => {
  relay.close();
  await Promise.all([subscriber.close(), gateway.close()]);
});

const moscow = 4564;
const newYork = 4570;
let nextId = 930000;

/** An appointment of team member 48 (or `staff`), an hour long, and its link hash. */
async function appointment(
  datetime: string,
  extra: Record<string, unknown> = {},
  companyId = moscow,
): Promise<{ id: number; hash: string }> {
  const id = ++nextId;
  const event = recordEvent(id, {
    datetime,
    date: datetime.slice(0, 19).replace('T', ' '),
    last_change_date: '2026-11-20T10:00:00+03:00',
    client: { id: 9001, name: 'Ivan', phone: `+7916${String(id).slice(-7)}` },
    ...extra,
  });
  const data = await push({ ...event, company_id: companyId });
  return { id, hash: data.record_hash! };
}

function schedule(staffId: number, dates: Array<[string, string, string]>, companyId = moscow) {
  return push({
    company_id: companyId,
    resource: 'schedule',
    resource_id: staffId,
    status: 'update',
    data: {
      staff_id: staffId,
      dates: dates.map(([date, from, to]) => ({ date, is_working: 1, slots: [{ from, to }] })),
      last_change_date: '2026-11-20T10:00:00+03:00',
    },
  });
}

const move = (id: number, body: Record<string, unknown>, headers: Record<string, string> = partner, companyId = moscow) =>
  request('PUT', `/v1/book_record/${companyId}/${id}`, { headers, body });
const open = (id: number, hash: string, companyId = moscow) =>
  request('GET', `/api/v1/book_record/${companyId}/${id}/${hash}`, { headers: partner });
const times = async (path: string) => (await request('GET', path, { headers: partner })).body.data.map((t: { time: string }) => t.time);
const eventsFor = (id: number) => subscriber.deliveries.filter((d) => d.body.resource === 'record' && d.body.resource_id === id);

beforeAll(async () => {
  // Moscow: moves allowed until two hours before the start; a grid of half an hour.
  await push(companyEvent({ allow_change_record: true, allow_change_record_delay_step: 7200, timeslot_step: 1800 }));
  await push(serviceEvent(331, { seance_length: 3600 }));
  await schedule(48, [
    ['2026-12-01', '10:00', '19:00'],
    ['2026-12-02', '10:00', '11:00'],
    ['2026-12-03', '10:00', '19:00'],
    ['2026-12-04', '10:00', '19:00'],
  ]);
});

describe('the booking and its free times', () => {
  it(
    'opens the booking as an object, with when it may still move; a wrong hash, an unknown id, another location: the ' + 'same 404',
    async () => {
      const { id, hash } = await appointment('2026-12-01T11:00:00+03:00');
      const response = await open(id, hash);
      expect(response.status).toBe(200);
      expect(response.body.data).toMatchObject({
        id,
        datetime: '2026-12-01T11:00:00+03:00',
        can_reschedule: true,
        reschedule_deadline: '2026-12-01T09:00:00+03:00',
        can_cancel: true,
      });
      const refusals = [
        await open(id, 'f'.repeat(32)),
        await open(999999, hash),
        await open(id, hash, 4565),
        await request('GET', `/v1/book_record/${moscow}/${id}`, { headers: partner }),
      ];
      for (const refused of refusals)
        expect({ status: refused.status, body: refused.body }).toEqual({
          status: 404,
          body: { success: false, data: null, meta: { message: 'Not found.' } },
        });
    },
  );

  it(
    "lists the free times: on the grid, inside working time, around the team member's other appointments, never " +
      'blocked by the one being moved',
    async () => {
      const own = await appointment('2026-12-03T14:00:00+03:00');
      await appointment('2026-12-03T16:00:00+03:00', { client: { id: 9002, name: 'Olga', phone: '+79160000002' } });
      const asOwn = await times(`/v1/book_times/${moscow}/48/2026-12-03?record_id=${own.id}&record_hash=${own.hash}`);
      expect(asOwn).toEqual([
        '10:00',
        '10:30',
        '11:00',
        '11:30',
        '12:00',
        '12:30',
        '13:00',
        '13:30',
        '14:00',
        '14:30',
        '15:00',
        '17:00',
        '17:30',
        '18:00',
      ]);
      // A new hour-long visit: its own 14:00 is taken for everyone else.
      expect(await times(`/v1/book_times/${moscow}/48/2026-12-03?service_ids[]=331`)).toEqual([
        '10:00',
        '10:30',
        '11:00',
        '11:30',
        '12:00',
        '12:30',
        '13:00',
        '15:00',
        '17:00',
        '17:30',
        '18:00',
      ]);
      const response = await request('GET', `/api/v1/book_times/${moscow}/48/2026-12-03?record_id=${own.id}&record_hash=${own.hash}`, {
        headers: partner,
      });
      expect(response.body.data[0]).toEqual({
        time: '10:00',
        seance_length: 3600,
        sum_length: 3600,
        datetime: '2026-12-03T10:00:00+03:00',
      });
      expect(
        (
          await request('GET', `/v1/book_times/${moscow}/48/2026-12-03?record_id=${own.id}&record_hash=${'0'.repeat(32)}`, {
            headers: partner,
          })
        ).status,
      ).toBe(404);
      // No sooner than a move could be undone: two hours from now.
      time.set('2026-12-03T08:10:00Z');
      expect((await times(`/v1/book_times/${moscow}/48/2026-12-03?record_id=${own.id}&record_hash=${own.hash}`))[0]).toBe('13:30');
      time.set('2026-11-24T09:00:00Z');
    },
  );

  it('lists the dates with a free time and the working dates', async () => {
    await appointment('2026-12-02T10:00:00+03:00');
    const response = await request(
      'GET',
      `/v1/book_dates/${moscow}?staff_id=48&service_ids[]=331&date_from=2026-11-30&date_to=2026-12-05`,
      { headers: partner },
    );
    expect(response.status).toBe(200);
    expect(response.body.data).toEqual({
      booking_dates: ['2026-12-01', '2026-12-03', '2026-12-04'],
      booking_days: { '12': [1, 3, 4] },
      working_dates: ['2026-12-01', '2026-12-02', '2026-12-03', '2026-12-04'],
      working_days: { '12': [1, 2, 3, 4] },
    });
    const month = await request('GET', `/v1/book_dates/${moscow}?staff_id=48&date=2026-12-20`, { headers: partner });
    expect(month.body.data.working_dates).toEqual(['2026-12-01', '2026-12-02', '2026-12-03', '2026-12-04']);
    const wrong = await request('GET', `/v1/book_dates/${moscow}?staff_id=x&date_from=2026-12-01`, { headers: partner });
    expect(wrong.status).toBe(422);
    expect(wrong.body.meta.errors.map((e: { message: string }) => e.message).sort()).toEqual([
      'date_to: must be given with date_from',
      'staff_id: must be a whole number above 0',
    ]);
    expect((await request('GET', '/v1/book_dates/777?staff_id=48', { headers: partner })).status).toBe(404);
  });
});

describe('moving', () => {
  it('moves it: same id, same hash, the new time; opened again it shows it, and one record event tells of it', async () => {
    const { id, hash } = await appointment('2026-12-01T14:00:00+03:00');
    const response = await move(id, { datetime: '2026-12-01T17:00:00+03:00', record_hash: hash, comment: 'after work' });
    expect(response.status).toBe(200);
    expect(response.body.data).toMatchObject({
      id,
      datetime: '2026-12-01T17:00:00+03:00',
      date: '2026-12-01 17:00:00',
      comment: 'after work',
      last_change_date: '2026-11-24T12:00:00+03:00',
      reschedule_deadline: '2026-12-01T15:00:00+03:00',
    });
    expect((await open(id, hash)).body.data).toMatchObject({ datetime: '2026-12-01T17:00:00+03:00' });
    const listed = await request('GET', `/v1/user/records/${id}/${hash}`, { headers: partner });
    expect(listed.body.data[0].datetime).toBe('2026-12-01T17:00:00+03:00');
    await relay.pollOnce();
    expect(eventsFor(id).map((d) => d.body)).toEqual([
      {
        company_id: moscow,
        resource: 'record',
        resource_id: id,
        status: 'update',
        data: {
          id,
          company_id: moscow,
          staff_id: 48,
          datetime: '2026-12-01T17:00:00+03:00',
          date: '2026-12-01 17:00:00',
          length: 3600,
          deleted: false,
          last_change_date: '2026-11-24T12:00:00+03:00',
          previous_datetime: '2026-12-01T14:00:00+03:00',
          moved_by: 'client',
          links: { manage: `${config.publicUrl}/r/${id}/${hash}` },
        },
      },
    ]);
    // Its old time is free again.
    expect(await times(`/v1/book_times/${moscow}/48/2026-12-01?service_ids[]=331`)).toContain('14:00');
  });

  it('reads a time without an offset as the wall clock at the location; its own time is a 200 that changes nothing', async () => {
    const { id, hash } = await appointment('2026-12-04T11:00:00+03:00');
    const naive = await move(id, { datetime: '2026-12-04 12:30:00', record_hash: hash });
    expect(naive.body.data).toMatchObject({ datetime: '2026-12-04T12:30:00+03:00' });
    const same = await move(id, { datetime: '2026-12-04T09:30:00Z', record_hash: hash });
    expect(same.status).toBe(200);
    expect(same.body.data.last_change_date).toBe(naive.body.data.last_change_date);
    await relay.pollOnce();
    expect(eventsFor(id)).toHaveLength(1);
  });

  it(
    'refuses in the order of the rules: the location forbids (1010), too late (1011), not free (433); nothing ' + 'changes, no event',
    async () => {
      const { id, hash } = await appointment('2026-12-03T18:00:00+03:00');
      await appointment('2026-12-03T12:00:00+03:00', { client: { id: 9003, name: 'Petr', phone: '+79160000003' } });
      const codeOf = async (datetime: string) => (await move(id, { datetime, record_hash: hash })).body.meta?.errors?.[0]?.code;
      // Not free: off the grid, outside working time, overlapping another appointment, a time the location does not hold.
      expect(await codeOf('2026-12-03T10:10:00+03:00')).toBe(433);
      expect(await codeOf('2026-12-03T18:30:00+03:00')).toBe(433);
      expect(await codeOf('2026-12-03T11:30:00+03:00')).toBe(433);
      expect(await codeOf('2026-12-05T12:00:00+03:00')).toBe(433);
      const notFree = await move(id, { datetime: '2026-12-03T12:00:00+03:00', record_hash: hash });
      expect(notFree.status).toBe(422);
      expect(notFree.body.meta.errors).toEqual([{ code: 433, message: 'The selected time is already taken or is not working.' }]);
      // Sooner than the delay from now: a customer cannot move into a time they could not move out of.
      time.set('2026-12-03T06:00:00Z');
      expect(await codeOf('2026-12-03T10:30:00+03:00')).toBe(433);
      // Too late: now at the deadline (16:00), whatever the new time.
      time.set('2026-12-03T13:00:00Z');
      expect((await move(id, { datetime: '2026-12-03T12:00:00+03:00', record_hash: hash })).body.meta.errors).toEqual([
        { code: 1011, message: 'It is too late to move this appointment.' },
      ]);
      time.set('2026-11-24T09:00:00Z');
      await push(companyEvent({ allow_change_record: false, timeslot_step: 1800, last_change_date: '2026-11-24T12:00:05+03:00' }));
      expect((await move(id, { datetime: '2026-12-03T12:00:00+03:00', record_hash: hash })).body.meta.errors).toEqual([
        { code: 1010, message: 'This location does not allow moving appointments online.' },
      ]);
      expect((await open(id, hash)).body.data).toMatchObject({
        datetime: '2026-12-03T18:00:00+03:00',
        can_reschedule: false,
        reschedule_deadline: null,
      });
      await push(
        companyEvent({
          allow_change_record: true,
          allow_change_record_delay_step: 7200,
          timeslot_step: 1800,
          last_change_date: '2026-11-24T12:00:06+03:00',
        }),
      );
      await relay.pollOnce();
      expect(eventsFor(id)).toEqual([]);
    },
  );

  it('refuses a cancelled or visited appointment (1011)', async () => {
    const visited = await appointment('2026-12-04T15:00:00+03:00', { visit_attendance: 1, attendance: 1 });
    expect((await move(visited.id, { datetime: '2026-12-04T16:00:00+03:00', record_hash: visited.hash })).body.meta.errors[0].code).toBe(
      1011,
    );
    const cancelled = await appointment('2026-12-04T16:00:00+03:00', { deleted: true });
    expect(
      (await move(cancelled.id, { datetime: '2026-12-04T17:00:00+03:00', record_hash: cancelled.hash })).body.meta.errors[0].code,
    ).toBe(1011);
  });

  it(
    "lets its own client move it with a user token, and no one else: someone else's record, a wrong hash, no " +
      'credential are the same 404',
    async () => {
      const phone = '79035550001';
      const { id, hash } = await appointment('2026-12-04T10:00:00+03:00', { client: { id: 5, phone } });
      const owner = await signIn(gateway, phone, '198.19.1.1');
      const stranger = await signIn(gateway, '79035550002', '198.19.1.2');
      const body = { datetime: '2026-12-04T10:30:00+03:00' };
      for (const refused of [
        await move(id, body, asUser(stranger.token)),
        await move(id, { ...body, record_hash: 'f'.repeat(32) }),
        await move(id, body),
        await move(id, { ...body, record_hash: hash }, partner, 4565),
      ]) {
        expect({ status: refused.status, body: refused.body }).toEqual({
          status: 404,
          body: { success: false, data: null, meta: { message: 'Not found.' } },
        });
      }
      expect((await move(id, body, asUser(owner.token))).status).toBe(200);
      expect((await request('GET', `/v1/book_record/${moscow}/${id}/`, { headers: asUser(owner.token) })).body.data.datetime).toBe(
        '2026-12-04T10:30:00+03:00',
      );
    },
  );

  it('refuses a body that is wrong, field by field', async () => {
    const { id, hash } = await appointment('2026-12-04T13:00:00+03:00');
    const response = await move(id, { datetime: 'tomorrow', record_hash: hash, comment: 5 });
    expect(response.status).toBe(422);
    expect(response.body.meta.errors.map((e: { message: string }) => e.message).sort()).toEqual([
      'comment: must be a string',
      'datetime: must be a date and time, such as 2026-12-10T12:00:00+03:00 or 2026-12-10 12:00:00',
    ]);
  });
});

describe('at once', () => {
  it('lets one of 10 customers moving into overlapping times of one team member in, and tells the nine the time is taken', async () => {
    await schedule(48, [['2026-12-10', '10:00', '19:00']]);
    const contenders = [];
    for (let i = 0; i < 10; i++)
      contenders.push(
        await appointment(`2026-12-11T${String(10 + (i % 8)).padStart(2, '0')}:00:00+03:00`, {
          client: { id: 7000 + i, phone: `+7916777${String(i).padStart(4, '0')}` },
        }),
      );
    const responses = await Promise.all(
      contenders.map(({ id, hash }, i) => move(id, { datetime: `2026-12-10T${i % 2 ? '12:30' : '12:00'}:00+03:00`, record_hash: hash })),
    );
    expect(responses.map((r) => r.status).sort()).toEqual([200, ...Array(9).fill(422)]);
    expect(responses.filter((r) => r.status === 422).map((r) => r.body.meta.errors[0].code)).toEqual(Array(9).fill(433));
    await relay.pollOnce();
    expect(contenders.flatMap(({ id }) => eventsFor(id))).toHaveLength(1);
  });

  it('makes one change and one event of 10 identical moves of one appointment', async () => {
    const { id, hash } = await appointment('2026-12-10T15:00:00+03:00');
    const responses = await Promise.all(
      Array.from({ length: 10 }, () => move(id, { datetime: '2026-12-10T16:30:00+03:00', record_hash: hash })),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(10).fill(200));
    expect(new Set(responses.map((r) => r.body.data.datetime))).toEqual(new Set(['2026-12-10T16:30:00+03:00']));
    await relay.pollOnce();
    expect(eventsFor(id)).toHaveLength(1);
  });

  it('ends a move racing a cancellation in one state, each change told once', async () => {
    for (let round = 0; round < 3; round++) {
      const { id, hash } = await appointment(`2026-12-10T1${round}:00:00+03:00`, {
        client: { id: 7100 + round, phone: `+7916888000${round}` },
      });
      const [moved, cancelled] = await Promise.all([
        move(id, { datetime: `2026-12-10T18:00:00+03:00`, record_hash: hash }),
        request('DELETE', `/v1/user/records/${id}/${hash}`, { headers: partner }),
      ]);
      expect(cancelled.status).toBe(200);
      const final = (await open(id, hash)).body.data;
      expect(final.deleted).toBe(true);
      await relay.pollOnce();
      const told = eventsFor(id).map((d) => d.body.data);
      if (moved.status === 200) {
        // The move went first: the cancellation is of the moved appointment.
        expect(told.map((d) => [d.datetime, d.deleted])).toEqual([
          ['2026-12-10T18:00:00+03:00', false],
          ['2026-12-10T18:00:00+03:00', true],
        ]);
        expect(final.datetime).toBe('2026-12-10T18:00:00+03:00');
      } else {
        expect(moved.body.meta.errors[0].code).toBe(1011);
        expect(told.map((d) => d.deleted)).toEqual([true]);
        expect(final.datetime).toBe(`2026-12-10T1${round}:00:00+03:00`);
      }
      // Cancelled, its time is free to another.
      expect(await times(`/v1/book_times/${moscow}/48/2026-12-10?service_ids[]=331`)).toContain('18:00');
    }
  });
});

describe('a location in New York works as one in Moscow', () => {
  beforeAll(async () => {
    const event = companyEvent({
      id: newYork,
      title: 'Brooklyn cuts',
      country: 'United States',
      country_code: 'US',
      timezone: -5,
      timezone_name: 'America/New_York',
      city: 'New York',
      allow_change_record: true,
      allow_change_record_delay_step: 3600,
      timeslot_step: 3600,
    });
    await push({ ...event, company_id: newYork, resource_id: newYork });
    // The clocks go back at 02:00 on 1 Nov 2026: 01:00 happens twice.
    await schedule(
      60,
      [
        ['2026-11-01', '00:00', '03:00'],
        ['2026-12-10', '10:00', '13:00'],
      ],
      newYork,
    );
  });

  it('lists the times of a day the clocks go back, each with the offset in force, the repeated hour once', async () => {
    time.set('2026-10-30T12:00:00Z');
    const response = await request('GET', `/v1/book_times/${newYork}/60/2026-11-01`, { headers: partner });
    expect(response.body.data.map((t: { datetime: string }) => t.datetime)).toEqual([
      '2026-11-01T00:00:00-04:00',
      '2026-11-01T01:00:00-04:00',
      '2026-11-01T02:00:00-05:00',
    ]);
    time.set('2026-11-24T09:00:00Z');
  });

  it('moves by the wall clock of New York and refuses its busy time, as in Moscow', async () => {
    const first = await appointment(
      '2026-12-10T10:00:00-05:00',
      { staff_id: 60, staff: { id: 60, name: 'Sam' }, client: { id: 11, phone: '+12125550101' } },
      newYork,
    );
    await appointment(
      '2026-12-10T11:00:00-05:00',
      { staff_id: 60, staff: { id: 60, name: 'Sam' }, client: { id: 12, phone: '+12125550102' } },
      newYork,
    );
    expect(
      (await move(first.id, { datetime: '2026-12-10 11:00:00', record_hash: first.hash }, partner, newYork)).body.meta.errors[0].code,
    ).toBe(433);
    const moved = await move(first.id, { datetime: '2026-12-10 12:00:00', record_hash: first.hash }, partner, newYork);
    expect(moved.body.data).toMatchObject({
      datetime: '2026-12-10T12:00:00-05:00',
      date: '2026-12-10 12:00:00',
      reschedule_deadline: '2026-12-10T11:00:00-05:00',
    });
  });
});
