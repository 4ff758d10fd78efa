// The reference page in a real browser: Debian's Chromium, headless, driven by playwright-core,
// opens GET /docs (and /docs/, and /) from a real HTTP server on 127.0.0.1 in front of the real
// handlers, and sees every operation of docs/openapi.json listed under its tag, the typed models,
// every file from our own origin, no script error, and "Try it out" reaching the live API with the
// partner and the user token typed into two inputs and sent as one header. Needs
// /usr/bin/chromium (apt-get install chromium).
import { existsSync, readFileSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startSmsGateway } from '../helpers/sms-gateway.js';
import { testPartnerToken } from '../helpers/table.js';
import { given } from '../helpers/fixture.js';
import { declaredRoutes, request } from '../helpers/api.js';
import { startApiServer } from '../helpers/http-server.js';
import { companyEvent } from '../helpers/altegio.js';
import { push } from '../helpers/webhook.js';
import { signIn } from '../helpers/sign-in.js';

// Checked before anything is started: a server left open by a file that fails to load kept jest from exiting.
const executablePath = '/usr/bin/chromium';
if (!existsSync(executablePath)) {
  throw new Error(`The docs page test needs Debian's Chromium at ${executablePath}: apt-get install chromium (.ci/run installs it).`);
}

const gateway = await startSmsGateway();
await given({ env: { CABINET_SMS_URL: gateway.url } });
type ApiServer = Awaited<ReturnType<typeof startApiServer>>;

const spec = JSON.parse(readFileSync(new URL('../../docs/openapi.json', import.meta.url), 'utf8')) as {
  paths: Record<string, Record<string, { summary: string; tags: string[] }>>;
};
const operations = Object.entries(spec.paths).flatMap(([path, ops]) =>
  Object.entries(ops)
    .filter(([method]) => method !== 'servers')
    .map(([method, op]) => ({ key: `${method.toUpperCase()} ${path}`, ...op })),
);
const documented = operations.map((op) => op.key);

let server: ApiServer;
let browser: Browser;
let page: Page;
const requested: string[] = [];
const problems: string[] = [];

beforeAll(async () => {
  server = await startApiServer();
  // The closed network refuses Chromium's own background connections; these flags stop them.
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
  page = await browser.newPage();
  page.on('request', (r) => requested.push(r.url()));
  page.on('pageerror', (e) => problems.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(m.text());
  });
  await page.goto(`${server.url}/docs`);
  await page
    .locator('.opblock')
    .first()
    .waitFor({ timeout: 20_000 })
    .catch(async (e) => {
      throw new Error(String(e) + problems.join('\n') + (await page.content()).slice(0, 3000));
    });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await gateway.close();
});

describe('the reference page in Chromium', () => {
  it('lists every operation of the OpenAPI document, under its tag', async () => {
    const shown = await page
      .locator('.opblock-summary')
      .evaluateAll((blocks) =>
        blocks.map(
          (b) =>
            `${b.querySelector('.opblock-summary-method')?.textContent} ` +
            `${b.querySelector('.opblock-summary-path')?.getAttribute('data-path')}`,
        ),
      );
    expect(shown.sort()).toEqual([...documented].sort());
    // …which covers every operation API Gateway routes.
    const routed = declaredRoutes()
      .filter((r) => r.path?.startsWith('/v1/'))
      .map((r) => `${r.method} ${r.path!.slice(3)}`);
    expect(new Set(operations.filter((op) => !op.tags.includes('docs')).map((op) => op.key))).toEqual(new Set(routed));
    const tags = await page.locator('.opblock-tag').evaluateAll((headings) => headings.map((h) => h.getAttribute('data-tag')));
    expect(tags).toEqual(['identity', 'profile', 'appointments', 'reviews', 'webhooks', 'docs']);
    for (const tag of tags) {
      const inTag = await page.locator(`.opblock-tag-section:has(> .opblock-tag[data-tag="${tag}"]) .opblock`).count();
      expect({ tag, operations: inTag }).toEqual({ tag, operations: operations.filter((op) => op.tags[0] === tag).length });
    }
    await expect(page.locator('.opblock-summary-description', { hasText: 'Log in with the SMS code' }).count()).resolves.toBe(1);
    // One summary per operation: the by-id routes say what they are.
    const summaries = operations.map((op) => op.summary);
    expect(new Set(summaries).size).toBe(summaries.length);
  });

  it('shows the typed record model, with the fields of the contract and its aliases', async () => {
    // OpenAPI 3.1: Swagger UI renders the models section ("Schemas") as JSON Schema 2020-12.
    const model = page.locator('section.models article[data-json-schema-level="0"]').filter({
      has: page.locator(':scope > .json-schema-2020-12-head .json-schema-2020-12__title', { hasText: /^Record$/ }),
    });
    await model.scrollIntoViewIfNeeded();
    await model.locator('.json-schema-2020-12-accordion').first().click();
    const fields = await model
      .locator('article[data-json-schema-level="1"] > .json-schema-2020-12-head .json-schema-2020-12__title')
      .allTextContents();
    for (const field of [
      'services',
      'location',
      'company',
      'staff',
      'datetime',
      'seance_length',
      'attendance',
      'cancel_deadline',
      'can_cancel',
      'reschedule_deadline',
      'can_reschedule',
    ]) {
      expect(fields.map((f) => f.trim())).toContain(field);
    }
    expect(fields.length).toBe(28);
  });

  it('loads everything from its own origin, with no script error or policy violation', () => {
    expect(requested.length).toBeGreaterThanOrEqual(4);
    expect(requested.filter((url) => !url.startsWith(`${server.url}/`))).toEqual([]);
    expect(problems).toEqual([]);
  });

  it('sends "Try it out" to the live API and shows its answer', async () => {
    const operation = page.locator('#operations-profile-get-user-data');
    await operation.locator('.opblock-summary').click();
    await operation.getByRole('button', { name: 'Try it out' }).click();
    await operation.getByRole('button', { name: 'Execute' }).click();
    // No partner token was given: the live handler's 401, in the contract's envelope.
    const live = operation.locator('.live-responses-table .response');
    await expect(live.locator('.response-col_status').first().textContent({ timeout: 10_000 })).resolves.toContain('401');
    await expect(live.locator('.response-col_description').first().textContent()).resolves.toContain('Authentication needed.');
  });

  it('takes the partner and the user token in two inputs and sends them as one header', async () => {
    await push(companyEvent());
    const { token } = await signIn(gateway, '79161234567', '203.0.113.40');
    await page.locator('.auth-wrapper .authorize').first().click();
    const modal = page.locator('.modal-ux');
    // Two schemes, two inputs: the partner token, and the user token.
    for (const [scheme, value] of [
      ['partner', testPartnerToken],
      ['user', token],
    ] as const) {
      const container = modal.locator('.auth-container').filter({ has: page.locator('h4 code', { hasText: new RegExp(`^${scheme}$`) }) });
      await container.locator('input').fill(value);
      await container.getByRole('button', { name: 'Apply credentials' }).click();
    }
    await modal.locator('.close-modal').click();

    const sent = page.waitForRequest((r) => r.url().endsWith('/booking/user/data'));
    const answered = page.waitForResponse((r) => r.url().endsWith('/booking/user/data'));
    const operation = page.locator('#operations-profile-get-user-data');
    await operation.getByRole('button', { name: 'Execute' }).click();
    expect((await sent).headers().authorization).toBe(`Bearer ${testPartnerToken}, User ${token}`);
    expect((await answered).status()).toBe(200);
    const live = operation.locator('.live-responses-table .response');
    await live.locator('.response-col_status', { hasText: '200' }).first().waitFor({ timeout: 10_000 });
    await expect(live.locator('.response-col_description').first().textContent()).resolves.toContain('79161234567');
    // An operation without a user token gets the partner's alone.
    const partnerOnly = page.locator('#operations-reviews-get-review-form');
    await partnerOnly.locator('.opblock-summary').click();
    await partnerOnly.getByRole('button', { name: 'Try it out' }).click();
    await partnerOnly.locator('input[placeholder="record_token"]').fill('no-such-review-token-000');
    const formRequest = page.waitForRequest((r) => r.url().includes('/master_record_review/'));
    await partnerOnly.getByRole('button', { name: 'Execute' }).click();
    expect((await formRequest).headers().authorization).toBe(`Bearer ${testPartnerToken}`);
  });

  it('is the same page at /docs/, and / leads to it', async () => {
    const other = await browser.newPage();
    const errors: string[] = [];
    other.on('pageerror', (e) => errors.push(e.message));
    await other.goto(`${server.url}/`);
    expect(new URL(other.url()).pathname).toBe('/docs');
    await other.goto(`${server.url}/docs/`);
    await other.locator('.opblock').first().waitFor({ timeout: 20_000 });
    expect(await other.locator('.opblock').count()).toBe(documented.length);
    expect(errors).toEqual([]);
    await other.close();
    expect((await request('GET', '/docs/')).status).toBe(200);
  });
});
