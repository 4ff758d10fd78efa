// `npm run events` on a table it is pointed at (CABINET_DYNAMODB_ENDPOINT set, as on a deployed
// stage), run as a child process the way an operator runs it: `replay` without the
// events secret crashed with a stack trace after it had already put the event back in the queue;
// with the secret but no CABINET_EVENTS_URL it printed `delivered` and the event was gone;
// `failed` with nothing failed printed nothing, `show nosuch` printed `null`, both exit 0. Now each
// refuses before it touches an event, says what it did in one sentence, and exits non-zero when it
// did nothing. (test/local/local-stack.test.ts runs the same commands beside a running `npm start`.)
import { runNode } from '../helpers/child.js';
import { startSubscriber } from '../helpers/subscriber.js';
import { verifyEvent } from '../helpers/events.js';
import { testEventsSecret } from '../helpers/table.js';
import { given } from '../helpers/fixture.js';
import { request } from '../helpers/api.js';
import { partnerHeaders as partner } from '../helpers/sign-in.js';
import { companyEvent, recordEvent } from '../helpers/altegio.js';
import { push } from '../helpers/webhook.js';
import { clock } from '../../lib/clock.js';
import { claimEvent, failedEventIds, getEvent, recordAttempt } from '../../lib/db/events.js';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { db } from '../../lib/db/client.js';
import { index } from '../../lib/db/keys.js';

const subscriber = await startSubscriber();
const { tableName } = await given({ env: { CABINET_EVENTS_URL: undefined } });

afterAll(() => subscriber.close());

/** An operator's shell: the table and nothing else of this process's settings but what is given. */
const shell = (extra: Record<string, string> = {}) => ({
  PATH: process.env.PATH,
  HOME: process.env.HOME,
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  CABINET_DYNAMODB_ENDPOINT: process.env.CABINET_DYNAMODB_ENDPOINT,
  CABINET_TABLE: tableName,
  ...extra,
});
const events = (args: string[], extra?: Record<string, string>) => runNode(['scripts/events.ts', ...args], shell(extra));
const noStack = /\n\s+at |node_modules|\.ts:\d+/;

let failedEvents = 0;

/** A cancellation's event, kept as failed as if its subscriber had been down for good. */
async function failedEvent(): Promise<string> {
  const id = 980000 + ++failedEvents;
  const hash = (
    await push(
      recordEvent(id, { datetime: '2031-06-01T14:00:00+03:00', last_change_date: new Date(clock.now() - 3_600_000).toISOString() }),
    )
  ).record_hash!;
  expect((await request('DELETE', `/v1/user/records/${id}/${hash}`, { headers: partner })).status).toBe(200);
  const before = new Set(await failedEventIds(1000));
  // No deliverer runs here: the cancellation's event is the one new in line.
  const { Items = [] } = await db.send(
    new QueryCommand({
      TableName: tableName,
      IndexName: index.name,
      KeyConditionExpression: 'gsi1pk = :pk',
      ExpressionAttributeValues: { ':pk': index.eventsDue },
    }),
  );
  const eventId = Items.map((item) => String(item.event_id)).find((eid) => !before.has(eid))!;
  const claimed = (await claimEvent(eventId))!;
  expect(claimed.body).toMatchObject({ resource: 'record', resource_id: id });
  await recordAttempt(claimed, [], { delivered: false, retryAt: null }, 14);
  expect(await failedEventIds(1000)).toContain(eventId);
  return eventId;
}

beforeAll(async () => {
  await push(companyEvent({ allow_delete_record: true }));
});

describe('npm run events on a table', () => {
  it('`failed` with nothing failed says so in a line and exits 1', async () => {
    const ran = await events(['failed']);
    expect([ran.code, ran.stdout.trim()]).toEqual([1, `No failed events in table ${tableName}.`]);
    expect(ran.stderr).not.toMatch(noStack);
  });

  it('`show nosuch` says there is no such event and exits 1, not `null` and 0', async () => {
    const ran = await events(['show', 'nosuch']);
    expect(ran.code).toBe(1);
    expect(ran.stderr.trim()).toBe(`No event nosuch in table ${tableName}.`);
    expect(ran.stdout).not.toMatch(/null/);
  });

  it('`replay` without the events secret refuses in a sentence before it touches the event', async () => {
    const eventId = await failedEvent();
    const kept = await getEvent(eventId);
    const ran = await events(['replay', eventId], { CABINET_EVENTS_URL: subscriber.url });
    expect(ran.code).not.toBe(0);
    expect(ran.stderr.trim()).toMatch(/^CABINET_EVENTS_SECRET has no secret for 1 subscriber\(s\); events cannot be signed$/);
    expect(ran.stderr + ran.stdout).not.toMatch(noStack);
    expect(ran.stdout).not.toMatch(/delivered/);
    // Still failed, exactly as it was: not put back in the queue.
    expect(await getEvent(eventId)).toEqual(kept);
    expect(subscriber.deliveries).toHaveLength(0);
  });

  it('`replay` with the secret but no subscriber refuses and leaves the event failed, its body kept', async () => {
    const eventId = await failedEvent();
    const kept = await getEvent(eventId);
    const ran = await events(['replay', eventId], { CABINET_EVENTS_SECRET: testEventsSecret });
    expect(ran.code).toBe(1);
    expect(ran.stderr).toMatch(/No subscriber is configured .* Nothing was replayed; the events stay failed\./);
    expect(ran.stdout).not.toMatch(/delivered/);
    expect(await getEvent(eventId)).toEqual(kept);
    expect(kept).toMatchObject({ state: 'failed', delivered_to: [], body: { resource: 'record' } });
  });

  it('`replay` with both delivers it signed, once, with no webhook secret exported', async () => {
    const eventId = await failedEvent();
    const ran = await events(['replay', eventId], { CABINET_EVENTS_SECRET: testEventsSecret, CABINET_EVENTS_URL: subscriber.url });
    expect(ran.stdout).toContain(`${eventId}: delivered`);
    expect(ran.code).toBe(0);
    expect(subscriber.deliveries).toHaveLength(1);
    expect(verifyEvent(subscriber.deliveries[0]!)).toMatchObject({ resource: 'record', status: 'update' });
    expect(await getEvent(eventId)).toMatchObject({ state: 'delivered' });
  });
});
