// docs/openapi.json is generated from serverless.yml's routes and the validators' own schemas; it
// must be current, valid, and cover every route and error code.
import { readFileSync } from 'node:fs';
import { validate } from '@readme/openapi-parser';
import { buildOpenApi } from '../../scripts/openapi.js';
import { ErrorCode } from '../../lib/domain/refusals.js';
import { declaredRoutes } from '../helpers/api.js';

const checkedIn = JSON.parse(readFileSync(new URL('../../docs/openapi.json', import.meta.url), 'utf8'));

describe('the OpenAPI document', () => {
  it('is current: regenerate it with `npm run openapi` after changing a route or a schema', () => {
    expect(checkedIn).toEqual(JSON.parse(JSON.stringify(buildOpenApi())));
  });

  it('is a valid OpenAPI 3.1 document', async () => {
    const result = await validate(structuredClone(checkedIn));
    expect(result).toMatchObject({ valid: true });
  });

  it('describes every route serverless.yml serves, with a success and its errors', () => {
    const served = declaredRoutes().filter((r) => r.path?.startsWith('/v1/'));
    expect(served.length).toBeGreaterThan(10);
    for (const route of served) {
      const operation = checkedIn.paths[route.path!.slice(3)]?.[route.method.toLowerCase()];
      expect({ route: `${route.method} ${route.path}`, found: Boolean(operation) }).toEqual({
        route: `${route.method} ${route.path}`,
        found: true,
      });
      expect(Object.keys(operation.responses).some((s) => s.startsWith('2'))).toBe(true);
      expect(operation.responses['401'] ?? operation.security.some((s: Record<string, unknown>) => 'webhookSignature' in s)).toBeTruthy();
    }
  });

  it('names every error code', () => {
    for (const code of Object.values(ErrorCode)) expect(checkedIn.info.description).toContain(String(code));
  });

  it('takes request bodies from the validators: a required field there is required here', () => {
    const bookCode = checkedIn.paths['/book_code/{company_id}'].post.requestBody.content['application/json'].schema;
    expect(bookCode.required).toEqual(['phone']);
    const review = checkedIn.paths['/master_record_review/{record_token}'].post.requestBody.content['application/json'].schema;
    expect(review.required).toEqual(['rating']);
    expect(review.properties.text.maxLength).toBe(1000);
  });
});
