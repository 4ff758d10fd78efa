// The customer's pages in a real browser: Debian's Chromium, headless, driven by playwright-core,
// in front of the real handlers (a real HTTP server on 127.0.0.1). Every page state, in both
// languages: axe-core finds no violation (WCAG 2.2 A and AA), nothing scrolls sideways at 360 px,
// every target is at least 24×24 CSS px, each answer is at most 50 KB over the wire, and nothing is
// loaded from anywhere. A keyboard alone cancels an appointment, and moves one; with JavaScript off,
// cancelling, moving and reviewing work as well. Needs /usr/bin/chromium (apt-get install chromium).
//
// With PAGES_SHOTS=<folder> (`npm run pages:shots`), it also writes a screenshot of each state at
// 360 px and 1280 px wide into that folder, for a person to look at.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { startSubscriber } from '../helpers/subscriber.js';
import { given } from '../helpers/fixture.js';
import { ownFormPost, request } from '../helpers/api.js';
import { startApiServer } from '../helpers/http-server.js';
import { partnerHeaders as partner } from '../helpers/sign-in.js';
import { companyEvent, recordEvent, serviceEvent, staffEvent } from '../helpers/altegio.js';
import { push } from '../helpers/webhook.js';
import { config } from '../../lib/config.js';
import { dynamo } from '../../lib/db/client.js';
import { StreamRelay } from '../../scripts/event-relay.js';
import * as deliver from '../../functions/deliver-events.js';

const executablePath = '/usr/bin/chromium';
if (!existsSync(executablePath)) {
  throw new Error(`The pages test needs Debian's Chromium at ${executablePath}: apt-get install chromium (.ci/run installs it).`);
}

const subscriber = await startSubscriber();
await given({ env: { CABINET_EVENTS_URL: subscriber.url }, clock: { stoppedAt: '2026-11-24T09:00:00Z' } });
type ApiServer = Awaited<ReturnType<typeof startApiServer>>;

const shots = process.env.PAGES_SHOTS;
const relay = new StreamRelay(dynamo, config, deliver.handler);

let server: ApiServer;
let browser: Browser;

let nextId = 990000;
async function appointment(extra: Record<string, unknown> = {}): Promise<string> {
  const id = ++nextId;
  const services = [
    { id: 331, title: 'Haircut', cost: 1800, discount: 0, amount: 1 },
    { id: 332, title: 'Beard trim and hot towel shave with a very long service title', cost: 900, discount: 0, amount: 1 },
  ];
  const data = await push(
    recordEvent(id, { services, staff: { id: 48, name: 'Anna Petrova' }, length: 5400, seance_length: 5400, ...extra }),
  );
  return `/r/${id}/${data.record_hash}`;
}

async function reviewToken(): Promise<string> {
  const id = ++nextId;
  const past = { datetime: '2026-11-20T14:00:00+03:00', date: '2026-11-20 14:00:00' };
  await push(recordEvent(id, { ...past, last_change_date: '2026-11-20T10:00:00+03:00' }));
  await push(recordEvent(id, { ...past, visit_attendance: 1, attendance: 1, last_change_date: '2026-11-20T16:00:00+03:00' }, 'update'));
  await relay.pollOnce();
  return subscriber.deliveries.find((d) => d.body.resource === 'review_request' && d.body.resource_id === id)!.body.data.record_token;
}

const formPost = (path: string, body: string) => request('POST', path, { headers: ownFormPost, rawBody: body });

/** Every state a page can be in: [name, how to reach it (a GET, or a form post made here)]. */
const states: Array<{ name: string; open: (page: Page) => Promise<unknown>; status?: number }> = [];

beforeAll(async () => {
  for (const event of [companyEvent(), staffEvent(48), serviceEvent(331, { title: 'Haircut' })]) await push(event);
  // Team member 48 works on these dates: the reschedule pages have free dates and times to offer.
  const days = ['2026-12-01', '2026-12-02', '2026-12-04'].map((date) => ({ date, is_working: 1, slots: [{ from: '10:00', to: '19:00' }] }));
  await push({ company_id: 4564, resource: 'schedule', resource_id: 48, status: 'update', data: { staff_id: 48, dates: days } });
  server = await startApiServer();
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
  const upcoming = await appointment();
  const tooLate = await appointment({ datetime: '2026-11-24T12:30:00+03:00', date: '2026-11-24 12:30:00' });
  const cancelled = await appointment();
  await formPost(`${cancelled}/cancel`, '');
  const visited = await appointment({
    datetime: '2026-11-20T14:00:00+03:00',
    date: '2026-11-20 14:00:00',
    visit_attendance: 1,
    attendance: 1,
  });
  await push({ ...companyEvent({ id: 4571, allow_delete_record: false }), company_id: 4571, resource_id: 4571 });
  const noOnlineId = ++nextId;
  const noOnline = (await push({ ...recordEvent(noOnlineId, { company_id: 4571 }), company_id: 4571 })).record_hash;
  const reviewed = await reviewToken();
  await formPost(`/review/${reviewed}`, 'rating=5');
  const fresh = await reviewToken();
  const later = await appointment({ datetime: '2026-12-02T16:00:00+03:00', date: '2026-12-02 16:00:00' });
  const go = (path: string) => (page: Page) => page.goto(`${server.url}${path}`);
  states.push(
    { name: 'appointment-upcoming', open: go(upcoming) },
    { name: 'appointment-too-late', open: go(tooLate) },
    { name: 'appointment-cancelled', open: go(cancelled) },
    { name: 'appointment-visited', open: go(visited) },
    { name: 'appointment-no-online-cancel', open: go(`/r/${noOnlineId}/${noOnline}`) },
    { name: 'cancel-confirm', open: go(`${upcoming}/cancel`) },
    {
      name: 'cancel-done',
      open: async (page) => {
        await go(`${await appointment()}/cancel`)(page);
        await page.getByRole('button').click();
      },
    },
    { name: 'cancel-refused', open: (page) => formPage(page, `${tooLate}/cancel`), status: 422 },
    { name: 'reschedule-dates', open: go(`${upcoming}/reschedule`) },
    { name: 'reschedule-times', open: go(`${upcoming}/reschedule?date=2026-12-02`) },
    {
      name: 'reschedule-done',
      open: async (page) => {
        await go(`${await appointment()}/reschedule?date=2026-12-04`)(page);
        await page.getByRole('radio').nth(2).check();
        await page.getByRole('button').click();
      },
    },
    {
      // Another appointment holds 1 December at 14:00: posting it is 433, and the times come again.
      name: 'reschedule-taken',
      open: (page) => formPage(page, `${later}/reschedule`, undefined, { datetime: '2026-12-01T14:00:00+03:00' }),
      status: 422,
    },
    { name: 'review-form', open: go(`/review/${fresh}`) },
    { name: 'review-already', open: go(`/review/${reviewed}`) },
    {
      name: 'review-thanks',
      open: async (page) => {
        const token = await reviewToken();
        await go(`/review/${token}`)(page);
        await page.getByRole('radio').nth(4).check();
        await page.getByRole('button').click();
      },
    },
    { name: 'not-found', open: go('/r/1/0000'), status: 404 },
    { name: 'not-found-deep', open: go('/r/abc/def/ghi'), status: 404 },
    { name: 'forbidden', open: (page) => formPage(page, `${upcoming}/cancel`, 'https://elsewhere.example'), status: 403 },
  );
}, 120_000);

/** Posts a form (with `fields`) to `path` from a page of this site (or, with `from`, a page claiming another origin). */
async function formPage(page: Page, path: string, from?: string, fields: Record<string, string> = {}) {
  const inputs = Object.entries(fields)
    .map(([name, value]) => `<input type="hidden" name="${name}" value="${value}">`)
    .join('');
  const form = `<form method="post" action="${server.url}${path}">${inputs}<button>go</button></form>`;
  if (from) {
    // A page of another site: Chromium sends Sec-Fetch-Site: cross-site with its post.
    await page.route(`${from}/`, (route) => route.fulfill({ contentType: 'text/html', body: form }));
    await page.goto(`${from}/`);
  } else {
    await page.goto(`${server.url}/r/0/none`);
    await page.setContent(form);
  }
  await Promise.all([page.waitForNavigation(), page.locator('button').click()]);
}

afterAll(async () => {
  relay.close();
  await browser?.close();
  await server?.close();
  await subscriber.close();
});

async function inContext<T>(
  options: Parameters<Browser['newContext']>[0],
  run: (page: Page, context: BrowserContext) => Promise<T>,
): Promise<T> {
  const context = await browser.newContext(options);
  try {
    return await run(await context.newPage(), context);
  } finally {
    await context.close();
  }
}

describe.each(['en', 'ru'])('every page state, in %s', (lang) => {
  it('has no axe violation, no sideways scroll at 360 px, targets of 24×24 px or more, at most 50 KB, nothing from elsewhere', async () => {
    const problems: string[] = [];
    const weights: string[] = [];
    for (const state of states) {
      await inContext(
        { viewport: { width: 360, height: 740 }, locale: lang === 'ru' ? 'ru-RU' : 'en-GB', extraHTTPHeaders: { 'accept-language': lang } },
        async (page) => {
          const sizes: number[] = [];
          const elsewhere: string[] = [];
          page.on('request', (r) => {
            if (!r.url().startsWith(server.url) && !r.url().startsWith('https://elsewhere.example')) elsewhere.push(r.url());
          });
          page.on('response', async (r) => {
            if (r.url().startsWith(server.url))
              sizes.push(
                (await r.body().catch(() => Buffer.alloc(0))).length +
                  (await r.headersArray()).reduce((n, h) => n + h.name.length + h.value.length + 4, 0),
              );
          });
          const documents: number[] = [];
          page.on('response', (r) => {
            if (r.request().isNavigationRequest() && r.url().startsWith(server.url)) documents.push(r.status());
          });
          await state.open(page);
          if (documents.at(-1) !== (state.status ?? 200))
            problems.push(`${state.name}: answered ${documents.at(-1)}, not ${state.status ?? 200}`);
          if ((await page.locator('html').getAttribute('lang')) !== lang) problems.push(`${state.name}: not in ${lang}`);
          const axe = await new AxeBuilder({ page })
            .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'])
            .analyze();
          for (const v of axe.violations) problems.push(`${state.name}: ${v.id} ${v.nodes.map((n) => String(n.target)).join(', ')}`);
          const sideways = await page.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth');
          if (sideways > 0) problems.push(`${state.name}: scrolls sideways by ${sideways}px at 360px`);
          const small = await page.evaluate<string[]>(`[...document.querySelectorAll('a, button, input, textarea, select')]
          .map((el) => ({ el: el.outerHTML.slice(0, 60), box: el.getBoundingClientRect() }))
          .filter(({ box }) => box.width > 0 && (box.width < 24 || box.height < 24))
          .map(({ el, box }) => el + ' ' + Math.round(box.width) + 'x' + Math.round(box.height))`);
          for (const s of small) problems.push(`${state.name}: small target ${s}`);
          for (const size of sizes) if (size > 50 * 1024) problems.push(`${state.name}: ${size} bytes over the wire`);
          if (shots) weights.push(`${state.name} ${lang}: ${sizes.at(-1)} bytes`);
          if (elsewhere.length) problems.push(`${state.name}: loaded ${elsewhere.join(', ')}`);
          if (shots) {
            mkdirSync(shots, { recursive: true });
            await page.screenshot({ path: join(shots, `${state.name}-${lang}-360.png`), fullPage: true });
            await page.setViewportSize({ width: 1280, height: 800 });
            await page.screenshot({ path: join(shots, `${state.name}-${lang}-1280.png`), fullPage: true });
          }
        },
      );
    }
    if (shots) writeFileSync(join(shots, `sizes-${lang}.txt`), `${weights.join('\n')}\n`);
    expect(problems).toEqual([]);
  });
});

it("runs axe under the pages' own policy: a fault put into a page is found", async () => {
  await inContext({}, async (page) => {
    await page.goto(`${server.url}/r/1/0000`);
    await page.evaluate('document.querySelector("main").insertAdjacentHTML("beforeend", "<img src=\\"data:,\\"><a href=\\"#\\"></a>")');
    const found = (await new AxeBuilder({ page }).withTags(['wcag2a']).analyze()).violations.map((v) => v.id);
    expect(found).toEqual(expect.arrayContaining(['image-alt', 'link-name']));
  });
});

/** Presses Tab until the focused element reads `name`. */
const tabber = (page: Page) => async (name: string | RegExp) => {
  for (let i = 0; i < 60; i++) {
    await page.keyboard.press('Tab');
    const text = (await page.evaluate<string | undefined>('document.activeElement?.textContent?.trim()')) ?? '';
    if (typeof name === 'string' ? text === name : name.test(text)) return;
  }
  throw new Error(`Tab never reached "${name}"`);
};

describe('without a mouse or JavaScript', () => {
  it('cancels with the keyboard alone: Tab to the cancel link, Enter, Tab to the confirmation, Enter', async () => {
    const path = await appointment();
    await inContext({ viewport: { width: 360, height: 740 } }, async (page) => {
      await page.goto(`${server.url}${path}`);
      const tabTo = tabber(page);
      await tabTo('Cancel the appointment');
      await Promise.all([page.waitForURL(/\/cancel\?lang=en$/), page.keyboard.press('Enter')]);
      await tabTo('Yes, cancel it');
      await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
      expect(await page.locator('h1').textContent()).toBe('Your appointment is cancelled');
    });
    const [, , id, hash] = path.split('/');
    const view = await request('GET', `/v1/user/records/${id}/${hash}`, { headers: partner });
    expect(view.body.data[0].deleted).toBe(true);
  });

  it('reschedules with the keyboard alone: Tab to the link, Enter, a date, Enter, a time (Space), Tab to the button, Enter', async () => {
    const path = await appointment();
    let chosen = '';
    await inContext({ viewport: { width: 360, height: 740 } }, async (page) => {
      await page.goto(`${server.url}${path}`);
      const tabTo = tabber(page);
      await tabTo('Move to another time');
      await Promise.all([page.waitForURL(/\/reschedule\?lang=en$/), page.keyboard.press('Enter')]);
      await tabTo(/^Wed 2 Dec$/);
      await Promise.all([page.waitForURL(/\/reschedule\?date=2026-12-02&lang=en$/), page.keyboard.press('Enter')]);
      // Tab enters the group of times on its first; an arrow key moves to (and checks) the next one.
      for (let i = 0; i < 60 && (await page.evaluate<string | undefined>('document.activeElement?.type')) !== 'radio'; i++)
        await page.keyboard.press('Tab');
      await page.keyboard.press('Space');
      await page.keyboard.press('ArrowDown');
      chosen = await page.evaluate<string>('document.activeElement.checked && document.activeElement.value');
      expect(chosen).toMatch(/^2026-12-02T10:\d\d:00\+03:00$/);
      await tabTo('Move it to this time');
      await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
      expect(await page.locator('h1').textContent()).toBe('Your appointment is moved');
    });
    const [, , id, hash] = path.split('/');
    const view = await request('GET', `/v1/user/records/${id}/${hash}`, { headers: partner });
    expect(view.body.data[0].datetime).toBe(chosen);
  });

  it(
    "cancels, moves and reviews with JavaScript off, the browser's own form posts (Origin: null, Sec-Fetch-Site: " +
      'same-origin) accepted',
    async () => {
      const path = await appointment();
      const moving = await appointment();
      const token = await reviewToken();
      const seen: Array<Record<string, string>> = [];
      await inContext(
        { javaScriptEnabled: false, viewport: { width: 360, height: 740 }, extraHTTPHeaders: { 'accept-language': 'ru' } },
        async (page) => {
          page.on('request', (r) => {
            if (r.method() === 'POST') seen.push(r.headers());
          });
          await page.goto(`${server.url}${path}`);
          await page.getByRole('link', { name: 'Отменить запись' }).click();
          await page.getByRole('button', { name: 'Да, отменить' }).click();
          expect(await page.locator('h1').textContent()).toBe('Запись отменена');
          await page.goto(`${server.url}/review/${token}`);
          await page.getByLabel('4 звезды, хорошо').check();
          await page.getByLabel('Комментарий (необязательно)').fill('Всё отлично');
          await page.getByRole('button', { name: 'Отправить отзыв' }).click();
          expect(await page.locator('h1').textContent()).toBe('Спасибо за отзыв');
          await page.goto(`${server.url}${moving}`);
          await page.getByRole('link', { name: 'Перенести на другое время' }).click();
          await page.locator('ul.dates a').first().click();
          await page.getByRole('radio').first().check();
          await page.getByRole('button', { name: 'Перенести на это время' }).click();
          expect(await page.locator('h1').textContent()).toBe('Запись перенесена');
        },
      );
      expect(seen).toHaveLength(3);
      for (const headers of seen) {
        expect(headers['sec-fetch-site'] ?? 'same-origin').toBe('same-origin');
        expect(['null', server.url]).toContain(headers.origin);
      }
      const review = await request('GET', `/v1/master_record_review/${token}`, { headers: partner });
      expect(review.body.data.is_review_submitted).toBe(true);
    },
  );
});
