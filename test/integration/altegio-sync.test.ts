// Backfill and reconcile against the Altegio stand-in (docs/contract.md 8.2): `npm run altegio -- backfill`
// pages `GET /records` (more than one page), stores the records with the location, team members and
// services they need, so their client sees them after an SMS login; it continues after an
// interruption and changes nothing when run again; a newer webhook wins over a backfilled copy, an
// older one does not. The scheduled reconcile, through its handler, brings in what changed in the
// stand-in since its last run and nothing a second time; `status` prints the last one.
import { startSmsGateway } from '../helpers/sms-gateway.js';
import { altegioStamp, startStandin, type AltegioStandin } from '../helpers/altegio-standin.js';
import { testSecret } from '../helpers/table.js';
import { runClockFrom, withClockAhead, withClockAt } from '../helpers/clock.js';
import { given } from '../helpers/fixture.js';
import { asFunction, notAllowed, sent } from '../helpers/table-actions.js';
import { request, lambdaContext } from '../helpers/api.js';
import { asUser, partnerHeaders } from '../helpers/sign-in.js';
import { getEntity } from '../../lib/db/entities.js';
import { main } from '../../scripts/altegio.js';
import { handler as reconcileHandler } from '../../functions/altegio-reconcile.js';
import { db, tableName } from '../../lib/db/client.js';
import { clock } from '../../lib/clock.js';
import { resetReadThrough } from '../../lib/ports/read-through.js';
import { getReconcileMark, takeSyncLease } from '../../lib/db/altegio-sync.js';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { SyncLeases, LeaseLost } from '../../lib/altegio/lease.js';

// The fixtures are on fixed dates in December 2026 and backfill takes its window from the clock.
// (Set before the stand-in starts: it stamps what it seeds with the service clock.)
runClockFrom();
const gateway = await startSmsGateway();
const standin: AltegioStandin = await startStandin({ partnerToken: 'sync-partner', userToken: 'sync-user', rps: 20, rpm: 1000 });
// Ann, the sample client, has a US number at a Belgrade salon: US numbers may get codes.
await given({
  env: {
    CABINET_SMS_URL: gateway.url,
    CABINET_SMS_COUNTRIES: 'US',
    CABINET_ALTEGIO_PARTNER_TOKEN: 'sync-partner',
    CABINET_ALTEGIO_URL: standin.url,
    CABINET_ALTEGIO_USER_TOKEN: 'sync-user',
    CABINET_ALTEGIO_COMPANY_IDS: '4564,4565',
    CABINET_ALTEGIO_RPS: '20',
    CABINET_ALTEGIO_RPM: '1000',
  },
});

afterAll(async () => {
  await standin.close();
  await gateway.close();
});

// Bob has 205 appointments at 4564 besides Ann's: with Ann's, one page of 200 and one of 6.
standin.addClient(4564, 18936900, { name: 'Bob', phone: '+13155550176' });
const bulk = Array.from({ length: 205 }, (_, i) => 597000000 + i);
for (const [i, id] of bulk.entries()) {
  const day = String(2 + (i % 27)).padStart(2, '0');
  standin.addRecord(4564, id, {
    date: `2026-12-${day} ${String(9 + (i % 8)).padStart(2, '0')}:00:00`,
    staff_id: 9,
    client_id: 18936900,
    service_ids: [1],
  });
}

async function run(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const recordsOf = (companyId: number) => standin.requests('GET /records/:company_id').filter((r) => r.path === `/records/${companyId}`);

let annToken = '';

async function signInAnn(ip: string): Promise<string> {
  // Once: the SMS limits would refuse a second code to her phone within the minute.
  if (annToken) return annToken;
  const sent = await request('POST', '/v1/book_code/4564', { headers: partnerHeaders, body: { phone: '+13155550175' }, sourceIp: ip });
  expect(sent.status).toBe(201);
  const login = await request('POST', '/v1/user/auth', {
    headers: partnerHeaders,
    body: { phone: '+13155550175', code: gateway.lastCode('13155550175') },
    sourceIp: ip,
  });
  expect(login.status).toBe(201);
  annToken = login.body.data.user_token;
  return annToken;
}

describe('npm run altegio -- backfill', () => {
  it('pages GET /records of every location and stores every record with what it needs', async () => {
    const result = await run('backfill');
    expect(result).toMatchObject({ code: 0, err: '' });
    expect(result.out).toContain(
      'location 4564 "Salon Belgrade": 2026-11-30 to 2027-03-01: 2 page(s), 206 record(s): 206 ' +
        'applied, 0 unchanged, 0 refused; stored the location, 1 team member(s), 1 service(s)',
    );
    expect(result.out).toContain(
      'location 4565 "Salon Moscow": 2026-11-30 to 2027-03-01: 1 page(s), 1 record(s): 1 applied, 0 unchanged, 0 refused',
    );
    expect(recordsOf(4564).map((r) => r.query)).toEqual(
      [1, 2].map((page) => ({ start_date: '2026-11-30', end_date: '2027-03-01', count: '200', page: String(page), with_deleted: '1' })),
    );
    // The start from the local date in the location's zone (the stand-in writes +01:00 everywhere).
    expect((await getEntity('record', 596800001))?.doc).toMatchObject({ datetime: '2026-12-03T10:30:00+03:00', company_id: 4565 });
    expect((await getEntity('record', bulk[204]!))?.doc).toMatchObject({ company_id: 4564, client: { name: 'Bob' } });
    expect((await getEntity('staff', 21))?.doc).toMatchObject({ name: 'Vera' });
    expect((await getEntity('service', 2))?.doc).toMatchObject({ title: 'Manicure', price_min: 2000, seance_length: 5400 });
    expect((await getEntity('company', 4565))?.doc).toMatchObject({ title: 'Salon Moscow', allow_delete_record_delay_step: 7200 });
  }, 60_000);

  it(
    'lets the client see and open her backfilled appointments, with their locations, after an SMS login, asking ' + 'Altegio nothing',
    async () => {
      const before = standin.log.length;
      const token = await signInAnn('10.8.0.1');
      const list = await request('GET', '/v1/user/records', { headers: asUser(token) });
      expect(list.status).toBe(200);
      expect(list.body.data.map((r: any) => r.id).sort()).toEqual([596792980, 596800001]);
      const moscow = await request('GET', '/v1/user/records/596800001', { headers: asUser(token) });
      expect(moscow.status).toBe(200);
      expect(moscow.body.data[0]).toMatchObject({
        datetime: '2026-12-03T10:30:00+03:00',
        company: { title: 'Salon Moscow', allow_delete_record_delay_step: 7200 },
        staff: { name: 'Vera' },
      });
      // Backfill just read both locations, their team, services and appointments: that counts as read.
      expect(standin.log.slice(before).map((r) => r.route)).toEqual([]);
    },
  );

  it('changes nothing when run again', async () => {
    const before = await getEntity('record', 596792980);
    const result = await run('backfill');
    expect(result.code).toBe(0);
    expect(result.out).toContain('2 page(s), 206 record(s): 0 applied, 206 unchanged, 0 refused');
    expect(result.out).not.toContain('stored');
    expect(await getEntity('record', 596792980)).toEqual(before);
  }, 60_000);

  it('stops with a non-zero exit and one plain line when Altegio fails, and continues where it stopped when run again', async () => {
    // The last record of the last page (by date, then id), so only the resumed page can bring it in.
    standin.updateRecord(4564, bulk[134]!, { comment: 'changed in Altegio' });
    standin.faultWhen('GET /records/:company_id', (q) => q.page === '2', { kind: 'status', status: 500 }, 10);
    const failed = await run('backfill', '--days', '90');
    standin.clearFaults();
    expect(failed.code).toBe(1);
    expect(failed.err).toContain('location 4564: backfill stopped; run it again to continue where it stopped');
    expect(failed.err).toMatch(/^Altegio: Altegio did not answer usably.*\(GET \/records\/:id: 500\)$/m);
    expect(failed.err).not.toMatch(/\n\s+at /);
    const before = recordsOf(4564).length;
    const resumed = await run('backfill');
    expect(resumed.code).toBe(0);
    expect(resumed.out).toContain(
      'location 4564 "Salon Belgrade": 2026-11-30 to 2027-03-01, continued at page 2: 1 page(s), 6 ' +
        'record(s): 1 applied, 5 unchanged, 0 refused',
    );
    expect(
      recordsOf(4564)
        .slice(before)
        .map((r) => r.query.page),
    ).toEqual(['2']);
    expect((await getEntity('record', bulk[134]!))?.doc).toMatchObject({ comment: 'changed in Altegio' });
  }, 60_000);

  it('keeps a newer webhook over the backfilled copy, and refuses an older one', async () => {
    const stand = standin.salon(4564).records.get(596792980)!;
    const at = Date.parse(String(stand.last_change_date));
    const webhook = (comment: string, ms: number) =>
      request('POST', `/v1/webhooks/altegio?secret=${testSecret}`, {
        body: [
          {
            company_id: '4564',
            resource: 'record',
            resource_id: '596792980',
            status: 'update',
            data: { ...stand, comment, last_change_date: altegioStamp(ms) },
          },
        ],
      });
    const newer = await webhook('from the newer webhook', at + 60_000);
    expect(newer.body.data[0]).toMatchObject({ applied: true });
    expect((await run('backfill')).code).toBe(0);
    expect((await getEntity('record', 596792980))?.doc).toMatchObject({ comment: 'from the newer webhook' });
    const older = await webhook('from an older webhook', at - 60_000);
    expect(older.body.data[0]).toMatchObject({ applied: false });
    expect((await getEntity('record', 596792980))?.doc).toMatchObject({ comment: 'from the newer webhook' });
  }, 60_000);

  it(
    "lists a backfilled location's appointments from the table when Altegio is down, but never turns a record it " +
      'cannot look up into a 404',
    async () => {
      const sent = await request('POST', '/v1/book_code/4564', {
        headers: partnerHeaders,
        body: { phone: '+13155550176' },
        sourceIp: '10.8.0.9',
      });
      expect(sent.status).toBe(201);
      const login = await request('POST', '/v1/user/auth', {
        headers: partnerHeaders,
        body: { phone: '+13155550176', code: gateway.lastCode('13155550176') },
        sourceIp: '10.8.0.9',
      });
      expect(login.status).toBe(201);
      const bob = asUser(login.body.data.user_token);
      standin.fault('*', { kind: 'status', status: 500 }, 1000);
      // The backfill's minute is over: Bob's appointments would be read.
      await withClockAt(clock.now() + 2 * 60_000, async () => {
        const before = standin.log.length;
        const list = await request('GET', '/v1/user/records?count=5', { headers: bob });
        expect(list.status).toBe(200);
        expect(list.body.data).toHaveLength(5);
        expect(list.body.data.every((r: any) => bulk.includes(r.id))).toBe(true);
        expect(standin.log.length).toBeGreaterThan(before); // it did ask, and was refused
        const unknown = await request('GET', '/v1/user/records/597999999', { headers: bob });
        expect(unknown.status).toBe(503);
        expect(Number(unknown.headers['retry-after'])).toBeGreaterThan(0);
      }).finally(() => {
        standin.clearFaults();
        resetReadThrough();
      });
    },
    30_000,
  );

  it('refuses wrong arguments with its usage', async () => {
    for (const args of [['--days'], ['--days', '0'], ['--days', '400'], ['--weeks', '2']]) {
      const result = await run('backfill', ...args);
      expect(result).toMatchObject({ code: 2, err: expect.stringMatching(/^usage: npm run altegio -- .*\| backfill \[--days N\]/) });
    }
  });
});

describe('the scheduled reconcile', () => {
  const reconcile = () => asFunction('altegio-reconcile', () => reconcileHandler(undefined, lambdaContext('altegio-reconcile')));

  it('brings in what changed in Altegio with no webhook sent: new, moved and deleted appointments', async () => {
    const first = await reconcile();
    expect(first.locations.every((l) => l.ok)).toBe(true);
    standin.addRecord(4565, 596800002, { date: '2026-12-05 12:00:00', staff_id: 21, client_id: 77001, service_ids: [2] });
    standin.updateRecord(4565, 596800001, { date: '2026-12-04 11:00:00' });
    standin.updateRecord(4564, bulk[0]!, { deleted: true });
    const second = await reconcile();
    expect(second.locations).toEqual([
      { companyId: 4564, ok: true, mark: expect.objectContaining({ applied: 1 }) },
      { companyId: 4565, ok: true, mark: expect.objectContaining({ applied: 2 }) },
    ]);
    expect(recordsOf(4565).at(-1)!.query).toMatchObject({
      changed_after: expect.stringMatching(/^2026-\d\d-\d\dT\d\d:\d\d:\d\d\+03:00$/),
      with_deleted: '1',
      count: '200',
      page: '1',
    });
    expect((await getEntity('record', 596800002))?.doc).toMatchObject({ datetime: '2026-12-05T12:00:00+03:00' });
    expect((await getEntity('record', 596800001))?.doc).toMatchObject({ datetime: '2026-12-04T11:00:00+03:00' });
    expect(await getEntity('record', bulk[0]!)).toBeNull();
    const token = await signInAnn('10.8.0.2');
    const list = await request('GET', '/v1/user/records', { headers: asUser(token) });
    expect(list.body.data.map((r: any) => r.id)).toContain(596800002);
  }, 60_000);

  it('changes nothing when run again', async () => {
    const result = await reconcile();
    expect(result.locations.map((l) => l.ok && l.mark.applied)).toEqual([0, 0]);
  }, 60_000);

  it('keeps the other locations going when one is refused, and does not move its watermark', async () => {
    const before = await getReconcileMark(4564);
    standin.faultWhen('GET /records/:company_id', () => true, { kind: 'rights' }, 1);
    const result = await reconcile();
    expect(result.locations[0]).toEqual({ companyId: 4564, ok: false, error: 'refused' });
    expect(result.locations[1]).toMatchObject({ companyId: 4565, ok: true });
    expect(await getReconcileMark(4564)).toEqual(before);
  }, 60_000);

  it('is printed by status, per location', async () => {
    const result = await run('status');
    expect(result.out).toMatch(
      new RegExp(
        /location 4564 [^\n]*\n(?:[^\n]*\n)*?/.source +
          /\s+last reconcile: 2026-\S+ \(changes read up to 2026-\S+\): 0 applied, \d+ unchanged, 0 refused/.source,
      ),
    );
    expect(result.out).toMatch(
      new RegExp(
        /location 4565 [^\n]*\n(?:[^\n]*\n)*?/.source +
          /\s+last reconcile: 2026-\S+ \(changes read up to 2026-\S+\): 0 applied, \d+ unchanged, 0 refused/.source,
      ),
    );
  }, 30_000);

  it('sends the table only what its derived role allows', () => {
    expect(sent.get('altegio-reconcile')?.size).toBeGreaterThan(0);
    expect(notAllowed('altegio-reconcile')).toEqual([]);
  });
});

describe('one run at a time per location', () => {
  const reconcile = () => reconcileHandler(undefined, lambdaContext('altegio-reconcile'));
  const { getLease } = {
    getLease: async (companyId: number) => {
      return (
        await db.send(new GetCommand({ TableName: tableName, Key: { pk: `ALTEGIO#SYNC#${companyId}`, sk: 'LEASE' }, ConsistentRead: true }))
      ).Item;
    },
  };

  /** A backfill whose first page Altegio answers slowly, and the moment its request has arrived. */
  async function slowBackfill() {
    standin.faultWhen('GET /records/:company_id', (q) => !q.changed_after, { kind: 'delay', ms: 5000 }, 1);
    const before = standin.log.length;
    const running = run('backfill');
    while (standin.log.length === before) await new Promise((resolve) => setTimeout(resolve, 20));
    return { running };
  }

  it('refuses a second backfill while one runs, saying so and when its lease expires, and sends Altegio nothing', async () => {
    const { running: first } = await slowBackfill();
    expect((await run('status')).out).toMatch(
      /location 4564 [^\n]*\n(?:[^\n]*\n)*?\s+running now: a backfill \(since 2026-\S+Z; its lease expires at 2026-\S+Z unless renewed\)/,
    );
    const sent = standin.log.length;
    const second = await run('backfill');
    expect(second.code).toBe(1);
    expect(second.out).toBe('');
    expect(second.err).toMatch(
      new RegExp(
        /^location 4564: a backfill is already running there \(since 2026-\S+Z\); /.source +
          /its lease expires at 2026-\S+Z unless that run renews it\. /.source +
          /Nothing was started and nothing sent to Altegio; run it again once that run has ended\.$/.source,
      ),
    );
    const expires = Date.parse(/expires at (\S+Z)/.exec(second.err)![1]!);
    expect(expires - clock.now()).toBeGreaterThan(60_000);
    expect(expires - clock.now()).toBeLessThanOrEqual(120_000);
    expect(standin.log.length).toBe(sent); // the second run sent nothing
    await expect(first).resolves.toMatchObject({ code: 0, err: '' });
    // Given back when done: the next run goes ahead.
    expect(await getLease(4564)).toBeUndefined();
    expect(await getLease(4565)).toBeUndefined();
    expect((await run('backfill')).code).toBe(0);
  }, 60_000);

  it('makes the reconcile skip the locations a backfill holds this round, and catch up the next', async () => {
    standin.addRecord(4565, 596800003, { date: '2026-12-06 12:00:00', staff_id: 21, client_id: 77001, service_ids: [2] });
    const { running: backfill } = await slowBackfill();
    const sent = standin.log.length;
    const skipped = await reconcile();
    expect(skipped.locations).toEqual(
      [4564, 4565].map((companyId) => ({
        companyId,
        ok: false,
        error: 'busy',
        held_by: 'backfill',
        until: expect.stringMatching(/^2026-\S+Z$/),
      })),
    );
    expect(standin.log.length).toBe(sent);
    expect((await backfill).code).toBe(0);
    const next = await reconcile();
    expect(next.locations.map((l) => l.ok)).toEqual([true, true]);
    expect(await getEntity('record', 596800003)).not.toBeNull();
  }, 60_000);

  it('waits for the scheduled reconcile a backfill meets (it is a short pass), then runs, instead of refusing', async () => {
    // The reconcile at work on 4565 (as the schedule starts it, on the local stack too).
    const reconciling = await SyncLeases.take('reconcile', [4565]);
    const started = Date.now();
    const backfill = run('backfill');
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await reconciling.releaseAll();
    const done = await backfill;
    expect(done).toMatchObject({ code: 0, err: '' });
    expect(done.out).toContain('location 4565: the scheduled reconcile is at work there; waiting for it to end');
    expect(Date.now() - started).toBeGreaterThanOrEqual(1500);
    expect(await getLease(4564)).toBeUndefined();
    expect(await getLease(4565)).toBeUndefined();
  }, 60_000);

  it('lets a run go ahead on a lease a crashed run left behind once it has expired, not before', async () => {
    const now = clock.now();
    const crashed = { run: 'backfill' as const, holder: 'crashed-run', since: now - 60_000, expires_at: now + 60_000 };
    expect(await takeSyncLease(4565, crashed, now)).toEqual({ taken: true });
    const sent = standin.log.length;
    const refused = await run('backfill');
    expect(refused.code).toBe(1);
    expect(refused.err).toContain(
      `location 4565: a backfill is already running there ` +
        `(since ${new Date(crashed.since).toISOString()}); its lease expires ` +
        `at ${new Date(crashed.expires_at).toISOString()}`,
    );
    expect(standin.log.length).toBe(sent); // 4564's lease was free, yet nothing was sent for it either
    expect(await getLease(4564)).toBeUndefined(); // and given back
    expect((await reconcile()).locations[1]).toMatchObject({ companyId: 4565, ok: false, error: 'busy' });
    // Expired: the next run takes it over.
    expect(await takeSyncLease(4565, { ...crashed, expires_at: now - 1 }, now - 120_000)).toEqual({ taken: true });
    const after = await run('backfill');
    expect(after).toMatchObject({ code: 0, err: '' });
    expect(await getLease(4565)).toBeUndefined();
  }, 60_000);

  it('stops a run that lost its lease: it stalled past the expiry and another run took the location over', async () => {
    const stalled = await SyncLeases.take('backfill', [4564]);
    await withClockAhead(3 * 60_000, async () => {
      // past its 2 minutes, never renewed
      const other = await SyncLeases.take('reconcile', [4564]);
      expect(() => stalled.check(4564)).not.toThrow();
      await stalled.renew(); // its first renewal after the stall finds the lease gone
      expect(() => stalled.check(4564)).toThrow(LeaseLost);
      await stalled.releaseAll();
      expect(await getLease(4564)).toMatchObject({ run: 'reconcile', holder: other.holder }); // the other's is untouched
      await other.releaseAll();
      expect(await getLease(4564)).toBeUndefined();
    });
  });
});
