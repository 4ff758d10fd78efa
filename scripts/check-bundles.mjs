#!/usr/bin/env node
// Loads every packaged function bundle the way Lambda does: alone, from a folder with no
// node_modules anywhere above it, so a package left out of a bundle but still imported fails here
// and not in production. Run after `serverless package` (CI does).
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const built = new URL('../.esbuild/.build/functions/', import.meta.url).pathname;
const alone = mkdtempSync(join(tmpdir(), 'cabinet-bundles-'));
let failed = 0;
const bundles = readdirSync(built).filter((f) => f.endsWith('.mjs'));
for (const file of bundles) {
  copyFileSync(join(built, file), join(alone, file));
  try {
    execFileSync(process.execPath, ['--input-type=module', '-e', `const m = await import(${JSON.stringify(join(alone, file))}); if (typeof m.handler !== 'function') throw new Error('no handler export')`], {
      cwd: alone, env: { PATH: process.env.PATH, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' }, stdio: ['ignore', 'ignore', 'pipe'],
    });
  } catch (error) {
    failed++;
    console.error(`${file}: does not load on its own\n${String(error.stderr ?? error).split('\n').find((l) => /Error/.test(l)) ?? ''}`);
  }
}
console.log(`${bundles.length - failed} of ${bundles.length} bundles load on their own`);
process.exit(failed ? 1 : 0);
