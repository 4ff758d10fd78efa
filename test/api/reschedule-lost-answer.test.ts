// A move whose answer from Altegio is lost to the time limit (docs/contract.md section 9, connected):
// the PUT is sent once and never again; the record read again says what happened. Applied: the
// customer gets the moved record and one event tells of it. Not applied: a 503 with Retry-After and
// nothing changed. The Altegio stand-in (a real HTTP server) keeps the answer past the client's 3 s
// limit; DynamoDB Local, the real handlers, the table's stream relayed to a real subscriber.
import { startStandin, type AltegioStandin } from '../helpers/altegio-standin.js';
import { startSubscriber } from '../helpers/subscriber.js';
import { given } from '../helpers/fixture.js';
import { request } from '../helpers/api.js';
import { partnerHeaders as partner } from '../helpers/sign-in.js';
import { pushStandinRecord } from '../helpers/webhook.js';
import { config } from '../../lib/config.js';
import { dynamo } from '../../lib/db/client.js';
import { StreamRelay } from '../../scripts/event-relay.js';
import * as deliver from '../../functions/deliver-events.js';

const standin: AltegioStandin = await startStandin({ partnerToken: 'lost-partner', userToken: 'lost-user', rps: 0, rpm: 0 });
const subscriber = await startSubscriber();
await given({
  env: {
    CABINET_EVENTS_URL: subscriber.url,
    CABINET_ALTEGIO_PARTNER_TOKEN: 'lost-partner',
    CABINET_ALTEGIO_URL: standin.url,
    CABINET_ALTEGIO_USER_TOKEN: 'lost-user',
    CABINET_ALTEGIO_COMPANY_IDS: '4564',
    CABINET_ALTEGIO_RPS: '50',
    CABINET_ALTEGIO_RPM: '3000',
  },
  // 1 Dec 2026, 09:00 in Belgrade, running: the client's time limit is real time.
  clock: { runningFrom: '2026-12-01T08:00:00Z' },
});

const relay = new StreamRelay(dynamo, config, deliver.handler);
afterAll(async () => {
  relay.close();
  await Promise.all([standin.close(), subscriber.close()]);
});

const day = '2026-12-04';
const putRoute = 'PUT /record/:company_id/:record_id';
const putsOf = (id: number) => standin.requests(putRoute).filter((r) => r.path.endsWith(`/${id}`));
const eventsFor = (id: number) => subscriber.deliveries.filter((d) => d.body.resource === 'record' && d.body.resource_id === id);
const move = (id: number, hash: string, datetime: string) =>
  request('PUT', `/v1/book_record/4564/${id}`, { headers: partner, body: { datetime, record_hash: hash } });
const shown = async (id: number, hash: string) =>
  (await request('GET', `/v1/book_record/4564/${id}/${hash}`, { headers: partner })).body.data.datetime;

beforeAll(() => standin.setSchedule(4564, 9, day, [{ from: '10:00', to: '19:00' }]));

it('answers 200 with the moved record when Altegio moved it and the answer was lost, sending the PUT once and telling once', async () => {
  const { id, hash } = await pushStandinRecord(standin, 951001, `${day} 10:00:00`);
  // Opened first, as a customer does: its team member and services are read through then, not during the move.
  expect(await shown(id, hash)).toBe(`${day}T10:00:00+01:00`);
  standin.fault(putRoute, { kind: 'lost' });
  const before = standin.requests().length;
  const moved = await move(id, hash, `${day}T15:00:00+01:00`);
  expect(moved.status).toBe(200);
  expect(moved.body.data).toMatchObject({ id, datetime: `${day}T15:00:00+01:00`, date: `${day} 15:00:00` });
  // The PUT went unanswered (-3: acted on, answer lost); the record read after it settled the move.
  const after = standin.requests().slice(before);
  const put = after.findIndex((r) => r.route === putRoute);
  expect(after[put]!.status).toBe(-3);
  // After it, only the re-read of the record, beside any catalogue read the answer's view makes (a
  // services read the open made may not have finished in its time limit on a loaded machine).
  const catalogue = /^GET \/company\/:company_id\/(services|staff)/;
  expect(
    after
      .slice(put + 1)
      .map((r) => r.route)
      .filter((route) => !catalogue.test(route)),
  ).toEqual(['GET /record/:company_id/:record_id']);
  expect(putsOf(id)).toHaveLength(1);
  expect(standin.salon(4564).records.get(id)).toMatchObject({ date: `${day} 15:00:00` });
  expect(await shown(id, hash)).toBe(`${day}T15:00:00+01:00`);
  await relay.pollOnce();
  expect(eventsFor(id).map((d) => [d.body.status, d.body.data.datetime])).toEqual([['update', `${day}T15:00:00+01:00`]]);
});

it('answers 503 with Retry-After when the answer was lost and Altegio did not move it; nothing changes', async () => {
  const { id, hash } = await pushStandinRecord(standin, 951002, `${day} 11:00:00`);
  // Received, never acted on, never answered.
  standin.fault(putRoute, { kind: 'hang' });
  const failing = await move(id, hash, `${day}T16:00:00+01:00`);
  expect(failing.status).toBe(503);
  expect(failing.headers['retry-after']).toMatch(/^\d+$/);
  expect(putsOf(id)).toHaveLength(1);
  expect(standin.salon(4564).records.get(id)).toMatchObject({ date: `${day} 11:00:00` });
  expect(await shown(id, hash)).toBe(`${day}T11:00:00+01:00`);
  await relay.pollOnce();
  expect(eventsFor(id)).toEqual([]);
});
