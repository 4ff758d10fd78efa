// The customer's pages (docs/contract.md section 10) through the real handlers on DynamoDB Local: the
// appointment, its cancel confirmation and cancellation, the review form, its thanks and "already
// reviewed", the one 404 page, the headers on every answer, both languages, the refusal of a post
// from another site, and GETs that change nothing (the whole table compared). Review links come
// from the real review_request event, through the table's stream to a real subscriber.
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { startSubscriber } from '../helpers/subscriber.js';
import { given } from '../helpers/fixture.js';
import { ownFormPost, request } from '../helpers/api.js';
import { partnerHeaders as partner } from '../helpers/sign-in.js';
import { companyEvent, recordEvent, serviceEvent, staffEvent } from '../helpers/altegio.js';
import { push } from '../helpers/webhook.js';
import { config } from '../../lib/config.js';
import { db, dynamo, tableName } from '../../lib/db/client.js';
import { StreamRelay } from '../../scripts/event-relay.js';
import * as deliver from '../../functions/deliver-events.js';

const subscriber = await startSubscriber();
await given({
  env: { CABINET_EVENTS_URL: subscriber.url, CABINET_PUBLIC_URL: 'https://cabinet.test' },
  clock: { stoppedAt: '2026-11-24T09:00:00Z' },
});

const relay = new StreamRelay(dynamo, config, deliver.handler);
afterAll(async () => {
  relay.close();
  await subscriber.close();
});

let nextId = 970000;
async function appointment(extra: Record<string, unknown> = {}): Promise<{ id: number; hash: string; path: string }> {
  const id = ++nextId;
  const data = await push(
    recordEvent(id, { staff: { id: 48, name: 'Anna Petrova' }, last_change_date: '2026-11-20T10:00:00+03:00', ...extra }),
  );
  return { id, hash: data.record_hash!, path: `/r/${id}/${data.record_hash}` };
}

async function reviewToken(): Promise<string> {
  const { id } = await appointment({ datetime: '2026-11-20T14:00:00+03:00', date: '2026-11-20 14:00:00' });
  await push(
    recordEvent(
      id,
      {
        datetime: '2026-11-20T14:00:00+03:00',
        date: '2026-11-20 14:00:00',
        visit_attendance: 1,
        attendance: 1,
        last_change_date: '2026-11-20T16:00:00+03:00',
      },
      'update',
    ),
  );
  await relay.pollOnce();
  return subscriber.deliveries.find((d) => d.body.resource === 'review_request' && d.body.resource_id === id)!.body.data.record_token;
}

const get = (path: string, headers: Record<string, string> = {}) => request('GET', path, { headers });
/** A form post as Chromium sends one from the page itself under `Referrer-Policy: no-referrer`. */
const post = (path: string, body = '', headers: Record<string, string> = ownFormPost) => request('POST', path, { headers, rawBody: body });
const view = async (id: number, hash: string) =>
  (await request('GET', `/v1/user/records/${id}/${hash}`, { headers: partner })).body.data[0];

async function wholeTable(): Promise<unknown[]> {
  const { Items = [] } = await db.send(new ScanCommand({ TableName: tableName, ConsistentRead: true }));
  return Items.map((item) => JSON.stringify(item)).sort();
}

function expectPageHeaders(headers: Record<string, string>) {
  expect(headers['cache-control']).toBe('no-store');
  expect(headers['referrer-policy']).toBe('no-referrer');
  expect(headers['x-robots-tag']).toMatch(/noindex/);
  expect(headers['x-frame-options']).toBe('DENY');
  const csp = headers['content-security-policy']!;
  expect(csp).toMatch(/default-src 'none'/);
  expect(csp).toMatch(/frame-ancestors 'none'/);
  expect(csp).toMatch(/form-action 'self'/);
  expect(csp).not.toMatch(/https?:|\*/);
}

beforeAll(async () => {
  for (const event of [companyEvent(), staffEvent(48), serviceEvent(331, { title: 'Haircut' })]) await push(event);
});

describe('the appointment page', () => {
  it("shows the appointment in the location's zone, with its team member, services, prices, place and what may be done", async () => {
    const { path } = await appointment();
    const page = await get(path, { 'accept-language': 'en-US,en;q=0.9' });
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expectPageHeaders(page.headers);
    expect(page.text).toContain('<html lang="en">');
    expect(page.text).toContain('Tuesday, 1 December 2026, 14:00–15:00');
    expect(page.text).toContain(`href="${path}?lang=ru" lang="ru" hreflang="ru" class="lang">Русский</a>`);
    expect(page.text).toContain('1 hour');
    expect(page.text).toContain('Anna Petrova');
    expect(page.text).toMatch(/Haircut<\/span><span>(RUB|₽)\s?1,800\.00/);
    expect(page.text).toContain('Barbershop on Tverskaya');
    expect(page.text).toContain('Tverskaya 1');
    expect(page.text).toContain('href="tel:+74951234567"');
    expect(page.text).toContain('openstreetmap.org/?mlat=55.757&amp;mlon=37.613');
    expect(page.text).toContain('You can cancel online until Tuesday 1 December at 13:00.');
    expect(page.text).toContain(`href="${path}/cancel?lang=en"`);
    expect(page.text).toContain(`href="${path}/calendar.ics?lang=en"`);
    expect(page.text).toContain('https://calendar.google.com/calendar/render?action=TEMPLATE');
    expect(page.text).not.toMatch(/<script/i);
  });

  it('speaks Russian by Accept-Language, and ?lang= overrides it and is kept in every link and form', async () => {
    const { path } = await appointment();
    const ru = await get(path, { 'accept-language': 'de-DE, en;q=0.5, ru;q=0.8' });
    expect(ru.text).toContain('<html lang="ru">');
    expect(ru.headers['content-language']).toBe('ru');
    expect(ru.text).toContain('Ваша запись');
    expect(ru.text).toContain('вторник, 1 декабря 2026 г., 14:00–15:00');
    expect(ru.text).toMatch(/1\s800,00\s₽/);
    expect(ru.text).toContain(`href="${path}/cancel?lang=ru"`);
    const en = await get(`${path}?lang=en`, { 'accept-language': 'ru' });
    expect(en.text).toContain('<html lang="en">');
    expect(en.text).toContain(`href="${path}?lang=ru"`); // the switch to the other language
    const confirm = await get(`${path}/cancel?lang=ru`, { 'accept-language': 'en' });
    expect(confirm.text).toContain(`action="${path}/cancel?lang=ru"`);
    expect(confirm.text).toContain('Да, отменить');
  });

  it('answers every wrong link with the same 404 page: a wrong hash, an unknown id, a bad token, a wrong page', async () => {
    const { id, hash } = await appointment();
    const wrong = [
      `/r/${id}/${'0'.repeat(32)}`,
      `/r/99999999/${hash}`,
      `/r/abc/${hash}`,
      `/r/${id}/${'0'.repeat(32)}/cancel`,
      `/r/${id}/x/calendar.ics`,
      '/review/not-a-token',
      `/review/${'A'.repeat(22)}`,
    ];
    const pages = await Promise.all(wrong.map((path) => get(path)));
    for (const page of pages) {
      expect(page.status).toBe(404);
      expectPageHeaders(page.headers);
      expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(page.text).toBe(pages[0]!.text);
    }
    expect(pages[0]!.text).toContain('Link not found');
    expect(pages[0]!.text).not.toContain(hash);
    const posted = await post(`/r/${id}/${'0'.repeat(32)}/cancel`);
    expect(posted.status).toBe(404);
    expect(posted.text).toBe(pages[0]!.text);
  });

  it('escapes what the salon wrote', async () => {
    const { path } = await appointment({ services: [{ id: 999, title: '<img src=x onerror=alert(1)>', cost: 1, discount: 0, amount: 1 }] });
    const page = await get(path);
    expect(page.text).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(page.text).not.toContain('<img');
  });
});

describe('cancelling from the page', () => {
  it("asks first (a GET changes nothing), then cancels by the form's POST and shows it cancelled", async () => {
    const { id, hash, path } = await appointment();
    const before = await wholeTable();
    const confirm = await get(`${path}/cancel`);
    expect(confirm.status).toBe(200);
    expectPageHeaders(confirm.headers);
    expect(confirm.text).toContain('Cancel this appointment?');
    expect(confirm.text).toMatch(new RegExp(`<form[^>]*method="post" action="${path}/cancel\\?lang=en"`));
    expect(await wholeTable()).toEqual(before);
    expect((await view(id, hash)).deleted).toBe(false);

    const done = await post(`${path}/cancel?lang=en`);
    expect(done.status).toBe(200);
    expectPageHeaders(done.headers);
    expect(done.text).toContain('Your appointment is cancelled');
    expect((await view(id, hash)).deleted).toBe(true);
    // The record event carries the page's link, for a messaging service to send.
    await relay.pollOnce();
    const events = subscriber.deliveries.filter((d) => d.body.resource === 'record' && d.body.resource_id === id);
    expect(events.map((d) => d.body.data.links)).toEqual([{ manage: `https://cabinet.test${path}` }]);
    // Again: the same answer (the cancellation is idempotent), and the page shows it cancelled.
    expect((await post(`${path}/cancel`)).status).toBe(200);
    const page = await get(path);
    expect(page.text).toContain('class="state cancelled"');
    expect(page.text).not.toContain(`${path}/cancel`);
  });

  it('refuses a post from another site (403) and changes nothing, judging Sec-Fetch-Site first, then Origin', async () => {
    const { id, hash, path } = await appointment();
    const form = { 'content-type': 'application/x-www-form-urlencoded' };
    const refused = [
      { ...form, 'sec-fetch-site': 'cross-site', origin: 'https://evil.example' },
      { ...form, 'sec-fetch-site': 'same-site', origin: 'https://shop.cabinet.test' },
      { ...form, 'sec-fetch-site': 'cross-site', origin: 'https://cabinet.test' }, // a forged Origin does not outvote the browser
      { ...form, origin: 'https://evil.example' },
      { ...form, origin: 'null' },
    ];
    const before = await wholeTable();
    for (const headers of refused) {
      const answer = await post(`${path}/cancel`, '', headers);
      expect(answer.status).toBe(403);
      expectPageHeaders(answer.headers);
      expect(answer.text).toContain('Not sent from this page');
    }
    expect(await wholeTable()).toEqual(before);
    expect((await view(id, hash)).deleted).toBe(false);
    // Cabinet's own origin, by an older browser that sends only Origin: accepted.
    expect((await post(`${path}/cancel`, '', { ...form, origin: 'https://cabinet.test' })).status).toBe(200);
    expect((await view(id, hash)).deleted).toBe(true);
  });

  it("shows a refusal as a sentence with the same code's rule as the API: too late to cancel", async () => {
    const { id, hash, path } = await appointment({ datetime: '2026-11-24T12:30:00+03:00', date: '2026-11-24 12:30:00' });
    const page = await get(path);
    expect(page.text).toContain('It is too late to cancel online. Please call the salon.');
    expect(page.text).not.toContain(`${path}/cancel`);
    const answer = await post(`${path}/cancel`);
    expect(answer.status).toBe(422);
    expect(answer.text).toContain('It is too late to cancel online.');
    expect(answer.text).toContain(`href="${path}?lang=en"`);
    expect((await view(id, hash)).deleted).toBe(false);
  });
});

describe('the review pages', () => {
  it('shows the form (five stars as a radio group), thanks after the post, then "already reviewed"', async () => {
    const token = await reviewToken();
    const form = await get(`/review/${token}`);
    expect(form.status).toBe(200);
    expectPageHeaders(form.headers);
    expect(form.text).toContain('How was your visit?');
    expect(form.text).toContain('Anna Petrova');
    expect(form.text).toMatch(/<fieldset class="stars"><legend>Your rating<\/legend>/);
    expect(form.text.match(/type="radio" name="rating"/g)).toHaveLength(5);
    expect(form.text).toContain(`action="/review/${token}?lang=en"`);

    expect((await post(`/review/${token}`, 'rating=5', { ...ownFormPost, 'sec-fetch-site': 'cross-site' })).status).toBe(403);
    expect((await post(`/review/${token}`, 'rating=9')).text).toContain('Choose a rating from 1 to 5 stars.');
    const thanks = await post(`/review/${token}?lang=ru`, 'rating=4&text=%D0%A1%D0%BF%D0%B0%D1%81%D0%B8%D0%B1%D0%BE%21');
    expect(thanks.status).toBe(200);
    expect(thanks.text).toContain('Спасибо за отзыв');
    const review = await request('GET', `/v1/master_record_review/${token}`, { headers: partner });
    expect(review.body.data.is_review_submitted).toBe(true);

    const again = await get(`/review/${token}`);
    expect(again.status).toBe(200);
    expect(again.text).toContain('You have already reviewed this visit.');
    expect(again.text).not.toContain('<form');
    const twice = await post(`/review/${token}`, 'rating=1');
    expect(twice.status).toBe(422);
    expect(twice.text).toContain('You have already reviewed this visit.');
  });
});

describe('a GET of any page changes nothing', () => {
  it('opens every page twice and finds the whole table as it was', async () => {
    const upcoming = await appointment();
    const cancelled = await appointment();
    await post(`${cancelled.path}/cancel`);
    const token = await reviewToken();
    await relay.pollOnce();
    // The team member works, so the reschedule pages have dates and times to show.
    const days = ['2026-12-01', '2026-12-02'].map((date) => ({ date, is_working: 1, slots: [{ from: '10:00', to: '19:00' }] }));
    await push({ company_id: 4564, resource: 'schedule', resource_id: 48, status: 'update', data: { staff_id: 48, dates: days } });
    const paths = [
      upcoming.path,
      `${upcoming.path}/cancel`,
      `${upcoming.path}/calendar.ics`,
      `${upcoming.path}/reschedule`,
      `${upcoming.path}/reschedule?date=2026-12-02`,
      `${cancelled.path}/reschedule`,
      `/r/${upcoming.id}`,
      '/r/abc/def/ghi',
      '/review/a/b',
      cancelled.path,
      `${cancelled.path}/cancel`,
      `${cancelled.path}/calendar.ics`,
      `/review/${token}`,
      `/r/${upcoming.id}/wrong`,
      '/review/wrong-token-0123456789',
    ];
    const before = await wholeTable();
    for (let round = 0; round < 2; round++) {
      for (const path of paths) expect((await get(path)).status).toBeLessThan(500);
    }
    expect((await get(`${upcoming.path}/reschedule?date=2026-12-02`)).text).toContain('type="radio" name="datetime"');
    expect(await wholeTable()).toEqual(before);
  });
});
