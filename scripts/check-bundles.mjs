#!/usr/bin/env node
// Loads every packaged function the way Lambda does: its zip unpacked alone, in a folder with no
// node_modules anywhere above it, so a package left out of a bundle but still imported fails here
// and not in production. The reference page's function also serves each file it ships, from the
// unpacked zip. Run after `serverless package` (CI does). Needs `unzip`.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const zips = new URL('../.serverless/', import.meta.url).pathname;
const root = mkdtempSync(join(tmpdir(), 'cabinet-bundles-'));

// One request per shipped file of the reference page: each must answer 200 from the zip alone.
const docsCheck = `
for (const asset of [undefined, 'swagger-ui.css', 'swagger-ui-bundle.js', 'favicon-32x32.png', 'openapi.json']) {
  const event = { rawPath: '/docs', headers: {}, pathParameters: asset && { asset }, requestContext: { requestId: 'check', http: { sourceIp: '127.0.0.1' } } };
  const result = await m.handler(event, { awsRequestId: 'check', functionName: 'api-docs' });
  if (result.statusCode !== 200 || !result.body) throw new Error('Error: /docs/' + (asset ?? '') + ' answered ' + result.statusCode + ' from the zip');
}`;

let failed = 0;
const names = readdirSync(zips).filter((f) => f.endsWith('.zip')).map((f) => f.slice(0, -4));
for (const name of names) {
  const dir = join(root, name);
  execFileSync('unzip', ['-q', join(zips, `${name}.zip`), '-d', dir]);
  const entry = join(dir, 'functions', `${name}.mjs`);
  const script = `const m = await import(${JSON.stringify(entry)}); if (typeof m.handler !== 'function') throw new Error('Error: no handler export');${name === 'api-docs' ? docsCheck : ''}`;
  try {
    execFileSync(process.execPath, ['--input-type=module', '-e', script], {
      cwd: dir, env: { PATH: process.env.PATH, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' }, stdio: ['ignore', 'ignore', 'pipe'],
    });
  } catch (error) {
    failed++;
    console.error(`${name}: does not work from its zip alone\n${String(error.stderr ?? error).split('\n').find((l) => /Error/.test(l)) ?? ''}`);
  }
}
console.log(`${names.length - failed} of ${names.length} bundles load from their zips alone`);
process.exit(failed ? 1 : 0);
