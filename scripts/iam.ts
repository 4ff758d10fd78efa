// Least privilege per function, derived from the code: esbuild says which of our files go into a
// function's bundle, and those files say which DynamoDB requests they send, including the item
// kinds inside their transactions (TransactWriteItems needs the PutItem, UpdateItem, DeleteItem
// actions of its items too). `npm run iam` rewrites lib/db/iam.json, which serverless.yml gives each
// function as its role; test/unit/iam.test.ts fails when it is stale. A whole file counts as used,
// so a function may get an action a neighbouring function in its file needs: never one less.
import { readFileSync, writeFileSync } from 'node:fs';
import { build } from 'esbuild';
import { parse } from 'yaml';

const root = new URL('../', import.meta.url);

const commandActions: Record<string, string> = {
  Get: 'GetItem', Put: 'PutItem', Update: 'UpdateItem', Delete: 'DeleteItem', Query: 'Query',
  BatchGet: 'BatchGetItem', TransactWrite: 'TransactWriteItems',
};

// Items of a transaction, as our code writes them: `{ Put: {` or `Put: {`.
const transactItems: Array<[RegExp, string]> = [[/\bPut: \{/, 'PutItem'], [/\bUpdate: \{/, 'UpdateItem'], [/\bDelete: /, 'DeleteItem'], [/\bConditionCheck: \{/, 'ConditionCheckItem']];

async function ownFilesOf(entry: string): Promise<string[]> {
  const result = await build({ entryPoints: [entry], bundle: true, write: false, metafile: true, platform: 'node', format: 'esm', target: 'node22', logLevel: 'silent', outfile: 'out.mjs' });
  return Object.keys(result.metafile.inputs).filter((file) => /^(lib|functions)\//.test(file));
}

export async function actionsOf(entry: string): Promise<string[]> {
  const sources = (await ownFilesOf(entry)).map((file) => readFileSync(new URL(file, root), 'utf8'));
  const actions = new Set<string>();
  for (const source of sources) {
    for (const match of source.matchAll(/new (\w+)Command\(/g)) {
      const action = commandActions[match[1]!];
      if (action) actions.add(action);
    }
  }
  // A transaction needs the action of every kind of item in it, wherever the item is built.
  if (actions.has('TransactWriteItems')) {
    for (const source of sources) for (const [pattern, action] of transactItems) if (pattern.test(source)) actions.add(action);
  }
  return [...actions].sort().map((a) => `dynamodb:${a}`);
}

export async function buildIam(): Promise<Record<string, Array<Record<string, unknown>>>> {
  const file = parse(readFileSync(new URL('serverless.yml', root), 'utf8')) as { functions: Record<string, { handler: string }> };
  const table = { 'Fn::GetAtt': ['CabinetTable', 'Arn'] };
  const indexes = { 'Fn::Join': ['/', [{ 'Fn::GetAtt': ['CabinetTable', 'Arn'] }, 'index', '*']] };
  const roles: Record<string, Array<Record<string, unknown>>> = {};
  for (const [name, fn] of Object.entries(file.functions)) {
    const actions = await actionsOf(new URL(`${fn.handler.replace(/\.handler$/, '')}.ts`, root).pathname);
    roles[name] = actions.length ? [{ Effect: 'Allow', Action: actions, Resource: actions.includes('dynamodb:Query') ? [table, indexes] : [table] }] : [];
  }
  return roles;
}

if (process.argv[1]?.endsWith('iam.ts')) {
  writeFileSync(new URL('lib/db/iam.json', root), `${JSON.stringify(await buildIam(), null, 2)}\n`);
  console.log('lib/db/iam.json written');
}
