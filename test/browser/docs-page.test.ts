// The reference page in a real browser: Debian's Chromium, headless, driven by playwright-core,
// opens GET /docs from a real HTTP server on 127.0.0.1 in front of the real handlers, and sees
// every operation of docs/openapi.json listed, every file from our own origin, no script error,
// and "Try it out" reaching the live API. Needs /usr/bin/chromium (apt-get install chromium).
import { existsSync, readFileSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { declaredRoutes } from '../helpers/api.js';
import { startApiServer, type ApiServer } from '../helpers/http-server.js';

const executablePath = '/usr/bin/chromium';
if (!existsSync(executablePath)) {
  throw new Error(`The docs page test needs Debian's Chromium at ${executablePath}: apt-get install chromium (.ci/run installs it).`);
}

const spec = JSON.parse(readFileSync(new URL('../../docs/openapi.json', import.meta.url), 'utf8')) as { paths: Record<string, Record<string, { summary: string }>> };
const documented = Object.entries(spec.paths).flatMap(([path, ops]) => Object.keys(ops).map((method) => `${method.toUpperCase()} ${path}`));

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
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  page = await browser.newPage();
  page.on('request', (r) => requested.push(r.url()));
  page.on('pageerror', (e) => problems.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
  await page.goto(`${server.url}/docs`);
  await page.locator('.opblock').first().waitFor({ timeout: 20_000 });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('the reference page in Chromium', () => {
  it('lists every operation of the OpenAPI document', async () => {
    const shown = await page.locator('.opblock-summary').evaluateAll((blocks) => blocks.map((b) =>
      `${b.querySelector('.opblock-summary-method')?.textContent} ${b.querySelector('.opblock-summary-path')?.getAttribute('data-path')}`));
    expect(shown.sort()).toEqual([...documented].sort());
    // …which covers every operation API Gateway routes.
    const routed = declaredRoutes().filter((r) => r.path?.startsWith('/v1/')).map((r) => `${r.method} ${r.path!.slice(3)}`);
    expect(new Set(documented)).toEqual(new Set(routed));
    await expect(page.locator('.opblock-summary-description', { hasText: 'Log in with the SMS code' }).count()).resolves.toBe(1);
  });

  it('loads everything from its own origin, with no script error or policy violation', () => {
    expect(requested.length).toBeGreaterThanOrEqual(4);
    expect(requested.filter((url) => !url.startsWith(`${server.url}/`))).toEqual([]);
    expect(problems).toEqual([]);
  });

  it('sends "Try it out" to the live API and shows its answer', async () => {
    const operation = page.locator('#operations-default-get-user-data');
    await operation.locator('.opblock-summary').click();
    await operation.getByRole('button', { name: 'Try it out' }).click();
    await operation.getByRole('button', { name: 'Execute' }).click();
    // No partner token was given: the live handler's 401, in the contract's envelope.
    const live = operation.locator('.live-responses-table .response');
    await expect(live.locator('.response-col_status').first().textContent({ timeout: 10_000 })).resolves.toContain('401');
    await expect(live.locator('.response-col_description').first().textContent()).resolves.toContain('Authentication needed.');
  });
});
