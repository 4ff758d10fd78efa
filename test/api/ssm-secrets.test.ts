// Secrets on a deployed stage (CABINET_SECRETS_PATH set): read at run time from SSM Parameter
// Store as SecureStrings, decrypted, cached, never taken from the environment. AWS itself cannot
// run here, so SSM is the one thing stood in for: a real HTTP server on 127.0.0.1 that speaks SSM's
// JSON protocol, reached by the real SDK client through Powertools Parameters (the SDK honours
// AWS_ENDPOINT_URL_SSM). Everything else is the real handlers on DynamoDB Local.
import { jest } from '@jest/globals';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifyEvent } from '../helpers/events.js';
import { startSmsGateway } from '../helpers/sms-gateway.js';
import { startSubscriber } from '../helpers/subscriber.js';
import { testPartnerToken, testSecret } from '../helpers/table.js';
import { listenOnLoopback } from '../helpers/loopback.js';
import { given } from '../helpers/fixture.js';
import { request } from '../helpers/api.js';
import { captureErrors } from '../helpers/logs.js';
import { companyEvent, recordEvent, signedHeaders } from '../helpers/altegio.js';
import { config } from '../../lib/config.js';
import { dynamo } from '../../lib/db/client.js';
import { deriveRecordHash } from '../../lib/domain/record-hash.js';
import { forgetSecrets } from '../../lib/secret-store.js';
import { StreamRelay } from '../../scripts/event-relay.js';
import * as deliver from '../../functions/deliver-events.js';

interface SsmRequest {
  target: string;
  name: string;
  decrypt: boolean;
  signedWith: string;
}
const requests: SsmRequest[] = [];
const stored: Record<string, string> = {
  '/cabinet/test/webhook-secret': 'ssm-webhook-secret-0123456789',
  '/cabinet/test/internal-key': 'ssm-internal-key-0123456789abcdef',
  '/cabinet/test/events-secret': `whsec_${Buffer.from('ssm-events-secret-0123456789abcdef').toString('base64')}`,
};
let ssmDown = false;
const ssm = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req
    .on('data', (c: Buffer) => chunks.push(c))
    .on('end', () => {
      const input = JSON.parse(Buffer.concat(chunks).toString() || '{}') as { Name: string; WithDecryption?: boolean };
      requests.push({
        target: String(req.headers['x-amz-target']),
        name: input.Name,
        decrypt: input.WithDecryption === true,
        signedWith: /Credential=(\w+)\//.exec(String(req.headers.authorization))?.[1] ?? '',
      });
      const reply = (status: number, body: unknown) =>
        res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' }).end(JSON.stringify(body));
      if (ssmDown) return reply(500, { __type: 'InternalServerError', message: 'down' });
      const value = stored[input.Name];
      if (value === undefined) return reply(400, { __type: 'ParameterNotFound', message: '' });
      reply(200, { Parameter: { Name: input.Name, Type: 'SecureString', Value: value, Version: 1 } });
    });
});
await listenOnLoopback(ssm);

const subscriber = await startSubscriber();
// The gateway's URL carries its key: on a deployed stage it is the SecureString sms-url. The
// environment names another gateway, which must never get a code.
const gateway = await startSmsGateway();
const wrongGateway = await startSmsGateway();
stored['/cabinet/test/sms-url'] = gateway.url;
// The environment also holds (other) secrets: with an SSM path they must be ignored.
await given({
  env: {
    CABINET_SMS_URL: wrongGateway.url,
    CABINET_SECRETS_PATH: '/cabinet/test/',
    AWS_ENDPOINT_URL_SSM: `http://127.0.0.1:${(ssm.address() as AddressInfo).port}`,
    AWS_ACCESS_KEY_ID: 'AKIDSSMSTANDIN000001',
    AWS_SECRET_ACCESS_KEY: 'stand-in',
    AWS_REGION: 'eu-west-1',
    CABINET_EVENTS_URL: subscriber.url,
  },
});

const relay = new StreamRelay(dynamo, config, deliver.handler);
afterAll(async () => {
  relay.close();
  await Promise.all([subscriber.close(), gateway.close(), wrongGateway.close(), new Promise((resolve) => ssm.close(resolve))]);
});

const webhook = (event: unknown, secret: string) => {
  const raw = JSON.stringify(event);
  return request('POST', '/v1/webhooks/altegio', { rawBody: raw, headers: signedHeaders(raw, secret) });
};
const asked = (name: string) => requests.filter((r) => r.name === `/cabinet/test/${name}`);

describe('secrets from SSM', () => {
  it('authenticate webhooks with the value in SSM, not the one in the environment', async () => {
    expect((await webhook(recordEvent(4001), stored['/cabinet/test/webhook-secret']!)).status).toBe(200);
    expect((await webhook(recordEvent(4002), testSecret)).status).toBe(401);
  });

  it("are read decrypted, signed with the function's credentials, and once per five minutes", async () => {
    for (let i = 0; i < 3; i++) await webhook(recordEvent(4010 + i), stored['/cabinet/test/webhook-secret']!);
    expect(asked('webhook-secret')).toHaveLength(1);
    expect(asked('internal-key')).toHaveLength(1);
    expect(requests.every((r) => r.target === 'AmazonSSM.GetParameter' && r.decrypt && r.signedWith === 'AKIDSSMSTANDIN000001')).toBe(true);
  });

  it('mint record hashes with the internal key in SSM; an absent optional one is asked for once, not each time', async () => {
    const reply = await webhook(recordEvent(4020), stored['/cabinet/test/webhook-secret']!);
    expect(reply.body.data.record_hash).toBe(deriveRecordHash(stored['/cabinet/test/internal-key']!, 4020, '79161234567'));
    // Re-deliveries of records whose stored hash is not ours look for the legacy secret: absent.
    for (const changed of ['2026-11-21T10:00:00+03:00', '2026-11-22T10:00:00+03:00']) {
      await webhook(
        recordEvent(4021, { record_hash: 'their-own-hash', last_change_date: changed }),
        stored['/cabinet/test/webhook-secret']!,
      );
    }
    expect(asked('legacy-hash-secret')).toHaveLength(1);
  });

  it('sign events with the events secret in SSM', async () => {
    expect(
      (
        await webhook(
          companyEvent({ allow_delete_record: true, allow_delete_record_delay_step: 0 }),
          stored['/cabinet/test/webhook-secret']!,
        )
      ).status,
    ).toBe(200);
    const { record_hash: hash } = (
      await webhook(recordEvent(4030, { datetime: '2030-01-01T12:00:00+03:00' }), stored['/cabinet/test/webhook-secret']!)
    ).body.data;
    expect(
      (await request('DELETE', `/v1/user/records/4030/${hash}`, { headers: { authorization: `Bearer ${testPartnerToken}` } })).status,
    ).toBe(200);
    await relay.pollOnce();
    const event = subscriber.deliveries.find((d) => d.body.resource_id === 4030);
    expect(verifyEvent(event!, stored['/cabinet/test/events-secret'])).toEqual(event!.body);
  });

  it('take a rotated value once the cache has aged, and refuse the old one', async () => {
    const old = stored['/cabinet/test/webhook-secret']!;
    stored['/cabinet/test/webhook-secret'] = 'ssm-webhook-secret-rotated-987654';
    expect((await webhook(recordEvent(4040), old)).status).toBe(200); // still cached
    const later = jest.spyOn(Date, 'now').mockReturnValue(Date.now() + 301_000);
    try {
      expect((await webhook(recordEvent(4041), old)).status).toBe(401);
      expect((await webhook(recordEvent(4042), stored['/cabinet/test/webhook-secret']!)).status).toBe(200);
    } finally {
      later.mockRestore();
    }
  });

  it('answer 503 (retry), not 500, when SSM cannot be reached, and the log names the parameter, not its value', async () => {
    forgetSecrets(); // a new container
    ssmDown = true;
    const logs = captureErrors();
    let status: number;
    try {
      const response = await webhook(recordEvent(4050), stored['/cabinet/test/webhook-secret']!);
      status = response.status;
      expect(response.headers['retry-after']).toBe('1');
    } finally {
      logs.restore();
      ssmDown = false;
    }
    expect(status).toBe(503);
    expect(logs.lines.join('\n')).toMatch(/secret unavailable.*\/cabinet\/test\/webhook-secret/);
    for (const value of Object.values(stored)) expect(logs.lines.join('\n')).not.toContain(value);
    expect((await webhook(recordEvent(4051), stored['/cabinet/test/webhook-secret']!)).status).toBe(200);
  });

  it('send SMS codes to the gateway URL in SSM (sms-url), not the one in the environment', async () => {
    expect((await webhook(companyEvent(), stored['/cabinet/test/webhook-secret']!)).status).toBe(200);
    const sent = await request('POST', '/v1/book_code/4564', {
      headers: { authorization: `Bearer ${testPartnerToken}` },
      body: { phone: '79161234599' },
      sourceIp: '203.0.113.91',
    });
    expect(sent.status).toBe(201);
    expect(gateway.received.map((m) => m.to)).toEqual(['79161234599']);
    expect(wrongGateway.received).toEqual([]);
    expect(asked('sms-url').every((r) => r.decrypt)).toBe(true);
  });
});
