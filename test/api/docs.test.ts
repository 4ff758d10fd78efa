// The reference page and its files, through the real handler: served from our own origin, cached
// by ETag, gzipped for clients that take it, and nothing else reachable through its route.
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { request } from '../helpers/api.js';

const spec = readFileSync(new URL('../../docs/openapi.json', import.meta.url));

describe('GET /docs', () => {
  it('is an HTML page that loads Swagger UI and its own initializer from beside itself, and no other origin', async () => {
    const page = await request('GET', '/docs');
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    const sources = [...page.text.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]);
    expect(sources).toEqual(['docs/swagger-ui.css', 'docs/favicon-32x32.png', 'docs/swagger-ui-bundle.js', 'docs/init.js']);
    expect(page.headers['content-security-policy']).toContain("script-src 'self';");
    expect(page.text).not.toMatch(/<script>(?!<)/); // no inline script for the policy to allow
  });

  it('works at /docs/ too: its links resolve to /docs/docs/<file>, which serves the same files', async () => {
    const page = await request('GET', '/docs/');
    expect(page.status).toBe(200);
    for (const link of [...page.text.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!)) {
      const [viaSlash, plain] = await Promise.all([
        request('GET', new URL(link, 'http://h/docs/').pathname),
        request('GET', new URL(link, 'http://h/docs').pathname),
      ]);
      expect({ link, status: viaSlash.status }).toEqual({ link, status: 200 });
      expect(viaSlash.bytes.equals(plain.bytes)).toBe(true);
    }
  });

  it('is where / leads', async () => {
    const root = await request('GET', '/');
    expect(root.status).toBe(302);
    expect(new URL(root.headers.location!, 'http://h/').pathname).toBe('/docs');
  });

  it('serves the checked-in OpenAPI document byte for byte, and the renderer from swagger-ui-dist', async () => {
    const document = await request('GET', '/docs/openapi.json');
    expect(document.status).toBe(200);
    expect(document.bytes.equals(spec)).toBe(true);
    const bundle = await request('GET', '/docs/swagger-ui-bundle.js');
    expect(bundle.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(bundle.bytes.equals(readFileSync(new URL('../../node_modules/swagger-ui-dist/swagger-ui-bundle.js', import.meta.url)))).toBe(
      true,
    );
  });

  it('gzips for a client that accepts it, and answers 304 to one whose copy is current', async () => {
    const gzipped = await request('GET', '/docs/openapi.json', { headers: { 'Accept-Encoding': 'gzip, deflate, br' } });
    expect(gzipped.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gzipped.bytes).equals(spec)).toBe(true);
    expect(gzipped.bytes.length).toBeLessThan(spec.length / 3);
    const refused = await request('GET', '/docs/openapi.json', { headers: { 'Accept-Encoding': 'gzip;q=0, identity' } });
    expect(refused.headers['content-encoding']).toBeUndefined();

    const again = await request('GET', '/docs/openapi.json', { headers: { 'If-None-Match': gzipped.headers.etag! } });
    expect(again.status).toBe(304);
    expect(again.bytes.length).toBe(0);
    expect((await request('GET', '/docs/openapi.json', { headers: { 'If-None-Match': 'W/"other"' } })).status).toBe(200);
  });

  it.each(['package.json', '..%2Fpackage.json', 'index.html', 'swagger-ui.js', '__proto__', 'constructor'])(
    'answers 404 in the envelope for a file it does not serve: %s',
    async (asset) => {
      const response = await request('GET', `/docs/${asset}`);
      expect(response.status).toBe(404);
      expect(response.body).toEqual({ success: false, data: null, meta: { message: 'Not found.' } });
    },
  );
});
