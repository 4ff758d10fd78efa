// Write-back that a customer cannot turn into a denial of service or a wrong write
// (docs/security.md, the Altegio rows): refused cancellations asked again and again, a
// cancellation decided on the stored copy, name changes in a loop, a former phone that passed to
// someone else, and an Altegio too slow for the function's timeout. Real handlers on DynamoDB
// Local, the Altegio stand-in as the salon's account, the write-back sweeper's real handler.
import { belgradeIn as belgrade, startStandin, type AltegioStandin } from '../helpers/altegio-standin.js';
import { captureAllLogs, jsonLines } from '../helpers/logs.js';
import { startSmsGateway } from '../helpers/sms-gateway.js';
import { given } from '../helpers/fixture.js';
import { buildEvent, lambdaContext, loadHandler, request } from '../helpers/api.js';
import { asUser, partnerHeaders as partner, signIn } from '../helpers/sign-in.js';
import { companyEvent } from '../helpers/altegio.js';
import { push, pushStandinRecord } from '../helpers/webhook.js';
import { getCommand } from '../../lib/db/altegio-commands.js';
import * as sweeper from '../../functions/retry-altegio.js';
import { main } from '../../scripts/altegio.js';

const partnerToken = 'abuse-partner-token';
const userToken = 'abuse-user-token';
const standin: AltegioStandin = await startStandin({ partnerToken, userToken, rps: 0, rpm: 0 });
const gateway = await startSmsGateway();
const { time } = await given({
  env: {
    CABINET_ALTEGIO_PARTNER_TOKEN: partnerToken,
    CABINET_ALTEGIO_URL: standin.url,
    CABINET_ALTEGIO_USER_TOKEN: userToken,
    CABINET_ALTEGIO_COMPANY_IDS: '4564,4565',
    CABINET_ALTEGIO_WRITEBACK: 'cancel,profile,review',
    // Roomy: the budget's share of fresh looks is altegio-abuse-budget.test.ts.
    CABINET_ALTEGIO_RPS: '200',
    CABINET_ALTEGIO_RPM: '10000',
    CABINET_DYNAMODB_TIMEOUT_MS: '10000',
    CABINET_METRICS: 'on',
    CABINET_SMS_URL: gateway.url,
    // The stand-in's locations are in Serbia; the test users' phones are Russian.
    CABINET_SMS_COUNTRIES: 'RU',
  },
  // Moved, never slept through (the stand-in's dates are real time, the limits' and memories' the clock's).
  clock: { stoppedAt: Date.now() },
});

afterAll(async () => {
  await standin.close();
  await gateway.close();
});

const annPhone = '+79161234567';

beforeAll(async () => {
  await push(companyEvent({ allow_delete_record: true, allow_delete_record_delay_step: 3600 }));
  await push({
    ...companyEvent({ id: 4565, allow_delete_record: true, allow_delete_record_delay_step: 3600 }),
    company_id: 4565,
    resource_id: 4565,
  });
  for (const [companyId, id] of [
    [4564, 18936825],
    [4565, 77001],
  ] as const)
    standin.salon(companyId).clients.get(id)!.phone = annPhone;
});

let nextId = 910_000;
const appointment = (date: string) => pushStandinRecord(standin, ++nextId, date);

const cancel = (id: number, hash: string) => request('DELETE', `/v1/user/records/${id}/${hash}`, { headers: partner });
const looksAt = (id: number) => standin.requests('GET /record/:company_id/:record_id').filter((r) => r.path.endsWith(`/${id}`));
const deletes = (id: number) => standin.requests('DELETE /record/:company_id/:record_id').filter((r) => r.path.endsWith(`/${id}`));
const cardPuts = () => standin.requests('PUT /client/:company_id/:client_id');

async function sweepAfter(ms: number) {
  time.advance(ms);
  return sweeper.handler(undefined as never);
}

async function run(...argv: string[]) {
  const out: string[] = [];
  const code = await main(argv, { out: (l) => out.push(l), err: () => undefined });
  return { code, out: out.join('\n') };
}

describe('refused cancellations', () => {
  it('cost Altegio one look per record in 30 s however often they are asked, then look again', async () => {
    // 30 minutes ahead, cancelling allowed until an hour before: always 1005.
    const { id, hash } = await appointment(belgrade(0.5));
    const before = standin.log.length;
    for (let i = 0; i < 20; i++) {
      const refused = await cancel(id, hash);
      expect(refused.status).toBe(422);
      expect(refused.body.meta.errors[0].code).toBe(1005);
      time.advance(1000);
    }
    // One look: the record and the location's rules.
    expect(standin.log.length - before).toBe(2);
    time.advance(11_000); // the look is 31 s old
    expect((await cancel(id, hash)).status).toBe(422);
    expect(looksAt(id)).toHaveLength(2);
  });

  it('asked 30 times at once look at most 10 times a minute; the rest answer 429 with Retry-After', async () => {
    const { id, hash } = await appointment(belgrade(0.5));
    const answers = await Promise.all(Array.from({ length: 30 }, () => cancel(id, hash)));
    expect(answers.every((a) => a.status === 422 || a.status === 429)).toBe(true);
    expect(looksAt(id).length).toBeLessThanOrEqual(10);
    for (const limited of answers.filter((a) => a.status === 429)) {
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
      expect(limited.body).toMatchObject({ success: false, data: null });
    }
    expect(deletes(id)).toHaveLength(0);
  });

  it('a refusal remembered does not keep a cancellable appointment from being looked at and cancelled', async () => {
    const { id, hash } = await appointment(belgrade(72));
    standin.updateRecord(4564, id, { date: belgrade(0.5) });
    expect((await cancel(id, hash)).status).toBe(422);
    // The salon moves it back out of the window: a minute later the look is made again, and it goes.
    standin.updateRecord(4564, id, { date: belgrade(72) });
    time.advance(31_000);
    expect((await cancel(id, hash)).status).toBe(200);
    expect(deletes(id)).toHaveLength(1);
  });
});

describe('a cancellation decided on the stored copy', () => {
  it('reads the record before its DELETE and, now attended, deletes nothing: kept as failed with an alert', async () => {
    const { id, hash } = await appointment(belgrade(72));
    // Altegio says attended (its webhook not here yet), and cannot be read for the cancellation's look.
    standin.updateRecord(4564, id, { visit_attendance: 1, attendance: 1 });
    standin.fault('GET /record/:company_id/:record_id', { kind: 'drop' });
    const logs = captureAllLogs();
    let answer;
    try {
      answer = await cancel(id, hash);
    } finally {
      logs.restore();
    }
    expect(answer.status).toBe(200);
    const commandId = `cancel-4564-${id}`;
    expect(await getCommand(commandId)).toMatchObject({ decided_on: 'stored', state: 'failed', stop_reason: 'not_cancellable' });
    expect(deletes(id)).toHaveLength(0);
    expect(standin.salon(4564).records.get(id)!.deleted).toBeFalsy();
    const alert = jsonLines(logs.lines).find((l) => l.message === 'altegio write-back stopped: an operator must act');
    expect(alert).toMatchObject({ level: 'ERROR', command_id: commandId, reason: 'not_cancellable' });
    expect(jsonLines(logs.lines).some((l) => JSON.stringify(l).includes('AltegioWritebacksStopped'))).toBe(true);
    expect((await run('failed')).out).toMatch(new RegExp(`^${commandId}  cancel .*reason not_cancellable`, 'm'));
    await sweepAfter(10 * 60_000);
    expect(deletes(id)).toHaveLength(0);
  });

  it('still sends the DELETE when the record is cancellable after all', async () => {
    const { id, hash } = await appointment(belgrade(72));
    standin.fault('GET /companies', { kind: 'status', status: 502 });
    expect((await cancel(id, hash)).status).toBe(200);
    expect(await getCommand(`cancel-4564-${id}`)).toMatchObject({ decided_on: 'stored', state: 'done' });
    expect(deletes(id)).toHaveLength(1);
  });
});

describe('profile changes', () => {
  let token = '';
  beforeAll(async () => {
    ({ token } = await signIn(gateway, annPhone.slice(1), '10.0.9.1'));
    time.advance(120_000);
  });

  it('in a loop are sent once a minute at most, the latest values, and 20 a day', async () => {
    const before = standin.log.length;
    const putsBefore = cardPuts().length;
    for (let i = 0; i < 20; i++)
      expect((await request('PUT', '/v1/booking/user', { headers: asUser(token), body: { name: `Ann ${i}` } })).status).toBe(202);
    // The first is sent at once (a search and a PUT per location); the others wait, debounced.
    expect(standin.log.length - before).toBe(4);
    expect(
      cardPuts()
        .slice(putsBefore)
        .map((p) => (p.body as { name?: string }).name),
    ).toEqual(['Ann 0', 'Ann 0']);
    await sweepAfter(61_000);
    const latest = cardPuts().slice(putsBefore + 2);
    expect(latest.map((p) => (p.body as { name?: string }).name)).toEqual(['Ann 19', 'Ann 19']);
    expect(standin.salon(4565).clients.get(77001)).toMatchObject({ name: 'Ann 19' });

    const refused = await request('PUT', '/v1/booking/user', { headers: asUser(token), body: { name: 'Ann 20' } });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect((await request('GET', '/v1/booking/user/data', { headers: asUser(token) })).body.data.name).toBe('Ann 19');
  });

  it('answer before the function timeout when Altegio takes 2.6 s a request, saved, and the sweeper sends the rest', async () => {
    const { token: bea } = await signIn(gateway, '79161230001', '10.0.9.2');
    standin.addClient(4564, 620_001, { name: 'Bea', phone: '+79161230001' });
    standin.fault('*', { kind: 'delay', ms: 2600 }, 8);
    const logs = captureAllLogs();
    const started = Date.now();
    let answer;
    try {
      answer = await request('PUT', '/v1/booking/user', { headers: asUser(bea), body: { name: 'Bea Slow' } });
    } finally {
      logs.restore();
    }
    const ms = Date.now() - started;
    // The attempt cut short stops before its next request; the sweeper sends it once its lease is over.
    await new Promise((resolve) => setTimeout(resolve, 3000));
    standin.clearFaults();
    expect(answer.status).toBe(202);
    expect(ms).toBeLessThan(6000);
    expect(logs.lines.join('\n')).not.toContain('table unavailable');
    expect((await request('GET', '/v1/booking/user/data', { headers: asUser(bea) })).body.data.name).toBe('Bea Slow');
    await sweepAfter(2 * 60_000);
    expect(standin.salon(4564).clients.get(620_001)).toMatchObject({ name: 'Bea Slow' });
  }, 30_000);

  it("out of the function's own time: 503, logged as a timeout, not as the table, and the change kept", async () => {
    const { token: fay } = await signIn(gateway, '79161230002', '10.0.9.6');
    standin.fault('*', { kind: 'delay', ms: 2600 }, 4);
    const { event, functionName } = buildEvent('PUT', '/v1/booking/user', { headers: asUser(fay), body: { name: 'Fay Late' } });
    const logs = captureAllLogs();
    let result;
    try {
      // 1.5 s left to the function: middy answers before the inline write-back's 3.5 s are over.
      result = await (await loadHandler(functionName))(event, { ...lambdaContext(functionName), getRemainingTimeInMillis: () => 1500 });
    } finally {
      logs.restore();
    }
    await new Promise((resolve) => setTimeout(resolve, 3000));
    standin.clearFaults();
    expect(result.statusCode).toBe(503);
    const lines = jsonLines(logs.lines);
    expect(lines.some((l) => l.message === 'request timed out before its answer')).toBe(true);
    expect(lines.some((l) => l.message === 'table unavailable')).toBe(false);
    expect((await request('GET', '/v1/booking/user/data', { headers: asUser(fay) })).body.data.name).toBe('Fay Late');
  }, 30_000);
});

describe('a former phone', () => {
  const oldPhone = '+79161239001';
  const newPhone = '+79161239002';

  it("is searched once: a later change does not write onto someone else's card that carries it now", async () => {
    standin.addClient(4564, 630_001, { name: 'Cat', phone: oldPhone });
    standin.addClient(4565, 630_002, { name: 'Cat', phone: oldPhone });
    const { id: userId, token } = await signIn(gateway, oldPhone.slice(1), '10.0.9.3');
    // Cat moves to a new phone while Altegio refuses the PUT (a right missing for a while): kept as failed.
    standin.fault('PUT /client/:company_id/:client_id', { kind: 'rights' }, 10);
    await request('GET', `/v1/booking/user/phone_confirmation?phone=${encodeURIComponent(newPhone)}&company_id=4564`, {
      headers: asUser(token),
      sourceIp: '10.0.9.3',
    });
    const moved = await request('PUT', '/v1/booking/user', {
      headers: asUser(token),
      body: { phone: newPhone, confirmation_code: gateway.lastCode(newPhone.slice(1)) },
    });
    expect(moved.status).toBe(202);
    expect(await getCommand(`profile-${userId}`)).toMatchObject({ state: 'failed', stop_reason: 'rights' });
    // The cards the former phone matched are kept; an operator's `show` prints neither them nor the phones.
    const shown = (await run('show', `profile-${userId}`)).out;
    expect(shown).toContain('cards');
    expect(shown).not.toContain(oldPhone.slice(1));
    expect(shown).not.toContain(newPhone.slice(1));
    standin.clearFaults();
    // The salon fixed Cat's cards by hand; the old number is now Bob's, a client of the salon.
    for (const [companyId, id] of [
      [4564, 630_001],
      [4565, 630_002],
    ] as const)
      standin.salon(companyId).clients.get(id)!.phone = newPhone;
    standin.addClient(4564, 630_009, { name: 'Bob', phone: oldPhone, email: 'bob@example.com' });
    time.advance(120_000);
    const before = cardPuts().length;
    expect((await request('PUT', '/v1/booking/user', { headers: asUser(token), body: { name: 'Cat New' } })).status).toBe(202);
    const puts = cardPuts().slice(before);
    expect(puts.map((p) => p.path).sort()).toEqual(['/client/4564/630001', '/client/4565/630002']);
    expect(standin.salon(4564).clients.get(630_009)).toMatchObject({ name: 'Bob', phone: oldPhone });
  });

  it('passed to another cabinet user: the cards it matched are not written on a replay', async () => {
    const formerPhone = '+79161239101';
    standin.addClient(4564, 640_001, { name: 'Dan', phone: formerPhone });
    const { id: userId, token } = await signIn(gateway, formerPhone.slice(1), '10.0.9.4');
    standin.fault('PUT /client/:company_id/:client_id', { kind: 'rights' }, 10);
    const next = '+79161239102';
    await request('GET', `/v1/booking/user/phone_confirmation?phone=${encodeURIComponent(next)}&company_id=4564`, {
      headers: asUser(token),
      sourceIp: '10.0.9.4',
    });
    expect(
      (
        await request('PUT', '/v1/booking/user', {
          headers: asUser(token),
          body: { phone: next, confirmation_code: gateway.lastCode(next.slice(1)) },
        })
      ).status,
    ).toBe(202);
    expect(await getCommand(`profile-${userId}`)).toMatchObject({ state: 'failed' });
    standin.clearFaults();
    // Eve signs in to cabinet with the number Dan gave up; the salon's card 640001 still carries it.
    time.advance(120_000);
    await signIn(gateway, formerPhone.slice(1), '10.0.9.5');
    const before = cardPuts().length;
    const replayed = await run('replay', `profile-${userId}`);
    expect(replayed.code).toBe(0);
    expect(
      cardPuts()
        .slice(before)
        .map((p) => p.path),
    ).not.toContain('/client/4564/640001');
    expect(standin.salon(4564).clients.get(640_001)).toMatchObject({ name: 'Dan', phone: formerPhone });
  });
});
