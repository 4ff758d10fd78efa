// Each function's role: derived from the code (scripts/iam.ts), current, used by serverless.yml,
// and as narrow as the code allows.
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { buildIam } from '../../scripts/iam.js';

const checkedIn = JSON.parse(readFileSync(new URL('../../lib/db/iam.json', import.meta.url), 'utf8')) as Record<string, Array<{ Action: string[] }>>;
const actions = (name: string) => checkedIn[name]?.flatMap((s) => s.Action) ?? [];

describe('per-function roles', () => {
  it('are current: regenerate them with `npm run iam` after changing what a function calls', async () => {
    expect(checkedIn).toEqual(JSON.parse(JSON.stringify(await buildIam())));
  });

  it('are what serverless.yml gives every function', () => {
    const file = parse(readFileSync(new URL('../../serverless.yml', import.meta.url), 'utf8'));
    expect(file.provider.iam).toBeUndefined(); // no shared role with every function's actions
    for (const [name, fn] of Object.entries(file.functions as Record<string, { iamRoleStatements?: string }>)) {
      expect(fn.iamRoleStatements).toBe(`\${file(./lib/db/iam.json):${name}}`);
    }
  });

  it('grant reads only to functions that only read, and no Scan or table administration to any', () => {
    expect(actions('not-found')).toEqual(['dynamodb:GetItem']);
    expect(actions('api-docs')).toEqual(['dynamodb:GetItem']);
    expect(actions('get-user-data')).toEqual(['dynamodb:GetItem']);
    expect(actions('deliver-events')).toEqual(['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:UpdateItem']);
    for (const name of Object.keys(checkedIn)) expect(actions(name).filter((a) => /Scan|Table|Delete(Table|Backup)/.test(a))).toEqual([]);
  });

  it('grant each transaction the actions of its items', () => {
    // A cancellation writes the record (Update) and its event (Put) in one TransactWriteItems.
    expect(actions('delete-user-record')).toEqual(expect.arrayContaining(['dynamodb:TransactWriteItems', 'dynamodb:UpdateItem', 'dynamodb:PutItem']));
    // A login spends the code (Delete) and puts the token (and user) in one.
    expect(actions('user-auth')).toEqual(expect.arrayContaining(['dynamodb:TransactWriteItems', 'dynamodb:DeleteItem', 'dynamodb:PutItem']));
  });
});
