// What a connected stage deploys: `serverless package` run for real, as the
// operator's deploy does, with the Altegio settings given as params and, to prove nothing secret
// can leak into the template, the three Altegio credentials set in the packaging shell. It runs on a
// copy of the service in a temporary folder (node_modules linked), so that its build folder
// (.esbuild) is not the one a local stack or the bench is using at the same moment.
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const root = new URL('../../', import.meta.url).pathname;
const run = promisify(execFile);
const sentinels = {
  CABINET_ALTEGIO_PARTNER_TOKEN: 'package-sentinel-partner-token-0001',
  CABINET_ALTEGIO_USER_TOKEN: 'package-sentinel-user-token-0001',
  CABINET_ALTEGIO_PASSWORD: 'package-sentinel-password-0001',
};

type Template = {
  Resources: Record<
    string,
    { Type: string; Condition?: string; Properties: Record<string, any> & { Environment?: { Variables: Record<string, string> } } }
  >;
};

async function packaged(params: string[]): Promise<{ text: string; template: Template; zips: string[] }> {
  const work = mkdtempSync(join(tmpdir(), 'cabinet-package-'));
  try {
    for (const entry of ['serverless.yml', 'package.json', 'tsconfig.json', 'functions', 'lib', 'scripts', 'docs'])
      cpSync(join(root, entry), join(work, entry), { recursive: true });
    symlinkSync(join(root, 'node_modules'), join(work, 'node_modules'));
    const env: NodeJS.ProcessEnv = { ...process.env, ...sentinels };
    for (const name of Object.keys(env)) if (name.startsWith('AWS_') || name === 'CABINET_SECRETS_PATH') delete env[name];
    await run(
      process.execPath,
      [
        join(root, 'node_modules/serverless/bin/serverless.js'),
        'package',
        '--stage',
        'pkg',
        '--package',
        join(work, 'out'),
        ...params.map((p) => `--param=${p}`),
      ],
      { cwd: work, env, timeout: 150_000 },
    );
    const text = readFileSync(join(work, 'out', 'cloudformation-template-update-stack.json'), 'utf8');
    return { text, template: JSON.parse(text) as Template, zips: readdirSync(join(work, 'out')).filter((f) => f.endsWith('.zip')) };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

const functionsOf = (template: Template) => Object.entries(template.Resources).filter(([, r]) => r.Type === 'AWS::Lambda::Function');

describe('serverless package of a connected stage', () => {
  it('gives every function the Altegio settings from the params, and no credential anywhere in the template', async () => {
    const { text, template, zips } = await packaged([
      'altegioCompanyIds=4564,4565',
      'altegioLogin=admin@salon.test',
      'altegioWriteback=cancel,review',
      'altegioRps=2',
    ]);
    const functions = functionsOf(template);
    expect(functions.length).toBe(zips.length);
    for (const [name, fn] of functions) {
      const variables = fn.Properties.Environment!.Variables;
      expect({ name, ...Object.fromEntries(Object.entries(variables).filter(([k]) => k.startsWith('CABINET_ALTEGIO_'))) }).toEqual({
        name,
        CABINET_ALTEGIO_COMPANY_IDS: '4564,4565',
        CABINET_ALTEGIO_URL: '',
        CABINET_ALTEGIO_LOGIN: 'admin@salon.test',
        CABINET_ALTEGIO_WRITEBACK: 'cancel,review',
        CABINET_ALTEGIO_RPS: '2',
        CABINET_ALTEGIO_RPM: '',
      });
      expect(variables.CABINET_SECRETS_PATH).toBe('/cabinet/pkg/');
    }
    for (const value of Object.values(sentinels)) expect(text).not.toContain(value);
    for (const name of Object.keys(sentinels)) expect(text).not.toContain(name);
    // The functions that call Altegio may read its three parameters (lib/db/iam.json), by name only.
    expect(text).toContain(':parameter/cabinet/pkg/altegio-partner-token');
  }, 180_000);

  // A bad setting never reaches AWS: the check runs lib/config.ts itself on the stage's environment,
  // before anything is built, so CloudFormation is never asked to deploy functions that cannot start.
  it('stops, naming the setting, when a param is one lib/config.ts refuses: nothing is packaged', async () => {
    const failure = (params: string[]) =>
      packaged(params).then(
        () => 'packaged',
        (error: { stdout?: string; stderr?: string }) => `${error.stdout ?? ''}${error.stderr ?? ''}`,
      );
    const [stray, malformed] = await Promise.all([
      failure(['altegioUrl=https://altegio.example/api/v1']),
      failure(['altegioCompanyIds=4564', 'altegioUrl=ftp://altegio.example']),
    ]);
    expect(stray).toContain('Stage "pkg" has a bad setting');
    expect(stray).toContain('CABINET_ALTEGIO_URL set but CABINET_ALTEGIO_COMPANY_IDS is not');
    expect(malformed).toContain('CABINET_ALTEGIO_URL must be an http(s) URL');
    expect(malformed).not.toContain('Service packaged');
  }, 180_000);

  // What an operator sees (docs/operations.md, Alarms), as CloudFormation gets it, and cfn-lint's verdict.
  it("carries the access log, the alarms to the given address, the stream's failure queue, no SSM value, and passes cfn-lint", async () => {
    const { text, template } = await packaged(['alarmEmail=ops@salon.test', 'smsDeploymentPerDay=2000']);
    expect(text).not.toContain('{{resolve:ssm');
    const resources = Object.values(template.Resources);
    const format = template.Resources.HttpApiStage!.Properties.AccessLogSettings.Format as string;
    expect(JSON.parse(format.replace(/\$context\.(status|responseLatency)/g, '0'))).toMatchObject({
      requestId: '$context.requestId',
      route: '$context.routeKey',
      ip: '$context.identity.sourceIp',
    });
    // Never the raw path (hashes, tokens) nor the query (?secret=).
    expect(format).not.toMatch(/\$context\.(path|http\.path|requestOverride|querystring)/i);
    expect(resources.find((r) => r.Type === 'AWS::SNS::Subscription')).toMatchObject({
      Condition: 'HasAlarmEmail',
      Properties: { Protocol: 'email', Endpoint: 'ops@salon.test' },
    });
    const alarms = resources.filter((r) => r.Type === 'AWS::CloudWatch::Alarm');
    const watched = alarms.map((a) => JSON.stringify(a.Properties));
    for (const metric of ['"5xx"', 'SmsSent', 'EventsFailed', 'AltegioWritebacksFailed', 'AltegioWritebacksStopped'])
      expect(watched.some((w) => w.includes(metric))).toBe(true);
    expect(watched.find((w) => w.includes('SmsSent'))).toContain('100 * sent / 2000');
    for (const alarm of alarms) expect(alarm.Properties.AlarmActions).toEqual([{ Ref: 'AlarmTopic' }]);
    const mapping = resources.find((r) => r.Type === 'AWS::Lambda::EventSourceMapping')!;
    expect(mapping.Properties.DestinationConfig).toEqual({ OnFailure: { Destination: { 'Fn::GetAtt': ['EventsStreamFailures', 'Arn'] } } });
    const file = join(mkdtempSync(join(tmpdir(), 'cabinet-template-')), 'template.json');
    writeFileSync(file, text);
    // The runtime's deprecation rules judge by today's date (at +400 days nodejs22.x is past its end),
    // and neither a test nor CI may (.ci/run leaves them out too; docs/operations.md says when to move).
    const lint = await run('cfn-lint', ['--ignore-checks', 'E2531', 'E2533', 'W2531', '--', file]).then(
      () => 0,
      (error: { code: number }) => error.code,
    );
    expect(lint & 2).toBe(0); // bit 2: an error (warnings are bit 4)
  }, 180_000);
});
