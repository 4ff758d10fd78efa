// One key per purpose (issue 13, finding 1), through the HTTP API: the inbound webhook secret only
// authenticates webhooks; events are signed in the Standard Webhooks format with the events secret
// (a subscriber's own where it has one) and verified here with the `standardwebhooks` library, as a
// consumer would; record hashes come from the internal key, which no client holds. Real handlers
// on DynamoDB Local, the table's real stream relayed to the real delivery handler, real HTTP
// subscribers on 127.0.0.1.
import { jest } from '@jest/globals';
import { standardHeaders, verifyEvent } from '../helpers/events.js';
import { startSubscriber } from '../helpers/subscriber.js';
import { testEventsSecret, testInternalKey, testPartnerToken, testSecret, useFreshTable } from '../helpers/table.js';
import { stopClock } from '../helpers/clock.js';

const [shared, own] = await Promise.all([startSubscriber(), startSubscriber()]);
const ownSecret = `whsec_${Buffer.from('another-subscriber-own-key-0123456789').toString('base64')}`;
Object.assign(process.env, {
  CABINET_EVENTS_URL: `${shared.url},${own.url}`,
  CABINET_EVENTS_SECRET: `${testEventsSecret},${own.url}=${ownSecret}`,
  // Migration: records minted before the internal key get their hash back (docs/operations.md).
  CABINET_LEGACY_HASH_SECRET: testSecret,
  CABINET_EVENTS_RETRY_BASE_S: '30',
});
await useFreshTable();
const { request } = await import('../helpers/api.js');
const { companyEvent, recordEvent, signedHeaders } = await import('../helpers/altegio.js');
const { push, pushWebhook } = await import('../helpers/webhook.js');
const { clock } = await import('../../lib/clock.js');
const { config } = await import('../../lib/config.js');
const { dynamo } = await import('../../lib/db/client.js');
const { deriveRecordHash, legacyRecordHash } = await import('../../lib/domain/record-hash.js');
const { sign } = await import('../../lib/domain/signature.js');
const { StreamRelay } = await import('../../scripts/event-relay.js');
const deliver = await import('../../functions/deliver-events.js');
const retry = await import('../../functions/retry-events.js');

const relay = new StreamRelay(dynamo, config, deliver.handler);
afterAll(async () => {
  relay.close();
  await Promise.all([shared.close(), own.close()]);
});

const time = stopClock('2026-11-24T09:00:00Z');

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
      const replay = await request('POST', '/v1/webhooks/altegio', { rawBody: captured.raw, headers: { 'content-type': 'application/json', ...standardHeaders(captured) } });
      expect(replay.status).toBe(401);
      expect(replay.text).not.toMatch(/record_hash/);
      // Its signature moved into the inbound header.
      const moved = await request('POST', '/v1/webhooks/altegio', { rawBody: captured.raw, headers: { 'content-type': 'application/json', 'x-cabinet-signature': String(captured.headers['webhook-signature']) } });
      expect(moved.status).toBe(401);
    }
  });

  it('gives its subscriber nothing that signs an inbound webhook: the events secret is not the webhook secret', async () => {
    const body = JSON.stringify(recordEvent(++nextId));
    for (const secret of [testEventsSecret, ownSecret]) {
      expect((await request('POST', '/v1/webhooks/altegio', { rawBody: body, headers: signedHeaders(body, secret) })).status).toBe(401);
      expect((await request('POST', `/v1/webhooks/altegio?secret=${encodeURIComponent(secret)}`, { rawBody: body, headers: { 'content-type': 'application/json' } })).status).toBe(401);
    }
    // The platform's own secret still works.
    expect((await request('POST', '/v1/webhooks/altegio', { rawBody: body, headers: signedHeaders(body, testSecret) })).status).toBe(200);
  });
});

describe('outbound events', () => {
  it('verify with standardwebhooks and each subscriber\'s secret, and with no other', async () => {
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
    expect(() => verifyEvent(as(event.raw, { ...headers, 'webhook-timestamp': String(Number(headers['webhook-timestamp']) - 1) }))).toThrow(/No matching signature/);
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
    for (const guess of [legacyRecordHash(testSecret, id), deriveRecordHash(testSecret, id), deriveRecordHash(testEventsSecret, id)]) {
      expect(guess).not.toBe(hash);
      expect((await open(id, guess)).status).toBe(404);
    }
    // The key that did mint it is the service's own internal key.
    expect(deriveRecordHash(testInternalKey, id)).toBe(hash);
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
    expect((await open(id, deriveRecordHash(testInternalKey, id))).status).toBe(404);
  });

  it('are signed into no webhook: an inbound delivery signed with the old hash key is refused', async () => {
    const body = JSON.stringify(recordEvent(++nextId));
    expect((await request('POST', '/v1/webhooks/altegio', { rawBody: body, headers: { 'content-type': 'application/json', 'x-cabinet-signature': sign(testInternalKey, body) } })).status).toBe(401);
  });
});
