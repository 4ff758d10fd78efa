// `npm start` connected to Altegio, as a salon's operator runs it: the CABINET_ALTEGIO_* variables
// set, the Altegio stand-in (a real HTTP server in this process) as the salon's account, the stack
// as a child process on a data folder and ports of its own. `npm run altegio` works beside it from
// a second shell that has the same Altegio variables and nothing else of the stack's; and the
// scheduled functions run as on AWS: a cancellation Altegio failed is sent again by the write-back
// retry (every minute, serverless.yml), with nobody asking.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jest } from '@jest/globals';
import { freePort } from '../../scripts/local-dynamodb.js';
import { sign } from '../../lib/domain/signature.js';
import { belgradeIn, startStandin, type AltegioStandin } from '../helpers/altegio-standin.js';
import { runNode } from '../helpers/child.js';
import { baseEnv, startStack, type Stack } from '../helpers/stack.js';

jest.setTimeout(240_000);

const partnerToken = 'connected-stack-partner-token';
const userToken = 'connected-stack-user-token';
const standin: AltegioStandin = await startStandin({ partnerToken, userToken, rps: 0, rpm: 0 });
const dataDir = mkdtempSync(join(tmpdir(), 'cabinet-connected-'));
const altegio = {
  CABINET_ALTEGIO_PARTNER_TOKEN: partnerToken,
  CABINET_ALTEGIO_URL: standin.url,
  CABINET_ALTEGIO_USER_TOKEN: userToken,
  CABINET_ALTEGIO_COMPANY_IDS: '4564,4565',
  CABINET_ALTEGIO_WRITEBACK: 'cancel',
};
/** What an operator's second shell has: the same Altegio variables, the same working folder, nothing else of the stack's. */
const shell = baseEnv(dataDir, altegio);
let stack: Stack;

beforeAll(async () => {
  const [port, dynamodbPort] = [await freePort(), await freePort()];
  stack = await startStack(baseEnv(dataDir, { PORT: String(port), CABINET_DYNAMODB_PORT: String(dynamodbPort), ...altegio }));
}, 150_000);

afterAll(async () => {
  await stack?.stop();
  await standin.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const altegioScript = (...args: string[]) => runNode(['scripts/altegio.ts', ...args], shell, 120_000);

describe('npm run altegio beside the running stack, from a second shell', () => {
  it("connects, backfills and reports with the stack's own settings (its kept internal key, its webhook secret)", async () => {
    const connected = await altegioScript('connect');
    expect([connected.code, connected.stderr]).toEqual([0, expect.stringContaining('On the running local stack')]);
    // The webhook registered is the stack's own, on its own port.
    expect(standin.salon(4564).hooks.urls).toEqual([expect.stringMatching(new RegExp(`^${stack.base}/api/v1/webhooks/altegio\\?secret=`))]);
    const backfilled = await altegioScript('backfill', '--days', '30');
    expect(backfilled.stderr).not.toMatch(/CABINET_INTERNAL_KEY/);
    expect([backfilled.code, backfilled.stdout]).toEqual([0, expect.stringMatching(/location 4564 "Salon Belgrade": .*applied/)]);
    const status = await altegioScript('status');
    expect([status.code, status.stdout]).toEqual([0, expect.stringContaining('webhook: registered')]);
    expect(status.stdout + status.stderr).not.toMatch(/Not connected/);
  });
});

describe('the scheduled functions, as on AWS', () => {
  it('a cancellation Altegio failed (500, 500) is sent again by the write-back retry, with nobody asking', async () => {
    const id = 700_101;
    const record = standin.addRecord(4564, id, { date: belgradeIn(72), staff_id: 9, client_id: 18936825, service_ids: [1] });
    const body = JSON.stringify({ company_id: 4564, resource: 'record', resource_id: id, status: 'create', data: record });
    const pushed = await fetch(`${stack.base}/v1/webhooks/altegio`, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json', 'x-cabinet-signature': sign(stack.webhookSecret, body) },
    });
    expect(pushed.status).toBe(200);
    const hash = ((await pushed.json()) as { data: { record_hash: string } }).data.record_hash;
    standin.fault('DELETE /record/:company_id/:record_id', { kind: 'status', status: 500 }, 2);
    const cancelled = await fetch(`${stack.base}/v1/user/records/${id}/${hash}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${stack.partnerToken}` },
    });
    expect(cancelled.status).toBe(200);
    const deletes = () => standin.requests('DELETE /record/:company_id/:record_id').filter((r) => r.path.endsWith(`/${id}`));
    // The retry runs at each minute's start (rate(1 minute)); two minutes and a margin for a busy machine.
    for (let waited = 0; waited < 180_000 && !deletes().some((r) => r.status === 204); waited += 1000) {
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
    expect(deletes().map((r) => r.status)).toEqual([500, 500, 204]);
    expect(standin.salon(4564).records.get(id)!.deleted).toBe(true);
  });
});
