#!/usr/bin/env node
// Runs every packaged function the way Lambda does: its zip unpacked alone, in a folder with no
// node_modules anywhere above it (a package left out of a bundle but still imported fails here and
// not in production); the module and export named by the template's `Handler`, found in the Node.js
// runtime's order (`<module>.js`, `.mjs`, `.cjs`); the template's environment plus what Lambda adds
// (the role's keys, the function's name, the region); and ONE invocation with a minimal event of
// its own trigger from the template (an HTTP API request on its first route, a schedule, a
// DynamoDB stream batch). An HTTP function must answer below 500, the others must return. Stand-ins
// on 127.0.0.1 take the place of DynamoDB, SSM and Altegio. Also checked: the reference page
// serves each file its zip ships; DynamoDB and SSM requests are signed with the environment's keys
// (the bundles carry only that link of the SDK's credential chain, lib/db/lambda-credentials.ts);
// the webhook reads its secret from SSM once; and, connected to Altegio with a login (the settings
// `--param="altegioCompanyIds=…" --param="altegioLogin=…"` put in the environment) and no
// `altegio-user-token` parameter, the reconcile takes SSM's ParameterNotFound for "not set" (by
// name, which minification cannot change) and logs in with `POST /auth`. Run after
// `serverless package` (CI does). Needs `unzip`.
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { plainValue, referenceStandIn } from './template-environment.cjs';

const run = promisify(execFile);
const zips = new URL('../.serverless/', import.meta.url).pathname;
const root = mkdtempSync(join(tmpdir(), 'cabinet-bundles-'));

const event = (rawPath, extra = {}) => ({
  rawPath,
  routeKey: 'check',
  headers: {},
  requestContext: { requestId: 'check', http: { sourceIp: '127.0.0.1' } },
  ...extra,
});
const invoke = (e) => `await m.handler(${JSON.stringify(e)}, { awsRequestId: 'check', functionName: 'check' })`;

// One request per shipped file of the reference page: each must answer 200 from the zip alone.
const docsCheck = ['', 'swagger-ui.css', 'swagger-ui-bundle.js', 'favicon-32x32.png', 'openapi.json']
  .map(
    (asset) =>
      `{ const r = ${invoke(event('/docs', asset ? { pathParameters: { asset } } : {}))}; if ` +
      `(r.statusCode !== 200 || !r.body) throw new Error('Error: /docs/${asset} answered ' + ` +
      `r.statusCode + ' from the zip'); }`,
  )
  .join('\n');

const lambdaKeys = {
  AWS_ACCESS_KEY_ID: 'AKIDCHECKBUNDLES0001',
  AWS_SECRET_ACCESS_KEY: 'check-secret-key',
  AWS_SESSION_TOKEN: 'check-session-token',
};
const seen = [];
const dynamo = createServer((req, res) => {
  seen.push({ authorization: req.headers.authorization ?? '', token: req.headers['x-amz-security-token'] });
  req.resume().on('end', () => res.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' }).end('{}'));
});
await new Promise((resolve) => dynamo.listen(0, '127.0.0.1', resolve));
const template = JSON.parse(readFileSync(join(zips, 'cloudformation-template-update-stack.json'), 'utf8'));
const resources = template.Resources;
const secretsPath = Object.values(resources).find((r) => r.Type === 'AWS::Lambda::Function').Properties.Environment.Variables
  .CABINET_SECRETS_PATH;
// SSM holds the webhook secret and, for the connected run, the partner token and the password,
// not the user token; anything else it answers ParameterNotFound, as SSM does.
const ssmSeen = [];
const checkSecret = 'check-webhook-secret-0123456789';
const altegioPassword = 'check-altegio-password-0001';
const stored = {
  'webhook-secret': checkSecret,
  'altegio-partner-token': 'check-altegio-partner-token-0001',
  'altegio-password': altegioPassword,
};
const ssm = createServer((req, res) => {
  const chunks = [];
  req
    .on('data', (c) => chunks.push(c))
    .on('end', () => {
      const input = JSON.parse(Buffer.concat(chunks).toString() || '{}');
      ssmSeen.push({
        target: req.headers['x-amz-target'],
        input,
        authorization: req.headers.authorization ?? '',
        token: req.headers['x-amz-security-token'],
      });
      const value = input.Name?.startsWith(secretsPath) ? stored[input.Name.slice(secretsPath.length)] : undefined;
      const body =
        value !== undefined
          ? { Parameter: { Name: input.Name, Type: 'SecureString', Value: value, Version: 1 } }
          : { __type: 'ParameterNotFound', message: '' };
      res.writeHead(body.Parameter ? 200 : 400, { 'content-type': 'application/x-amz-json-1.1' }).end(JSON.stringify(body));
    });
});
await new Promise((resolve) => ssm.listen(0, '127.0.0.1', resolve));
// Altegio: what the connected reconcile sends. `POST /auth` mints a user token; the rest is refused
// (the check ends there: the login is what it is about).
const altegioSeen = [];
const altegio = createServer((req, res) => {
  const chunks = [];
  req
    .on('data', (c) => chunks.push(c))
    .on('end', () => {
      const body = Buffer.concat(chunks).toString();
      altegioSeen.push({
        method: req.method,
        path: req.url,
        authorization: req.headers.authorization ?? '',
        body: body ? JSON.parse(body) : undefined,
      });
      const [status, answer] =
        req.method === 'POST' && req.url === '/api/v1/auth'
          ? [201, { success: true, data: { user_token: 'check-minted-user-token' }, meta: [] }]
          : [404, { success: false, data: null, meta: { message: 'not in the check' } }];
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
    });
});
await new Promise((resolve) => altegio.listen(0, '127.0.0.1', resolve));
const asLambda = {
  ...lambdaKeys,
  AWS_REGION: 'eu-west-1',
  CABINET_LOG_LEVEL: 'SILENT',
  AWS_ENDPOINT_URL_DYNAMODB: `http://127.0.0.1:${dynamo.address().port}`,
};
const webhookBody = JSON.stringify({ company_id: 1, resource: 'company', resource_id: 1, status: 'update', data: { title: 'Check' } });
const webhook = (signature) =>
  event('/v1/webhooks/altegio', { body: webhookBody, headers: { 'content-type': 'application/json', 'x-cabinet-signature': signature } });
const { createHmac } = await import('node:crypto');
const webhookCheck = [
  `{ const r = ${invoke(webhook('sha256=' + '0'.repeat(64)))}; if (r.statusCode !== 401) throw ` +
    `new Error('Error: a forged webhook answered ' + r.statusCode); }`,
  `{ const r = ${invoke(webhook(`sha256=${createHmac('sha256', checkSecret).update(webhookBody).digest('hex')}`))}; ` +
    'if (r.statusCode === 401 || r.statusCode >= 500) ' +
    "throw new Error('Error: a webhook signed with the secret in SSM answered ' + r.statusCode); }",
].join('\n');
const connected = {
  CABINET_ALTEGIO_COMPANY_IDS: '4564',
  CABINET_ALTEGIO_LOGIN: 'check@salon.test',
  CABINET_ALTEGIO_URL: `http://127.0.0.1:${altegio.address().port}/api/v1`,
};
const extra = {
  'api-docs': { runs: [{ env: {}, script: docsCheck }] },
  'altegio-webhook': { runs: [{ env: {}, script: webhookCheck }] },
  'get-user-data': {
    runs: [{ env: {}, script: `${invoke(event('/v1/booking/user/data', { headers: { authorization: 'Bearer check-partner-token' } }))};` }],
  },
  // As deployed, standalone; then connected with a login and no altegio-user-token in SSM.
  'altegio-reconcile': {
    runs: [
      { env: {}, script: '' },
      { env: connected, script: '' },
    ],
  },
};

let failed = 0;
const targetOf = (id) => (v) => JSON.stringify(v).includes(`"${id}"`);

/** A minimal event of the function's own trigger, as the template wires it. */
function triggerOf(id) {
  const integration = Object.entries(resources).find(
    ([, r]) => r.Type === 'AWS::ApiGatewayV2::Integration' && targetOf(id)(r.Properties.IntegrationUri),
  );
  if (integration) {
    const route = Object.values(resources).find(
      (r) => r.Type === 'AWS::ApiGatewayV2::Route' && JSON.stringify(r.Properties.Target).includes(`"${integration[0]}"`),
    );
    const routeKey = route.Properties.RouteKey;
    const [method, path] = routeKey === '$default' ? ['GET', '/v1/check/unknown'] : routeKey.split(' ');
    const rawPath = path.replace(/\{[^}]+\}/g, '1');
    return {
      kind: 'http',
      event: {
        ...event(rawPath),
        routeKey,
        requestContext: { requestId: 'check', http: { method, path: rawPath, sourceIp: '127.0.0.1' } },
      },
    };
  }
  if (Object.values(resources).some((r) => r.Type === 'AWS::Events::Rule' && targetOf(id)(r.Properties.Targets))) {
    return {
      kind: 'schedule',
      event: {
        version: '0',
        id: 'check',
        'detail-type': 'Scheduled Event',
        source: 'aws.events',
        time: new Date().toISOString(),
        resources: [],
        detail: {},
      },
    };
  }
  if (Object.values(resources).some((r) => r.Type === 'AWS::Lambda::EventSourceMapping' && targetOf(id)(r.Properties.FunctionName))) {
    const image = { pk: { S: 'EVENT#check' }, sk: { S: 'EVENT#check' }, type: { S: 'event' }, event_id: { S: 'check' } };
    return {
      kind: 'stream',
      event: {
        Records: [
          {
            eventID: '1',
            eventName: 'INSERT',
            eventSource: 'aws:dynamodb',
            dynamodb: { Keys: { pk: image.pk, sk: image.sk }, NewImage: image, SequenceNumber: '1', StreamViewType: 'NEW_AND_OLD_IMAGES' },
          },
        ],
      },
    };
  }
  return null;
}

const httpCheck = (routeKey) =>
  `if (!(r?.statusCode < 500)) throw new Error('Error: its ' + ${JSON.stringify(routeKey)} + ' answered ' + r?.statusCode);`;
const streamCheck = "if (!Array.isArray(r?.batchItemFailures)) throw new Error('Error: the stream batch got no batchItemFailures');";
// Runs in the unpacked zip: the runtime's lookup of `Handler`, then one invocation; prints the result.
const runner = (handler, trigger, extraScript) => `
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
const [module, ...path] = ${JSON.stringify(handler)}.split('.');
const file = ['.js', '.mjs', '.cjs'].map((ext) => process.cwd() + '/' + module + ext).find(existsSync);
if (!file) throw new Error('Error: no ' + module + '.js, .mjs or .cjs in the zip');
const loaded = file.endsWith('.mjs') ? await import(file) : createRequire(file)(file);
const m = { handler: path.reduce((o, k) => o?.[k], loaded) };
if (typeof m.handler !== 'function') throw new Error('Error: no handler export ' + path.join('.'));
const context = { awsRequestId: 'check', functionName: 'check', getRemainingTimeInMillis: () => 30000 };
const r = await m.handler(${JSON.stringify(trigger.event)}, context);
${trigger.kind === 'http' ? httpCheck(trigger.event.routeKey) : ''}
${trigger.kind === 'stream' ? streamCheck : ''}
${extraScript}
`;

// Left out of every bundle on purpose (scripts/esbuild-plugins.cjs, "never-run"): node-fetch's multipart parser.
const neverShipped = new Set(['./utils/multipart-parser.js']);

const names = readdirSync(zips)
  .filter((f) => f.endsWith('.zip'))
  .map((f) => f.slice(0, -4));
const functions = Object.entries(resources).filter(([, r]) => r.Type === 'AWS::Lambda::Function');
const invoked = [];

/**
 * The environment as CloudFormation hands it to the function: a reference the template makes is
 * resolved as AWS would (the HTTP API's own address, for the pages' links), never passed on as text.
 */
function resolvedEnvironment(variables) {
  return Object.fromEntries(
    Object.entries(variables).map(([name, value]) => {
      const resolved = plainValue(value) ?? referenceStandIn(value);
      if (resolved === undefined) throw new Error(`${name}: the bundle check cannot resolve ${JSON.stringify(value)}`);
      return [name, resolved];
    }),
  );
}

for (const name of names) {
  const dir = join(root, name);
  execFileSync('unzip', ['-q', join(zips, `${name}.zip`), '-d', dir]);
  // The local stack's inbox (scripts/front.ts, scripts/inbox.ts) shows login codes: none of it ships.
  const shipped = readdirSync(dir, { recursive: true, withFileTypes: true }).filter((f) => f.isFile());
  const local = shipped.filter(
    (f) =>
      /inbox|front\.|scripts\//.test(join(f.parentPath, f.name).slice(dir.length)) ||
      /_local\/inbox|Local inbox/.test(readFileSync(join(f.parentPath, f.name), 'latin1')),
  );
  if (local.length) {
    failed++;
    console.error(`${name}: ships the local stack's inbox (${local.map((f) => join(f.parentPath, f.name).slice(dir.length)).join(', ')})`);
  }
  // Every chunk the bundle can load, now or on a connected part's first use, is in the zip: the
  // invocation below reaches only the parts its one request needs.
  const missing = shipped
    .filter((f) => f.name.endsWith('.mjs'))
    .flatMap((f) =>
      [...readFileSync(join(f.parentPath, f.name), 'utf8').matchAll(/(?:\bfrom|\bimport\(?)\s*["'](\.{1,2}\/[^"']+)["']/g)]
        .map((m) => m[1])
        .filter((spec) => !neverShipped.has(spec) && !existsSync(join(f.parentPath, spec)))
        .map((spec) => `${join(f.parentPath, f.name).slice(dir.length + 1)} → ${spec}`),
    );
  if (missing.length) {
    failed++;
    console.error(`${name}: its zip lacks what its code imports (${missing.join(', ')})`);
  }
  const [id, fn] = functions.find(([, r]) => r.Properties.Handler === `functions/${name}.handler`) ?? [];
  const trigger = id ? triggerOf(id) : null;
  if (!trigger) {
    failed++;
    console.error(`${name}: no function with handler functions/${name}.handler and a trigger in the template`);
    continue;
  }
  const environment = {
    ...resolvedEnvironment(fn.Properties.Environment?.Variables ?? {}),
    ...asLambda,
    AWS_LAMBDA_FUNCTION_NAME: `cabinet-check-${name}`,
    AWS_ENDPOINT_URL_SSM: `http://127.0.0.1:${ssm.address().port}`,
  };
  for (const runs of extra[name]?.runs ?? [{ env: {}, script: '' }]) {
    try {
      await run(process.execPath, ['--input-type=module', '-e', runner(fn.Properties.Handler, runs.trigger ?? trigger, runs.script)], {
        cwd: dir,
        env: { PATH: process.env.PATH, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', ...environment, ...runs.env },
      });
      invoked.push(`${name} (${trigger.kind})`);
    } catch (error) {
      failed++;
      console.error(
        `${name}: does not work from its zip ` +
          `alone\n${
            String(error.stderr ?? error)
              .split('\n')
              .find((l) => /Error/.test(l)) ?? ''
          }`,
      );
    }
  }
}
dynamo.close();
ssm.close();
altegio.close();

const keysOk = (r) => r.authorization.includes(`Credential=${lambdaKeys.AWS_ACCESS_KEY_ID}/`) && r.token === lambdaKeys.AWS_SESSION_TOKEN;
const signed = seen.length > 0 && seen.every(keysOk);
if (!signed) {
  failed++;
  console.error(`DynamoDB requests not all signed with the keys Lambda puts in the environment (${seen.length} requests seen)`);
}
// Every SSM request: GetParameter, decrypted, signed with the role's keys. The webhook secret read
// once by the webhook (cached for its second request).
const ssmSigned =
  ssmSeen.length > 0 && ssmSeen.every((r) => r.target === 'AmazonSSM.GetParameter' && r.input.WithDecryption === true && keysOk(r));
const secretRead = ssmSigned && ssmSeen.filter((r) => r.input.Name === `${secretsPath}webhook-secret`).length === 1;
if (!secretRead) {
  failed++;
  console.error(
    `SSM: not every read was a decrypted GetParameter signed with the environment's keys, or the ` +
      `webhook did not read its secret once ` +
      `(${JSON.stringify(ssmSeen.map((r) => [r.target, r.input]))})`,
  );
}
// Connected with a login, altegio-user-token absent: the reconcile minted a token with the password from SSM.
const loggedIn = altegioSeen.some(
  (r) =>
    r.method === 'POST' &&
    r.path === '/api/v1/auth' &&
    r.body?.password === altegioPassword &&
    r.authorization.includes(stored['altegio-partner-token']),
);
if (!loggedIn) {
  failed++;
  console.error(
    `altegio-reconcile: connected with a login and no altegio-user-token in SSM, it did not POST ` +
      `/auth (Altegio saw ${JSON.stringify(altegioSeen.map((r) => `${r.method} ${r.path}`))})`,
  );
}
const shown = [
  signed && "DynamoDB requests signed with the environment's keys",
  secretRead && 'the secrets read from SSM at run time',
  loggedIn && 'an absent altegio-user-token taken as not set, and POST /auth sent',
].filter(Boolean);
console.log(
  `${names.length - failed} of ${names.length} bundles work from their zips alone, none with the local inbox; ` +
    `invoked: ${invoked.join(', ')}${shown.map((s) => `; ${s}`).join('')}`,
);
// The flood bounds (docs/security.md) as CloudFormation will get them: the scrypt
// functions' reserved concurrency and the stage's throttling resolved to numbers, and every route
// the stage waits for present in the template.
const stage = template.Resources.HttpApiStage ?? {};
const positive = (n) => Number.isInteger(n) && n > 0;
const bounds = [
  ...['BookingDashauthLambdaFunction', 'UpdateDashpasswordLambdaFunction'].map((id) => [
    `${id} reserved concurrency`,
    positive(template.Resources[id]?.Properties?.ReservedConcurrentExecutions),
  ]),
  [
    "the stage's default throttling",
    positive(stage.Properties?.DefaultRouteSettings?.ThrottlingRateLimit) &&
      positive(stage.Properties?.DefaultRouteSettings?.ThrottlingBurstLimit),
  ],
  [
    "the password routes' throttling",
    Object.values(stage.Properties?.RouteSettings ?? {}).length === 4 &&
      Object.values(stage.Properties.RouteSettings).every((r) => positive(r.ThrottlingRateLimit) && positive(r.ThrottlingBurstLimit)),
  ],
  [
    'the routes the stage waits for',
    (stage.DependsOn ?? []).filter((id) => template.Resources[id]?.Type === 'AWS::ApiGatewayV2::Route').length === 4 &&
      stage.DependsOn.every((id) => template.Resources[id]),
  ],
];
for (const [what] of bounds.filter(([, ok]) => !ok)) {
  failed++;
  console.error(`serverless.yml: ${what} missing or not a positive whole number in the packaged template`);
}
// The size target (docs/performance.md, `npm run bench:size` judges it): shown here too, as packaged.
const sizes = names
  .filter((n) => n !== 'api-docs')
  .map((n) => [n, statSync(join(zips, `${n}.zip`)).size / 1024])
  .sort((a, b) => b[1] - a[1]);
console.log(`largest zip: ${sizes[0][0]} ${sizes[0][1].toFixed(1)} KB (target: 200 KB; api-docs ships the reference page's files)`);
process.exit(failed ? 1 : 0);
