// esbuild plugins of the deployed bundles (serverless.yml custom.esbuild.plugins; bench/common.ts
// builds with the same). CommonJS: serverless-esbuild require()s this file.
const { rmSync } = require('node:fs');
const { basename, extname, join } = require('node:path');

/** The SDK's credential chain, cut to the environment link that Lambda uses (lib/db/lambda-credentials.ts). */
const lambdaCredentials = {
  name: 'lambda-credentials',
  setup(build) {
    build.onResolve({ filter: /^@aws-sdk\/credential-provider-node$/ }, () => ({
      path: join(__dirname, '../lib/db/lambda-credentials.ts'),
    }));
  },
};

/**
 * Each function's chunks beside its bundle, in `<function>.chunks/`: serverless-esbuild zips a
 * function's files by its bundle's name, so each zip has its own chunks and no other's. Emptied
 * before each build, as the build directory is kept: a chunk of an earlier build would be zipped too.
 */
const ownChunks = {
  name: 'own-chunks',
  setup(build) {
    const o = build.initialOptions;
    if (!o.splitting || !Array.isArray(o.entryPoints) || o.entryPoints.length !== 1) return;
    const entry = String(o.entryPoints[0]);
    const folder = `${basename(entry, extname(entry))}.chunks`;
    o.chunkNames = `${folder}/[name]-[hash]`;
    build.onStart(() => {
      if (o.outdir) rmSync(join(o.outdir, folder), { recursive: true, force: true });
    });
  },
};

/**
 * What the bundles never run, left out: the SDK's event streams (no DynamoDB operation streams
 * events) and its browser user agent parser (bowser), and node-fetch's multipart parser (no answer
 * is read with formData()). Each is reached only by an import() on its own feature's first use, so
 * nothing loads it; left in, each is a chunk of every zip.
 */
const neverRun = {
  name: 'never-run',
  setup(build) {
    build.onResolve({ filter: /^(bowser|@smithy\/core\/event-streams)$/ }, (args) => ({ path: args.path, external: true }));
    build.onResolve({ filter: /^\.\/utils\/multipart-parser\.js$/ }, (args) =>
      args.importer.includes(join('node_modules', 'node-fetch')) ? { path: args.path, external: true } : undefined,
    );
  },
};

module.exports = [lambdaCredentials, ownChunks, neverRun];
