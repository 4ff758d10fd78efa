// A flood of SMS code requests against a connected deployment (docs/security.md, the floods row):
// anyone with a partner token may send them, valid or not, from one address or many, so none of
// them may spend the Altegio budget the reconcile and customers' cancellations need. A phone that
// cannot be one costs no call; a location read for them is kept for its TTL and read once however
// many ask at once. Real handlers in this process, DynamoDB Local, the Altegio stand-in with its
// request log, a real SMS gateway; the budget counts real clock windows, the service clock is moved.
import { belgradeIn as belgrade, startStandin, type AltegioStandin } from '../helpers/altegio-standin.js';
import { captureAllLogs, jsonLines } from '../helpers/logs.js';
import { startSmsGateway } from '../helpers/sms-gateway.js';
import { given } from '../helpers/fixture.js';
import { request, lambdaContext } from '../helpers/api.js';
import { asUser, partnerHeaders as partner, signIn } from '../helpers/sign-in.js';
import { companyEvent } from '../helpers/altegio.js';
import { push, pushStandinRecord } from '../helpers/webhook.js';
import { getCommand } from '../../lib/db/altegio-commands.js';
import { handler as reconcileHandler } from '../../functions/altegio-reconcile.js';

const partnerToken = 'flood-partner-token';
const userToken = 'flood-user-token';
const standin: AltegioStandin = await startStandin({ partnerToken, userToken, rps: 0, rpm: 0 });
// Two Russian locations no webhook has told cabinet about: every code request must learn their country.
for (const id of [4566, 4567]) {
  standin.addSalon(
    id,
    { title: `Salon ${id}`, city: 'Moscow', country: 'Russia', timezone: 3, timezone_name: 'Europe/Moscow', currency_short_title: 'RUB' },
    { allow_delete_record_delay_step: 7200 },
  );
}
const gateway = await startSmsGateway();
const { time: serviceClock } = await given({
  env: {
    CABINET_ALTEGIO_PARTNER_TOKEN: partnerToken,
    CABINET_ALTEGIO_URL: standin.url,
    CABINET_ALTEGIO_USER_TOKEN: userToken,
    CABINET_ALTEGIO_COMPANY_IDS: '4564,4565,4566,4567',
    CABINET_ALTEGIO_WRITEBACK: 'cancel',
    // A small budget: 48 reads a minute fill the read share, and then the reconcile (24) and the looks (30) starve.
    CABINET_ALTEGIO_RPS: '5',
    CABINET_ALTEGIO_RPM: '60',
    CABINET_DYNAMODB_TIMEOUT_MS: '10000',
    CABINET_SMS_URL: gateway.url,
    CABINET_SMS_COMPANY_PER_DAY: '3',
  },
  // The service clock starts on a minute and is moved by the flood, never slept through.
  clock: { stoppedAt: Math.ceil(Date.now() / 60_000) * 60_000 },
});

afterAll(async () => {
  await standin.close();
  await gateway.close();
});

/** Requests that read location `id` from Altegio (its rules, or the location itself). */
const locationReads = (id: number) =>
  standin.log.filter(
    (r) =>
      (r.route === 'GET /companies' && r.query.id === String(id)) || (r.route === 'GET /company/:company_id' && r.path.endsWith(`/${id}`)),
  ).length;
const bookCode = (companyId: number, phone: string, ip: string) =>
  request('POST', `/v1/book_code/${companyId}`, { headers: partner, body: { phone }, sourceIp: ip });

const notPhones = ['not-a-phone', '+1', '12', '+0000000000', 'x'.repeat(40), '+7 999'];

/**
 * `total` code requests, `parallel` at a time, over `spanMs` of the service clock: one in ten
 * with a valid Russian mobile from its own address, the rest not a phone from one address; each
 * ten at the next of `locations`. Stops early (the test then fails) when Altegio is asked more
 * than `maxCalls` times, so a regression cannot run for an hour.
 */
async function flood(total: number, spanMs: number, locations: number[], maxCalls: number, parallel = 16): Promise<Map<number, number>> {
  const start = serviceClock.now();
  const before = standin.log.length;
  const statuses = new Map<number, number>();
  let next = 0;
  const worker = async () => {
    while (next < total && standin.log.length - before <= maxCalls) {
      const i = next++;
      serviceClock.set(start + Math.floor((i * spanMs) / total));
      const valid = i % 10 === 0;
      const phone = valid ? `+7916${String(1_000_000 + i).slice(-7)}` : notPhones[i % notPhones.length]!;
      const ip = valid ? `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}` : '192.0.2.66';
      const { status } = await bookCode(locations[Math.floor(i / 10) % locations.length]!, phone, ip);
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
  return statuses;
}

describe('a flood of SMS code requests', () => {
  it('a phone that cannot be one costs no Altegio call, at book_code and at phone_confirmation', async () => {
    const before = standin.log.length;
    for (let i = 0; i < 20; i++) expect((await bookCode(4564, 'not-a-phone', '192.0.2.1')).status).toBe(422);
    expect(standin.log.length).toBe(before);
    const { token } = await signIn(gateway, '79160000001', '192.0.2.2', 4565);
    const after = standin.log.length;
    for (const phone of notPhones) {
      const answer = await request('GET', `/v1/booking/user/phone_confirmation?phone=${encodeURIComponent(phone)}&company_id=4566`, {
        headers: asUser(token),
        sourceIp: '192.0.2.3',
      });
      expect(answer.status).toBe(422);
    }
    expect(standin.log.length).toBe(after);
  }, 30_000);

  it('of 10,000 in a minute, valid or not, reads each location once, and leaves the reconcile and a cancellation their share', async () => {
    await push(companyEvent({ allow_delete_record: true, allow_delete_record_delay_step: 3600 }));
    const victim = await pushStandinRecord(standin, 970_001, belgrade(72));
    const logs = captureAllLogs();
    try {
      // The first half alone: each location is read from Altegio once, however many ask at once.
      const first = await flood(5000, 30_000, [4566, 4567], 8);
      expect([locationReads(4566), locationReads(4567)]).toEqual([1, 1]);
      // The second half, with the reconcile and a customer's cancellation in the middle of it.
      const [second, reconciled, cancelled] = await Promise.all([
        flood(5000, 30_000, [4566, 4567], 40),
        reconcileHandler(undefined, lambdaContext('altegio-reconcile')),
        request('DELETE', `/v1/user/records/${victim.id}/${victim.hash}`, { headers: partner }),
      ]);
      const sum = (m: Map<number, number>) => [...m.values()].reduce((a, b) => a + b, 0);
      expect(sum(first) + sum(second)).toBe(10_000);
      expect([...new Set([...first.keys(), ...second.keys()])].sort()).toEqual([201, 422, 429]);
      expect(reconciled.locations.map((l) => l.ok)).toEqual([true, true, true, true]);
      expect(cancelled.status).toBe(200);
      // Its fresh look was given its share of the budget: Altegio was asked. Forty handlers in this
      // one process (each its own Lambda when deployed) can hold the event loop past the look's
      // inline deadline on a loaded machine; then it is decided on the stored copy, but never for
      // want of budget.
      expect(standin.log.some((r) => r.method === 'GET' && r.path === `/record/4564/${victim.id}`)).toBe(true);
      const command = await getCommand(`cancel-4564-${victim.id}`);
      const freshFailures = jsonLines(logs.lines).filter(
        (l) => l.message?.startsWith('altegio fresh read failed') && l.record_id === victim.id,
      );
      expect(freshFailures.filter((l) => l.kind !== 'deadline')).toEqual([]);
      if (freshFailures.length === 0) expect(command).toMatchObject({ decided_on: 'fresh' });
      // The reconcile reads a location it does not hold (two requests, and stores it); the flood asked for nothing more.
      expect([locationReads(4566), locationReads(4567)]).toEqual([3, 3]);
      expect(gateway.received.length).toBeLessThanOrEqual(7); // the sign-in, then 3 a day at each of the two locations
    } finally {
      logs.restore();
    }
    // A thousand refusals alike are 10 WARN lines a minute, not a thousand.
    const warnings = jsonLines(logs.lines).filter((l) => l.level === 'WARN');
    const byMessage = new Map<string, number>();
    for (const line of warnings) byMessage.set(line.message, (byMessage.get(line.message) ?? 0) + 1);
    expect(byMessage.get('SMS budget spent')).toBeGreaterThan(0);
    expect(warnings.length).toBeLessThanOrEqual(60);
  }, 240_000);

  it('says, in its next line like them, how many warnings it left out', async () => {
    serviceClock.advance(60_000);
    const logs = captureAllLogs();
    try {
      expect((await bookCode(4566, '+79169999001', '10.250.0.1')).status).toBe(429);
    } finally {
      logs.restore();
    }
    const spent = jsonLines(logs.lines).filter((l) => l.message === 'SMS budget spent');
    expect(spent).toHaveLength(1);
    expect(spent[0]!.suppressed).toBeGreaterThan(100);
  });
});
