// Events kept until someone has them: with no subscriber configured, an event is kept
// (pending), never marked delivered to nobody; the first subscriber, and one added to a list that
// already had one, get what was kept within the retention; older events expire, counted and logged.
// Real handlers on DynamoDB Local, the table's stream read by the relay, real HTTP subscribers; a
// subscriber "added later" is a new process of the sweeper with a new CABINET_EVENTS_URL, as after
// a deploy. Elsewhere the sweep is called with the subscriber list a new configuration would give.
import { runHandler } from '../helpers/child.js';
import { captureAllLogs, jsonLines } from '../helpers/logs.js';
import { withClockAt } from '../helpers/clock.js';
import { startSubscriber } from '../helpers/subscriber.js';
import { verifyEvent } from '../helpers/events.js';
import { testEventsSecret, testInternalKey, testSecret } from '../helpers/table.js';
import { given } from '../helpers/fixture.js';
import { request } from '../helpers/api.js';
import { partnerHeaders as partner } from '../helpers/sign-in.js';
import { companyEvent, recordEvent } from '../helpers/altegio.js';
import { push } from '../helpers/webhook.js';
import { clock } from '../../lib/clock.js';
import { config } from '../../lib/config.js';
import { dynamo, db, tableName } from '../../lib/db/client.js';
import { StreamRelay } from '../../scripts/event-relay.js';
import * as deliver from '../../functions/deliver-events.js';
import * as retry from '../../functions/retry-events.js';
import { failedEventIds, getEvent, requeueFailed, recordAttempt, claimEvent } from '../../lib/db/events.js';
import { deliverEvent } from '../../lib/events/deliver.js';
import { sweep } from '../../lib/events/sweep.js';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';

const [first, added] = await Promise.all([startSubscriber(), startSubscriber()]);
await given({
  env: {
    CABINET_EVENTS_URL: undefined,
    CABINET_METRICS: 'on',
    CABINET_EVENTS_RETENTION_DAYS: '14',
  },
});

const relay = new StreamRelay(dynamo, config, deliver.handler);
afterAll(async () => {
  relay.close();
  await Promise.all([first.close(), added.close()]);
});

let nextId = 940000;
/** Cancels a new appointment: one `record` `update` event. Returns the record id and the event id. */
async function cancelOne(): Promise<{ id: number; eventId: string }> {
  const id = ++nextId;
  const hash = (
    await push(
      recordEvent(id, { datetime: '2031-06-01T14:00:00+03:00', last_change_date: new Date(clock.now() - 3_600_000).toISOString() }),
    )
  ).record_hash!;
  expect((await request('DELETE', `/v1/user/records/${id}/${hash}`, { headers: partner })).status).toBe(200);
  await relay.pollOnce(); // the stream's delivery: no subscriber exists
  const eventId = await eventOf(id);
  return { id, eventId };
}

const eventIds = new Map<number, string>();
async function eventOf(recordId: number): Promise<string> {
  if (eventIds.has(recordId)) return eventIds.get(recordId)!;
  // Ids sort by time and this file writes few events: the newest kept ones are ours.
  const { Items = [] } = await db.send(
    new QueryCommand({
      TableName: tableName,
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :pk',
      ExpressionAttributeValues: { ':pk': 'EVENTS_WAITING' },
    }),
  );
  for (const item of Items) if (JSON.parse(String(item.payload)).resource_id === recordId) eventIds.set(recordId, String(item.event_id));
  return eventIds.get(recordId)!;
}

const deliveriesOf = (id: number, to = first) => to.deliveries.filter((d) => d.body.resource === 'record' && d.body.resource_id === id);

const childEnv = (eventsUrl: string) => ({
  PATH: process.env.PATH,
  HOME: process.env.HOME,
  CABINET_DYNAMODB_ENDPOINT: process.env.CABINET_DYNAMODB_ENDPOINT,
  CABINET_TABLE: config.tableName,
  CABINET_WEBHOOK_SECRET: testSecret,
  CABINET_EVENTS_SECRET: testEventsSecret,
  CABINET_INTERNAL_KEY: testInternalKey,
  CABINET_EVENTS_URL: eventsUrl,
  CABINET_LOG_LEVEL: 'WARN',
  CABINET_METRICS: 'off',
});

beforeAll(async () => {
  await push(companyEvent({ allow_delete_record: true, allow_delete_record_delay_step: 0 }));
});

describe('with no subscriber configured', () => {
  it('keeps the event pending, with its body, instead of marking it delivered', async () => {
    const { eventId } = await cancelOne();
    expect(eventId).toBeDefined();
    await retry.handler(); // the sweeper, still without subscribers
    const event = await getEvent(eventId);
    expect(event).toMatchObject({ state: 'pending', delivered_to: [], attempts: 0, body: { resource: 'record', status: 'update' } });
  });

  it('sends nothing unsigned to a subscriber configured without an events secret: the event stays kept', async () => {
    const { id, eventId } = await cancelOne();
    const { CABINET_EVENTS_SECRET: _none, ...unsigned } = childEnv(first.url);
    await runHandler('retry-events', unsigned);
    expect(deliveriesOf(id)).toHaveLength(0);
    expect(await getEvent(eventId)).toMatchObject({ state: 'pending', delivered_to: [] });
  });

  it('gives what was kept to the first subscriber, once a new deployment has one (signed, each once)', async () => {
    const { id, eventId } = await cancelOne();
    const ran = await runHandler('retry-events', childEnv(first.url));
    expect(ran.code).toBe(0);
    expect(deliveriesOf(id)).toHaveLength(1);
    expect(verifyEvent(deliveriesOf(id)[0]!)).toMatchObject({ resource: 'record', resource_id: id });
    expect(deliveriesOf(id)[0]!.body).toMatchObject({ resource: 'record', resource_id: id, status: 'update' });
    expect(await getEvent(eventId)).toMatchObject({ state: 'delivered' });
    // A second sweep sends nothing again.
    expect((await runHandler('retry-events', childEnv(first.url))).code).toBe(0);
    expect(deliveriesOf(id)).toHaveLength(1);
  });
});

describe('a subscriber added to a list that already had one', () => {
  it('gets what it has not got; the one it joins gets nothing twice', async () => {
    const { id } = await cancelOne();
    await sweep([first.url]);
    expect(deliveriesOf(id)).toHaveLength(1);
    expect(deliveriesOf(id, added)).toHaveLength(0);
    const result = await sweep([first.url, added.url]);
    expect(result.queued).toBeGreaterThanOrEqual(1);
    expect(deliveriesOf(id, added)).toHaveLength(1);
    expect(deliveriesOf(id)).toHaveLength(1);
    // Nothing is queued again once every subscriber has it.
    expect(await sweep([first.url, added.url])).toMatchObject({ queued: 0 });
    expect(deliveriesOf(id, added)).toHaveLength(1);
  });
});

describe('the retention', () => {
  it('expires events no subscriber had within it (counted, logged), and hands on only younger ones', async () => {
    const start = Date.now();
    const old = await withClockAt(start - 15 * 86_400_000, cancelOne); // fifteen days ago
    const young = await withClockAt(start - 13 * 86_400_000, cancelOne);
    const logs = captureAllLogs();
    try {
      await retry.handler();
    } finally {
      logs.restore();
    }
    const lines = jsonLines(logs.lines);
    expect(lines).toContainEqual(
      expect.objectContaining({ level: 'WARN', message: expect.stringContaining('expired'), expired: 1, retention_days: 14 }),
    );
    expect(lines.find((line) => line._aws)?.EventsExpired).toBe(1);
    expect(await getEvent(old.eventId)).toMatchObject({ state: 'expired', body: null });

    await sweep([first.url, added.url]);
    expect(deliveriesOf(old.id)).toHaveLength(0);
    expect(deliveriesOf(young.id)).toHaveLength(1);
    expect(deliveriesOf(young.id, added)).toHaveLength(1);
  });

  it('does not hand a subscriber added later delivered events older than the retention', async () => {
    const { id } = await withClockAt(Date.now() - 15 * 86_400_000, async () => {
      const old = await cancelOne();
      await sweep([first.url]);
      return old;
    });
    expect(deliveriesOf(id)).toHaveLength(1);
    const late = await startSubscriber();
    try {
      await sweep([first.url, late.url]);
      expect(deliveriesOf(id, late)).toHaveLength(0);
    } finally {
      await late.close();
    }
  });
});

describe('a replay with no subscriber', () => {
  it('never marks the event delivered to nobody', async () => {
    const { eventId } = await cancelOne();
    // Made failed as if its subscriber had been down for good, then replayed with none configured.
    const claimed = (await claimEvent(eventId))!;
    await recordAttempt(claimed, [], { delivered: false, retryAt: null }, 14);
    expect(await failedEventIds(100)).toContain(eventId);
    expect(await requeueFailed(eventId)).toBe(true);
    await deliverEvent(eventId, []);
    expect(await getEvent(eventId)).toMatchObject({ state: 'pending', delivered_to: [], body: { resource: 'record' } });
  });
});
