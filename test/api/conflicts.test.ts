// Transactions that collide with concurrent ones. DynamoDB cancels such a transaction with
// TransactionConflict; DynamoDB Local never does, so a real proxy in front of it answers that
// (DynamoDB's own wire error) on command, and each retry path is driven through it to its end:
// the request succeeds once the conflict passes, with every counter, tally and event exact, or,
// when conflicts keep on, answers 503 with Retry-After and leaves nothing half written.
import { TransactionCanceledException, TransactionConflictException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { captureErrors, jsonLines } from '../helpers/logs.js';
import { startDynamoProxy } from '../helpers/dynamo-proxy.js';
import { startSmsGateway } from '../helpers/sms-gateway.js';
import { startSubscriber } from '../helpers/subscriber.js';
import { given } from '../helpers/fixture.js';
import { request } from '../helpers/api.js';
import { asUser, partnerHeaders as partner, signIn } from '../helpers/sign-in.js';
import { companyEvent, recordEvent, staffEvent } from '../helpers/altegio.js';
import { push, pushWebhook } from '../helpers/webhook.js';
import { config } from '../../lib/config.js';
import { db, dynamo, isTransient, tableName } from '../../lib/db/client.js';
import { keys } from '../../lib/db/keys.js';
import { StreamRelay } from '../../scripts/event-relay.js';
import * as deliver from '../../functions/deliver-events.js';

const [proxy, gateway, subscriber] = await Promise.all([
  startDynamoProxy(process.env.CABINET_DYNAMODB_ENDPOINT!),
  startSmsGateway(),
  startSubscriber(),
]);
const { time } = await given({
  env: {
    CABINET_DYNAMODB_ENDPOINT: proxy.endpoint,
    CABINET_SMS_URL: gateway.url,
    CABINET_EVENTS_URL: subscriber.url,
    CABINET_SMS_PHONE_COOLDOWN_S: '60',
    CABINET_SMS_PHONE_PER_DAY: '2',
  },
  clock: { stoppedAt: '2026-12-01T09:00:00Z' },
});

const relay = new StreamRelay(dynamo, config, deliver.handler);
afterAll(async () => {
  relay.close();
  await Promise.all([proxy.close(), gateway.close(), subscriber.close()]);
});

let logs: ReturnType<typeof captureErrors>;

beforeEach(() => {
  logs = captureErrors();
});

afterEach(() => {
  Object.assign(proxy, {
    mode: 'pass',
    failNext: undefined,
    passFirst: undefined,
    conflictOn: undefined,
    conflictWrites: undefined,
    failed: 0,
  });
  logs.restore();
});

/** Every transaction with an item matching `on` conflicts: `times` of them, or all while unset. */
function conflict(on: string, times?: number) {
  Object.assign(proxy, { mode: 'conflict', conflictOn: on, failNext: times, failed: 0 });
}

const whole = (value: string) => JSON.stringify(value);
const unavailable = { success: false, data: null, meta: { message: 'Service temporarily unavailable. Please retry.' } };
const eventsOf = (resource: string, id: number) =>
  subscriber.deliveries.filter((d) => d.body.resource === resource && d.body.resource_id === id);

beforeAll(async () => {
  await push(companyEvent({ allow_delete_record: true, allow_delete_record_delay_step: 0 }));
  await push(staffEvent(61, { name: 'Dana', rating: 0, votes_count: 0, comments_count: 0 }));
});

describe('the fault proxy', () => {
  it('cancels a transaction as DynamoDB does, naming the conflicting item, and the SDK does not retry it', async () => {
    const a = { ...keys.sequence('proxy-test-a'), n: 1 };
    const b = { ...keys.sequence('proxy-test-b'), n: 1 };
    const write = () =>
      db.send(
        new TransactWriteCommand({
          TransactItems: [{ Put: { TableName: tableName, Item: a } }, { Put: { TableName: tableName, Item: b } }],
        }),
      );
    conflict(whole(b.pk), 1);
    const error = await write().then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(TransactionCanceledException);
    const cancelled = error as TransactionCanceledException;
    expect(cancelled.CancellationReasons).toEqual([
      { Code: 'None' },
      { Code: 'TransactionConflict', Message: 'Transaction is ongoing for the item' },
    ]);
    expect(cancelled.message).toBe(
      'Transaction cancelled, please refer cancellation reasons for specific reasons [None, TransactionConflict]',
    );
    expect(cancelled.$metadata).toMatchObject({ httpStatusCode: 400, attempts: 1 }); // a 400: the SDK's retry strategy leaves it to us
    expect(isTransient(error)).toBe(true);
    expect(proxy.failed).toBe(1);
    const stored = async () =>
      (await db.send(new GetCommand({ TableName: tableName, Key: keys.sequence('proxy-test-a'), ConsistentRead: true }))).Item;
    expect(await stored()).toBeUndefined(); // nothing of the cancelled transaction was written
    await write(); // the next one passes
    expect(await stored()).toMatchObject({ n: 1 });
  });

  it('fails a single write to an item a transaction holds with TransactionConflictException, not retried by the SDK', async () => {
    const item = { ...keys.sequence('proxy-test-d'), n: 1 };
    Object.assign(proxy, { mode: 'conflict', conflictOn: whole(item.pk), conflictWrites: true, failNext: 1 });
    const error = await db.send(new PutCommand({ TableName: tableName, Item: item })).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(TransactionConflictException);
    expect((error as TransactionConflictException).$metadata).toMatchObject({ httpStatusCode: 400, attempts: 1 });
    expect(isTransient(error)).toBe(true);
    await db.send(new PutCommand({ TableName: tableName, Item: item }));
  });

  it('lets transactions that do not match, and every other request, through', async () => {
    conflict(whole('no-such-key'));
    await db.send(
      new TransactWriteCommand({ TransactItems: [{ Put: { TableName: tableName, Item: { ...keys.sequence('proxy-test-c'), n: 1 } } }] }),
    );
    expect((await request('GET', '/v1/user/records/1/nosuch', { headers: partner })).status).toBe(404);
    expect(proxy.failed).toBe(0);
  });
});

describe('the SMS limits under conflicts', () => {
  const phone = '79160007001';
  const bookCode = (ip: string) => request('POST', '/v1/book_code/4564', { headers: partner, body: { phone }, sourceIp: ip });
  const dayCount = async () => {
    const { Item } = await db.send(
      new GetCommand({
        TableName: tableName,
        Key: keys.limitWindow('sms-phone-day', phone, Math.floor(time.now() / 86_400_000)),
        ConsistentRead: true,
      }),
    );
    return Item?.n;
  };

  it('rides out conflicts on its counters: one code sent, each counter charged exactly once', async () => {
    conflict(phone, 3);
    const sent = gateway.received.length;
    expect((await bookCode('192.0.2.71')).status).toBe(201);
    expect(proxy.failed).toBe(3); // the limiter's transaction, cancelled three times, then through
    expect(gateway.received.length).toBe(sent + 1);
    expect(await dayCount()).toBe(1);
    // The cooldown was set once: a second code a moment later is refused, also when its charge
    // conflicts first (the retry finds the cooldown and says how long it has to run), a minute later sent.
    time.advance(5_000);
    conflict(phone, 2);
    const refused = await bookCode('192.0.2.72');
    expect(refused.status).toBe(429);
    expect(refused.headers['retry-after']).toBe('55');
    expect(proxy.failed).toBe(2);
    expect(await dayCount()).toBe(1);
    time.advance(60_000);
    expect((await bookCode('192.0.2.73')).status).toBe(201);
    expect(await dayCount()).toBe(2);
    time.advance(60_000);
    const third = await bookCode('192.0.2.74'); // the day's two are used, and only two
    expect(third.status).toBe(429);
    expect(await dayCount()).toBe(2);
  });

  it('lets exactly one of 6 parallel requests through when their charges conflict', async () => {
    time.advance(2 * 86_400_000);
    conflict(phone, 5); // fewer than one charge's attempts, however they fall
    const sent = gateway.received.length;
    const responses = await Promise.all(Array.from({ length: 6 }, (_, i) => bookCode(`192.0.2.${90 + i}`)));
    expect(responses.map((r) => r.status).sort()).toEqual([201, 429, 429, 429, 429, 429]);
    expect(proxy.failed).toBe(5);
    expect(gateway.received.length).toBe(sent + 1);
    expect(await dayCount()).toBe(1);
  });

  it('answers 503 with Retry-After, not 429, when conflicts outlast its retries, and charges nothing', async () => {
    time.advance(2 * 86_400_000);
    conflict(phone);
    const sent = gateway.received.length;
    const refused = await bookCode('192.0.2.75');
    expect(refused.status).toBe(503);
    expect(refused.headers['retry-after']).toBe('1');
    expect(refused.body).toEqual(unavailable);
    expect(proxy.failed).toBe(6); // the first try and five retries
    expect(gateway.received.length).toBe(sent);
    expect(await dayCount()).toBeUndefined();
    expect(jsonLines(logs.lines).some((line) => line.message === 'table unavailable')).toBe(true);
    proxy.mode = 'pass';
    expect((await bookCode('192.0.2.75')).status).toBe(201); // no cooldown was left behind
    expect(await dayCount()).toBe(1);
  });
});

describe('a review under conflicts', () => {
  let lastChange = Date.parse('2026-12-01T08:00:00Z');
  /** A visited appointment of team member 61, and the review link its request carried. */
  async function visited(id: number): Promise<string> {
    lastChange += 60_000;
    await push(
      recordEvent(id, {
        staff_id: 61,
        staff: { id: 61, name: 'Dana' },
        visit_attendance: 1,
        attendance: 1,
        last_change_date: new Date(lastChange).toISOString(),
      }),
    );
    await relay.pollOnce();
    expect(eventsOf('review_request', id)).toHaveLength(1);
    return eventsOf('review_request', id)[0]!.body.data.record_token;
  }
  const form = (token: string) => request('GET', `/v1/master_record_review/${token}`, { headers: partner });
  const submit = (token: string, rating: number) =>
    request('POST', `/v1/master_record_review/${token}`, { headers: partner, body: { rating, text: 'fine' } });
  const staff = whole(keys.entity('staff', 61).pk);

  it('is stored once when the tally conflicts with other reviews: one review, the tally moved by one, one event', async () => {
    const token = await visited(940001);
    conflict(staff, 2);
    const response = await submit(token, 4);
    expect(response.status).toBe(200);
    expect(proxy.failed).toBe(2);
    expect(response.body.data).toEqual({ is_review_submitted: true, master: { id: 61, rating: 4, votes_count: 1, comments_count: 1 } });
    proxy.mode = 'pass';
    expect((await submit(token, 1)).status).toBe(422); // submitted already
    expect((await form(token)).body.data).toMatchObject({ is_review_submitted: true, master: { id: 61, rating: 4 } });
    await relay.pollOnce();
    expect(eventsOf('review', 940001)).toHaveLength(1);
  });

  it('is stored once of 6 parallel submissions whose transactions conflict', async () => {
    const token = await visited(940004);
    conflict(staff, 4); // fewer than one submission's attempts, however they fall
    const responses = await Promise.all(Array.from({ length: 6 }, (_, i) => submit(token, (i % 5) + 1)));
    expect(responses.map((r) => r.status).sort()).toEqual([200, 422, 422, 422, 422, 422]);
    expect(proxy.failed).toBe(4);
    const winner = responses.find((r) => r.status === 200)!.body.data.master;
    expect(winner).toMatchObject({ id: 61, votes_count: 2, comments_count: 2 });
    await relay.pollOnce();
    expect(eventsOf('review', 940004)).toHaveLength(1);
  });

  it('answers 503 with Retry-After when conflicts outlast its retries, and stores nothing until it is sent again', async () => {
    const token = await visited(940002);
    conflict(staff);
    const refused = await submit(token, 2);
    expect(refused.status).toBe(503);
    expect(refused.headers['retry-after']).toBe('1');
    expect(refused.body).toEqual(unavailable);
    expect(proxy.failed).toBe(5); // the first try and four retries
    proxy.mode = 'pass';
    expect((await form(token)).body.data.is_review_submitted).toBe(false);
    await relay.pollOnce();
    expect(eventsOf('review', 940002)).toHaveLength(0);
    const sent = await submit(token, 2);
    expect(sent.status).toBe(200);
    // Two reviews came before (940001, 940004): the refused attempt left no vote behind.
    expect(sent.body.data.master).toMatchObject({ id: 61, votes_count: 3, comments_count: 3 });
    await relay.pollOnce();
    expect(eventsOf('review', 940002)).toHaveLength(1);
  });

  it('is asked for once when minting the link conflicts: the webhook answers 503 and its redelivery mints it', async () => {
    lastChange += 60_000;
    const delivery = recordEvent(940003, {
      staff_id: 61,
      visit_attendance: 1,
      attendance: 1,
      last_change_date: new Date(lastChange).toISOString(),
    });
    conflict(whole(keys.review(940003).pk));
    const refused = await pushWebhook(delivery);
    expect(refused.status).toBe(503);
    expect(refused.headers['retry-after']).toBe('1');
    proxy.mode = 'pass';
    await relay.pollOnce();
    expect(eventsOf('review_request', 940003)).toHaveLength(0);
    expect((await pushWebhook(delivery)).status).toBe(200);
    await relay.pollOnce();
    expect(eventsOf('review_request', 940003)).toHaveLength(1);
  });
});

describe('a cancellation under conflicts', () => {
  async function appointment(id: number): Promise<string> {
    return (await push(recordEvent(id, { datetime: '2030-01-01T12:00:00+03:00', last_change_date: '2026-11-20T10:00:00+03:00' })))
      .record_hash!;
  }
  const cancel = (id: number, hash: string) => request('DELETE', `/v1/user/records/${id}/${hash}`, { headers: partner });
  const view = async (id: number, hash: string) =>
    (await request('GET', `/v1/user/records/${id}/${hash}`, { headers: partner })).body.data[0];

  it('cancels once, with one event, when its transaction conflicts', async () => {
    const hash = await appointment(950001);
    conflict(whole(keys.entity('record', 950001).pk), 2);
    const response = await cancel(950001, hash);
    expect(response.status).toBe(200);
    expect(proxy.failed).toBe(2);
    expect((await view(950001, hash)).deleted).toBe(true);
    expect((await cancel(950001, hash)).status).toBe(200);
    await relay.pollOnce();
    expect(eventsOf('record', 950001)).toHaveLength(1);
  });

  it('answers 503 with Retry-After when conflicts outlast its retries: not cancelled, no event, cancels later', async () => {
    const hash = await appointment(950002);
    conflict(whole(keys.entity('record', 950002).pk));
    const refused = await cancel(950002, hash);
    expect(refused.status).toBe(503);
    expect(refused.headers['retry-after']).toBe('1');
    expect(refused.body.meta.message).toBe('The appointment is being changed. Please try again.');
    expect(proxy.failed).toBe(3);
    proxy.mode = 'pass';
    expect((await view(950002, hash)).deleted).toBe(false);
    await relay.pollOnce();
    expect(eventsOf('record', 950002)).toHaveLength(0);
    expect((await cancel(950002, hash)).status).toBe(200);
    await relay.pollOnce();
    expect(eventsOf('record', 950002)).toHaveLength(1);
  });
});

describe('a webhook whose write meets a transaction on its item', () => {
  it('answers 503 with Retry-After, not 500, so the platform delivers it again, and then applies it', async () => {
    await push(recordEvent(950101, { comment: 'first', last_change_date: '2026-11-20T10:00:00+03:00' }));
    const update = recordEvent(950101, { comment: 'second', last_change_date: '2026-11-20T11:00:00+03:00' }, 'update');
    Object.assign(proxy, { mode: 'conflict', conflictOn: whole(keys.entity('record', 950101).pk), conflictWrites: true, failNext: 1 });
    const refused = await pushWebhook(update);
    expect(refused.status).toBe(503);
    expect(refused.headers['retry-after']).toBe('1');
    expect(await push(update)).toMatchObject({ applied: true });
  });
});

describe('login, profile and password under conflicts', () => {
  const me = (token: string) => request('GET', '/v1/booking/user/data', { headers: asUser(token) });

  it('a login whose transaction conflicts answers 503 and leaves its code unspent', async () => {
    const phone = '79160007101';
    expect((await request('POST', '/v1/book_code/4564', { headers: partner, body: { phone }, sourceIp: '192.0.2.81' })).status).toBe(201);
    const code = gateway.lastCode(phone);
    conflict(whole(keys.phoneOwner(phone).pk)); // the first login's transaction makes the phone's owner
    const refused = await request('POST', '/v1/user/auth', { headers: partner, body: { phone, code }, sourceIp: '192.0.2.81' });
    expect(refused.status).toBe(503);
    expect(refused.headers['retry-after']).toBe('1');
    expect(refused.body).toEqual(unavailable);
    proxy.mode = 'pass';
    const login = await request('POST', '/v1/user/auth', { headers: partner, body: { phone, code }, sourceIp: '192.0.2.81' });
    expect(login.status).toBe(201);
    expect((await me(login.body.data.user_token)).body.data).toMatchObject({ id: login.body.data.id, phone });
  });

  it('a profile change rides out conflicts: changed once, one event', async () => {
    const { id, token } = await signIn(gateway, '79160007102', '192.0.2.82');
    conflict(whole(keys.user(id).pk), 2);
    expect((await request('PUT', '/v1/booking/user', { headers: asUser(token), body: { name: 'Irina' } })).status).toBe(202);
    expect(proxy.failed).toBe(2);
    expect((await me(token)).body.data.name).toBe('Irina');
    await relay.pollOnce();
    expect(eventsOf('client', id)).toHaveLength(1);
  });

  it('a profile change answers 503 with Retry-After when conflicts outlast its retries, and changes nothing', async () => {
    const { id, token } = await signIn(gateway, '79160007103', '192.0.2.83');
    conflict(whole(keys.user(id).pk));
    const refused = await request('PUT', '/v1/booking/user', {
      headers: asUser(token),
      body: { name: 'Irina', email: 'irina@example.com' },
    });
    expect(refused.status).toBe(503);
    expect(refused.headers['retry-after']).toBe('1');
    expect(proxy.failed).toBe(3);
    proxy.mode = 'pass';
    expect((await me(token)).body.data).toMatchObject({ name: '', email: '' });
    await relay.pollOnce();
    expect(eventsOf('client', id)).toHaveLength(0);
    // The email was not taken by the change that did not happen.
    expect((await request('PUT', '/v1/booking/user', { headers: asUser(token), body: { email: 'irina@example.com' } })).status).toBe(202);
  });

  it('a password change that conflicts answers 503, not "wrong password", and the old token still works', async () => {
    const { id, token } = await signIn(gateway, '79160007104', '192.0.2.84');
    conflict(whole(keys.user(id).pk));
    const refused = await request('PUT', '/v1/booking/user/password', { headers: asUser(token), body: { new_password: 'correct horse' } });
    expect(refused.status).toBe(503);
    expect(refused.headers['retry-after']).toBe('1');
    proxy.mode = 'pass';
    expect((await me(token)).status).toBe(200);
    const set = await request('PUT', '/v1/booking/user/password', { headers: asUser(token), body: { new_password: 'correct horse' } });
    expect(set.status).toBe(200);
    expect((await me(token)).status).toBe(401);
  });
});
