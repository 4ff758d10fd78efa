// The SMS sender follows no redirect : a gateway URL that answers 3xx is a
// failed send (502, as any gateway failure), the request and its code never reach where the
// redirect points, and nothing is charged. Real HTTP servers on 127.0.0.1: one redirects, the
// other (its target, a working gateway) must receive nothing.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startSmsGateway } from '../helpers/sms-gateway.js';
import { testPartnerToken } from '../helpers/table.js';
import { listenOnLoopback } from '../helpers/loopback.js';
import { given } from '../helpers/fixture.js';
import { request } from '../helpers/api.js';
import { companyEvent } from '../helpers/altegio.js';
import { push } from '../helpers/webhook.js';
import { captureErrors, jsonLines } from '../helpers/logs.js';

const target = await startSmsGateway();
const statuses = [301, 302, 303, 307, 308];
let redirected = 0;
const redirector = createServer((req, res) => {
  const status = statuses[redirected++ % statuses.length]!;
  req.resume().on('end', () => res.writeHead(status, { location: target.url }).end());
});
await listenOnLoopback(redirector);
await given({
  env: {
    CABINET_SMS_URL: `http://127.0.0.1:${(redirector.address() as AddressInfo).port}/sms`,
  },
});

afterAll(() => Promise.all([target.close(), new Promise((resolve) => redirector.close(resolve))]));

const partner = { authorization: `Bearer ${testPartnerToken}` };

describe('an SMS gateway URL that redirects', () => {
  it('is a failed send for every 3xx: 502, the target receives nothing, nothing is charged', async () => {
    await push(companyEvent());
    const logs = captureErrors();
    const responses = [];
    try {
      // One phone and one IP throughout: had a cooldown been charged, the second request would be 429.
      for (let i = 0; i < statuses.length; i++) {
        responses.push(
          await request('POST', '/v1/book_code/4564', { headers: partner, body: { phone: '+79161110000' }, sourceIp: '198.51.100.7' }),
        );
      }
    } finally {
      logs.restore();
    }
    expect(redirected).toBe(statuses.length);
    for (const response of responses) {
      expect(response.status).toBe(502);
      expect(response.body).toEqual({
        success: false,
        data: null,
        meta: { message: 'The SMS could not be sent. Please try again later.' },
      });
    }
    expect(target.received).toHaveLength(0);
    const refused = jsonLines(logs.lines).filter((line) => line.message === 'sms gateway refused');
    expect(refused.map((line) => line.status)).toEqual(statuses);
  });
});
