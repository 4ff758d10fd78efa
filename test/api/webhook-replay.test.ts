// Replayed webhook deliveries (docs/contract.md section 6): a
// delivery signed in the Standard Webhooks format is applied once per `webhook-id` and only within
// 5 minutes of its timestamp, so a captured one cannot roll data back. The body-only signature
// stays accepted (this deployment does not set CABINET_WEBHOOK_SIGNATURES) and is replayable, as
// documented. Real handler, DynamoDB Local, deliveries signed by the `standardwebhooks` library.
import { randomUUID } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { testSecret } from '../helpers/table.js';
import { given } from '../helpers/fixture.js';
import { request } from '../helpers/api.js';
import { companyEvent, signedHeaders } from '../helpers/altegio.js';
import { getEntity } from '../../lib/db/entities.js';

const { time: serviceClock } = await given({
  clock: { stoppedAt: Date.parse('2026-11-24T09:00:00Z') },
});

// The key is the webhook secret's UTF-8 bytes (`raw`), not the base64 of a `whsec_` secret.
const signer = new Webhook(testSecret, { format: 'raw' });

interface Delivery {
  raw: string;
  headers: Record<string, string>;
}

function signed(event: unknown, at = serviceClock.now(), id = `msg_${randomUUID()}`): Delivery {
  const raw = JSON.stringify(event);
  const timestamp = new Date(at);
  return {
    raw,
    headers: {
      'content-type': 'application/json',
      'webhook-id': id,
      'webhook-timestamp': String(Math.floor(at / 1000)),
      'webhook-signature': signer.sign(id, timestamp, raw),
    },
  };
}

const post = ({ raw, headers }: Delivery) => request('POST', '/v1/webhooks/altegio', { rawBody: raw, headers });
const location = (id: number, allow: boolean) => ({ ...companyEvent({ id, allow_delete_record: allow }), company_id: id, resource_id: id });
const allowsCancel = async (id: number) =>
  (await getEntity<import('../../lib/domain/entities.js').CompanyDoc>('company', id))?.doc.allow_delete_record;

describe('a timestamped (Standard Webhooks) delivery', () => {
  it('replayed after a newer update changes nothing: 200, applied false, the newer state stays', async () => {
    const first = signed(location(2, true));
    expect((await post(first)).body.data).toMatchObject({ resource: 'company', resource_id: 2, applied: true });
    serviceClock.advance(30_000);
    expect((await post(signed(location(2, false)))).body.data.applied).toBe(true);
    serviceClock.advance(30_000);
    const replay = await post(first);
    expect(replay.status).toBe(200);
    expect(replay.body.data).toEqual({ resource: 'company', resource_id: 2, applied: false });
    expect(await allowsCancel(2)).toBe(false);
  });

  it('is applied once when the same delivery arrives 10 times at once', async () => {
    const delivery = signed(location(3, true));
    const answers = await Promise.all(Array.from({ length: 10 }, () => post(delivery)));
    expect(answers.map((a) => a.status)).toEqual(Array(10).fill(200));
    expect(answers.filter((a) => a.body.data.applied).length).toBe(1);
  });

  it('older than 5 minutes, or more than 5 minutes ahead, is refused with 401 and nothing stored', async () => {
    for (const at of [serviceClock.now() - 301_000, serviceClock.now() + 301_000]) {
      const answer = await post(signed(location(4, true), at));
      expect(answer.status).toBe(401);
    }
    expect(await allowsCancel(4)).toBeUndefined();
    expect((await post(signed(location(4, true), serviceClock.now() - 299_000))).status).toBe(200);
  });

  it('is refused with 401 when its body, id or timestamp was changed under the signature', async () => {
    const delivery = signed(location(5, true));
    const tampered = [
      { ...delivery, raw: delivery.raw.replace('"allow_delete_record":true', '"allow_delete_record":false') },
      { ...delivery, headers: { ...delivery.headers, 'webhook-id': 'msg_other' } },
      { ...delivery, headers: { ...delivery.headers, 'webhook-timestamp': String(Number(delivery.headers['webhook-timestamp']) + 1) } },
      {
        ...delivery,
        headers: {
          ...delivery.headers,
          'webhook-signature': new Webhook('another-secret-0123456789', { format: 'raw' }).sign(
            delivery.headers['webhook-id']!,
            new Date(serviceClock.now()),
            delivery.raw,
          ),
        },
      },
      { ...delivery, headers: { ...delivery.headers, 'webhook-id': '' } },
    ];
    for (const attempt of tampered) expect((await post(attempt)).status).toBe(401);
    expect(await allowsCancel(5)).toBeUndefined();
    expect((await post(delivery)).body.data.applied).toBe(true);
  });
});

describe('the body-only X-Cabinet-Signature', () => {
  it('stays accepted for existing senders, and can be replayed (documented): prefer the timestamped format', async () => {
    const raw = JSON.stringify(location(7, true));
    const headers = signedHeaders(raw);
    expect((await request('POST', '/v1/webhooks/altegio', { rawBody: raw, headers })).body.data.applied).toBe(true);
    serviceClock.advance(30_000);
    const update = JSON.stringify(location(7, false));
    expect((await request('POST', '/v1/webhooks/altegio', { rawBody: update, headers: signedHeaders(update) })).body.data.applied).toBe(
      true,
    );
    serviceClock.advance(30_000);
    expect((await request('POST', '/v1/webhooks/altegio', { rawBody: raw, headers })).body.data.applied).toBe(true);
    expect(await allowsCancel(7)).toBe(true);
  });
});
