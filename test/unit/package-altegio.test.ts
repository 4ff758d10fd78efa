// What a connected stage deploys (issues 15/16): `serverless package` run for real, as the
// operator's deploy does, with the Altegio settings given as params and, to prove nothing secret
// can leak into the template, the three Altegio credentials set in the packaging shell. It runs on a
// copy of the service in a temporary folder (node_modules linked), so that its build folder
// (.esbuild) is not the one a local stack or the bench is using at the same moment.
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
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

type Template = { Resources: Record<string, { Type: string; Properties: { Environment?: { Variables: Record<string, string> } } }> };

async function packaged(params: string[]): Promise<{ text: string; template: Template; zips: string[] }> {
  const work = mkdtempSync(join(tmpdir(), 'cabinet-package-'));
  try {
    for (const entry of ['serverless.yml', 'package.json', 'tsconfig.json', 'functions', 'lib', 'scripts', 'docs']) cpSync(join(root, entry), join(work, entry), { recursive: true });
    symlinkSync(join(root, 'node_modules'), join(work, 'node_modules'));
    const env: NodeJS.ProcessEnv = { ...process.env, ...sentinels };
    for (const name of Object.keys(env)) if (name.startsWith('AWS_') || name === 'CABINET_SECRETS_PATH') delete env[name];
    await run(process.execPath, [join(root, 'node_modules/serverless/bin/serverless.js'), 'package', '--stage', 'pkg', '--package', join(work, 'out'), ...params.map((p) => `--param=${p}`)], { cwd: work, env, timeout: 150_000 });
    const text = readFileSync(join(work, 'out', 'cloudformation-template-update-stack.json'), 'utf8');
    return { text, template: JSON.parse(text) as Template, zips: readdirSync(join(work, 'out')).filter((f) => f.endsWith('.zip')) };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

const functionsOf = (template: Template) => Object.entries(template.Resources).filter(([, r]) => r.Type === 'AWS::Lambda::Function');

describe('serverless package of a connected stage', () => {
  it('gives every function the Altegio settings from the params, and no credential anywhere in the template', async () => {
    const { text, template, zips } = await packaged(['altegioCompanyIds=4564,4565', 'altegioLogin=admin@salon.test', 'altegioWriteback=cancel,review', 'altegioRps=2']);
    const functions = functionsOf(template);
    expect(functions.length).toBe(zips.length);
    for (const [name, fn] of functions) {
      const variables = fn.Properties.Environment!.Variables;
      expect({ name, ...Object.fromEntries(Object.entries(variables).filter(([k]) => k.startsWith('CABINET_ALTEGIO_'))) }).toEqual({
        name, CABINET_ALTEGIO_COMPANY_IDS: '4564,4565', CABINET_ALTEGIO_URL: '', CABINET_ALTEGIO_LOGIN: 'admin@salon.test',
        CABINET_ALTEGIO_WRITEBACK: 'cancel,review', CABINET_ALTEGIO_RPS: '2', CABINET_ALTEGIO_RPM: '',
      });
      expect(variables.CABINET_SECRETS_PATH).toBe('/cabinet/pkg/');
    }
    for (const value of Object.values(sentinels)) expect(text).not.toContain(value);
    for (const name of Object.keys(sentinels)) expect(text).not.toContain(name);
    // The functions that call Altegio may read its three parameters (lib/db/iam.json), by name only.
    expect(text).toContain(':parameter/cabinet/pkg/altegio-partner-token');
  }, 180_000);
});
