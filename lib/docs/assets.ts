// The interactive API reference (GET /docs): Swagger UI from swagger-ui-dist, every file served
// from our own origin, so the page works where no CDN is reachable and leaks no visitor to one.
// The files ship beside the bundle in the docs function's zip (serverless.yml, package.patterns);
// run from the project (tests, `npm start`), they are found in it. Each is read, hashed and
// gzipped once per container, at its first request.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import type { FileBody } from '../http/response.js';

interface Asset {
  type: string;
  load: () => Buffer;
}

interface Loaded {
  type: string;
  bytes: Buffer;
  gzipped: Buffer;
  etag: string;
}

/** Where the zip (and the project) keeps each shipped file; serverless.yml lists the same paths. */
export const shippedFiles = {
  css: 'node_modules/swagger-ui-dist/swagger-ui.css',
  js: 'node_modules/swagger-ui-dist/swagger-ui-bundle.js',
  spec: 'docs/openapi.json',
  icon: 'node_modules/swagger-ui-dist/favicon-32x32.png',
} as const;

// No inline script anywhere, so the page can forbid every script but its own files.
const policy =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' " +
  "data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

// The spec is found next to this script, wherever the page is mounted. The partner and the user
// token are two inputs of *Authorize* (two security schemes), but the API takes them in one
// header, `Bearer <partner>, User <user>`, which Swagger UI cannot compose: it writes each scheme's
// value to `Authorization` in turn, the user's last. The interceptor joins them where the user's
// value was written (an operation that takes a user token), and leaves the rest alone.
const initializer = `var spec = new URL('openapi.json', document.currentScript.src).href;
function tokenOf(name) {
  // The document itself is fetched through here too, before the page exists.
  var auth = window.ui ? window.ui.authSelectors.authorized().get(name) : null;
  var value = auth && auth.get('value');
  return typeof value === 'string' ? value.trim() : '';
}
function joinTokens(request) {
  var partner = tokenOf('partner');
  var user = tokenOf('user');
  if (user && request.headers.Authorization === user) {
    request.headers.Authorization = 'Bearer ' + partner + ', User ' + user;
  }
  return request;
}
window.addEventListener('load', function () {
  window.ui = SwaggerUIBundle({
    url: spec,
    dom_id: '#reference',
    deepLinking: true,
    tryItOutEnabled: false,
    persistAuthorization: false,
    requestInterceptor: joinTokens,
    presets: [SwaggerUIBundle.presets.apis],
    layout: 'BaseLayout',
  });
});
`;

// The page links to `docs/<file>`: from `/docs` that is `/docs/<file>`, from `/docs/` it is
// `/docs/docs/<file>`, a route of its own (serverless.yml). Relative either way, so any mount
// prefix works, and one page whether or not the slash reached us (serverless offline drops it).
const page = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>cabinet API reference</title>
<link rel="stylesheet" href="docs/swagger-ui.css">
<link rel="icon" type="image/png" href="docs/favicon-32x32.png">
</head>
<body>
<div id="reference"></div>
<script src="docs/swagger-ui-bundle.js"></script>
<script src="docs/init.js"></script>
</body>
</html>
`;

function locate(relative: string): string {
  const start = dirname(fileURLToPath(import.meta.url));
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, relative))) return join(dir, relative);
    if (dirname(dir) === dir) throw new Error(`${relative} is not shipped beside ${start}`);
  }
}

const html = 'text/html; charset=utf-8';
const javascript = 'text/javascript; charset=utf-8';

const files: Record<string, Asset> = {
  'init.js': { type: javascript, load: () => Buffer.from(initializer) },
  'swagger-ui.css': { type: 'text/css; charset=utf-8', load: () => readFileSync(locate(shippedFiles.css)) },
  'swagger-ui-bundle.js': { type: javascript, load: () => readFileSync(locate(shippedFiles.js)) },
  'openapi.json': { type: 'application/json; charset=utf-8', load: () => readFileSync(locate(shippedFiles.spec)) },
  'favicon-32x32.png': { type: 'image/png', load: () => readFileSync(locate(shippedFiles.icon)) },
};

const thePage: Asset = { type: html, load: () => Buffer.from(page) };

const loaded = new Map<Asset, Loaded>();

function load(asset: Asset): Loaded {
  let file = loaded.get(asset);
  if (!file) {
    const bytes = asset.load();
    const etag = `W/"${createHash('sha256').update(bytes).digest('base64url').slice(0, 22)}"`;
    file = { type: asset.type, bytes, gzipped: gzipSync(bytes, { level: 9 }), etag };
    loaded.set(asset, file);
  }
  return file;
}

function acceptsGzip(header = ''): boolean {
  return header.split(',').some((part) => {
    const [coding, ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    return (coding === 'gzip' || coding === '*') && (q === undefined || Number(q.slice(2)) > 0);
  });
}

/** The page (`name` undefined) or one of its files, as this client should get it; null: no such file. */
export function serve(name: string | undefined, headers: Record<string, string | undefined>): FileBody | null {
  const asset = name === undefined ? thePage : Object.hasOwn(files, name) ? files[name]! : null;
  if (!asset) return null;
  const file = load(asset);
  const current = (headers['if-none-match'] ?? '').split(',').some((tag) => tag.trim() === file.etag);
  const gzip = !current && acceptsGzip(headers['accept-encoding']);
  return {
    type: file.type,
    bytes: current ? null : gzip ? file.gzipped : file.bytes,
    etag: file.etag,
    gzip,
    ...(file.type === html ? { policy } : {}),
  };
}
