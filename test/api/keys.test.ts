// One key per purpose, through the HTTP API: the inbound webhook secret only
// authenticates webhooks; events are signed in the Standard Webhooks format with the events secret
// (a subscriber's own where it has one) and verified here with the `standardwebhooks` library, as a
// consumer would; record hashes come from the internal key, which no client holds. Real handlers
// on DynamoDB Local, the table's real stream relayed to the real delivery handler, real HTTP
// subscribers on 127.0.0.1.
import { jest } from '@jest/globals';
import { standardHeaders, verifyEvent } from '../helpers/events.js';
import { startSubscriber } from '../helpers/subscriber.js';
import { testEventsSecret, testInternalKey, testPartnerToken, testSecret } from '../helpers/table.js';
import { given } from '../helpers/fixture.js';
import { request } from '../helpers/api.js';
import { companyEvent, recordEvent, signedHeaders } from '../helpers/altegio.js';
import { push, pushWebhook } from '../helpers/webhook.js';
import { config } from '../../lib/config.js';
import { dynamo, db, tableName } from '../../lib/db/client.js';
import { deriveRecordHash, idOnlyRecordHash, legacyRecordHash, recordHashDigest } from '../../lib/domain/record-hash.js';
import { keys } from '../../lib/db/keys.js';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { sign } from '../../lib/domain/signature.js';
import { StreamRelay } from '../../scripts/event-relay.js';
import * as deliver from '../../functions/deliver-events.js';
import * as retry from '../../functions/retry-events.js';

const [shared, own] = await Promise.all([startSubscriber(), startSubscriber()]);
const ownSecret = `whsec_${Buffer.from('another-subscriber-own-key-0123456789').toString('base64')}`;
const { time } = await given({
  env: {
    CABINET_EVENTS_URL: `${shared.url},${own.url}`,
    CABINET_EVENTS_SECRET: `${testEventsSecret},${own.url}=${ownSecret}`,
    // Migration: records minted before the internal key get their hash back (docs/operations.md).
    CABINET_LEGACY_HASH_SECRET: testSecret,
    CABINET_EVENTS_RETRY_BASE_S: '30',
  },
  clock: { stoppedAt: '2026-11-24T09:00:00Z' },
});

const relay = new StreamRelay(dynamo, config, deliver.handler);
afterAll(async () => {
  relay.close();
  await Promise.all([shared.close(), own.close()]);
});

const partner = { authorization: `Bearer ${testPartnerToken}` };
const open = (id: number, hash: string) => request('GET', `/v1/user/records/${id}/${hash}`, { headers: partner });
const cancelled = (id: number, to = shared) => to.deliveries.filter((d) => d.body.resource === 'record' && d.body.resource_id === id);

let nextId = 730000;
async function appointment(): Promise<{ id: number; hash: string }> {
  const id = ++nextId;
  const { record_hash } = await push(recordEvent(id, { last_change_date: '2026-11-20T10:00:00+03:00' }));
  return { id, hash: record_hash! };
}

/** An appointment cancelled through the API, and the event each subscriber got for it. */
async function cancelledAppointment() {
  const { id, hash } = await appointment();
  expect((await request('DELETE', `/v1/user/records/${id}/${hash}`, { headers: partner })).status).toBe(200);
  await relay.pollOnce();
  return { id, hash, event: cancelled(id)[0]!, ownEvent: cancelled(id, own)[0]! };
}

beforeAll(async () => {
  await push(companyEvent({ allow_delete_record: true, allow_delete_record_delay_step: 3600 }));
});

describe('a captured outbound event', () => {
  it('is refused when replayed to the inbound webhook, whichever way it is presented', async () => {
    const { event, ownEvent } = await cancelledAppointment();
    for (const captured of [event, ownEvent]) {
      // As captured: its Standard Webhooks headers and exact body.
      const replay = await request('POST', '/v1/webhooks/altegio', {
        rawBody: captured.raw,
        headers: { 'content-type': 'application/json', ...standardHeaders(captured) },
      });
      expect(replay.status).toBe(401);
      expect(replay.text).not.toMatch(/record_hash/);
      // Its signature moved into the inbound header.
      const moved = await request('POST', '/v1/webhooks/altegio', {
        rawBody: captured.raw,
        headers: { 'content-type': 'application/json', 'x-cabinet-signature': String(captured.headers['webhook-signature']) },
      });
      expect(moved.status).toBe(401);
    }
  });

  it('gives its subscriber nothing that signs an inbound webhook: the events secret is not the webhook secret', async () => {
    const body = JSON.stringify(recordEvent(++nextId));
    for (const secret of [testEventsSecret, ownSecret]) {
      expect((await request('POST', '/v1/webhooks/altegio', { rawBody: body, headers: signedHeaders(body, secret) })).status).toBe(401);
      expect(
        (
          await request('POST', `/v1/webhooks/altegio?secret=${encodeURIComponent(secret)}`, {
            rawBody: body,
            headers: { 'content-type': 'application/json' },
          })
        ).status,
      ).toBe(401);
    }
    // The platform's own secret still works.
    expect((await request('POST', '/v1/webhooks/altegio', { rawBody: body, headers: signedHeaders(body, testSecret) })).status).toBe(200);
  });
});

describe('outbound events', () => {
  it("verify with standardwebhooks and each subscriber's secret, and with no other", async () => {
    const { id, event, ownEvent } = await cancelledAppointment();
    expect(verifyEvent(event)).toEqual(event.body);
    expect(verifyEvent(ownEvent, ownSecret)).toEqual(ownEvent.body);
    expect(() => verifyEvent(ownEvent, testEventsSecret)).toThrow(/No matching signature/);
    expect(() => verifyEvent(event, ownSecret)).toThrow(/No matching signature/);
    expect(event.body).toMatchObject({ resource: 'record', resource_id: id, data: { deleted: true } });
    // The id the consumer deduplicates on is the same event's at both subscribers.
    expect(event.headers['webhook-id']).toBe(ownEvent.headers['webhook-id']);
    expect(event.headers['x-cabinet-signature']).toBeUndefined();
  });

  it('cannot be replayed to a consumer later: an old timestamp is refused', async () => {
    const { event } = await cancelledAppointment();
    const now = Date.now();
    const later = jest.spyOn(Date, 'now').mockReturnValue(now + 10 * 60_000);
    try {
      expect(() => verifyEvent(event)).toThrow(/timestamp too old/);
    } finally {
      later.mockRestore();
    }
    expect(verifyEvent(event)).toEqual(event.body);
  });

  it('cannot be altered: another body, id or timestamp under the same signature is refused', async () => {
    const { event } = await cancelledAppointment();
    const headers = standardHeaders(event);
    const as = (raw: string, h: Record<string, string>) => ({ ...event, raw, headers: h });
    expect(() => verifyEvent(as(event.raw.replace('"deleted":true', '"deleted":false'), headers))).toThrow(/No matching signature/);
    expect(() => verifyEvent(as(event.raw, { ...headers, 'webhook-id': 'evt_someone_else' }))).toThrow(/No matching signature/);
    expect(() => verifyEvent(as(event.raw, { ...headers, 'webhook-timestamp': String(Number(headers['webhook-timestamp']) - 1) }))).toThrow(
      /No matching signature/,
    );
  });

  it('keep their webhook-id across retries, with a fresh timestamp and signature', async () => {
    own.down = true;
    const { id } = await cancelledAppointment();
    expect(cancelled(id, own)).toHaveLength(0);
    own.down = false;
    time.advance(30_000);
    await retry.handler();
    const [first] = cancelled(id);
    const [retried] = cancelled(id, own);
    expect(retried!.headers['x-cabinet-event-attempt']).toBe('2');
    expect(retried!.headers['webhook-id']).toBe(first!.headers['webhook-id']);
    expect(verifyEvent(retried!, ownSecret)).toEqual(first!.body);
  });
});

describe('record hashes', () => {
  it('cannot be computed from the webhook secret: only the hash the reply gave opens the record', async () => {
    const { id, hash } = await appointment();
    expect((await open(id, hash)).status).toBe(200);
    // What the webhook secret's holder could compute before (the old scheme), or with the new one.
    const client = '79161234567'; // recordEvent's
    for (const guess of [
      legacyRecordHash(testSecret, id),
      deriveRecordHash(testSecret, id, client),
      deriveRecordHash(testEventsSecret, id, client),
      idOnlyRecordHash(testSecret, id),
    ]) {
      expect(guess).not.toBe(hash);
      expect((await open(id, guess)).status).toBe(404);
    }
    // The key that did mint it is the service's own internal key.
    expect(deriveRecordHash(testInternalKey, id, client)).toBe(hash);
  });

  it('minted before the internal key keep opening, and a re-delivery gives the sender that hash back', async () => {
    const id = ++nextId;
    // A record as an old deployment left it: its hash minted under the webhook secret, its digest stored.
    const old = legacyRecordHash(testSecret, id);
    expect((await push(recordEvent(id, { record_hash: old, last_change_date: '2026-11-20T10:00:00+03:00' }))).applied).toBe(true);
    const again = await pushWebhook(recordEvent(id, { last_change_date: '2026-11-21T10:00:00+03:00', comment: 'moved' }));
    expect(again.status).toBe(200);
    expect(again.body.data).toMatchObject({ applied: true, record_hash: old });
    expect((await open(id, old)).status).toBe(200);
    expect((await open(id, deriveRecordHash(testInternalKey, id, '79161234567'))).status).toBe(404);
  });

  it('are signed into no webhook: an inbound delivery signed with the old hash key is refused', async () => {
    const body = JSON.stringify(recordEvent(++nextId));
    expect(
      (
        await request('POST', '/v1/webhooks/altegio', {
          rawBody: body,
          headers: { 'content-type': 'application/json', 'x-cabinet-signature': sign(testInternalKey, body) },
        })
      ).status,
    ).toBe(401);
  });
});

/** The record's item as the previous version left it: the digest of a hash minted from the id alone, no binding. */
async function asStoredBeforeBinding(id: number): Promise<string> {
  const stored = idOnlyRecordHash(testInternalKey, id);
  await db.send(
    new UpdateCommand({
      TableName: tableName,
      Key: keys.entity('record', id),
      UpdateExpression: 'SET record_hash_digest = :h REMOVE hash_client',
      ExpressionAttributeValues: { ':h': recordHashDigest(stored) },
    }),
  );
  return stored;
}

describe('a record given to another client', () => {
  const cancel = (id: number, hash: string) => request('DELETE', `/v1/user/records/${id}/${hash}`, { headers: partner });
  const client = (phone: string) => ({ client: { id: 9001, name: 'Client', phone } });

  it('gets a new link: the old one answers 404 and cancels nothing, the webhook answers with the new hash', async () => {
    const id = ++nextId;
    const first = await push(recordEvent(id, { ...client('+79162222222'), last_change_date: '2026-11-20T10:00:00+03:00' }));
    const moved = await push(recordEvent(id, { ...client('+79161111111'), last_change_date: '2026-11-21T10:00:00+03:00' }));
    expect(moved.applied).toBe(true);
    expect(moved.record_hash).toMatch(/^[0-9a-f]{32}$/);
    expect(moved.record_hash).not.toBe(first.record_hash);
    expect((await open(id, first.record_hash!)).status).toBe(404);
    expect((await cancel(id, first.record_hash!)).status).toBe(404);
    const now = await open(id, moved.record_hash!);
    expect(now.status).toBe(200);
    expect(now.body.data[0].deleted).toBe(false);
    // A late delivery of the old client's state changes nothing and hands the old client no link.
    const late = await push(recordEvent(id, { ...client('+79162222222'), last_change_date: '2026-11-20T12:00:00+03:00' }));
    expect(late).toEqual({ resource: 'record', resource_id: id, applied: false });
    expect((await open(id, first.record_hash!)).status).toBe(404);
  });

  it('keeps its link while its client stays, however the record changes and however often it is delivered', async () => {
    const id = ++nextId;
    const { record_hash: hash } = await push(recordEvent(id, { ...client('+79163333333'), last_change_date: '2026-11-20T10:00:00+03:00' }));
    for (const [changed, comment] of [
      ['2026-11-21T10:00:00+03:00', 'moved'],
      ['2026-11-22T10:00:00+03:00', 'again'],
    ] as const) {
      expect(await push(recordEvent(id, { ...client('+7 916 333-33-33'), comment, last_change_date: changed }))).toMatchObject({
        applied: true,
        record_hash: hash,
      });
    }
    expect((await open(id, hash!)).status).toBe(200);
  });

  it('keeps a link stored before links were bound to clients while the client stays, and ends it when the client changes', async () => {
    const id = ++nextId;
    await push(recordEvent(id, { ...client('+79164444444'), last_change_date: '2026-11-20T10:00:00+03:00' }));
    const stored = await asStoredBeforeBinding(id);
    expect((await open(id, stored)).status).toBe(200);
    // Re-delivered for the same client: the sender gets that link back, and it keeps opening.
    const again = await push(
      recordEvent(id, { ...client('+79164444444'), comment: 'later', last_change_date: '2026-11-21T10:00:00+03:00' }),
    );
    expect(again).toMatchObject({ applied: true, record_hash: stored });
    expect((await open(id, stored)).status).toBe(200);
    // Given to another client: a new link, and the stored one is over.
    const moved = await push(recordEvent(id, { ...client('+79165555555'), last_change_date: '2026-11-22T10:00:00+03:00' }));
    expect(moved.record_hash).toBe(deriveRecordHash(testInternalKey, id, '79165555555'));
    expect((await open(id, stored)).status).toBe(404);
    expect((await open(id, moved.record_hash!)).status).toBe(200);
  });

  it('ends a link stored before the upgrade when the first write after it gives the record to another client', async () => {
    const id = ++nextId;
    await push(recordEvent(id, { ...client('+79166666666'), last_change_date: '2026-11-20T10:00:00+03:00' }));
    const stored = await asStoredBeforeBinding(id);
    const moved = await push(recordEvent(id, { ...client('+79167777777'), last_change_date: '2026-11-21T10:00:00+03:00' }));
    expect(moved.record_hash).toBe(deriveRecordHash(testInternalKey, id, '79167777777'));
    expect((await cancel(id, stored)).status).toBe(404);
    expect((await open(id, moved.record_hash!)).body.data[0].deleted).toBe(false);
  });

  it("ends with the link of the newest delivery's client when deliveries naming different clients race", async () => {
    const id = ++nextId;
    await push(recordEvent(id, { ...client('+79160000000'), last_change_date: '2026-11-20T10:00:00+03:00' }));
    const phones = Array.from({ length: 8 }, (_, i) => `+7916000000${i + 1}`);
    const replies = await Promise.all(
      phones.map((phone, i) => push(recordEvent(id, { ...client(phone), last_change_date: `2026-11-21T10:0${i}:00+03:00` }))),
    );
    const newest = deriveRecordHash(testInternalKey, id, phones.at(-1)!.replace(/\D/g, ''));
    expect(replies.at(-1)).toMatchObject({ applied: expect.any(Boolean) });
    for (const [i, phone] of phones.entries()) {
      const hash = deriveRecordHash(testInternalKey, id, phone.replace(/\D/g, ''));
      expect((await open(id, hash)).status).toBe(i === phones.length - 1 ? 200 : 404);
    }
    expect(await push(recordEvent(id, { ...client(phones.at(-1)!), last_change_date: '2026-11-21T10:07:00+03:00' }))).toMatchObject({
      applied: false,
      record_hash: newest,
    });
  });

  it('gets the link of its client back when it returns to that client', async () => {
    const id = ++nextId;
    const first = await push(recordEvent(id, { ...client('+79168888888'), last_change_date: '2026-11-20T10:00:00+03:00' }));
    await push(recordEvent(id, { ...client('+79169999999'), last_change_date: '2026-11-21T10:00:00+03:00' }));
    const back = await push(recordEvent(id, { ...client('+79168888888'), last_change_date: '2026-11-22T10:00:00+03:00' }));
    expect(back.record_hash).toBe(first.record_hash);
    expect((await open(id, first.record_hash!)).status).toBe(200);
  });
});
