// `npm start -- --demo` as a newcomer meets it: the whole walkthrough (SMS code, login,
// who am I, list, cancel, review) through the typed client (clients/typescript), the code and the
// review link taken from what the stack shows; its console (one line per request, nothing secret
// in them, no SDK warning, no metric lines); the local inbox page; a repeated `--demo` and
// `--demo --fresh`. The stack runs as a user runs it: without the SDK's warning switched off.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { jest } from '@jest/globals';
import { chromium } from 'playwright-core';
import { createCabinetClient, type Schemas } from '../../clients/typescript/index.js';
import { freePort } from '../../scripts/local-dynamodb.js';
import { baseEnv, startStack, type Stack } from '../helpers/stack.js';

jest.setTimeout(120_000);

jest.setTimeout(240_000);

const dataDir = mkdtempSync(join(tmpdir(), 'cabinet-demo-'));
let stack: Stack;
let env: Record<string, string | undefined>;
/** What the walkthrough learnt: the code, the review token, the user token. */
const seen: { code?: string; reviewToken?: string; userToken?: string } = {};

beforeAll(async () => {
  const { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: _, ...asUserRunsIt } = baseEnv(dataDir, {
    PORT: String(await freePort()),
    CABINET_DYNAMODB_PORT: String(await freePort()),
  });
  env = asUserRunsIt;
  stack = await startStack(env, ['--demo']);
});

afterAll(async () => {
  await stack?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

async function until<T>(find: () => T | undefined, what: string): Promise<T> {
  for (let i = 0; i < 100; i++) {
    const found = find();
    if (found !== undefined) return found;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`never saw ${what} in:\n${stack.output()}`);
}

it('walks the demo through the typed client: code, login, who am I, list, move, cancel, review', async () => {
  const cabinet = createCabinetClient({ baseUrl: `${stack.base}/v1`, partnerToken: stack.partnerToken });
  await until(() => (/Demo loaded/.test(stack.output()) ? true : undefined), 'the demo loaded');

  const sent = await cabinet.POST('/book_code/{company_id}', {
    params: { path: { company_id: '1' } },
    body: { phone: '+79161234567', fullname: 'Ivan Demo' },
  });
  expect(sent.response.status).toBe(201);
  const code = (seen.code = await until(
    () => [...stack.output().matchAll(/^\[sms\] to \+79161234567 \(login\): (\d+)/gm)].pop()?.[1],
    'the [sms] line',
  ));

  const login = await cabinet.POST('/user/auth', { body: { phone: '79161234567', code } });
  expect(login.error).toBeUndefined();
  const user: Schemas['User'] = login.data!.data;
  expect(user).toMatchObject({ phone: '79161234567', name: 'Ivan Demo' });
  cabinet.setUserToken((seen.userToken = user.user_token));

  const me = await cabinet.GET('/booking/user/data');
  expect(me.data?.data.phone).toBe('79161234567');

  const list = await cabinet.GET('/user/records');
  const records = list.data!.data;
  expect(records.map((r) => r.id).sort()).toEqual([101, 102]);
  const upcoming = records.find((r) => r.id === 101)!;
  expect(upcoming).toMatchObject({ deleted: false, company: { title: 'Demo Barbershop' }, staff: { name: 'Anna Petrova' } });

  // Step 5: the free times of its day (its own hour among them), the move, and the booking opened again.
  const day = upcoming.date.slice(0, 10);
  const free = await cabinet.GET('/book_times/{company_id}/{staff_id}/{date}', {
    params: { path: { company_id: '1', staff_id: '21', date: day }, query: { record_id: '101' } },
  });
  expect(free.data!.data.map((t) => t.time)).toEqual(expect.arrayContaining(['14:00', '16:00']));
  const moved = await cabinet.PUT('/book_record/{company_id}/{record_id}', {
    params: { path: { company_id: '1', record_id: '101' } },
    body: { datetime: `${day} 16:00:00` },
  });
  expect(moved.data?.data).toMatchObject({ id: 101, date: `${day} 16:00:00` });
  const opened = await cabinet.GET('/book_record/{company_id}/{record_id}', { params: { path: { company_id: '1', record_id: '101' } } });
  expect(opened.data?.data).toMatchObject({ id: 101, datetime: `${day}T16:00:00+03:00`, can_reschedule: true });

  const cancelled = await cabinet.DELETE('/user/records/{record_id}', { params: { path: { record_id: '101' } } });
  expect(cancelled.response.status).toBe(200);
  const after = await cabinet.GET('/user/records/{record_id}', { params: { path: { record_id: '101' } } });
  expect(after.data?.data[0]).toMatchObject({ id: 101, deleted: true, can_cancel: false });

  const token = (seen.reviewToken = await until(
    () => stack.output().match(/^\[event\] review_request[^\n]*"record_token":"([\w-]+)"/m)?.[1],
    'the review_request event',
  ));
  const form = await cabinet.GET('/master_record_review/{record_token}', { params: { path: { record_token: token } } });
  expect(form.error).toBeUndefined();
  const review = await cabinet.POST('/master_record_review/{record_token}', {
    params: { path: { record_token: token } },
    body: { rating: 5, text: 'Great' },
  });
  expect(review.error).toBeUndefined();
  expect(review.data?.data).toMatchObject({ is_review_submitted: true, master: { id: 21 } });
});

it('types the errors too: a wrong token is a 401 in the envelope', async () => {
  const stranger = createCabinetClient({ baseUrl: `${stack.base}/v1`, partnerToken: 'not-a-partner' });
  const answer = await stranger.GET('/booking/user/data');
  expect(answer.response.status).toBe(401);
  expect(answer.error).toMatchObject({ success: false, data: null });
});

describe('the local inbox', () => {
  it('lists the login code and the review link on a page', async () => {
    const page = await fetch(`${stack.base}/_local/inbox`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await page.text();
    expect(html).toContain(`<code>${seen.code}</code>`);
    expect(html).toContain(`${stack.base}/v1/master_record_review/${seen.reviewToken}`);
    const listed = (await (await fetch(`${stack.base}/_local/inbox.json`)).json()) as {
      sms: Array<{ to: string; code: string }>;
      events: Array<{ resource: string }>;
    };
    expect(listed.sms[0]).toMatchObject({ to: '+79161234567', code: seen.code });
    expect(listed.events.map((e) => e.resource)).toEqual(expect.arrayContaining(['review_request', 'record']));
    // The events' links to the customer's pages, to open from here.
    expect(html).toContain(`review page: <a href="${stack.base}/review/${seen.reviewToken}"`);
    expect(html).toMatch(new RegExp(`appointment page: <a href="${stack.base}/r/101/[0-9a-f]{32}"`));
  });

  it("prints the pages' links in the walkthrough, and they open in a browser on the local stack", async () => {
    const printed = stack.output();
    expect(printed).toContain('open this link in your browser');
    const appointment = new RegExp(`^#    (${stack.base}/r/101/[0-9a-f]{32})$`, 'm').exec(printed)?.[1];
    expect(appointment).toBeDefined();
    const page = await fetch(appointment!);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toMatch(/default-src 'none'/);
    expect(await page.text()).toContain('Demo Barbershop');
    expect((await fetch(`${stack.base}/review/${seen.reviewToken}`)).status).toBe(200);
    expect((await fetch(`${stack.base}/r/101/${'0'.repeat(32)}`)).status).toBe(404);
  });

  it('shows them in Chromium, the code copied with its button', async () => {
    if (!existsSync('/usr/bin/chromium'))
      throw new Error("The inbox test needs Debian's Chromium at /usr/bin/chromium: apt-get install chromium (.ci/run installs it).");
    const browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
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
    try {
      const context = await browser.newContext({ permissions: ['clipboard-read', 'clipboard-write'] });
      const page = await context.newPage();
      const problems: string[] = [];
      page.on('pageerror', (e) => problems.push(e.message));
      page.on('console', (m) => {
        if (m.type() === 'error') problems.push(m.text());
      });
      await page.goto(`${stack.base}/_local/inbox`);
      const row = page.locator('#sms tbody tr').first();
      expect(await row.locator('td.code code').textContent()).toBe(seen.code);
      await row.locator('button[data-copy]').click();
      await page.locator('#sms tbody tr').first().locator('button', { hasText: 'copied' }).waitFor({ timeout: 5000 });
      expect(
        await page.evaluate(() =>
          (globalThis as unknown as { navigator: { clipboard: { readText: () => Promise<string> } } }).navigator.clipboard.readText(),
        ),
      ).toBe(seen.code);
      expect(await page.locator('#events .review code').first().textContent()).toBe(
        `${stack.base}/v1/master_record_review/${seen.reviewToken}`,
      );
      expect(problems).toEqual([]);
    } finally {
      await browser.close();
    }
  });

  it('answers only a browser on this machine, and only GET', async () => {
    const { request } = await import('node:http');
    const status = (headers: Record<string, string>, method = 'GET') =>
      new Promise<number>((resolve, reject) => {
        const url = new URL(`${stack.base}/_local/inbox`);
        request({ host: url.hostname, port: url.port, path: url.pathname, method, headers }, (r) => {
          r.resume();
          resolve(r.statusCode!);
        })
          .on('error', reject)
          .end();
      });
    expect(await status({ host: 'attacker.example' })).toBe(403);
    expect(await status({ host: `localhost:${new URL(stack.base).port}` })).toBe(200);
    expect(await status({}, 'POST')).toBe(404);
  });
});

describe('the console', () => {
  const requestLines = () =>
    stack
      .output()
      .split('\n')
      .filter((l) => /^\d\d:\d\d:\d\d (GET|POST|PUT|DELETE) /.test(l));

  it('shows one line per request: method, route, status, ms, outcome', () => {
    expect(requestLines()).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^\d\d:\d\d:\d\d POST +\/v1\/book_code\/\{company_id\} 201 \d+ms ok$/),
        expect.stringMatching(/^\d\d:\d\d:\d\d DELETE \/v1\/user\/records\/\{record_id\} 200 \d+ms ok$/),
        expect.stringMatching(/^\d\d:\d\d:\d\d GET +\/v1\/booking\/user\/data 401 \d+ms denied$/),
      ]),
    );
    expect(requestLines().filter((l) => l.includes('/v1/user/auth'))).toHaveLength(1);
  });

  it('puts no code, token or link hash in a request line', () => {
    const lines = requestLines().join('\n');
    for (const secret of [seen.code!, seen.reviewToken!, seen.userToken!, stack.partnerToken]) expect(lines).not.toContain(secret);
    expect(lines).toContain('/v1/master_record_review/{record_token}');
  });

  it('shows no SDK Node-version warning, no metric lines and no raw log JSON', () => {
    expect(stack.output()).not.toMatch(/NodeVersionSupportWarning|upgrade to node/);
    expect(stack.output()).not.toMatch(/"_aws"|CloudWatchMetrics/);
    expect(stack.output()).not.toMatch(/^\{"level"/m);
    expect(stack.output()).toMatch(/^\[sms\] to \+79161234567 \(login\): \d+ /m);
  });
});

describe('starting the demo again', () => {
  it('a repeated --demo reprints the same links, and they still work', async () => {
    await stack.stop();
    stack = await startStack(env, ['--demo']);
    await until(() => (/Demo loaded/.test(stack.output()) ? true : undefined), 'the demo loaded');
    expect(stack.output()).toContain(`${stack.base}/v1/master_record_review/${seen.reviewToken}`);
    const form = await fetch(`${stack.base}/v1/master_record_review/${seen.reviewToken}`, {
      headers: { authorization: `Bearer ${stack.partnerToken}` },
    });
    expect(form.status).toBe(200);
  });

  it('--demo --fresh starts the walkthrough over: the appointment not cancelled, a new review link', async () => {
    await stack.stop();
    const before = stack.partnerToken;
    stack = await startStack(env, ['--demo', '--fresh']);
    await until(() => (/Demo loaded/.test(stack.output()) ? true : undefined), 'the demo loaded');
    expect(stack.partnerToken).not.toBe(before);
    const link = stack.output().match(/curl -s (\S+\/v1\/user\/records\/101\/\w+) /)![1]!;
    const auth = { authorization: `Bearer ${stack.partnerToken}` };
    expect(((await (await fetch(link, { headers: auth })).json()) as { data: Array<{ deleted: boolean }> }).data[0]!.deleted).toBe(false);
    const token = stack.output().match(/curl -s \S+\/v1\/master_record_review\/([\w-]+) /)![1]!;
    expect(token).not.toBe(seen.reviewToken);
    expect((await fetch(`${stack.base}/v1/master_record_review/${token}`, { headers: auth })).status).toBe(200);
    expect((await fetch(`${stack.base}/v1/master_record_review/${seen.reviewToken}`, { headers: auth })).status).toBe(404);
  });
});
