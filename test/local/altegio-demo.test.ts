// `npm start -- --demo --altegio` as a user runs it: the stack comes up connected to the Altegio
// stand-in playing the salon's account, runs connect and backfill against it, and prints the
// walkthrough; following it, Ann logs in by SMS code and sees and opens the appointments that came
// from Altegio (no webhook was ever sent), with their locations' titles and cancel rules;
// `npm run altegio` works beside it from a second shell; and `--demo` after it on the same data
// folder shows its own demo, nothing of this one (team members, events).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jest } from '@jest/globals';
import { freePort } from '../../scripts/local-dynamodb.js';
import { runNode } from '../helpers/child.js';
import { baseEnv, startStack, type Stack } from '../helpers/stack.js';

jest.setTimeout(300_000);

const dataDir = mkdtempSync(join(tmpdir(), 'cabinet-altegio-demo-'));
let stack: Stack;

afterAll(async () => {
  await stack?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

async function until(what: () => RegExpMatchArray | null, ms = 90_000): Promise<RegExpMatchArray> {
  const end = Date.now() + ms;
  for (;;) {
    const found = what();
    if (found) return found;
    if (Date.now() > end) throw new Error(`not seen in time:\n${stack.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

describe('npm start -- --demo first, on the same data folder', () => {
  it('loads its own demo', async () => {
    stack = await startStack(baseEnv(dataDir, { PORT: String(await freePort()), CABINET_DYNAMODB_PORT: String(await freePort()) }), [
      '--demo',
    ]);
    await until(() => stack.output().match(/\[event\] review_request/));
    await stack.stop();
  });
});

describe('npm start -- --demo --altegio', () => {
  it('connects to the stand-in, backfills, and the walkthrough works', async () => {
    const [port, dynamodbPort] = [await freePort(), await freePort()];
    stack = await startStack(baseEnv(dataDir, { PORT: String(port), CABINET_DYNAMODB_PORT: String(dynamodbPort) }), [
      '--demo',
      '--altegio',
    ]);
    await until(() => stack.output().match(/# 4\. Open the one in Moscow/));
    const output = stack.output();
    expect(output).toMatch(
      new RegExp(
        /location 4564 "Salon Belgrade": tokens ok; cancelling allowed until 18000 s before the visit\n/.source +
          /\s+webhook http:\/\/127\.0\.0\.1:\d+\/api\/v1\/webhooks\/altegio\?secret=\*\*\* registered/.source,
      ),
    );
    expect(output).toMatch(
      /location 4565 "Salon Moscow": \S+ to \S+: 1 page\(s\), 1 record\(s\): 1 applied, 0 unchanged, 0 refused; stored the location/,
    );
    expect(output).not.toContain('NodeVersionSupportWarning');

    const auth = { authorization: `Bearer ${stack.partnerToken}`, 'content-type': 'application/json' };
    const sent = await fetch(`${stack.base}/v1/book_code/4564`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ phone: '+381641234567' }),
    });
    expect(sent.status).toBe(201);
    const [, code] = await until(() => stack.output().match(/\[sms\] to \+381641234567 \(login\): (\d+)/));
    const login = await fetch(`${stack.base}/v1/user/auth`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ phone: '381641234567', code }),
    });
    expect(login.status).toBe(201);
    const token = ((await login.json()) as any).data.user_token as string;
    const asAnn = { authorization: `Bearer ${stack.partnerToken}, User ${token}` };
    const list = (await (await fetch(`${stack.base}/v1/user/records`, { headers: asAnn })).json()) as any;
    expect(list.data.map((r: any) => [r.id, r.company.title]).sort()).toEqual([
      [596792980, 'Salon Belgrade'],
      [596800001, 'Salon Moscow'],
    ]);
    const moscow = (await (await fetch(`${stack.base}/v1/user/records/596800001`, { headers: asAnn })).json()) as any;
    expect(moscow.data[0]).toMatchObject({
      company: {
        title: 'Salon Moscow',
        address: 'Tverskaya 12',
        phone: '+74951234567',
        allow_delete_record: true,
        allow_delete_record_delay_step: 7200,
      },
      staff: { name: 'Vera' },
    });
    expect(moscow.data[0].datetime).toMatch(/T10:30:00\+03:00$/);
    expect(moscow.data[0].cancel_deadline).toEqual(expect.any(String));
  });

  it('npm run altegio works beside it from a second shell, with nothing of its settings repeated', async () => {
    const status = await runNode(['scripts/altegio.ts', 'status'], baseEnv(dataDir), 120_000);
    expect(status.stderr).toContain('On the running local stack');
    expect(status.stdout).toMatch(/location 4564 "Salon Belgrade": tokens ok[\s\S]*webhook: registered/);
    expect(status.stdout + status.stderr).not.toMatch(/Not connected/);
    // Nothing of the other demo, run before on this data folder: none of its events sent again.
    expect(stack.output()).not.toMatch(/^\[event\] /m);
  });
});

describe('then npm start -- --demo again', () => {
  it("shows its own team member, not the Altegio demo's of the same id", async () => {
    await stack.stop();
    const [port, dynamodbPort] = [await freePort(), await freePort()];
    stack = await startStack(baseEnv(dataDir, { PORT: String(port), CABINET_DYNAMODB_PORT: String(dynamodbPort) }), ['--demo']);
    const [, hash] = await until(() => stack.output().match(/\/v1\/user\/records\/101\/([0-9a-f]+) /));
    const opened = (await (
      await fetch(`${stack.base}/v1/user/records/101/${hash}`, { headers: { authorization: `Bearer ${stack.partnerToken}` } })
    ).json()) as any;
    expect(opened.data[0].staff).toMatchObject({ id: 21, name: 'Anna Petrova' });
  });
});
