// Least privilege per function, derived from the code the function can reach: esbuild bundles the
// function's handler with our own code only (packages left out) and tree-shakes it, so what is left
// is every function of ours its handler can call, and nothing a neighbouring function in the same
// file needs. That code says which DynamoDB requests it sends, including the item kinds inside its
// transactions (TransactWriteItems needs the PutItem, UpdateItem, DeleteItem actions of its items
// too), and which secrets it reads (lib/secret-store.ts: one getter per secret, its SSM parameter
// named in it). `npm run iam` rewrites lib/db/iam.json, which serverless.yml gives each function as
// its role; test/unit/iam.test.ts fails when it is stale.
import { readFileSync, writeFileSync } from 'node:fs';
import { build } from 'esbuild';
import { parse } from 'yaml';

const root = new URL('../', import.meta.url);

const commandActions: Record<string, string> = {
  Get: 'GetItem',
  Put: 'PutItem',
  Update: 'UpdateItem',
  Delete: 'DeleteItem',
  Query: 'Query',
  BatchGet: 'BatchGetItem',
  TransactWrite: 'TransactWriteItems',
};

// Items of a transaction, as esbuild prints them: `{ Put: {…} }` or `{ Update: update }`.
const transactItems: Array<[RegExp, string]> = [
  [/\bPut: /, 'PutItem'],
  [/\bUpdate: /, 'UpdateItem'],
  [/\bDelete: /, 'DeleteItem'],
  [/\bConditionCheck: /, 'ConditionCheckItem'],
];

/** Our own code that `entry` can reach, tree-shaken, comments dropped. */
export async function reachableCode(entry: string): Promise<string> {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    packages: 'external',
    treeShaking: true,
    write: false,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    logLevel: 'silent',
    legalComments: 'none',
    outfile: 'out.mjs',
  });
  return result.outputFiles[0]!.text;
}

export async function actionsOf(entry: string): Promise<string[]> {
  const code = await reachableCode(entry);
  const actions = new Set<string>();
  // esbuild may suffix a name it had to rename (GetCommand2).
  for (const match of code.matchAll(/new (\w+?)Command\d*\(/g)) {
    const action = commandActions[match[1]!];
    if (action) actions.add(action);
  }
  // A transaction needs the action of every kind of item in it, wherever the item is built.
  if (actions.has('TransactWriteItems')) for (const [pattern, action] of transactItems) if (pattern.test(code)) actions.add(action);
  return [...actions].sort().map((a) => `dynamodb:${a}`);
}

/**
 * The SSM parameters (lib/secret-store.ts names) a function reads. The webhook secret is read by
 * the one chain's webhook step, which every bundle carries but only a function declared with
 * `auth: 'webhook'` runs: only such a function may read it.
 */
export async function secretsOf(entry: string): Promise<string[]> {
  const code = await reachableCode(entry);
  const names = new Set([...code.matchAll(/secretValue\d*\("([a-z-]+)"\)/g)].map((m) => m[1]!));
  if (!/\bauth: 'webhook'/.test(readFileSync(entry, 'utf8'))) names.delete('webhook-secret');
  return [...names].sort();
}

const table = { 'Fn::GetAtt': ['CabinetTable', 'Arn'] };
const indexes = { 'Fn::Join': ['/', [{ 'Fn::GetAtt': ['CabinetTable', 'Arn'] }, 'index', '*']] };
// The stage's parameters: serverless.yml's CABINET_SECRETS_PATH is /cabinet/<stage>/.
const arn = (service: string, resource: string) => ({
  'Fn::Join': [
    '',
    ['arn:', { Ref: 'AWS::Partition' }, `:${service}:`, { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, `:${resource}`],
  ],
});
const parameterArn = (name: string) => arn('ssm', `parameter/cabinet/\${sls:stage}/${name}`);

function secretStatements(names: string[]): Array<Record<string, unknown>> {
  if (!names.length) return [];
  const parameters = names.map(parameterArn);
  return [
    { Effect: 'Allow', Action: ['ssm:GetParameter'], Resource: parameters },
    // SecureStrings decrypt through KMS: only for these parameters (SSM passes their ARN as the
    // encryption context) and only through SSM. The default key aws/ssm already allows it for
    // the account; this also lets a customer managed key whose key policy defers to IAM work.
    {
      Effect: 'Allow',
      Action: ['kms:Decrypt'],
      Resource: [arn('kms', 'key/*')],
      Condition: {
        StringEquals: { 'kms:EncryptionContext:PARAMETER_ARN': parameters },
        StringLike: { 'kms:ViaService': 'ssm.*.amazonaws.com' },
      },
    },
  ];
}

type StreamEvent = { stream?: { destinations?: { onFailure?: { arn?: unknown } } } };

/** Lambda hands a stream batch that ran out of retries to its failure queue, as the function's role. */
function failureStatements(events: StreamEvent[]): Array<Record<string, unknown>> {
  const queues = events.flatMap((e) => (e.stream?.destinations?.onFailure?.arn ? [e.stream.destinations.onFailure.arn] : []));
  return queues.length ? [{ Effect: 'Allow', Action: ['sqs:SendMessage'], Resource: queues }] : [];
}

export async function buildIam(): Promise<Record<string, Array<Record<string, unknown>>>> {
  const file = parse(readFileSync(new URL('serverless.yml', root), 'utf8')) as {
    functions: Record<string, { handler: string; events?: StreamEvent[] }>;
  };
  const roles: Record<string, Array<Record<string, unknown>>> = {};
  for (const [name, fn] of Object.entries(file.functions)) {
    const entry = new URL(`${fn.handler.replace(/\.handler$/, '')}.ts`, root).pathname;
    const actions = await actionsOf(entry);
    roles[name] = [
      ...(actions.length
        ? [{ Effect: 'Allow', Action: actions, Resource: actions.includes('dynamodb:Query') ? [table, indexes] : [table] }]
        : []),
      ...secretStatements(await secretsOf(entry)),
      ...failureStatements(fn.events ?? []),
    ];
  }
  return roles;
}

if (process.argv[1]?.endsWith('iam.ts')) {
  writeFileSync(new URL('lib/db/iam.json', root), `${JSON.stringify(await buildIam(), null, 2)}\n`);
  console.log('lib/db/iam.json written');
}
