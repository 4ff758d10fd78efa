#!/usr/bin/env node
// Loads every packaged function the way Lambda does: its zip unpacked alone, in a folder with no
// node_modules anywhere above it, so a package left out of a bundle but still imported fails here
// and not in production. Two bundles are also run: the reference page's serves each file its zip
// ships, and a DynamoDB function, as in Lambda (no endpoint of ours, the role's keys in the
// environment), must sign its request with those keys: the bundles carry only that link of the
// SDK's credential chain (lib/db/lambda-credentials.ts). A server on 127.0.0.1 stands in for
// DynamoDB and records the signature. The webhook's bundle, as deployed (CABINET_SECRETS_PATH set),
// must read its secret from SSM at run time, decrypted and signed with the same keys: a second
// server stands in for SSM. Run after `serverless package` (CI does). Needs `unzip`.
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const zips = new URL('../.serverless/', import.meta.url).pathname;
const root = mkdtempSync(join(tmpdir(), 'cabinet-bundles-'));

const event = (rawPath, extra = {}) => ({ rawPath, routeKey: 'check', headers: {}, requestContext: { requestId: 'check', http: { sourceIp: '127.0.0.1' } }, ...extra });
const invoke = (e) => `await m.handler(${JSON.stringify(e)}, { awsRequestId: 'check', functionName: 'check' })`;

// One request per shipped file of the reference page: each must answer 200 from the zip alone.
const docsCheck = ['', 'swagger-ui.css', 'swagger-ui-bundle.js', 'favicon-32x32.png', 'openapi.json'].map((asset) =>
  `{ const r = ${invoke(event('/docs', asset ? { pathParameters: { asset } } : {}))}; if (r.statusCode !== 200 || !r.body) throw new Error('Error: /docs/${asset} answered ' + r.statusCode + ' from the zip'); }`).join('\n');

const lambdaKeys = { AWS_ACCESS_KEY_ID: 'AKIDCHECKBUNDLES0001', AWS_SECRET_ACCESS_KEY: 'check-secret-key', AWS_SESSION_TOKEN: 'check-session-token' };
const seen = [];
const dynamo = createServer((req, res) => {
  seen.push({ authorization: req.headers.authorization ?? '', token: req.headers['x-amz-security-token'] });
  req.resume().on('end', () => res.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' }).end('{}'));
});
await new Promise((resolve) => dynamo.listen(0, '127.0.0.1', resolve));
const ssmSeen = [];
const checkSecret = 'check-webhook-secret-0123456789';
const ssm = createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c)).on('end', () => {
    const input = JSON.parse(Buffer.concat(chunks).toString() || '{}');
    ssmSeen.push({ target: req.headers['x-amz-target'], input, authorization: req.headers.authorization ?? '', token: req.headers['x-amz-security-token'] });
    const body = input.Name === '/cabinet/check/webhook-secret'
      ? { Parameter: { Name: input.Name, Type: 'SecureString', Value: checkSecret, Version: 1 } }
      : { __type: 'ParameterNotFound', message: 'not found' };
    res.writeHead(body.Parameter ? 200 : 400, { 'content-type': 'application/x-amz-json-1.1' }).end(JSON.stringify(body));
  });
});
await new Promise((resolve) => ssm.listen(0, '127.0.0.1', resolve));
const asLambda = {
  ...lambdaKeys, AWS_LAMBDA_FUNCTION_NAME: 'check', AWS_REGION: 'eu-west-1', CABINET_LOG_LEVEL: 'SILENT',
  AWS_ENDPOINT_URL_DYNAMODB: `http://127.0.0.1:${dynamo.address().port}`,
};
const webhookBody = JSON.stringify({ company_id: 1, resource: 'company', resource_id: 1, status: 'update', data: { title: 'Check' } });
const webhook = (signature) => event('/v1/webhooks/altegio', { body: webhookBody, headers: { 'content-type': 'application/json', 'x-cabinet-signature': signature } });
const { createHmac } = await import('node:crypto');
const webhookCheck = [
  `{ const r = ${invoke(webhook('sha256=' + '0'.repeat(64)))}; if (r.statusCode !== 401) throw new Error('Error: a forged webhook answered ' + r.statusCode); }`,
  `{ const r = ${invoke(webhook('sha256=' + createHmac('sha256', checkSecret).update(webhookBody).digest('hex')))}; if (r.statusCode === 401 || r.statusCode >= 500) throw new Error('Error: a webhook signed with the secret in SSM answered ' + r.statusCode); }`,
].join('\n');
const extra = {
  'api-docs': { script: docsCheck, env: {} },
  'altegio-webhook': { script: webhookCheck, env: { ...asLambda, CABINET_SECRETS_PATH: '/cabinet/check/', AWS_ENDPOINT_URL_SSM: `http://127.0.0.1:${ssm.address().port}` } },
  'get-user-data': { script: `${invoke(event('/v1/booking/user/data', { headers: { authorization: 'Bearer check-partner-token' } }))};`, env: asLambda },
};

let failed = 0;
const names = readdirSync(zips).filter((f) => f.endsWith('.zip')).map((f) => f.slice(0, -4));
for (const name of names) {
  const dir = join(root, name);
  execFileSync('unzip', ['-q', join(zips, `${name}.zip`), '-d', dir]);
  // The local stack's inbox (scripts/front.ts, scripts/inbox.ts) shows login codes: none of it ships.
  const shipped = readdirSync(dir, { recursive: true, withFileTypes: true }).filter((f) => f.isFile());
  const local = shipped.filter((f) => /inbox|front\.|scripts\//.test(join(f.parentPath, f.name).slice(dir.length)) || /_local\/inbox|Local inbox/.test(readFileSync(join(f.parentPath, f.name), 'latin1')));
  if (local.length) {
    failed++;
    console.error(`${name}: ships the local stack's inbox (${local.map((f) => join(f.parentPath, f.name).slice(dir.length)).join(', ')})`);
  }
  const entry = join(dir, 'functions', `${name}.mjs`);
  const script = `const m = await import(${JSON.stringify(entry)}); if (typeof m.handler !== 'function') throw new Error('Error: no handler export');\n${extra[name]?.script ?? ''}`;
  try {
    await run(process.execPath, ['--input-type=module', '-e', script], {
      cwd: dir, env: { PATH: process.env.PATH, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', ...extra[name]?.env },
    });
  } catch (error) {
    failed++;
    console.error(`${name}: does not work from its zip alone\n${String(error.stderr ?? error).split('\n').find((l) => /Error/.test(l)) ?? ''}`);
  }
}
dynamo.close();
ssm.close();

const signed = seen.length > 0 && seen.every((r) => r.authorization.includes(`Credential=${lambdaKeys.AWS_ACCESS_KEY_ID}/`) && r.token === lambdaKeys.AWS_SESSION_TOKEN);
if (!signed) {
  failed++;
  console.error(`get-user-data: did not sign its DynamoDB request with the keys Lambda puts in the environment (${seen.length} requests seen)`);
}
// Read once (cached for the second request), decrypted, signed with the role's keys.
const secretRead = ssmSeen.length === 1 && ssmSeen.every((r) => r.target === 'AmazonSSM.GetParameter' && r.input.WithDecryption === true
  && r.authorization.includes(`Credential=${lambdaKeys.AWS_ACCESS_KEY_ID}/`) && r.token === lambdaKeys.AWS_SESSION_TOKEN);
if (!secretRead) {
  failed++;
  console.error(`altegio-webhook: did not read its secret from SSM once, decrypted, signed with the environment's keys (${JSON.stringify(ssmSeen.map((r) => [r.target, r.input]))})`);
}
console.log(`${names.length - failed} of ${names.length} bundles work from their zips alone, none with the local inbox${signed ? '; DynamoDB requests signed with the environment\'s keys' : ''}${secretRead ? '; the webhook secret read from SSM at run time' : ''}`);
// The flood bounds (docs/security.md) as CloudFormation will get them: the scrypt
// functions' reserved concurrency and the stage's throttling resolved to numbers, and every route
// the stage waits for present in the template.
const template = JSON.parse(readFileSync(join(zips, 'cloudformation-template-update-stack.json'), 'utf8'));
const stage = template.Resources.HttpApiStage ?? {};
const positive = (n) => Number.isInteger(n) && n > 0;
const bounds = [
  ...['BookingDashauthLambdaFunction', 'UpdateDashpasswordLambdaFunction'].map((id) => [`${id} reserved concurrency`, positive(template.Resources[id]?.Properties?.ReservedConcurrentExecutions)]),
  ['the stage\'s default throttling', positive(stage.Properties?.DefaultRouteSettings?.ThrottlingRateLimit) && positive(stage.Properties?.DefaultRouteSettings?.ThrottlingBurstLimit)],
  ['the password routes\' throttling', Object.values(stage.Properties?.RouteSettings ?? {}).length === 4 && Object.values(stage.Properties.RouteSettings).every((r) => positive(r.ThrottlingRateLimit) && positive(r.ThrottlingBurstLimit))],
  ['the routes the stage waits for', (stage.DependsOn ?? []).length === 4 && stage.DependsOn.every((id) => template.Resources[id]?.Type === 'AWS::ApiGatewayV2::Route')],
];
for (const [what, ok] of bounds.filter(([, ok]) => !ok)) {
  failed++;
  console.error(`serverless.yml: ${what} missing or not a positive whole number in the packaged template`);
}
// The size target (docs/performance.md, `npm run bench:size` judges it): shown here too, as packaged.
const sizes = names.filter((n) => n !== 'api-docs').map((n) => [n, statSync(join(zips, `${n}.zip`)).size / 1024]).sort((a, b) => b[1] - a[1]);
console.log(`largest zip: ${sizes[0][0]} ${sizes[0][1].toFixed(1)} KB (target: 200 KB; api-docs ships the reference page's files)`);
process.exit(failed ? 1 : 0);
