// CORS (docs/contract.md section 11) through the real handlers, routed as API Gateway routes them: an
// OPTIONS matches no declared route, so `$default` (not-found) receives it, as on AWS. Every path,
// known or not, answers a preflight 204 with the allow headers; every answer (errors too) carries
// Access-Control-Allow-Origin. This file runs with the default, `*`; test/browser/cors.test.ts runs
// a list in a real browser.
import { given } from '../helpers/fixture.js';
import { declaredRoutes, request } from '../helpers/api.js';
import { readConfig } from '../../lib/config.js';
import { preflight } from '../../lib/http/cors.js';

await given();

const origin = 'https://salon.example';
const asked = { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' };
const concrete = (path: string) => path.replace(/\{[^}]+\}/g, '123');

describe('a browser preflight', () => {
  it('gets 204 with the allow headers on every declared route and on an unknown one', async () => {
    const paths = [
      ...new Set(
        declaredRoutes()
          .filter((r) => r.path)
          .map((r) => concrete(r.path!)),
      ),
      '/v1/no/such/route',
      '/',
    ];
    for (const path of paths) {
      const answer = await request('OPTIONS', path, { headers: asked });
      expect({ path, status: answer.status, text: answer.text }).toEqual({ path, status: 204, text: '' });
      expect(answer.headers['access-control-allow-origin']).toBe('*');
      expect(answer.headers['access-control-allow-methods']).toEqual(expect.stringContaining('DELETE'));
      expect(answer.headers['access-control-allow-headers']!.toLowerCase().split(',')).toEqual(
        expect.arrayContaining(['authorization', 'content-type', 'accept']),
      );
      expect(Number(answer.headers['access-control-max-age'])).toBeGreaterThan(0);
    }
  });

  it('needs no token: it is answered before authentication', async () => {
    const answer = await request('OPTIONS', '/v1/booking/user/data', { headers: asked });
    expect(answer.status).toBe(204);
  });
});

describe('every answer', () => {
  it('carries Access-Control-Allow-Origin: a success, a 401 and a 404', async () => {
    const answers = await Promise.all([
      request('GET', '/docs', { headers: { origin } }),
      request('GET', '/v1/user/records', { headers: { origin } }),
      request('GET', '/v1/no/such/route', { headers: { origin } }),
    ]);
    expect(answers.map((a) => [a.status, a.headers['access-control-allow-origin']])).toEqual([
      [200, '*'],
      [401, '*'],
      [404, '*'],
    ]);
  });
});

describe('CABINET_CORS_ORIGINS', () => {
  it('defaults to *, takes a list of origins, and refuses anything that is not an origin, naming the setting', () => {
    expect(readConfig({}).corsOrigins).toBe('*');
    expect(readConfig({ CABINET_CORS_ORIGINS: 'https://salon.example, http://127.0.0.1:5173' }).corsOrigins).toEqual([
      'https://salon.example',
      'http://127.0.0.1:5173',
    ]);
    for (const bad of ['https://salon.example/app', 'salon.example', 'https://*.salon.example', ' , ']) {
      expect(() => readConfig({ CABINET_CORS_ORIGINS: bad })).toThrow(/CABINET_CORS_ORIGINS/);
    }
  });

  it("answers a listed origin with itself and any other with the list's first, which the browser refuses", () => {
    const list = ['https://salon.example', 'https://book.salon.example'];
    expect(preflight(list, 'https://book.salon.example').headers).toMatchObject({
      'access-control-allow-origin': 'https://book.salon.example',
      vary: 'origin',
    });
    expect(preflight(list, 'https://evil.example').headers).toMatchObject({ 'access-control-allow-origin': 'https://salon.example' });
  });
});
