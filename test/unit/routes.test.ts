// serverless.yml is what API Gateway serves: every operation under both prefixes, every handler real.
import { existsSync, readFileSync } from 'node:fs';
import { declaredRoutes } from '../helpers/api.js';
import { parse } from 'yaml';

describe('declared routes', () => {
  const routes = declaredRoutes().filter((r) => r.path !== null);

  const api = routes.filter((r) => /^\/(api\/)?v1\//.test(r.path!));

  it('serves every API route under both /v1 and /api/v1', () => {
    const keys = new Set(api.map((r) => `${r.functionName} ${r.method} ${r.path}`));
    for (const r of api) {
      const twin = r.path!.startsWith('/api/v1/') ? r.path!.slice(4) : `/api${r.path}`;
      expect(keys).toContain(`${r.functionName} ${r.method} ${twin}`);
    }
  });

  it("serves nothing outside the API prefixes but the customer's pages and the reference page", () => {
    expect(routes.filter((r) => !api.includes(r)).map((r) => `${r.method} ${r.path}`)).toEqual([
      'GET /r/{record_id}/{record_hash}',
      'GET /r/{record_id}/{record_hash}/calendar.ics',
      'GET /r/{record_id}/{record_hash}/cancel',
      'POST /r/{record_id}/{record_hash}/cancel',
      'GET /r/{record_id}/{record_hash}/reschedule',
      'POST /r/{record_id}/{record_hash}/reschedule',
      'GET /review/{record_token}',
      'POST /review/{record_token}',
      'GET /r/{proxy+}',
      'GET /review/{proxy+}',
      'GET /docs',
      'GET /docs/{asset}',
      'GET /docs/docs/{asset}',
      'GET /',
    ]);
  });

  it('has one catch-all for everything else', () => {
    expect(
      declaredRoutes()
        .filter((r) => r.path === null)
        .map((r) => r.functionName),
    ).toEqual(['not-found']);
  });

  it('points every function at a file of the same name that exports a handler', async () => {
    for (const name of new Set(declaredRoutes().map((r) => r.functionName))) {
      expect(existsSync(new URL(`../../functions/${name}.ts`, import.meta.url))).toBe(true);
      const module = await import(`../../functions/${name}.js`);
      expect(typeof module.handler).toBe('function');
    }
  });
});

describe('the deployed table', () => {
  it('is built from every property of lib/db/table.json, the definition the local stack and tests create', async () => {
    const file = parse(readFileSync(new URL('../../serverless.yml', import.meta.url), 'utf8'));
    const properties = file.resources.Resources.CabinetTable.Properties as Record<string, string>;
    const definition = JSON.parse(readFileSync(new URL('../../lib/db/table.json', import.meta.url), 'utf8'));
    for (const key of Object.keys(definition)) {
      expect(properties[key]).toBe(`\${file(./lib/db/table.json):${key}}`);
    }
    expect(file.resources.Resources.CabinetTable.DeletionPolicy).toBe('Retain');
  });
});
