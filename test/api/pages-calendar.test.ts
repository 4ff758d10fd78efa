// The calendar file of an appointment (docs/contract.md section 10), read by a real iCalendar parser
// (ical.js): one VEVENT, its UID stable for the record, its SEQUENCE growing with each move and with
// the cancellation, STATUS:CANCELLED once cancelled, and start and end right in UTC for a location
// in Europe/Moscow and one in America/New_York on both sides of a DST change. Real handlers on
// DynamoDB Local; the clock is stopped.
import ICAL from 'ical.js';
import { given } from '../helpers/fixture.js';
import { ownFormPost, request } from '../helpers/api.js';
import { companyEvent, recordEvent } from '../helpers/altegio.js';
import { push } from '../helpers/webhook.js';

await given({ env: { CABINET_PUBLIC_URL: 'https://cabinet.test' }, clock: { stoppedAt: '2026-10-20T09:00:00Z' } });

const newYork = 4570;

interface Parsed {
  uid: string;
  sequence: number;
  start: string;
  end: string;
  summary: string;
  location: string;
  url: string;
  status: string;
  events: number;
}

async function calendar(path: string): Promise<Parsed> {
  const answer = await request('GET', `${path}/calendar.ics`);
  expect(answer.status).toBe(200);
  expect(answer.headers['content-type']).toBe('text/calendar; charset=utf-8');
  expect(answer.headers['cache-control']).toBe('no-store');
  expect(answer.text).toMatch(/\r\n$/);
  for (const line of answer.text.split('\r\n')) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(75);
  const root = new ICAL.Component(ICAL.parse(answer.text));
  const events = root.getAllSubcomponents('vevent');
  const event = new ICAL.Event(events[0]!);
  const vevent = events[0]!;
  return {
    uid: event.uid,
    sequence: event.sequence,
    start: event.startDate.toJSDate().toISOString(),
    end: event.endDate.toJSDate().toISOString(),
    summary: event.summary,
    location: event.location,
    url: String(vevent.getFirstPropertyValue('url')),
    status: String(vevent.getFirstPropertyValue('status')),
    events: events.length,
  };
}

let nextId = 980000;
let changed = Date.parse('2026-10-10T10:00:00Z');
/** Delivered by the platform: a new appointment, or a move of one (a later change date). */
async function deliver(id: number, company: number, datetime: string, status = 'create') {
  changed += 3_600_000;
  const event = recordEvent(
    id,
    { company_id: company, datetime, date: datetime.slice(0, 19).replace('T', ' '), last_change_date: new Date(changed).toISOString() },
    status,
  );
  return (await push({ ...event, company_id: company })).record_hash!;
}

beforeAll(async () => {
  await push(companyEvent({ allow_delete_record_delay_step: 3600 }));
  await push({
    ...companyEvent({
      id: newYork,
      title: 'Nails on 5th',
      timezone: -5,
      timezone_name: 'America/New_York',
      address: '5th Avenue 1, New York',
      currency_short_title: 'USD',
      phone: '+12125550100',
    }),
    company_id: newYork,
    resource_id: newYork,
  });
});

describe('the calendar file', () => {
  it(
    "is one VEVENT in UTC, with summary, location, the page's URL, a stable UID and a SEQUENCE that grows with each " +
      'move and the cancellation',
    async () => {
      const id = ++nextId;
      const hash = await deliver(id, 4564, '2026-12-01T14:00:00+03:00');
      const path = `/r/${id}/${hash}`;
      const first = await calendar(path);
      expect(first).toMatchObject({
        events: 1,
        uid: `record-${id}@cabinet.test`,
        start: '2026-12-01T11:00:00.000Z',
        end: '2026-12-01T12:00:00.000Z',
        summary: 'Haircut · Barbershop on Tverskaya',
        location: 'Barbershop on Tverskaya, Tverskaya 1',
        url: `https://cabinet.test${path}`,
        status: 'CONFIRMED',
      });
      expect(await calendar(path)).toEqual(first); // opened again: the same file

      await deliver(id, 4564, '2026-12-02T16:30:00+03:00', 'update');
      const moved = await calendar(path);
      expect(moved).toMatchObject({ uid: first.uid, start: '2026-12-02T13:30:00.000Z', status: 'CONFIRMED' });
      expect(moved.sequence).toBeGreaterThan(first.sequence);

      await deliver(id, 4564, '2026-12-03T10:00:00+03:00', 'update');
      const movedAgain = await calendar(path);
      expect(movedAgain.sequence).toBeGreaterThan(moved.sequence);

      const cancelled = await request('POST', `${path}/cancel`, { headers: ownFormPost, rawBody: '' });
      expect(cancelled.status).toBe(200);
      const after = await calendar(path);
      expect(after).toMatchObject({ uid: first.uid, status: 'CANCELLED', start: '2026-12-03T07:00:00.000Z' });
      expect(after.sequence).toBeGreaterThan(movedAgain.sequence);
    },
  );

  it('is right for America/New_York on both sides of the end of daylight saving time, and the page shows local times', async () => {
    const before = ++nextId;
    const after = ++nextId;
    const beforeHash = await deliver(before, newYork, '2026-10-31T14:00:00-04:00');
    const afterHash = await deliver(after, newYork, '2026-11-02T14:00:00-05:00');
    expect(await calendar(`/r/${before}/${beforeHash}`)).toMatchObject({
      start: '2026-10-31T18:00:00.000Z',
      end: '2026-10-31T19:00:00.000Z',
      location: 'Nails on 5th, 5th Avenue 1, New York',
    });
    expect(await calendar(`/r/${after}/${afterHash}`)).toMatchObject({
      start: '2026-11-02T19:00:00.000Z',
      end: '2026-11-02T20:00:00.000Z',
    });
    const page = await request('GET', `/r/${after}/${afterHash}`);
    expect(page.text).toContain('Monday, 2 November 2026, 14:00–15:00');
    expect(page.text).toMatch(/\$1,800\.00|US\$1,800\.00/);
    // Cancellable until an hour before: the deadline is written in the zone of the day it falls on.
    expect(page.text).toContain('You can cancel online until Monday 2 November at 13:00.');
    expect((await request('GET', `/r/${before}/${beforeHash}`)).text).toContain('Saturday, 31 October 2026, 14:00–15:00');
  });

  it("is right for Europe/Moscow across the other zones' DST change (Moscow keeps +03:00)", async () => {
    const id = ++nextId;
    const hash = await deliver(id, 4564, '2026-11-02T14:00:00+03:00');
    expect(await calendar(`/r/${id}/${hash}`)).toMatchObject({ start: '2026-11-02T11:00:00.000Z', end: '2026-11-02T12:00:00.000Z' });
    const page = await request('GET', `/r/${id}/${hash}?lang=ru`);
    expect(page.text).toContain('понедельник, 2 ноября 2026 г., 14:00–15:00');
  });

  it('links Google Calendar with the same times', async () => {
    const id = ++nextId;
    const hash = await deliver(id, newYork, '2026-11-02T09:15:00-05:00');
    const page = await request('GET', `/r/${id}/${hash}`);
    const link = /href="(https:\/\/calendar\.google\.com[^"]+)"/.exec(page.text)![1]!.replace(/&amp;/g, '&');
    expect(new URL(link).searchParams.get('dates')).toBe('20261102T141500Z/20261102T151500Z');
  });
});
