// What every benchmark shares: bundles built with the esbuild options serverless.yml deploys, a
// DynamoDB Local seeded with one of everything, and the statistics quoted in docs/performance.md.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { build, type Metafile, type Plugin } from 'esbuild';
import { parse } from 'yaml';
import { freePort, startLocalDynamo, type LocalDynamo } from '../scripts/local-dynamodb.js';
import { testEventsSecret, testInternalKey, testSecret } from '../test/helpers/table.js';

export const root = new URL('../', import.meta.url);
export const outDir = new URL('../.bench/', import.meta.url);

interface ServerlessFile {
  functions: Record<string, { handler: string }>;
  custom: { esbuild: Record<string, unknown> & { exclude?: string[]; banner?: { js: string } } };
}

export const serverless = parse(readFileSync(new URL('serverless.yml', root), 'utf8')) as ServerlessFile;

export interface Bundle {
  name: string;
  file: string;
  bytes: number;
  zippedBytes: number;
  metafile: Metafile;
}

/**
 * Builds an entry with the esbuild options serverless.yml deploys with, but into one file: without
 * code splitting every import() is inlined, so its metafile weighs everything the function ships.
 */
export async function bundle(name: string, entry: string): Promise<Bundle> {
  const o = serverless.custom.esbuild;
  await mkdir(outDir, { recursive: true });
  const file = new URL(`${name}.mjs`, outDir).pathname;
  const result = await build({
    entryPoints: [entry],
    outfile: file,
    bundle: true,
    minify: o.minify as boolean,
    target: o.target as string,
    platform: 'node',
    format: 'esm',
    mainFields: o.mainFields as string[],
    banner: o.banner,
    external: o.exclude ?? [],
    metafile: true,
    logLevel: 'error',
    plugins: createRequire(import.meta.url)('../scripts/esbuild-plugins.cjs') as Plugin[],
  });
  const code = readFileSync(file);
  // (Only the hello-world floor is built here; a zip entry is about the deflated file plus 100 bytes.)
  return { name, file, bytes: code.length, zippedBytes: deflateRawSync(code).length + 100, metafile: result.metafile };
}

/** A bundle's bytes with its chunks' (`<function>.chunks/`, scripts/esbuild-plugins.cjs). */
function withChunks(file: string): number {
  const chunks = file.replace(/\.mjs$/, '.chunks');
  const inChunks = existsSync(chunks) ? readdirSync(chunks).reduce((sum, chunk) => sum + statSync(join(chunks, chunk)).size, 0) : 0;
  return statSync(file).size + inChunks;
}

/**
 * The deployment's own bundles: `serverless package` is run, and each function's bundle and zip
 * are what the benchmarks load and weigh. What is inside comes from esbuild's metafile of a
 * one-file build of the same entry made here (serverless-esbuild would ship its metafiles in
 * every zip).
 */
export async function packagedBundles(): Promise<Bundle[]> {
  const cli = new URL('node_modules/serverless/bin/serverless.js', root).pathname;
  execFileSync(process.execPath, [cli, 'package', '--stage', 'bench'], { cwd: root.pathname, stdio: 'ignore' });
  return Promise.all(
    functionEntries().map(async ({ name, entry }) => {
      const file = new URL(`.esbuild/.build/functions/${name}.mjs`, root).pathname;
      const { metafile } = await bundle(`${name}-check`, entry);
      return { name, file, bytes: withChunks(file), zippedBytes: statSync(new URL(`.serverless/${name}.zip`, root)).size, metafile };
    }),
  );
}

export function functionEntries(): Array<{ name: string; entry: string }> {
  return Object.entries(serverless.functions).map(([name, fn]) => ({
    name,
    entry: new URL(`${fn.handler.replace(/\.handler$/, '')}.ts`, root).pathname,
  }));
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export const ms = (value: number) => `${value.toFixed(2)} ms`;

export interface Stack {
  dynamo: LocalDynamo;
  env: Record<string, string>;
}

/** An in-memory DynamoDB Local, and the environment a service process needs to use it. */
export async function startStack(): Promise<Stack> {
  // Node 20 here, 22 in Lambda: the SDK's notice about it would only add noise to the output.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  const dynamo = await startLocalDynamo({ port: await freePort() });
  const env = {
    CABINET_DYNAMODB_ENDPOINT: dynamo.endpoint,
    CABINET_TABLE: `cabinet-bench-${Date.now()}`,
    // The fixtures sign webhooks the way the tests do.
    CABINET_WEBHOOK_SECRET: testSecret,
    CABINET_INTERNAL_KEY: testInternalKey,
    CABINET_EVENTS_SECRET: testEventsSecret,
    CABINET_SMS_IP_PER_HOUR: '1000000',
    CABINET_SMS_COMPANY_PER_DAY: '1000000',
    CABINET_SMS_DEPLOYMENT_PER_DAY: '1000000',
    CABINET_SMS_PHONE_PER_DAY: '1000000',
    CABINET_SMS_USER_PER_HOUR: '1000000',
    CABINET_LOGIN_IP_PER_HOUR: '1000000',
    CABINET_LOGIN_PER_HOUR: '1000000',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
  Object.assign(process.env, env);
  return { dynamo, env };
}
