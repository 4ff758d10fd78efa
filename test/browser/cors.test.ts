// A salon's web app on its own origin, in a real browser (docs/contract.md section 11): Debian's
// Chromium, headless, driven by playwright-core, opens a page from one local origin and `fetch`es
// cabinet, served from another (a real HTTP server on 127.0.0.1 in front of the real handlers, as
// API Gateway cannot run here), with `Authorization`: the browser sends its preflight, which the
// catch-all function answers as `$default` does on AWS, then the requests, and lets the page read
// the answers. A page from an origin left out of CABINET_CORS_ORIGINS is refused by the browser.
// Needs /usr/bin/chromium (apt-get install chromium).
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser } from 'playwright-core';
import { startSmsGateway } from '../helpers/sms-gateway.js';
import { testPartnerToken } from '../helpers/table.js';
import { given } from '../helpers/fixture.js';
import { startApiServer } from '../helpers/http-server.js';
import { companyEvent } from '../helpers/altegio.js';
import { push } from '../helpers/webhook.js';

const executablePath = '/usr/bin/chromium';
if (!existsSync(executablePath))
  throw new Error(`The CORS test needs Debian's Chromium at ${executablePath}: apt-get install chromium (.ci/run installs it).`);

// Two web apps' origins: the same host on two ports is two origins to a browser.
async function pageServer(): Promise<{ server: Server; origin: string }> {
  const server = createServer((_req, res) =>
    res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>salon app</title>'),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}
const allowed = await pageServer();
const stranger = await pageServer();

const gateway = await startSmsGateway();
await given({
  env: {
    CABINET_SMS_URL: gateway.url,
    CABINET_CORS_ORIGINS: `https://salon.example, ${allowed.origin}`,
  },
});

let api: Awaited<ReturnType<typeof startApiServer>>;
let browser: Browser;

beforeAll(async () => {
  api = await startApiServer();
  await push(companyEvent());
  browser = await chromium.launch({
    executablePath,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await api?.close();
  await gateway.close();
  for (const { server } of [allowed, stranger]) await new Promise((resolve) => server.close(resolve));
});

// The page reading the status and body is the proof: a browser lets it only when Allow-Origin matches.
type Answer = { status: number; body: any } | { refused: string };

// Runs in the page: a fetch as a web app makes it, with the partner (and user) token in Authorization.
async function call(origin: string, url: string, init: { method: string; authorization: string; body?: unknown }): Promise<Answer> {
  const page = await browser.newPage();
  try {
    await page.goto(origin);
    return await page.evaluate(
      async ({ url, init }) => {
        try {
          const response = await fetch(url, {
            method: init.method,
            headers: {
              authorization: init.authorization,
              accept: 'application/json',
              ...(init.body ? { 'content-type': 'application/json' } : {}),
            },
            ...(init.body ? { body: JSON.stringify(init.body) } : {}),
          });
          return { status: response.status, body: await response.json() };
        } catch (error) {
          return { refused: String(error) };
        }
      },
      { url, init },
    );
  } finally {
    await page.close();
  }
}

describe('cabinet called from a web app in Chromium', () => {
  it("lets a page of an allowed origin send a code, log in and list the user's appointments, reading every answer", async () => {
    const phone = '79161234501';
    const partner = `Bearer ${testPartnerToken}`;
    const sent = await call(allowed.origin, `${api.url}/v1/book_code/4564`, { method: 'POST', authorization: partner, body: { phone } });
    expect(sent).toMatchObject({ status: 201, body: { success: true } });
    const login = await call(allowed.origin, `${api.url}/api/v1/user/auth`, {
      method: 'POST',
      authorization: partner,
      body: { phone, code: gateway.lastCode(phone) },
    });
    expect(login).toMatchObject({ status: 201, body: { success: true, data: { phone } } });
    const token = (login as { body: { data: { user_token: string } } }).body.data.user_token;
    const list = await call(allowed.origin, `${api.url}/v1/user/records`, { method: 'GET', authorization: `${partner}, User ${token}` });
    expect(list).toMatchObject({ status: 200, body: { success: true, data: [] } });
  }, 60_000);

  it('lets the page read an error answer too (401 without a valid token)', async () => {
    const denied = await call(allowed.origin, `${api.url}/v1/user/records`, { method: 'GET', authorization: 'Bearer not-a-partner-token' });
    expect(denied).toMatchObject({ status: 401, body: { success: false } });
  }, 30_000);

  it('refuses a page of an origin left out of CABINET_CORS_ORIGINS: the browser blocks the call', async () => {
    const before = gateway.received.length;
    const refused = await call(stranger.origin, `${api.url}/v1/book_code/4564`, {
      method: 'POST',
      authorization: `Bearer ${testPartnerToken}`,
      body: { phone: '79161234502' },
    });
    expect(refused).toEqual({ refused: expect.stringContaining('Failed to fetch') });
    // The preflight failed, so the request itself was never sent: no SMS.
    expect(gateway.received.length).toBe(before);
  }, 30_000);
});
