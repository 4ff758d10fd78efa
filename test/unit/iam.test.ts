// Each function's role: derived from the code (scripts/iam.ts), current, used by serverless.yml,
// and as narrow as the code allows.
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { buildIam, reachableCode } from '../../scripts/iam.js';

const checkedIn = JSON.parse(readFileSync(new URL('../../lib/db/iam.json', import.meta.url), 'utf8')) as Record<
  string,
  Array<{ Action: string[] }>
>;
const actions = (name: string) => checkedIn[name]?.flatMap((s) => s.Action) ?? [];
const dynamoActions = (name: string) => actions(name).filter((a) => a.startsWith('dynamodb:'));
const reads = ['dynamodb:BatchGetItem', 'dynamodb:GetItem', 'dynamodb:Query'];
/** The last segment of each SSM parameter a function may read. */
const parameters = (name: string) =>
  (checkedIn[name] ?? [])
    .filter((s) => s.Action.includes('ssm:GetParameter'))
    .flatMap((s) =>
      (s as unknown as { Resource: Array<{ 'Fn::Join': [string, string[]] }> }).Resource.map((r) =>
        r['Fn::Join'][1].at(-1)!.split('/').pop()!,
      ),
    );
const altegioSecrets = ['altegio-partner-token', 'altegio-password', 'altegio-user-token'];
/** The parameters other than the Altegio credentials (those are checked on their own, below). */
const own = (name: string) => parameters(name).filter((p) => !altegioSecrets.includes(p));

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
    expect(actions('page-not-found')).toEqual(['dynamodb:GetItem']);
    expect(actions('api-docs')).toEqual(['dynamodb:GetItem']);
    expect(actions('get-user-data')).toEqual(['dynamodb:GetItem']);
    expect(dynamoActions('deliver-events')).toEqual(['dynamodb:UpdateItem']);
    for (const name of Object.keys(checkedIn)) expect(actions(name).filter((a) => /Scan|Table|Delete(Table|Backup)/.test(a))).toEqual([]);
  });

  it('grant each transaction the actions of its items', () => {
    // A cancellation writes the record (Update) and its event (Put) in one TransactWriteItems.
    expect(actions('delete-user-record')).toEqual(
      expect.arrayContaining(['dynamodb:TransactWriteItems', 'dynamodb:UpdateItem', 'dynamodb:PutItem']),
    );
    // A login spends the code (Delete) and puts the token (and user) in one.
    expect(actions('user-auth')).toEqual(
      expect.arrayContaining(['dynamodb:TransactWriteItems', 'dynamodb:DeleteItem', 'dynamodb:PutItem']),
    );
  });

  it('are derived per function reached, not per file: the read-only operations may only read', () => {
    // Their files also hold write functions (records.ts: cancelling); their code never calls them.
    for (const name of ['get-user-record', 'list-user-records', 'get-review-form', 'get-user-data']) {
      // Connected to Altegio, the reads of docs/contract.md 8.3 store what they read and charge the request
      // budget (lib/ports/read-through.ts): single puts and updates, never a delete or a transaction.
      const cache = name === 'get-user-data' ? [] : ['dynamodb:PutItem', 'dynamodb:UpdateItem'];
      expect(dynamoActions(name).filter((a) => !reads.includes(a) && !cache.includes(a))).toEqual([]);
    }
  });

  it('let each function read exactly the secrets its code reads, and the webhook secret only to the webhook', () => {
    expect(own('altegio-webhook')).toEqual(['internal-key', 'legacy-hash-secret', 'webhook-secret']);
    // The gateway's URL carries its key: only the two functions that send SMS may read it.
    for (const name of ['send-book-code', 'send-phone-confirmation']) expect(own(name)).toEqual(['internal-key', 'sms-url']);
    for (const name of ['user-auth', 'update-user']) expect(own(name)).toEqual(['internal-key']);
    for (const name of ['deliver-events', 'retry-events']) expect(parameters(name)).toEqual(['events-secret']);
    // A cancellation's event carries the appointment's link (docs/contract.md section 10), whose hash is
    // minted again from the internal key: cancelling reads it, for that and nothing else.
    for (const name of ['delete-user-record', 'page-cancel', 'move-book-record', 'page-reschedule'])
      expect(own(name)).toEqual(['internal-key']);
    const pages = [
      'page-appointment',
      'page-calendar',
      'page-cancel-confirm',
      'page-reschedule-choose',
      'page-review-form',
      'page-review',
      'page-not-found',
    ];
    for (const name of [
      'get-user-record',
      'list-user-records',
      'get-review-form',
      'submit-review',
      'get-user-data',
      'booking-auth',
      'update-password',
      'api-docs',
      'not-found',
      ...pages,
    ]) {
      expect(own(name)).toEqual([]);
    }
    // Functions that read no secret at all (read-through may make others call Altegio: the next test).
    for (const name of ['booking-auth', 'update-password', 'api-docs', 'not-found', 'page-not-found']) {
      expect({ name, parameters: parameters(name), kms: actions(name).includes('kms:Decrypt') }).toEqual({
        name,
        parameters: [],
        kms: false,
      });
    }
  });

  it('let exactly the functions whose code reaches the Altegio client read its three credentials, and no other function any', async () => {
    const file = parse(readFileSync(new URL('../../serverless.yml', import.meta.url), 'utf8')) as {
      functions: Record<string, { handler: string }>;
    };
    const reaching: string[] = [];
    for (const [name, fn] of Object.entries(file.functions)) {
      const code = await reachableCode(new URL(`../../${fn.handler.replace(/\.handler$/, '')}.ts`, import.meta.url).pathname);
      // Evaluated lazily (a dynamic import), the class is assigned to a variable declared with others.
      const calls = /\b(class|var) AltegioClient\d*\b|\bAltegioClient\d* = class\b/.test(code);
      if (calls) reaching.push(name);
      expect({ name, altegio: parameters(name).filter((p) => altegioSecrets.includes(p)) }).toEqual({
        name,
        altegio: calls ? altegioSecrets : [],
      });
    }
    // Today's callers (more join them as read-through reaches more operations): webhook, reconcile,
    // the write-back sweeper, and the three customer actions written back.
    expect(reaching).toEqual(
      expect.arrayContaining([
        'altegio-webhook',
        'altegio-reconcile',
        'retry-altegio',
        'delete-user-record',
        'submit-review',
        'update-user',
      ]),
    );
    for (const name of ['deliver-events', 'retry-events', 'booking-auth', 'update-password', 'api-docs', 'not-found'])
      expect(reaching).not.toContain(name);
  });

  it('let KMS decrypt only those parameters, only through SSM', () => {
    const kms = checkedIn['altegio-webhook']!.find((s) => s.Action.includes('kms:Decrypt')) as unknown as {
      Condition: Record<string, Record<string, unknown>>;
    };
    expect(kms.Condition.StringLike!['kms:ViaService']).toBe('ssm.*.amazonaws.com');
    expect(kms.Condition.StringEquals!['kms:EncryptionContext:PARAMETER_ARN']).toHaveLength(parameters('altegio-webhook').length);
    expect(parameters('altegio-webhook')).toHaveLength(6);
  });
});
