// Write-back to Altegio (docs/contract.md 8.4) end to end: real handlers on DynamoDB Local, the
// Altegio stand-in as the salon's account (a real HTTP server, with faults on command), cabinet's
// API on a real port for the stand-in's echo webhooks, the table's stream relayed to a real event
// subscriber, and the write-back sweeper's real handler. The clock is moved, never slept through.
import { spawn } from 'node:child_process';
import { freePort } from '../../scripts/local-dynamodb.js';
import { belgradeIn as belgrade, startStandin, type AltegioStandin } from '../helpers/altegio-standin.js';
import { captureAllLogs, jsonLines } from '../helpers/logs.js';
import { startSmsGateway } from '../helpers/sms-gateway.js';
import { startSubscriber } from '../helpers/subscriber.js';
import { testPartnerToken, testSecret } from '../helpers/table.js';
import { given } from '../helpers/fixture.js';
import { asFunction, notAllowed, sent } from '../helpers/table-actions.js';
import { request } from '../helpers/api.js';
import { startCabinetServer } from '../helpers/cabinet-server.js';
import { asUser, partnerHeaders as partner, signIn } from '../helpers/sign-in.js';
import { companyEvent } from '../helpers/altegio.js';
import { push, pushStandinRecord } from '../helpers/webhook.js';
import { config } from '../../lib/config.js';
import { dynamo } from '../../lib/db/client.js';
import { getCommand } from '../../lib/db/altegio-commands.js';
import { getEntity } from '../../lib/db/entities.js';
import { StreamRelay } from '../../scripts/event-relay.js';
import * as deliver from '../../functions/deliver-events.js';
import * as sweeper from '../../functions/retry-altegio.js';
import { main } from '../../scripts/altegio.js';

const partnerToken = 'writeback-partner-token';
const userToken = 'writeback-user-token';
const standin: AltegioStandin = await startStandin({ partnerToken, userToken, rps: 0, rpm: 0 });
const [subscriber, gateway] = await Promise.all([startSubscriber(), startSmsGateway()]);
const cabinetPort = await freePort();
const { time } = await given({
  env: {
    CABINET_ALTEGIO_PARTNER_TOKEN: partnerToken,
    CABINET_ALTEGIO_URL: standin.url,
    CABINET_ALTEGIO_USER_TOKEN: userToken,
    CABINET_ALTEGIO_COMPANY_IDS: '4564,4565',
    CABINET_ALTEGIO_WRITEBACK: 'cancel,profile,review',
    // Roomy: these tests are about write-back, not the budget.
    CABINET_ALTEGIO_RPS: '200',
    CABINET_ALTEGIO_RPM: '10000',
    // Ten cancellations at once charge the shared budget counters twenty times on DynamoDB Local.
    CABINET_DYNAMODB_TIMEOUT_MS: '10000',
    CABINET_METRICS: 'on',
    CABINET_EVENTS_URL: subscriber.url,
    CABINET_SMS_URL: gateway.url,
    // Location 4564 is read through from the stand-in (Belgrade): Ann's Russian phone may get codes there.
    CABINET_SMS_COUNTRIES: 'RU',
  },
  // Now, as Altegio's stamps are (the stand-in's `last_change_date` is real time); moved, never slept through.
  clock: { stoppedAt: Date.now() },
});

// Cabinet's API on a port, where the stand-in's webhooks (its echoes) arrive.
const cabinet = await startCabinetServer(cabinetPort);

const relay = new StreamRelay(dynamo, config, deliver.handler);
afterAll(async () => {
  relay.close();
  await standin.close();
  await Promise.all([subscriber.close(), gateway.close(), cabinet.close()]);
});

const annPhone = '+79161234567';

beforeAll(async () => {
  // Cabinet's own copy of the location allows cancelling: what Altegio says now must still decide.
  await push(companyEvent({ allow_delete_record: true, allow_delete_record_delay_step: 3600 }));
  await push({
    ...companyEvent({ id: 4565, allow_delete_record: true, allow_delete_record_delay_step: 3600 }),
    company_id: 4565,
    resource_id: 4565,
  });
  // Ann, as the salon's two locations know her.
  for (const [companyId, id] of [
    [4564, 18936825],
    [4565, 77001],
  ] as const)
    standin.salon(companyId).clients.get(id)!.phone = annPhone;
  // The salon's webhook, with its echo of cabinet's own changes on.
  for (const id of [4564, 4565]) {
    Object.assign(standin.salon(id).hooks, {
      urls: [`http://127.0.0.1:${cabinetPort}/api/v1/webhooks/altegio?secret=${testSecret}`],
      active: 1,
      record: 1,
      client: 1,
      self_sending: 1,
    });
  }
});

let nextId = 700_000;
/** An appointment of Ann's in the stand-in, delivered to cabinet once (as a webhook or backfill would), and its link hash. */
function appointment(date = belgrade(72), companyId = 4564, extra: Record<string, unknown> = {}): Promise<{ id: number; hash: string }> {
  return pushStandinRecord(standin, ++nextId, date, companyId, extra);
}

const cancel = (id: number, hash: string) => request('DELETE', `/v1/user/records/${id}/${hash}`, { headers: partner });
const view = async (id: number, hash: string) =>
  (await request('GET', `/v1/user/records/${id}/${hash}`, { headers: partner })).body.data[0];
const deletes = (id: number) => standin.requests('DELETE /record/:company_id/:record_id').filter((r) => r.path.endsWith(`/${id}`));
const inStandin = (id: number, companyId = 4564) => standin.salon(companyId).records.get(id)!;
const eventsFor = (id: number) => subscriber.deliveries.filter((d) => d.body.resource === 'record' && d.body.resource_id === id);

/** Minutes pass, and the sweeper runs as its schedule would. */
async function sweepAfter(minutes: number) {
  time.advance(minutes * 60_000);
  return asFunction('retry-altegio', () => sweeper.handler(undefined as never));
}

async function run(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('cancelling, connected to Altegio', () => {
  it('sends exactly one DELETE before answering, frees the slot in the salon calendar, and absorbs the echo', async () => {
    const { id, hash } = await appointment();
    const response = await cancel(id, hash);
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ success: true, data: null, meta: [] });
    // Decided on Altegio's current state: the record and the location's rules read first.
    expect(standin.requests('GET /record/:company_id/:record_id').some((r) => r.path === `/record/4564/${id}`)).toBe(true);
    expect(deletes(id)).toHaveLength(1);
    expect(deletes(id)[0]).toMatchObject({ status: 204, authorization: `Bearer ${partnerToken}, User ${userToken}` });
    expect(inStandin(id).deleted).toBe(true);
    expect((await getCommand(`cancel-4564-${id}`))?.state).toBe('done');

    // Altegio's echo of that DELETE reached cabinet and changed nothing: still shown cancelled, not gone.
    await standin.idle();
    const echo = standin.pushed.filter((p) => (p.body as { resource_id?: number }).resource_id === id);
    expect(echo.map((p) => p.status)).toEqual([200]);
    expect(await view(id, hash)).toMatchObject({ id, deleted: true });
    await relay.pollOnce();
    expect(eventsFor(id)).toHaveLength(1);
    expect(eventsFor(id)[0]!.body.data).toMatchObject({ deleted: true, cancelled_by: 'client' });
  });

  it('answers 200 when the first two DELETEs fail, and the delete lands later through the sweeper', async () => {
    const { id, hash } = await appointment();
    standin.fault('DELETE /record/:company_id/:record_id', { kind: 'status', status: 502 }, 2);
    const response = await cancel(id, hash);
    expect(response.status).toBe(200);
    expect(await view(id, hash)).toMatchObject({ deleted: true });
    expect(inStandin(id).deleted).toBe(false);
    expect(await getCommand(`cancel-4564-${id}`)).toMatchObject({ state: 'retrying', attempts: 1 });

    await sweepAfter(1);
    expect(inStandin(id).deleted).toBe(false); // the second failure
    await sweepAfter(1);
    expect(inStandin(id).deleted).toBe(true);
    expect(deletes(id).map((r) => r.status)).toEqual([502, 502, 204]);
    expect(await getCommand(`cancel-4564-${id}`)).toMatchObject({ state: 'done', attempts: 3 });
    await sweepAfter(1);
    expect(deletes(id)).toHaveLength(3);
    // What the sweeps sent the table, against the role derived for the sweeper.
    expect(sent.get('retry-altegio')?.size).toBeGreaterThan(0);
    expect(notAllowed('retry-altegio')).toEqual([]);
  });

  it('makes one DELETE and one event of 10 cancellations at once', async () => {
    const { id, hash } = await appointment();
    const responses = await Promise.all(Array.from({ length: 10 }, () => cancel(id, hash)));
    expect(responses.map((r) => r.status)).toEqual(Array(10).fill(200));
    // Sent inline, or (when a loaded machine did not get to it in the inline 3.5 s) by the sweeper
    // once the command's 60 s lease is over: its second run.
    await sweepAfter(2);
    await relay.pollOnce();
    expect(deletes(id)).toHaveLength(1);
    expect(eventsFor(id)).toHaveLength(1);
  });

  it('refuses (1005) an appointment the salon moved into the window, sending no DELETE', async () => {
    const { id, hash } = await appointment();
    // Moved to two hours from now: inside the location's 5 h window. Cabinet's copy still says in three days.
    standin.updateRecord(4564, id, { date: belgrade(2) });
    const refused = await cancel(id, hash);
    expect(refused.status).toBe(422);
    expect(refused.body.meta.errors).toEqual([{ code: 1005, message: 'It is too late to cancel this appointment.' }]);
    expect(deletes(id)).toHaveLength(0);
    expect(await getCommand(`cancel-4564-${id}`)).toBeNull();
    expect(await view(id, hash)).toMatchObject({ deleted: false });
  });

  it('refuses (1005) one Altegio has marked visited, and (1004) where the location now forbids deleting; no DELETE', async () => {
    const visited = await appointment();
    standin.updateRecord(4564, visited.id, { visit_attendance: 1, attendance: 1 });
    expect((await cancel(visited.id, visited.hash)).body.meta.errors[0].code).toBe(1005);

    const forbidden = await appointment();
    standin.salon(4564).rules!.allow_delete_record = false;
    try {
      const refused = await cancel(forbidden.id, forbidden.hash);
      expect(refused.status).toBe(422);
      expect(refused.body.meta.errors[0].code).toBe(1004);
    } finally {
      standin.salon(4564).rules!.allow_delete_record = true;
    }
    expect(deletes(visited.id)).toHaveLength(0);
    expect(deletes(forbidden.id)).toHaveLength(0);
  });

  it('succeeds without a DELETE or an event when Altegio deleted the record already', async () => {
    const { id, hash } = await appointment();
    standin.updateRecord(4564, id, { deleted: true });
    expect((await cancel(id, hash)).status).toBe(200);
    expect(await view(id, hash)).toMatchObject({ deleted: true });
    expect(deletes(id)).toHaveLength(0);
    await relay.pollOnce();
    expect(eventsFor(id)).toHaveLength(0);
  });

  it('counts a 404 to the DELETE as done', async () => {
    const { id, hash } = await appointment();
    standin.fault('DELETE /record/:company_id/:record_id', { kind: 'status', status: 404 });
    expect((await cancel(id, hash)).status).toBe(200);
    expect(await getCommand(`cancel-4564-${id}`)).toMatchObject({ state: 'done', result: { deleted: true, already: true } });
  });

  it('decides on its own copy when Altegio cannot be read, and the DELETE still goes', async () => {
    const { id, hash } = await appointment();
    standin.fault('GET /record/:company_id/:record_id', { kind: 'drop' });
    expect((await cancel(id, hash)).status).toBe(200);
    expect(deletes(id)).toHaveLength(1);
    expect(inStandin(id).deleted).toBe(true);
  });

  it('waits out a 429 for its Retry-After, never at once', async () => {
    const { id, hash } = await appointment();
    standin.fault('DELETE /record/:company_id/:record_id', { kind: 'throttle', retryAfter: 150 });
    expect((await cancel(id, hash)).status).toBe(200);
    await sweepAfter(2); // 120 s: not yet
    expect(deletes(id)).toHaveLength(1);
    await sweepAfter(1);
    expect(deletes(id).map((r) => r.status)).toEqual([429, 204]);
  });

  it('waits at most 5 minutes when a 429 asks for ten years, and the delete then lands', async () => {
    const { id, hash } = await appointment();
    standin.fault('DELETE /record/:company_id/:record_id', { kind: 'throttle', retryAfter: 315_360_000 });
    expect((await cancel(id, hash)).status).toBe(200);
    expect(await getCommand(`cancel-4564-${id}`)).toMatchObject({ state: 'retrying', attempts: 1 });
    await sweepAfter(6);
    expect(deletes(id).map((r) => r.status)).toEqual([429, 204]);
    expect(await getCommand(`cancel-4564-${id}`)).toMatchObject({ state: 'done' });
  });

  it('stops with an alert when the token is revoked, lists it as failed, shows it, and replays it once fixed', async () => {
    const { id, hash } = await appointment();
    const logs = captureAllLogs();
    standin.regenerateToken(); // a configured token, no login to mint another
    let response;
    try {
      response = await cancel(id, hash);
    } finally {
      logs.restore();
    }
    expect(response.status).toBe(200);
    const commandId = `cancel-4564-${id}`;
    expect(await getCommand(commandId)).toMatchObject({ state: 'failed', stop_reason: 'auth_revoked' });
    const alert = jsonLines(logs.lines).find((l) => l.message === 'altegio write-back stopped: an operator must act');
    expect(alert).toMatchObject({ level: 'ERROR', command_id: commandId, reason: 'auth_revoked' });
    expect(logs.lines.join('\n')).not.toContain(standin.userToken);
    expect(jsonLines(logs.lines).some((l) => JSON.stringify(l).includes('AltegioWritebacksStopped'))).toBe(true);
    // Decided on the stored copy (Altegio refused the fresh look too): the DELETE's own look was refused, so no DELETE.
    expect(await getCommand(commandId)).toMatchObject({ decided_on: 'stored' });
    const sent = standin.log.length;
    await sweepAfter(10);
    expect(standin.log.length).toBe(sent); // a stopped command is not retried

    const failed = await run('failed');
    expect(failed.code).toBe(0);
    expect(failed.out).toMatch(
      new RegExp(`^${commandId}  cancel  location 4564 record ${id}  failed  attempts 1 .*reason auth_revoked`, 'm'),
    );
    const shown = await run('show', commandId);
    expect(shown.out).toContain(`"record_id":${id}`);
    expect(shown.out).not.toContain(partnerToken);

    standin.userToken = userToken; // the operator fixed it
    const replayed = await run('replay', commandId);
    expect(replayed).toMatchObject({ code: 0 });
    expect(replayed.out).toContain(`replayed ${commandId}: done`);
    expect(inStandin(id).deleted).toBe(true);
    expect((await run('failed')).out).not.toContain(commandId);
    expect((await run('replay', commandId)).code).toBe(1); // only a failed one
  });

  it('stops on a licence refusal, and keeps as failed what still fails after the last attempt', async () => {
    const licence = await appointment();
    standin.fault('DELETE /record/:company_id/:record_id', { kind: 'licence' });
    await cancel(licence.id, licence.hash);
    expect(await getCommand(`cancel-4564-${licence.id}`)).toMatchObject({ state: 'failed', stop_reason: 'licence' });

    const { id, hash } = await appointment();
    standin.fault('DELETE /record/:company_id/:record_id', { kind: 'status', status: 500 }, 50);
    try {
      await cancel(id, hash);
      for (let i = 0; i < 12; i++) await sweepAfter(6);
    } finally {
      standin.clearFaults();
    }
    expect(deletes(id)).toHaveLength(10);
    expect(await getCommand(`cancel-4564-${id}`)).toMatchObject({ state: 'failed', stop_reason: 'attempts', attempts: 10 });
    expect((await run('failed')).out).toContain(`cancel-4564-${id}  cancel`);
    const status = await run('status');
    expect(status.code).toBe(1);
    expect(status.out).toMatch(/^write-back: 2 failed; `npm run altegio -- failed` lists them/m);
  });

  it('loses nothing across a restart: the process dies waiting for its DELETE, and the command runs after the start', async () => {
    const { id, hash } = await appointment();
    // The service, in a process of its own, cancels; Altegio receives its DELETE and never answers.
    standin.fault('DELETE /record/:company_id/:record_id', { kind: 'hang' });
    const code = `const { request } = await import('./test/helpers/api.ts');
      await request('DELETE', '/v1/user/records/${id}/${hash}', { headers: { authorization: 'Bearer ${testPartnerToken}' } });`;
    const service = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], {
      cwd: process.cwd(),
      env: process.env,
      stdio: 'ignore',
    });
    const exited = new Promise((resolve) => service.once('exit', resolve));
    for (let waited = 0; deletes(id).length === 0 && waited < 30_000; waited += 50) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(deletes(id)).toHaveLength(1);
    service.kill('SIGKILL');
    await exited;
    const commandId = `cancel-4564-${id}`;
    expect(await getCommand(commandId)).toMatchObject({ state: 'pending', attempts: 1 });
    expect(await view(id, hash)).toMatchObject({ deleted: true });
    expect(inStandin(id).deleted).toBe(false);

    // After the start: the sweeper finds the command once its lease is over, and the slot is freed.
    time.set(Math.max(time.now(), Date.now()) + 2 * 60_000);
    await sweepAfter(0);
    expect(inStandin(id).deleted).toBe(true);
    expect(deletes(id).map((r) => r.status)).toEqual([-2, 204]);
    expect(await getCommand(commandId)).toMatchObject({ state: 'done' });
  });
});

describe('profile and review write-back', () => {
  let token = '';
  beforeAll(async () => {
    ({ token } = await signIn(gateway, annPhone.slice(1), '10.0.9.1'));
  });

  const cardPuts = () => standin.requests('PUT /client/:company_id/:client_id');

  it("puts each of the user's client cards, with name and phone, once per change; a phone only after its SMS code", async () => {
    const before = cardPuts().length;
    const changed = await request('PUT', '/v1/booking/user', { headers: asUser(token), body: { name: 'Ann B', email: 'ann@new.test' } });
    expect(changed.status).toBe(202);
    const puts = cardPuts().slice(before);
    expect(puts.map((r) => r.path).sort()).toEqual(['/client/4564/18936825', '/client/4565/77001']);
    for (const put of puts) expect(put.body).toEqual({ name: 'Ann B', phone: annPhone, email: 'ann@new.test' });
    expect(standin.salon(4565).clients.get(77001)).toMatchObject({ name: 'Ann B', email: 'ann@new.test' });

    // No code, no change, nothing written back.
    expect((await request('PUT', '/v1/booking/user', { headers: asUser(token), body: { phone: '+79161234568' } })).status).toBe(422);
    expect(cardPuts()).toHaveLength(before + 2);
    await request('GET', `/v1/booking/user/phone_confirmation?phone=${encodeURIComponent('+79161234568')}&company_id=4564`, {
      headers: asUser(token),
      sourceIp: '10.0.9.1',
    });
    const moved = await request('PUT', '/v1/booking/user', {
      headers: asUser(token),
      body: { phone: '+79161234568', confirmation_code: gateway.lastCode('79161234568') },
    });
    expect(moved.status).toBe(202);
    const after = cardPuts().slice(before + 2);
    expect(after).toHaveLength(2);
    for (const put of after) expect(put.body).toMatchObject({ name: 'Ann B', phone: '+79161234568' });

    // The echoes of those PUTs reached cabinet and were absorbed.
    await standin.idle();
    const echoes = standin.pushed.filter((p) => (p.body as { resource?: string }).resource === 'client');
    expect(echoes.length).toBeGreaterThanOrEqual(4);
    expect(echoes.every((p) => p.status === 200)).toBe(true);
    expect(await getEntity('client', 18936825)).toBeNull();
  });

  /** A visited appointment and its review link, from the review request event. */
  async function visited(): Promise<string> {
    const { id } = await appointment(belgrade(-24));
    const record = standin.updateRecord(4564, id, { visit_attendance: 1, attendance: 1 });
    await push({ company_id: 4564, resource: 'record', resource_id: id, status: 'update', data: record });
    await relay.pollOnce();
    const requested = subscriber.deliveries.find((d) => d.body.resource === 'review_request' && d.body.resource_id === id);
    return requested!.body.data.record_token;
  }

  const comments = () => standin.requests('POST /comments/:company_id/:staff_id');

  it("posts one comment per review, with mark, text and the user's name, when 5 submits race", async () => {
    const reviewToken = await visited();
    const before = comments().length;
    const answers = await Promise.all(
      Array.from({ length: 5 }, () =>
        request('POST', `/v1/master_record_review/${reviewToken}`, {
          headers: asUser(token),
          body: { rating: 5, text: 'Great', tips_amount: 0 },
        }),
      ),
    );
    expect(answers.map((a) => a.status).sort()).toEqual([200, 422, 422, 422, 422]);
    await sweepAfter(1);
    const posted = comments().slice(before);
    expect(posted).toHaveLength(1);
    expect(posted[0]).toMatchObject({ path: '/comments/4564/9', status: 201, body: { mark: 5, text: 'Great', name: 'Ann B' } });
  });

  it("looks the comment up before posting again when an attempt's outcome was unknown", async () => {
    const reviewToken = await visited();
    const before = comments().length;
    // Altegio takes the comment but its answer never arrives in time.
    standin.fault('POST /comments/:company_id/:staff_id', { kind: 'delay', ms: 3500 });
    const answer = await request('POST', `/v1/master_record_review/${reviewToken}`, {
      headers: partner,
      body: { rating: 4, text: 'Good, a bit late', tips_amount: 0 },
    });
    expect(answer.status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 700)); // the stand-in stores it meanwhile
    await sweepAfter(1);
    expect(comments().slice(before)).toHaveLength(1);
    expect(standin.salon(4564).comments.filter((c) => c.text === 'Good, a bit late')).toHaveLength(1);
    expect(standin.requests('GET /comments/:company_id').length).toBeGreaterThan(0);
  });
});
