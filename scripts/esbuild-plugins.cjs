// esbuild plugins of the deployed bundles (serverless.yml custom.esbuild.plugins; bench/common.ts
// builds with the same). CommonJS: serverless-esbuild require()s this file.
const { join } = require('node:path');

/** The SDK's credential chain, cut to the environment link that Lambda uses (lib/db/lambda-credentials.ts). */
const lambdaCredentials = {
  name: 'lambda-credentials',
  setup(build) {
    build.onResolve({ filter: /^@aws-sdk\/credential-provider-node$/ }, () => ({
      path: join(__dirname, '../lib/db/lambda-credentials.ts'),
    }));
  },
};

module.exports = [lambdaCredentials];
