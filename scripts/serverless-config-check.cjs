// A serverless plugin: before `serverless package` (and so `serverless deploy`) builds anything,
// the stage's settings, as each function's environment will hold them, go through lib/config.ts
// itself, in a child process started as a Lambda would start the function (no secrets in the
// environment; CABINET_SECRETS_PATH set). A setting lib/config.ts refuses stops the command, with
// lib/config.ts's own message naming the setting, before CloudFormation is asked anything: a bad
// value never reaches AWS, where every function would refuse to start. CommonJS: serverless
// require()s its plugins.
const { execFileSync } = require('node:child_process');
const { join } = require('node:path');
const { pathToFileURL } = require('node:url');
const { plainValue } = require('./template-environment.cjs');

const root = join(__dirname, '..');
const configModule = pathToFileURL(join(root, 'lib/config.ts')).href;
// Importing lib/config.ts reads and checks process.env, as at a cold start.
const check =
  `import(${JSON.stringify(configModule)}).then(() => process.exit(0), (error) => { ` +
  `console.error(error?.name === 'ConfigError' ? error.message : String(error?.stack ?? error)); ` +
  `process.exit(2); });`;

/** The environment a function gets: plain values only (CloudFormation references, scripts/template-environment.cjs, are not settings). */
function environmentOf(service, fn) {
  const merged = { ...service.provider.environment, ...fn.environment };
  return Object.fromEntries(
    Object.entries(merged)
      .map(([k, v]) => [k, plainValue(v)])
      .filter(([, v]) => v !== undefined),
  );
}

class ConfigCheck {
  constructor(serverless) {
    this.serverless = serverless;
    this.hooks = { 'before:package:initialize': () => this.check() };
  }

  check() {
    const { service } = this.serverless;
    const checked = new Set();
    for (const name of service.getAllFunctions()) {
      const env = environmentOf(service, service.getFunction(name));
      const key = JSON.stringify(env);
      if (checked.has(key)) continue;
      checked.add(key);
      try {
        execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', check], {
          cwd: root,
          stdio: ['ignore', 'ignore', 'pipe'],
          encoding: 'utf8',
          env: {
            PATH: process.env.PATH,
            AWS_LAMBDA_FUNCTION_NAME: name,
            AWS_REGION: service.provider.region,
            CABINET_LOG_LEVEL: 'SILENT',
            ...env,
          },
        });
      } catch (error) {
        const reason =
          String(error.stderr ?? '')
            .trim()
            .split('\n')
            .filter(Boolean)
            .at(-1) ?? String(error);
        throw new this.serverless.classes.Error(
          `Stage "${service.provider.stage}" has a bad setting (function ${name}): ${reason}. Nothing ` +
            `was deployed; fix the param or environment variable and run again.`,
        );
      }
    }
  }
}

module.exports = ConfigCheck;
