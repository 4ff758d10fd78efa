// Dates cabinet writes itself: "an event's `last_change_date` is UTC with milliseconds
// while every other date carries the location's offset, and the record's view takes on the UTC
// form after a cancellation". A cancellation, a review, and their events carry the location's
// offset, to the second, like the platform's own dates, and still order against webhook versions:
// the platform's later change wins, its earlier one loses. Real handlers on DynamoDB Local, the
// table's stream read by the relay, a real HTTP subscriber; the clock is moved, never slept through.
import { startSubscriber } from '../helpers/subscriber.js';
import { given } from '../helpers/fixture.js';
import { request } from '../helpers/api.js';
import { partnerHeaders as partner } from '../helpers/sign-in.js';
import { companyEvent, recordEvent, staffEvent } from '../helpers/altegio.js';
import { push, pushWebhook } from '../helpers/webhook.js';
import { config } from '../../lib/config.js';
import { dynamo } from '../../lib/db/client.js';
import { StreamRelay } from '../../scripts/event-relay.js';
import * as deliver from '../../functions/deliver-events.js';

const subscriber = await startSubscriber();
const { time } = await given({
  env: { CABINET_EVENTS_URL: subscriber.url },
  clock: { stoppedAt: '2026-11-24T09:00:00.123Z' },
});

const relay = new StreamRelay(dynamo, config, deliver.handler);
afterAll(async () => {
  relay.close();
  await subscriber.close();
});

const moscow = 4564;
const newYork = 4570;
const cabinetDate = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$/;

beforeAll(async () => {
  await push(companyEvent({ allow_delete_record: true, allow_delete_record_delay_step: 3600 }));
  // The company helper names the Moscow location; the New York one is the same shape under its own id.
  await push({
    ...companyEvent(),
    company_id: newYork,
    resource_id: newYork,
    data: {
      ...companyEvent().data,
      id: newYork,
      country: 'United States',
      country_id: 20,
      city: 'New York',
      timezone: -5,
      timezone_name: 'America/New_York',
      phone: '+12125550100',
      phones: ['+12125550100'],
    },
  });
});

let nextId = 960000;
/** An appointment at `company` and its link hash; Moscow's starts at 14:00 +03:00, New York's at 10:00 -05:00. */
async function appointment(company = moscow, extra: Record<string, unknown> = {}): Promise<{ id: number; hash: string }> {
  const id = ++nextId;
  const local =
    company === moscow
      ? { datetime: '2026-12-01T14:00:00+03:00', date: '2026-12-01 14:00:00', create_date: '2026-11-20T10:00:00+03:00' }
      : { datetime: '2026-12-01T10:00:00-05:00', date: '2026-12-01 10:00:00', create_date: '2026-11-20T10:00:00-05:00' };
  const event = recordEvent(id, { company_id: company, last_change_date: '2026-11-20T10:00:00+03:00', ...local, ...extra });
  const data = await push({ ...event, company_id: company });
  return { id, hash: data.record_hash! };
}

const cancel = (id: number, hash: string) => request('DELETE', `/v1/user/records/${id}/${hash}`, { headers: partner });
const view = async (id: number, hash: string) =>
  (await request('GET', `/v1/user/records/${id}/${hash}`, { headers: partner })).body.data[0];
async function eventOf(id: number) {
  await relay.pollOnce();
  return subscriber.deliveries.find((d) => d.body.resource === 'record' && d.body.resource_id === id)?.body;
}
/** The platform's own change of a record, stamped `stamp`. */
const platformUpdate = (id: number, company: number, stamp: string, comment: string) =>
  pushWebhook({
    ...recordEvent(
      id,
      {
        company_id: company,
        comment,
        last_change_date: stamp,
        ...(company === newYork ? { datetime: '2026-12-01T10:00:00-05:00', date: '2026-12-01 10:00:00' } : {}),
      },
      'update',
    ),
    company_id: company,
  });

describe('a cancellation is dated in its location’s offset, to the second', () => {
  it('at a +03:00 location: the event and the view say 12:00:00+03:00, not UTC with milliseconds', async () => {
    const { id, hash } = await appointment(moscow);
    expect((await cancel(id, hash)).status).toBe(200);
    const event = await eventOf(id);
    expect(event.data.last_change_date).toBe('2026-11-24T12:00:00+03:00');
    const shown = await view(id, hash);
    expect(shown).toMatchObject({
      deleted: true,
      last_change_date: '2026-11-24T12:00:00+03:00',
      datetime: '2026-12-01T14:00:00+03:00',
      create_date: '2026-11-20T10:00:00+03:00',
    });
    for (const field of ['datetime', 'create_date', 'last_change_date', 'cancel_deadline']) expect(shown[field]).toMatch(cabinetDate);
  });

  it('at a US location: its own offset, daylight saving time included', async () => {
    const { id, hash } = await appointment(newYork);
    expect((await cancel(id, hash)).status).toBe(200);
    expect((await eventOf(id)).data.last_change_date).toBe('2026-11-24T04:00:00-05:00');
    expect((await view(id, hash)).last_change_date).toBe('2026-11-24T04:00:00-05:00');

    // In July New York is at -04:00, whatever the record's December start carries.
    const saved = time.now();
    time.set('2026-07-01T16:30:45.999Z');
    try {
      const summer = await appointment(newYork, { last_change_date: '2026-06-20T10:00:00-04:00' });
      expect((await cancel(summer.id, summer.hash)).status).toBe(200);
      expect((await eventOf(summer.id)).data.last_change_date).toBe('2026-07-01T12:30:45-04:00');
      expect((await view(summer.id, summer.hash)).last_change_date).toBe('2026-07-01T12:30:45-04:00');
    } finally {
      time.set(saved);
    }
  });

  it.each([
    ['+03:00', moscow, '2026-11-24T12:00:01+03:00', '2026-11-24T11:59:59+03:00'],
    ['US', newYork, '2026-11-24T04:00:01-05:00', '2026-11-24T03:59:59-05:00'],
  ])('still orders against the platform’s versions (%s): a later update wins, an earlier one loses', async (_, company, later, earlier) => {
    const { id, hash } = await appointment(company);
    expect((await cancel(id, hash)).status).toBe(200);
    const stale = await platformUpdate(id, company, earlier, 'earlier');
    expect(stale.body.data.applied).toBe(false);
    // Stamped the very second of the cancellation: the cancellation, as its date says, is not older.
    const sameSecond = await platformUpdate(id, company, (await view(id, hash)).last_change_date, 'same second');
    expect(sameSecond.body.data.applied).toBe(false);
    expect(await view(id, hash)).toMatchObject({ deleted: true, comment: 'window seat' });
    const fresh = await platformUpdate(id, company, later, 'later');
    expect(fresh.body.data.applied).toBe(true);
    expect(await view(id, hash)).toMatchObject({ deleted: false, comment: 'later', last_change_date: later });
  });

  it('after a platform stamp ahead of the clock, is dated after it, so no one reads it as older', async () => {
    // Within the allowed skew: the platform's clock two hours ahead of ours.
    const { id, hash } = await appointment(moscow, { last_change_date: '2026-11-24T14:00:00+03:00' });
    expect((await cancel(id, hash)).status).toBe(200);
    expect((await eventOf(id)).data.last_change_date).toBe('2026-11-24T14:00:01+03:00');
    expect((await view(id, hash)).last_change_date).toBe('2026-11-24T14:00:01+03:00');
    expect((await platformUpdate(id, moscow, '2026-11-24T14:00:00+03:00', 'before')).body.data.applied).toBe(false);
    expect((await platformUpdate(id, moscow, '2026-11-24T14:00:02+03:00', 'after')).body.data.applied).toBe(true);
  });
});

describe('a review is dated in its location’s offset, to the second', () => {
  it('says submitted_at 12:00:00+03:00 in its event', async () => {
    await push(staffEvent(48));
    const id = ++nextId;
    await push(recordEvent(id, { visit_attendance: 1, attendance: 1, last_change_date: '2026-11-24T11:00:00+03:00' }));
    await relay.pollOnce();
    const token = subscriber.deliveries.find((d) => d.body.resource === 'review_request' && d.body.resource_id === id)?.body.data
      .record_token;
    expect(token).toEqual(expect.any(String));
    const submitted = await request('POST', `/v1/master_record_review/${token}`, {
      headers: partner,
      body: { rating: 5, text: 'Great', tips_amount: 0 },
    });
    expect(submitted.status).toBe(200);
    await relay.pollOnce();
    const review = subscriber.deliveries.find((d) => d.body.resource === 'review' && d.body.resource_id === id)?.body;
    expect(review.data.submitted_at).toBe('2026-11-24T12:00:00+03:00');
  });
});
