// Nothing in serverless.yml bounded concurrency or rate, so a flood of password
// logins (scrypt, most of a second each) could take the account's Lambda concurrency and time out
// honest requests. serverless.yml now reserves concurrency for the two scrypt functions and
// throttles the HTTP API's stage: every route by default, the password routes below what their
// concurrency serves. (scripts/check-bundles.mjs checks the same in the packaged template.)
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { parse } from 'yaml';
import { declaredRoutes } from '../helpers/api.js';

const file = parse(readFileSync(new URL('../../serverless.yml', import.meta.url), 'utf8'));
const params = file.params.default as Record<string, unknown>;
const stage = file.resources.extensions?.HttpApiStage ?? { Properties: { DefaultRouteSettings: {}, RouteSettings: {} }, DependsOn: [] };
// The framework's own names for its route resources, which the stage must wait for.
const naming = createRequire(import.meta.url)('../../node_modules/serverless/lib/plugins/aws/lib/naming.js') as {
  getHttpApiRouteLogicalId: (routeKey: string) => string;
};

/** A `${param:name}` resolved from the default params: it must be a positive whole number. */
function bound(value: unknown): number {
  const name = /^\$\{param:(\w+)\}$/.exec(String(value))?.[1];
  expect(name).toBeDefined();
  const resolved = params[name!];
  expect(Number.isInteger(resolved) && (resolved as number) > 0).toBe(true);
  return resolved as number;
}

describe.each(['booking-auth', 'update-password'])('the scrypt function %s', (name) => {
  const routes = declaredRoutes()
    .filter((r) => r.functionName === name)
    .map((r) => `${r.method} ${r.path}`);

  it('has reserved concurrency, from a param', () => {
    bound(file.functions[name].reservedConcurrency);
  });

  it('has every route of it throttled, with bursts that together fit in its concurrency', () => {
    expect(routes.length).toBeGreaterThan(0);
    const concurrency = bound(file.functions[name].reservedConcurrency);
    let bursts = 0;
    for (const route of routes) {
      const settings = stage.Properties.RouteSettings[route];
      expect(settings).toBeDefined();
      bound(settings.ThrottlingRateLimit);
      bursts += bound(settings.ThrottlingBurstLimit);
      // Under the default the rest of the API has: these routes are the tighter ones.
      expect(bound(settings.ThrottlingRateLimit)).toBeLessThan(bound(stage.Properties.DefaultRouteSettings.ThrottlingRateLimit));
    }
    // A burst the concurrency cannot take would reach a throttled Lambda: API Gateway's 500.
    expect(bursts).toBeLessThanOrEqual(concurrency);
  });

  it('has the stage wait for its routes, which RouteSettings name', () => {
    for (const route of routes) expect(stage.DependsOn).toContain(naming.getHttpApiRouteLogicalId(route));
  });
});

describe('the HTTP API', () => {
  it('throttles every route by default (rate and burst, from params)', () => {
    const { ThrottlingRateLimit, ThrottlingBurstLimit } = stage.Properties.DefaultRouteSettings;
    expect(bound(ThrottlingBurstLimit)).toBeGreaterThanOrEqual(bound(ThrottlingRateLimit));
  });

  it('names in RouteSettings only routes it serves', () => {
    const served = new Set(declaredRoutes().map((r) => `${r.method} ${r.path}`));
    for (const route of Object.keys(stage.Properties.RouteSettings)) expect(served).toContain(route);
  });
});
