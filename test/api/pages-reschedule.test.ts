// Moving an appointment from its page (docs/contract.md sections 9 and 10) through the real handlers on
// DynamoDB Local: the free dates, then a date's free times (the API's own, for the record's length),
// the move by the form's POST (the appointment page, the calendar file's SEQUENCE and the record event
// follow it), refusals as sentences (a time taken shows the times again), a post from another site
// refused, and the one 404 page for any other path under /r/ and /review/.
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import ICAL from 'ical.js';
import { startSubscriber } from '../helpers/subscriber.js';
import { given } from '../helpers/fixture.js';
import { ownFormPost, request } from '../helpers/api.js';
import { partnerHeaders as partner } from '../helpers/sign-in.js';
import { companyEvent, recordEvent, serviceEvent, staffEvent } from '../helpers/altegio.js';
import { push } from '../helpers/webhook.js';
import { config } from '../../lib/config.js';
import { db, dynamo, tableName } from '../../lib/db/client.js';
import { StreamRelay } from '../../scripts/event-relay.js';
import * as deliver from '../../functions/deliver-events.js';

const subscriber = await startSubscriber();
await given({
  env: { CABINET_EVENTS_URL: subscriber.url, CABINET_PUBLIC_URL: 'https://cabinet.test' },
  clock: { stoppedAt: '2026-11-24T09:00:00Z' },
});

const relay = new StreamRelay(dynamo, config, deliver.handler);
afterAll(async () => {
  relay.close();
  await subscriber.close();
});

const moscow = 4564;
let nextId = 960000;
/** An appointment of team member 48, an hour long (1 December, 14:00 Moscow unless `extra` says otherwise). */
async function appointment(extra: Record<string, unknown> = {}, companyId = moscow) {
  const id = ++nextId;
  const event = recordEvent(id, {
    staff: { id: 48, name: 'Anna Petrova' },
    last_change_date: '2026-11-20T10:00:00+03:00',
    client: { id: 9001, name: 'Ivan', phone: `+7916${String(id).slice(-7)}` },
    ...extra,
  });
  const data = await push({ ...event, company_id: companyId });
  return { id, hash: data.record_hash!, path: `/r/${id}/${data.record_hash}` };
}

const get = (path: string, headers: Record<string, string> = {}) => request('GET', path, { headers });
const post = (path: string, body = '', headers: Record<string, string> = ownFormPost) => request('POST', path, { headers, rawBody: body });
const choose = (datetime: string) => `datetime=${encodeURIComponent(datetime)}`;
const radios = (text: string) => [...text.matchAll(/type="radio" name="datetime" value="([^"]+)"/g)].map((m) => m[1]);
const view = async (id: number, hash: string) =>
  (await request('GET', `/v1/user/records/${id}/${hash}`, { headers: partner })).body.data[0];

async function wholeTable(): Promise<unknown[]> {
  const { Items = [] } = await db.send(new ScanCommand({ TableName: tableName, ConsistentRead: true }));
  return Items.map((item) => JSON.stringify(item)).sort();
}

async function sequenceOf(path: string): Promise<number> {
  const file = await get(`${path}/calendar.ics`);
  return new ICAL.Event(new ICAL.Component(ICAL.parse(file.text)).getFirstSubcomponent('vevent')!).sequence;
}

beforeAll(async () => {
  // Moves allowed until two hours before the start, on a grid of half an hour.
  await push(companyEvent({ timeslot_step: 1800 }));
  await push(staffEvent(48));
  await push(serviceEvent(331, { title: 'Haircut', seance_length: 3600 }));
  await push({
    company_id: moscow,
    resource: 'schedule',
    resource_id: 48,
    status: 'update',
    data: {
      staff_id: 48,
      dates: [
        { date: '2026-12-01', is_working: 1, slots: [{ from: '10:00', to: '19:00' }] },
        { date: '2026-12-02', is_working: 1, slots: [{ from: '10:00', to: '13:00' }] },
        { date: '2026-12-03', is_working: 0, slots: [] },
      ],
      last_change_date: '2026-11-20T10:00:00+03:00',
    },
  });
});

describe('moving an appointment from its page', () => {
  it("lists the free dates, then a date's free times: the API's own for the record, less its own start; GETs change nothing", async () => {
    const { id, hash, path } = await appointment();
    const page = await get(path);
    expect(page.text).toContain('You can move it online until Tuesday 1 December at 12:00.');
    expect(page.text).toContain(`href="${path}/reschedule?lang=en"`);

    const before = await wholeTable();
    const dates = await get(`${path}/reschedule`);
    expect(dates.status).toBe(200);
    expect(dates.headers['cache-control']).toBe('no-store');
    expect(dates.text).toContain('Choose a new date');
    expect(dates.text).toContain('Tuesday, 1 December 2026, 14:00–15:00');
    const offered = [...dates.text.matchAll(/href="[^"]*\/reschedule\?date=(\d{4}-\d{2}-\d{2})&amp;lang=en"/g)].map((m) => m[1]);
    expect(offered).toEqual(['2026-12-01', '2026-12-02']);

    const times = await get(`${path}/reschedule?date=2026-12-01&lang=en`);
    expect(times.status).toBe(200);
    expect(times.text).toMatch(new RegExp(`<form[^>]*method="post" action="${path}/reschedule\\?lang=en"`));
    const api = await request('GET', `/v1/book_times/${moscow}/48/2026-12-01?record_id=${id}&record_hash=${hash}`, { headers: partner });
    const apiTimes = api.body.data.map((t: { datetime: string }) => t.datetime);
    expect(apiTimes).toContain('2026-12-01T14:00:00+03:00'); // its own interval is free to it
    expect(radios(times.text)).toEqual(apiTimes.filter((t: string) => t !== '2026-12-01T14:00:00+03:00'));
    expect(radios(times.text)).toContain('2026-12-01T14:30:00+03:00');
    expect((await get(`${path}/reschedule?date=2026-12-03`)).text).toContain('There is no free time on this date any more.');
    // A date that is no date: the dates again, not an error.
    expect((await get(`${path}/reschedule?date=2026-02-31`)).text).toContain('Choose a new date');
    expect(await wholeTable()).toEqual(before);
    expect((await view(id, hash)).datetime).toBe('2026-12-01T14:00:00+03:00');
  });

  it(
    'moves it by the form\'s POST: "moved to …", the appointment shows the new time, the calendar file a higher ' +
      'SEQUENCE, an event with links.manage',
    async () => {
      const { id, hash, path } = await appointment();
      const sequence = await sequenceOf(path);
      const done = await post(`${path}/reschedule?lang=en`, choose('2026-12-02T10:00:00+03:00'));
      expect(done.status).toBe(200);
      expect(done.text).toContain('Your appointment is moved');
      expect(done.text).toContain('Wednesday, 2 December 2026, 10:00–11:00');
      expect(done.text).toContain(`href="${path}?lang=en"`);
      expect(done.text).toContain(`href="${path}/calendar.ics?lang=en"`);
      expect((await view(id, hash)).datetime).toBe('2026-12-02T10:00:00+03:00');
      expect((await get(path)).text).toContain('Wednesday, 2 December 2026, 10:00–11:00');
      expect(await sequenceOf(path)).toBeGreaterThan(sequence);
      await relay.pollOnce();
      const events = subscriber.deliveries.filter((d) => d.body.resource === 'record' && d.body.resource_id === id);
      expect(events.map((d) => [d.body.status, d.body.data.datetime, d.body.data.links])).toEqual([
        ['update', '2026-12-02T10:00:00+03:00', { manage: `https://cabinet.test${path}` }],
      ]);
      // Posted again (a second click): the same page, no second change.
      expect((await post(`${path}/reschedule`, choose('2026-12-02T10:00:00+03:00'))).text).toContain('Your appointment is moved');
      await relay.pollOnce();
      expect(subscriber.deliveries.filter((d) => d.body.resource === 'record' && d.body.resource_id === id)).toHaveLength(1);
    },
  );

  it('refuses a post from another site (403) and moves nothing', async () => {
    const { id, hash, path } = await appointment();
    const before = await wholeTable();
    const form = { 'content-type': 'application/x-www-form-urlencoded' };
    for (const headers of [
      { ...form, 'sec-fetch-site': 'cross-site', origin: 'https://evil.example' },
      { ...form, origin: 'https://evil.example' },
    ]) {
      const answer = await post(`${path}/reschedule`, choose('2026-12-01T16:00:00+03:00'), headers);
      expect(answer.status).toBe(403);
      expect(answer.text).toContain('Not sent from this page');
    }
    expect(await wholeTable()).toEqual(before);
    expect((await view(id, hash)).datetime).toBe('2026-12-01T14:00:00+03:00');
  });

  it("shows a time taken meanwhile (433) as a sentence, with that date's free times again", async () => {
    const { id, hash, path } = await appointment();
    const other = await appointment({ datetime: '2026-12-01T17:00:00+03:00', date: '2026-12-01 17:00:00' });
    const answer = await post(`${path}/reschedule?lang=ru`, choose('2026-12-01T17:00:00+03:00'));
    expect(answer.status).toBe(422);
    expect(answer.text).toContain('Это время только что занял кто-то другой. Пожалуйста, выберите другое.');
    const again = radios(answer.text);
    expect(again).toContain('2026-12-01T10:00:00+03:00');
    expect(again).not.toContain('2026-12-01T17:00:00+03:00');
    expect(answer.text).toMatch(new RegExp(`action="${path}/reschedule\\?lang=ru"`));
    expect((await view(id, hash)).datetime).toBe('2026-12-01T14:00:00+03:00');
    expect((await view(other.id, other.hash)).datetime).toBe('2026-12-01T17:00:00+03:00');
  });

  it('says why not, as the API decides: too late (1011), or the location takes no moves online (1010)', async () => {
    const tooLate = await appointment({ datetime: '2026-11-24T12:30:00+03:00', date: '2026-11-24 12:30:00' });
    expect((await get(tooLate.path)).text).toContain('It is too late to move it online. Please call the salon.');
    expect((await get(`${tooLate.path}/reschedule`)).text).not.toContain('<form');
    const late = await post(`${tooLate.path}/reschedule`, choose('2026-12-01T10:00:00+03:00'));
    expect(late.status).toBe(422);
    expect(late.text).toContain('It is too late to move it online.');
    expect(late.text).toContain(`href="${tooLate.path}?lang=en"`);

    await push({ ...companyEvent({ id: 4571, allow_change_record: false }), company_id: 4571, resource_id: 4571 });
    const fixed = await appointment({ company_id: 4571 }, 4571);
    expect((await get(fixed.path)).text).toContain('This salon does not take changes of time online. Please call the salon.');
    const refused = await post(`${fixed.path}/reschedule?lang=ru`, choose('2026-12-01T10:00:00+03:00'));
    expect(refused.status).toBe(422);
    expect(refused.text).toContain('Салон не принимает перенос записи онлайн.');
  });
});

describe('a path under /r/ or /review/ that is no page', () => {
  it('gets the same 404 page as a wrong link, not the API envelope; other paths keep the envelope', async () => {
    const { id } = await appointment();
    const wrongLink = await get(`/r/${id}/wrong`);
    for (const path of ['/r/123', '/r/abc/def/ghi', `/r/${id}/x/cancel/again`, '/review/a/b', '/r/1/2/reschedule/x']) {
      const page = await get(path);
      expect({ path, status: page.status, type: page.headers['content-type'] }).toEqual({
        path,
        status: 404,
        type: 'text/html; charset=utf-8',
      });
      expect(page.headers['x-frame-options']).toBe('DENY');
      expect(page.text).toBe(wrongLink.text);
    }
    expect((await get('/r/123?lang=ru')).text).toContain('Ссылка не найдена');
    const api = await get('/nothing/here');
    expect(api.status).toBe(404);
    expect(api.body).toEqual({ success: false, data: null, meta: { message: 'Not found.' } });
  });
});
