// The local inbox (`/_local/inbox`) is the local stack's own page (scripts/front.ts): no route of
// serverless.yml serves it, so what AWS runs answers it as any unknown path, 404 in the envelope.
// (scripts/check-bundles.mjs checks that no packaged zip carries any of it.)
import { given } from '../helpers/fixture.js';
import { request, declaredRoutes } from '../helpers/api.js';

await given();

it.each(['/_local/inbox', '/_local/inbox.json'])('GET %s: 404, as deployed', async (path) => {
  const response = await request('GET', path);
  expect(response.status).toBe(404);
  expect(response.body).toEqual({ success: false, data: null, meta: { message: 'Not found.' } });
});

it('no route of serverless.yml names it', () => {
  expect(declaredRoutes().filter((r) => r.path?.includes('_local'))).toEqual([]);
});
