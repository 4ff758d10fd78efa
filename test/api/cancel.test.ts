// Cancelling appointments, and the signed events that tell other services, end to end: real
// handlers on DynamoDB Local, the table's real stream read by the relay into the real delivery
// handler, and real HTTP subscribers on 127.0.0.1. The clock is moved, never slept through.
import { captureErrors, jsonLines } from '../helpers/logs.js';
import { startSubscriber } from '../helpers/subscriber.js';
import { startSmsGateway } from '../helpers/sms-gateway.js';
import { verifyEvent } from '../helpers/events.js';
import { given } from '../helpers/fixture.js';
import { request } from '../helpers/api.js';
import { asUser, partnerHeaders as partner, signIn } from '../helpers/sign-in.js';
import { companyEvent, recordEvent } from '../helpers/altegio.js';
import { push } from '../helpers/webhook.js';
import { config } from '../../lib/config.js';
import { dynamo } from '../../lib/db/client.js';
import { StreamRelay } from '../../scripts/event-relay.js';
import * as deliver from '../../functions/deliver-events.js';
import * as retry from '../../functions/retry-events.js';
import { failedEventIds, getEvent, requeueFailed } from '../../lib/db/events.js';
import { deliverEvent } from '../../lib/events/deliver.js';

const [subscriber, second, gateway] = await Promise.all([startSubscriber(), startSubscriber(), startSmsGateway()]);
const { time } = await given({
  env: {
    CABINET_EVENTS_URL: `${subscriber.url},${second.url}`,
    CABINET_EVENTS_MAX_ATTEMPTS: '3',
    CABINET_EVENTS_RETRY_BASE_S: '30',
    CABINET_SMS_URL: gateway.url,
  },
  clock: { stoppedAt: '2026-11-24T09:00:00Z' },
});

const relay = new StreamRelay(dynamo, config, deliver.handler);
afterAll(async () => {
  relay.close();
  await Promise.all([subscriber.close(), second.close(), gateway.close()]);
});

let nextId = 920000;
/** An appointment of the test location, starting at `datetime`, and its link hash. */
async function appointment(
  datetime = '2026-12-01T14:00:00+03:00',
  extra: Record<string, unknown> = {},
): Promise<{ id: number; hash: string }> {
  const id = ++nextId;
  const data = await push(recordEvent(id, { datetime, last_change_date: '2026-11-20T10:00:00+03:00', ...extra }));
  return { id, hash: data.record_hash! };
}

const cancel = (id: number, hash: string, headers: Record<string, string> = partner) =>
  request('DELETE', `/v1/user/records/${id}/${hash}`, { headers });
const view = async (id: number, hash: string) =>
  (await request('GET', `/v1/user/records/${id}/${hash}`, { headers: partner })).body.data[0];
const eventsFor = (id: number, to = subscriber) => to.deliveries.filter((d) => d.body.resource === 'record' && d.body.resource_id === id);

beforeAll(async () => {
  // Moscow, cancellation allowed until an hour before the start.
  await push(companyEvent({ allow_delete_record: true, allow_delete_record_delay_step: 3600 }));
});

describe('cancelling an appointment', () => {
  it('cancels it, shows it cancelled, and tells each subscriber once, signed', async () => {
    const { id, hash } = await appointment();
    const response = await cancel(id, hash);
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ success: true, data: null, meta: [] });
    expect(await view(id, hash)).toMatchObject({ id, deleted: true, can_cancel: false });

    await relay.pollOnce();
    for (const to of [subscriber, second]) {
      const events = eventsFor(id, to);
      expect(events).toHaveLength(1);
      const [event] = events;
      expect(event!.body).toEqual({
        company_id: 4564,
        resource: 'record',
        resource_id: id,
        status: 'update',
        data: {
          id,
          company_id: 4564,
          datetime: '2026-12-01T14:00:00+03:00',
          deleted: true,
          last_change_date: '2026-11-24T12:00:00+03:00',
          cancelled_by: 'client',
          links: { manage: `${config.publicUrl}/r/${id}/${hash}` },
        },
      });
      expect(verifyEvent(event!)).toEqual(event!.body);
      expect(Object.keys(event!.body)).toEqual(['company_id', 'resource', 'resource_id', 'status', 'data']);
      expect(event!.headers['webhook-id']).toMatch(/^[0-9a-z]{22}$/);
      expect(event!.headers['content-type']).toBe('application/json');
    }
    expect(eventsFor(id)[0]!.headers['webhook-id']).toBe(eventsFor(id, second)[0]!.headers['webhook-id']);
  });

  it('answers a repeated cancellation with 200 again, and tells no one twice', async () => {
    const { id, hash } = await appointment();
    expect((await cancel(id, hash)).status).toBe(200);
    expect((await cancel(id, hash)).status).toBe(200);
    await relay.pollOnce();
    await relay.pollOnce();
    expect(eventsFor(id)).toHaveLength(1);
  });

  it('makes one cancellation and one event of 10 at once', async () => {
    const { id, hash } = await appointment();
    const responses = await Promise.all(Array.from({ length: 10 }, () => cancel(id, hash)));
    expect(responses.map((r) => r.status)).toEqual(Array(10).fill(200));
    await relay.pollOnce();
    expect(eventsFor(id)).toHaveLength(1);
    expect(eventsFor(id, second)).toHaveLength(1);
  });

  it('refuses (1005) from a moment after the deadline, and says so in the view beforehand', async () => {
    const { id, hash } = await appointment('2026-11-24T15:00:00+03:00'); // deadline 11:00Z
    time.set('2026-11-24T11:00:00Z');
    expect(await view(id, hash)).toMatchObject({ cancel_deadline: '2026-11-24T14:00:00+03:00', can_cancel: true });
    time.advance(1);
    expect(await view(id, hash)).toMatchObject({ cancel_deadline: '2026-11-24T14:00:00+03:00', can_cancel: false });
    const refused = await cancel(id, hash);
    expect(refused.status).toBe(422);
    expect(refused.body.meta.errors).toEqual([{ code: 1005, message: 'It is too late to cancel this appointment.' }]);
    expect((await view(id, hash)).deleted).toBe(false);
    time.advance(-1);
    expect((await cancel(id, hash)).status).toBe(200);
    time.set('2026-11-24T09:00:00Z');
  });

  it('refuses (1005) once the visit happened, and (1004) where the location forbids it; no events', async () => {
    const visited = await appointment(undefined, { visit_attendance: 1, attendance: 1 });
    expect((await cancel(visited.id, visited.hash)).body.meta.errors[0].code).toBe(1005);
    const forbidding = { ...companyEvent({ allow_delete_record: false }), company_id: 4600, resource_id: 4600 };
    forbidding.data.id = 4600;
    await push(forbidding);
    const id = ++nextId;
    const hash = (await push({ ...recordEvent(id), company_id: 4600 })).record_hash!;
    const refused = await cancel(id, hash);
    expect(refused.status).toBe(422);
    expect(refused.body.meta.errors).toEqual([{ code: 1004, message: 'This location does not allow cancelling appointments online.' }]);
    expect(await view(id, hash)).toMatchObject({ can_cancel: false, cancel_deadline: null });
    await relay.pollOnce();
    expect([...eventsFor(visited.id), ...eventsFor(id)]).toEqual([]);
  });

  it("lets the client cancel with a user token, and no one else's token; a wrong hash is 404", async () => {
    const phone = '79031112233';
    const { id } = await appointment(undefined, { client: { id: 5, phone } });
    const owner = await signIn(gateway, phone, '198.19.0.1');
    const stranger = await signIn(gateway, '79031112244', '198.19.0.2');
    expect((await request('DELETE', `/v1/user/records/${id}/`, { headers: asUser(stranger.token) })).status).toBe(404);
    expect((await cancel(id, 'f'.repeat(32))).status).toBe(404);
    expect((await request('DELETE', `/api/v1/user/records/${id}`, { headers: asUser(owner.token) })).status).toBe(200);
  });

  it('stays cancelled when the platform later delivers an older state of the appointment', async () => {
    const { id, hash } = await appointment();
    await cancel(id, hash);
    await push(recordEvent(id, { comment: 'stale', last_change_date: '2026-11-23T10:00:00+03:00' }, 'update'));
    expect(await view(id, hash)).toMatchObject({ deleted: true });
    expect((await view(id, hash)).comment).not.toBe('stale');
  });
});

describe('delivering events when subscribers fail', () => {
  let logs: ReturnType<typeof captureErrors>;
  beforeEach(() => {
    logs = captureErrors();
  });

  afterEach(() => {
    subscriber.down = false;
    second.down = false;
    logs.restore();
    // The operator sees each failed attempt, by event id; subscriber URLs (which may hold credentials) never.
    const logged = jsonLines(logs.lines);
    expect(logged.length).toBeGreaterThan(0);
    for (const line of logged) expect(line).toMatchObject({ level: 'WARN', event_id: expect.any(String), subscribers_failed: 1 });
    expect(logs.lines.join('\n')).not.toContain('127.0.0.1');
  });

  it('retries a subscriber that is down until it is back, without sending the other one twice', async () => {
    const { id, hash } = await appointment();
    subscriber.down = true;
    await cancel(id, hash);
    await relay.pollOnce();
    expect(eventsFor(id)).toHaveLength(0);
    expect(eventsFor(id, second)).toHaveLength(1);

    time.advance(29_000); // not due yet: the first retry waits 30 s
    await retry.handler();
    expect(subscriber.refused).toBeGreaterThan(0);
    const refusedBefore = subscriber.refused;
    subscriber.down = false;
    await retry.handler();
    expect(subscriber.refused).toBe(refusedBefore);
    expect(eventsFor(id)).toHaveLength(0);

    time.advance(1_000);
    await retry.handler();
    expect(eventsFor(id)).toHaveLength(1);
    expect(eventsFor(id)[0]!.headers['x-cabinet-event-attempt']).toBe('2');
    expect(eventsFor(id, second)).toHaveLength(1);
  });

  it('keeps an event as failed after the last attempt, and delivers it when replayed', async () => {
    const { id, hash } = await appointment();
    subscriber.down = true;
    await cancel(id, hash);
    await relay.pollOnce(); // attempt 1
    time.advance(30_000);
    await retry.handler(); // attempt 2
    time.advance(60_000);
    await retry.handler(); // attempt 3: the last
    time.advance(24 * 3600_000);
    await retry.handler();
    const failed = await failedEventIds(100);
    const mine = [];
    for (const eventId of failed) if ((await getEvent(eventId))?.body?.resource_id === id) mine.push(eventId);
    expect(mine).toHaveLength(1);
    expect(await getEvent(mine[0]!)).toMatchObject({ state: 'failed', attempts: 3 });

    subscriber.down = false;
    expect(await requeueFailed(mine[0]!)).toBe(true);
    await deliverEvent(mine[0]!);
    expect(eventsFor(id)).toHaveLength(1);
    // Delivered: kept, body and all, until its retention ends, for a subscriber added later
    // (test/api/events-kept.test.ts); DynamoDB's TTL then removes it.
    const delivered = await getEvent(mine[0]!);
    expect(delivered).toMatchObject({ state: 'delivered', body: { resource: 'record', resource_id: id } });
    expect((delivered as unknown as { ttl: number }).ttl * 1000).toBeGreaterThanOrEqual(delivered!.created_at + 14 * 86_400_000);
    expect(await requeueFailed(mine[0]!)).toBe(false);
  });
});

describe('profile changes', () => {
  it('tell other services of the new name, signed, as a client update', async () => {
    const { id, token } = await signIn(gateway, '79031112255', '198.19.0.3');
    expect((await request('PUT', '/v1/booking/user', { headers: asUser(token), body: { name: 'Olga' } })).status).toBe(202);
    await relay.pollOnce();
    const event = subscriber.deliveries.find((d) => d.body.resource === 'client' && d.body.resource_id === id);
    expect(event?.body).toEqual({
      company_id: null,
      resource: 'client',
      resource_id: id,
      status: 'update',
      data: { id, name: 'Olga', phone: '79031112255', email: '' },
    });
    expect(verifyEvent(event!)).toEqual(event!.body);
  });
});
