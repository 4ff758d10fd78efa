// Moving an appointment connected to Altegio (docs/contract.md section 9): free times from Altegio's
// working and busy intervals (kept a minute, so a warm list asks Altegio nothing), a move that reads
// the record and rules fresh and sends one full PUT with save_if_busy false; Altegio refusing is 433,
// Altegio failing a 503 with Retry-After, nothing changed in either; parallel identical moves send
// one PUT and make one event; Altegio's echo of the move makes no second one. The Altegio stand-in
// (a real HTTP server), DynamoDB Local, the real handlers, the table's stream relayed to a real subscriber.
import { startStandin, type AltegioStandin } from '../helpers/altegio-standin.js';
import { startSubscriber } from '../helpers/subscriber.js';
import { testSecret } from '../helpers/table.js';
import { fixtureEpoch } from '../helpers/clock.js';
import { given } from '../helpers/fixture.js';
import { request } from '../helpers/api.js';
import { partnerHeaders as partner } from '../helpers/sign-in.js';
import { pushStandinRecord } from '../helpers/webhook.js';
import { config } from '../../lib/config.js';
import { dynamo } from '../../lib/db/client.js';
import { StreamRelay } from '../../scripts/event-relay.js';
import * as deliver from '../../functions/deliver-events.js';

const standin: AltegioStandin = await startStandin({ partnerToken: 'resched-partner', userToken: 'resched-user', rps: 0, rpm: 0 });
const subscriber = await startSubscriber();
await given({
  env: {
    CABINET_EVENTS_URL: subscriber.url,
    CABINET_ALTEGIO_PARTNER_TOKEN: 'resched-partner',
    CABINET_ALTEGIO_URL: standin.url,
    CABINET_ALTEGIO_USER_TOKEN: 'resched-user',
    CABINET_ALTEGIO_COMPANY_IDS: '4564',
    CABINET_ALTEGIO_RPS: '50',
    CABINET_ALTEGIO_RPM: '3000',
  },
  // 1 Dec 2026, 09:00 in Belgrade, running.
  clock: { runningFrom: fixtureEpoch },
});

const relay = new StreamRelay(dynamo, config, deliver.handler);
afterAll(async () => {
  relay.close();
  await Promise.all([standin.close(), subscriber.close()]);
});

const day = '2026-12-04';
const calls = (route: string) => standin.requests(route).length;
const puts = () => standin.requests('PUT /record/:company_id/:record_id');
const eventsFor = (id: number) => subscriber.deliveries.filter((d) => d.body.resource === 'record' && d.body.resource_id === id);
const move = (id: number, hash: string, datetime: string) =>
  request('PUT', `/v1/book_record/4564/${id}`, { headers: partner, body: { datetime, record_hash: hash } });
let nextId = 940000;
/** Ann's appointment in Altegio with Alex (team member 9), delivered to cabinet once. */
const appointment = (time: string) => pushStandinRecord(standin, ++nextId, `${day} ${time}:00`);

beforeAll(() => {
  standin.setSchedule(4564, 9, day, [{ from: '10:00', to: '19:00' }]);
  // Someone else's appointment with Alex at noon: busy in Altegio, never sent to cabinet.
  standin.addRecord(4564, 939999, { date: `${day} 12:00:00`, staff_id: 9, client_id: 18936825, service_ids: [1] });
});

it(
  "lists free times from Altegio's working and busy intervals, the moved appointment free to itself; warm, it asks " + 'Altegio nothing',
  async () => {
    const { id, hash } = await appointment('10:00');
    const before = calls('GET /company/:company_id/staff/schedule');
    const listed = await request('GET', `/v1/book_times/4564/9/${day}?record_id=${id}&record_hash=${hash}`, { headers: partner });
    expect(listed.status).toBe(200);
    const times = listed.body.data.map((t: { time: string }) => t.time);
    expect(times.slice(0, 6)).toEqual(['10:00', '10:15', '10:30', '10:45', '11:00', '13:00']);
    expect(listed.body.data[0].datetime).toBe(`${day}T10:00:00+01:00`);
    expect(calls('GET /company/:company_id/staff/schedule') - before).toBe(1);
    expect(standin.requests('GET /company/:company_id/staff/schedule').at(-1)!.query).toMatchObject({
      start_date: day,
      end_date: day,
      'staff_ids[]': '9',
      'include[]': 'busy_intervals',
    });
    await request('GET', `/v1/book_times/4564/9/${day}?record_id=${id}&record_hash=${hash}`, { headers: partner });
    const dates = await request('GET', `/v1/book_dates/4564?staff_id=9&date_from=${day}&date_to=${day}`, { headers: partner });
    expect(dates.body.data).toMatchObject({ booking_dates: [day], working_dates: [day] });
    expect(calls('GET /company/:company_id/staff/schedule') - before).toBe(1);
  },
);

it(
  'moves it with one full PUT (save_if_busy false) after a fresh read, shows it moved, and tells of it once; the echo ' + 'adds nothing',
  async () => {
    const { id, hash } = await appointment('10:00');
    // Opened first, as a customer does: its team member and services are read through then, not during the move.
    expect((await request('GET', `/v1/book_record/4564/${id}/${hash}`, { headers: partner })).body.data.can_reschedule).toBe(true);
    const before = standin.requests().length;
    const moved = await move(id, hash, `${day}T15:00:00+01:00`);
    expect(moved.status).toBe(200);
    expect(moved.body.data).toMatchObject({ id, datetime: `${day}T15:00:00+01:00`, date: `${day} 15:00:00` });
    const during = standin
      .requests()
      .slice(before)
      .map((r) => r.route)
      .sort();
    expect(during).toEqual(['GET /companies', 'GET /record/:company_id/:record_id', 'PUT /record/:company_id/:record_id'].sort());
    expect(puts().at(-1)!.body).toMatchObject({
      staff_id: 9,
      datetime: `${day}T15:00:00+01:00`,
      seance_length: 3600,
      save_if_busy: false,
      client: { phone: '+13155550175' },
    });
    expect(standin.salon(4564).records.get(id)).toMatchObject({ date: `${day} 15:00:00` });
    // Altegio's echo of the move (self_sending), as it would push it.
    const echo = { company_id: 4564, resource: 'record', resource_id: id, status: 'update', data: standin.salon(4564).records.get(id) };
    expect(
      (
        await request('POST', `/v1/webhooks/altegio?secret=${encodeURIComponent(testSecret)}`, {
          rawBody: JSON.stringify(echo),
          headers: { 'content-type': 'application/json' },
        })
      ).status,
    ).toBe(200);
    expect((await request('GET', `/v1/book_record/4564/${id}/${hash}`, { headers: partner })).body.data.datetime).toBe(
      `${day}T15:00:00+01:00`,
    );
    await relay.pollOnce();
    expect(eventsFor(id).map((d) => d.body.data.datetime)).toEqual([`${day}T15:00:00+01:00`]);
  },
);

it('answers Altegio refusing the time with 433 and Altegio failing with 503 and Retry-After; nothing changes in either', async () => {
  const { id, hash } = await appointment('10:00');
  // Booked in Altegio after cabinet read the schedule: only Altegio's own check finds it.
  standin.addRecord(4564, 939998, { date: `${day} 17:00:00`, staff_id: 9, client_id: 18936825, service_ids: [1] });
  const refused = await move(id, hash, `${day}T17:00:00+01:00`);
  expect(refused.status).toBe(422);
  expect(refused.body.meta.errors).toEqual([{ code: 433, message: 'The selected time is already taken or is not working.' }]);
  standin.fault('PUT /record/:company_id/:record_id', { kind: 'status', status: 500 });
  const failing = await move(id, hash, `${day}T18:00:00+01:00`);
  expect(failing.status).toBe(503);
  expect(failing.headers['retry-after']).toMatch(/^\d+$/);
  // The connection dropped before Altegio acted: read again, not moved, a 503.
  standin.fault('PUT /record/:company_id/:record_id', { kind: 'drop' });
  expect((await move(id, hash, `${day}T18:00:00+01:00`)).status).toBe(503);
  expect(standin.salon(4564).records.get(id)).toMatchObject({ date: `${day} 10:00:00` });
  expect((await request('GET', `/v1/book_record/4564/${id}/${hash}`, { headers: partner })).body.data.datetime).toBe(
    `${day}T10:00:00+01:00`,
  );
  await relay.pollOnce();
  expect(eventsFor(id)).toEqual([]);
});

it('sends one PUT and makes one event of 10 identical moves at once', async () => {
  const { id, hash } = await appointment('10:00');
  const before = puts().length;
  const answers = await Promise.all(Array.from({ length: 10 }, () => move(id, hash, `${day}T14:00:00+01:00`)));
  expect(answers.map((a) => a.status)).toEqual(Array(10).fill(200));
  expect(puts().length - before).toBe(1);
  await relay.pollOnce();
  expect(eventsFor(id)).toHaveLength(1);
});

it('lets one of 10 customers moving into overlapping times of one team member in, and tells the nine the time is taken', async () => {
  standin.setSchedule(4564, 9, '2026-12-05', [{ from: '08:00', to: '20:00' }]);
  const contenders = [];
  for (let i = 0; i < 10; i++)
    contenders.push(await pushStandinRecord(standin, ++nextId, `2026-12-05 ${String(8 + i).padStart(2, '0')}:00:00`));
  const answers = await Promise.all(contenders.map(({ id, hash }, i) => move(id, hash, `${day}T${i % 2 ? '11:00' : '10:30'}:00+01:00`)));
  expect(answers.map((a) => a.status).sort()).toEqual([200, ...Array(9).fill(422)]);
  expect(answers.filter((a) => a.status === 422).map((a) => a.body.meta.errors[0].code)).toEqual(Array(9).fill(433));
  await relay.pollOnce();
  expect(contenders.flatMap(({ id }) => eventsFor(id))).toHaveLength(1);
});

it('ends a move racing a cancellation in one state, here and in Altegio, each change told once', async () => {
  for (let round = 0; round < 3; round++) {
    const { id, hash } = await appointment(`1${round}:30`);
    const [moved, cancelled] = await Promise.all([
      move(id, hash, `${day}T18:00:00+01:00`),
      request('DELETE', `/v1/user/records/${id}/${hash}`, { headers: partner }),
    ]);
    expect(cancelled.status).toBe(200);
    await standin.idle();
    expect((await request('GET', `/v1/book_record/4564/${id}/${hash}`, { headers: partner })).body.data.deleted).toBe(true);
    expect(standin.salon(4564).records.get(id)!.deleted).toBe(true);
    await relay.pollOnce();
    const told = eventsFor(id).map((d) => d.body.data);
    // Whichever came second decided on the first: a move that was answered 200 was told, then the cancellation.
    expect(told.map((d) => d.deleted)).toEqual(moved.status === 200 ? [false, true] : [true]);
    if (moved.status !== 200) expect([422, 503]).toContain(moved.status);
  }
});
