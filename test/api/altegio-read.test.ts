// Read-through (docs/contract.md 8.3) end to end, through the HTTP API against the Altegio stand-in (a real
// HTTP server) and DynamoDB Local, with no webhook ever sent: a client of two locations signs in by
// SMS code and lists and opens their appointments with the locations' titles, addresses and cancel
// deadlines from Altegio; warm reads ask Altegio nothing; nobody sees another's appointment; a
// down or throttling Altegio gives cached answers and 503s with Retry-After, never a 5xx, never a
// retry storm; twenty customers at once never push Altegio past the budget.
import { startSmsGateway } from '../helpers/sms-gateway.js';
import { altegioStamp, startStandin, type AltegioStandin } from '../helpers/altegio-standin.js';
import { given } from '../helpers/fixture.js';
import { request } from '../helpers/api.js';
import { asUser, partnerHeaders as partner, signIn } from '../helpers/sign-in.js';
import { resetReadThrough } from '../../lib/ports/read-through.js';
import { db, tableName } from '../../lib/db/client.js';
import { keys } from '../../lib/db/keys.js';
import { DeleteCommand } from '@aws-sdk/lib-dynamodb';
import { altegioBudgetUsed } from '../../lib/db/altegio-budget.js';
import { budgetWindows } from '../../lib/domain/altegio-budget.js';
import { getEntity } from '../../lib/db/entities.js';
import { mintReviewToken } from '../../lib/db/reviews.js';
import { companyEvent } from '../helpers/altegio.js';
import { push } from '../helpers/webhook.js';
import { main } from '../../scripts/altegio.js';

const altegioPartner = 'read-through-partner-token';
const altegioUser = 'read-through-user-token';
// The stand-in limits as Altegio does (429 above 12 a second); cabinet's budget is set below it,
// as the defaults are below Altegio's published limit (3/s against 5/s). Its read share is 6 a
// second: the stand-in's limit is two of cabinet's windows, because it counts by its own clock in
// this same process, where a loaded machine's event-loop lag can land one second's requests in the
// next. Exactness is asserted on cabinet's own counters, per window.
const standin: AltegioStandin = await startStandin({ partnerToken: altegioPartner, userToken: altegioUser, rps: 12, rpm: 600 });
const gateway = await startSmsGateway();
const { time } = await given({
  env: {
    CABINET_SMS_URL: gateway.url,
    // The stand-in's clients have US numbers, at locations in Serbia and Russia.
    CABINET_SMS_COUNTRIES: 'US',
    CABINET_ALTEGIO_PARTNER_TOKEN: altegioPartner,
    CABINET_ALTEGIO_URL: standin.url,
    CABINET_ALTEGIO_USER_TOKEN: altegioUser,
    CABINET_ALTEGIO_COMPANY_IDS: '4564,4565',
    CABINET_ALTEGIO_RPS: '8',
    CABINET_ALTEGIO_RPM: '480',
  },
  clock: { stoppedAt: '2026-11-24T09:00:00Z' },
});

async function forget(...items: Array<{ pk: string; sk: string }>) {
  for (const Key of items) await db.send(new DeleteCommand({ TableName: tableName, Key }));
}

afterAll(async () => {
  await Promise.all([standin.close(), gateway.close()]);
});

const minutes = (n: number) => {
  time.advance(n * 60_000);
};

const ann = '+13155550175';
let ip = 0;
const nextIp = () => `198.51.100.${++ip}`;
let annToken = '';

function calls(since: number) {
  return standin.log.slice(since);
}

describe('a client whose appointments are only in Altegio', () => {
  it('signs in by SMS code at a location cabinet never received, and lists both locations’ appointments with their rules', async () => {
    expect(standin.salon(4564).hooks.active).toBe(0); // no webhook registered, none ever sent
    annToken = (await signIn(gateway, ann, nextIp(), 4564, { atLocation: true })).token;
    const list = await request('GET', '/v1/user/records', { headers: asUser(annToken) });
    expect(list.status).toBe(200);
    expect(list.body.data.map((r: { id: number }) => r.id)).toEqual([596800001, 596792980]); // newest first
    const [moscow, belgrade] = list.body.data;
    expect(belgrade).toMatchObject({
      datetime: '2026-12-01T14:00:00+01:00', // the local date in the zone, not the stand-in's offset
      location: {
        id: 4564,
        title: 'Salon Belgrade',
        address: 'Knez Mihailova 1',
        allow_delete_record: true,
        allow_delete_record_delay_step: 18000,
        timezone: 1,
      },
      staff: { id: 9, name: 'Alex' },
      services: [{ id: 1, title: 'Haircut', cost: 1000 }],
      cancel_deadline: '2026-12-01T09:00:00+01:00',
      can_cancel: true,
      deleted: false,
    });
    expect(moscow).toMatchObject({
      datetime: '2026-12-03T10:30:00+03:00',
      location: { id: 4565, title: 'Salon Moscow', city: 'Moscow', allow_delete_record_delay_step: 7200 },
      cancel_deadline: '2026-12-03T08:30:00+03:00',
      can_cancel: true,
    });
    expect(standin.pushed).toEqual([]);
  });

  it('opens each one with the team member and the service catalogue from Altegio', async () => {
    const belgrade = await request('GET', '/v1/user/records/596792980', { headers: asUser(annToken) });
    expect(belgrade.status).toBe(200);
    expect(belgrade.body.data[0]).toMatchObject({
      id: 596792980,
      location: { title: 'Salon Belgrade', address: 'Knez Mihailova 1' },
      cancel_deadline: '2026-12-01T09:00:00+01:00',
      staff: { id: 9, name: 'Alex', show_rating: 1, comments_count: 7, rating: 4.8 },
      services: [{ id: 1, title: 'Haircut', price_min: 1000, price_max: 1200, seance_length: 3600 }],
    });
    const moscow = await request('GET', '/v1/user/records/596800001/', { headers: asUser(annToken) });
    expect(moscow.body.data[0]).toMatchObject({
      staff: { id: 21, name: 'Vera' },
      services: [{ id: 2, price_min: 2000, seance_length: 5400 }],
    });
  });

  it('asks Altegio nothing while what it read is fresh', async () => {
    const before = standin.log.length;
    minutes(0.5);
    for (const path of ['/v1/user/records', '/v1/user/records/596792980', '/v1/user/records/596800001/']) {
      expect((await request('GET', path, { headers: asUser(annToken) })).status).toBe(200);
    }
    expect(calls(before)).toEqual([]);
  });

  it('shows the review form with the location and team member read from Altegio', async () => {
    const record = (await getEntity<import('../../lib/domain/entities.js').RecordDoc>('record', 596792980))!.doc;
    await mintReviewToken(record, 'review-token-of-ann-0001', '13155550175', 86_400_000);
    await forget(keys.entity('staff', 9), keys.altegioCache('staff', '9')); // never read: the form reads it
    const before = standin.log.length;
    const form = await request('GET', '/v1/master_record_review/review-token-of-ann-0001', { headers: partner });
    expect(form.status).toBe(200);
    expect(form.body.data).toMatchObject({
      company: { id: 4564, title: 'Salon Belgrade', address: 'Knez Mihailova 1' },
      master: { id: 9, name: 'Alex', show_rating: 1, rating: 4.8, company_id: 4564 },
      currency: { iso: 'EUR' },
    });
    expect(calls(before).map((r) => r.route)).toEqual(['GET /staff/:company_id/:staff_id']);
  });

  it('reads the record again after 60 s (itself, one call), and the location after 15 minutes', async () => {
    standin.updateRecord(4564, 596792980, { date: '2026-12-01 16:00:00' }); // moved by the salon
    standin.salon(4564).records.get(596792980)!.last_change_date = altegioStamp(Date.now() + 60_000); // surely a later second
    minutes(1);
    let before = standin.log.length;
    const moved = await request('GET', '/v1/user/records/596792980', { headers: asUser(annToken) });
    expect(moved.body.data[0]).toMatchObject({ datetime: '2026-12-01T16:00:00+01:00', cancel_deadline: '2026-12-01T11:00:00+01:00' });
    expect(calls(before).map((r) => r.path)).toEqual(['/record/4564/596792980']);
    standin.salon(4564).rules!.allow_delete_record_delay_step = 3600;
    minutes(15);
    before = standin.log.length;
    const list = await request('GET', '/v1/user/records?company_id=4564', { headers: asUser(annToken) });
    expect(list.body.data[0]).toMatchObject({
      location: { allow_delete_record_delay_step: 3600 },
      cancel_deadline: '2026-12-01T15:00:00+01:00',
    });
    expect(calls(before).filter((r) => r.route === 'GET /companies')).toHaveLength(2);
  });

  it('refuses a cancellation by the rules Altegio has for the location', async () => {
    standin.salon(4565).rules!.allow_delete_record = false;
    minutes(16);
    const refused = await request('DELETE', '/v1/user/records/596800001/', { headers: asUser(annToken) });
    expect(refused.status).toBe(422);
    expect(refused.body.meta.errors[0].code).toBe(1004);
  });
});

describe('a webhook about a location cabinet read from Altegio', () => {
  it(
    'counts as read: a location webhook without the cancel rules keeps the rules read, and the next list asks Altegio ' + 'nothing',
    async () => {
      // The location as Altegio has it (Belgrade), without the rules, as its company events come.
      const withoutRules = Object.fromEntries(Object.entries(standin.salon(4564).company).filter(([field]) => !field.startsWith('allow_')));
      minutes(0.1);
      await push({ ...companyEvent(), data: { ...withoutRules, title: 'Salon Belgrade (from a webhook)' } });
      minutes(0.1);
      const before = standin.log.length;
      const list = await request('GET', '/v1/user/records?company_id=4564', { headers: asUser(annToken) });
      expect(list.body.data[0].location).toMatchObject({
        title: 'Salon Belgrade (from a webhook)',
        allow_delete_record: true,
        allow_delete_record_delay_step: 3600,
      });
      expect(calls(before).filter((r) => r.route === 'GET /companies' || r.route === 'GET /company/:company_id')).toEqual([]);
    },
  );
});

describe('access stays as docs/contract.md 3.5 says', () => {
  it('a record id alone, or a wrong hash, reveals nothing and asks Altegio nothing', async () => {
    const before = standin.log.length;
    for (const path of ['/v1/user/records/596792980/not-its-hash', '/v1/user/records/596700000/whatever']) {
      expect((await request('GET', path, { headers: partner })).status).toBe(404);
    }
    expect(calls(before)).toEqual([]);
  });

  it('shows a user neither another client’s appointment nor the card of a phone that only contains theirs', async () => {
    // quick_search matches parts of numbers: this card comes back when Ann's phone is searched.
    standin.addClient(4564, 18936999, { name: 'Someone else', phone: '+4413155550175' });
    standin.addRecord(4564, 596792999, { date: '2026-12-02 12:00:00', staff_id: 9, client_id: 18936999, service_ids: [1] });
    standin.addClient(4564, 18937000, { name: 'Bob', phone: '+13155550199' });
    standin.addRecord(4564, 596793000, { date: '2026-12-02 13:00:00', staff_id: 9, client_id: 18937000, service_ids: [1] });
    minutes(2);
    const annList = await request('GET', '/v1/user/records', { headers: asUser(annToken) });
    expect(annList.body.data.map((r: { id: number }) => r.id)).toEqual([596800001, 596792980]);
    expect((await request('GET', '/v1/user/records/596792999', { headers: asUser(annToken) })).status).toBe(404);
    const bob = (await signIn(gateway, '+13155550199', nextIp(), 4564, { atLocation: true })).token;
    expect((await request('GET', '/v1/user/records', { headers: asUser(bob) })).body.data.map((r: { id: number }) => r.id)).toEqual([
      596793000,
    ]);
    expect((await request('GET', '/v1/user/records/596792980', { headers: asUser(bob) })).status).toBe(404);
  });
});

describe('opening a record the table does not hold', () => {
  it("reads the record itself (one call a configured location), and answers someone else's record exactly as a missing one", async () => {
    standin.addRecord(4564, 596792970, { date: '2026-12-04 12:00:00', staff_id: 9, client_id: 18936825, service_ids: [1] });
    minutes(2);
    let before = standin.log.length;
    const opened = await request('GET', '/v1/user/records/596792970', { headers: asUser(annToken) });
    expect(opened.status).toBe(200);
    expect(opened.body.data[0]).toMatchObject({ id: 596792970, datetime: '2026-12-04T12:00:00+01:00' });
    expect(
      calls(before)
        .map((r) => r.path)
        .sort(),
    ).toEqual(['/record/4564/596792970', '/record/4565/596792970']);
    // Bob's record (the table holds it: Bob listed his) and an id nobody has: the same calls, the same answer.
    const probe = async (id: number) => {
      minutes(2);
      const from = standin.log.length;
      const answer = await request('GET', `/v1/user/records/${id}`, { headers: asUser(annToken) });
      return {
        status: answer.status,
        body: answer.body,
        routes: calls(from)
          .map((r) => r.route)
          .sort(),
      };
    };
    const someoneElses = await probe(596793000);
    const missing = await probe(596799999);
    expect(someoneElses.status).toBe(404);
    expect(someoneElses).toEqual(missing);
    expect(await getEntity('record', 596793000)).toMatchObject({ client_phone: '13155550199' });
    // After a miss the user's appointments are current: probing more ids within the minute asks Altegio nothing.
    before = standin.log.length;
    expect((await request('GET', '/v1/user/records/596799998', { headers: asUser(annToken) })).status).toBe(404);
    expect(calls(before)).toEqual([]);
    // The salon gives that appointment to Bob: opening Ann's copy reads it, and it is not hers any more.
    standin.updateRecord(4564, 596792970, { client: { id: 18937000, name: 'Bob', phone: '+13155550199', email: '' } });
    standin.salon(4564).records.get(596792970)!.last_change_date = altegioStamp(Date.now() + 120_000);
    minutes(2);
    expect((await request('GET', '/v1/user/records/596792970', { headers: asUser(annToken) })).status).toBe(404);
    const list = await request('GET', '/v1/user/records', { headers: asUser(annToken) });
    expect(list.body.data.map((r: { id: number }) => r.id)).toEqual([596800001, 596792980]);
  });
});

describe('when Altegio fails', () => {
  afterEach(() => {
    standin.clearFaults();
    resetReadThrough();
  });

  it('down: what is cached is served (stale), what is not is a 503 with Retry-After, and it is not asked again and again', async () => {
    const carl = (await signIn(gateway, '+13155550188', nextIp(), 4564, { atLocation: true })).token;
    minutes(30); // everything Ann's reads cached is stale now
    standin.fault('*', { kind: 'status', status: 500 }, 1000);
    const before = standin.log.length;
    const list = await request('GET', '/v1/user/records', { headers: asUser(annToken) });
    expect(list.status).toBe(200);
    expect(list.body.data.map((r: { id: number }) => r.id)).toEqual([596800001, 596792980]);
    expect(list.body.data[1].location.title).toBe('Salon Belgrade (from a webhook)');
    await new Promise((resolve) => setTimeout(resolve, 1000)); // the other requests' retries land
    const failed = calls(before).length;
    expect(failed).toBeGreaterThan(0);
    // Never read for Carl: not known to be empty, so not an empty list and not a 404.
    const never = await request('GET', '/v1/user/records', { headers: asUser(carl) });
    expect(never.status).toBe(503);
    expect(never.headers['retry-after']).toMatch(/^\d+$/);
    expect((await request('GET', '/v1/user/records/596792980', { headers: asUser(carl) })).status).toBe(503);
    for (let i = 0; i < 10; i++) {
      const again = await request('GET', i % 2 ? '/v1/user/records/596792980' : '/v1/user/records', {
        headers: asUser(i % 3 ? annToken : carl),
      });
      expect([200, 503]).toContain(again.status);
    }
    // After the first failure this process leaves Altegio alone for a few seconds.
    expect(calls(before).length).toBe(failed);
    minutes(0.2);
    standin.clearFaults();
    expect((await request('GET', '/v1/user/records', { headers: asUser(carl) })).status).toBe(200);
  });

  it('throttling: cached answers, 503 with Retry-After for the rest, the 429 never retried at once', async () => {
    const dora = (await signIn(gateway, '+13155550177', nextIp(), 4564, { atLocation: true })).token;
    minutes(30);
    standin.fault('*', { kind: 'throttle', retryAfter: 30 }, 1000);
    const before = standin.log.length;
    expect((await request('GET', '/v1/user/records', { headers: asUser(annToken) })).status).toBe(200);
    const refused = await request('GET', '/v1/user/records', { headers: asUser(dora) });
    expect(refused.status).toBe(503);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(20);
    const seen = calls(before);
    expect(seen.every((r) => r.status === 429)).toBe(true);
    // Each request met its 429 once: a 30 s Retry-After is past a customer's wait, so not retried.
    expect(seen.length).toBeLessThanOrEqual(8);
  });

  it('a location it cannot read is a 503 at sign-in, not a 404', async () => {
    minutes(30);
    standin.fault('*', { kind: 'drop' }, 1000);
    const sent = await request('POST', '/v1/book_code/4565', { headers: partner, body: { phone: '+13155550166' }, sourceIp: nextIp() });
    expect(sent.status).toBe(201); // cached location, stale: served
    // A configured location never read: Altegio down means "unknown", not "no such location".
    await forget(keys.entity('company', 4565), keys.altegioCache('company', '4565'));
    const unknown = await request('POST', '/v1/book_code/4565', { headers: partner, body: { phone: '+13155550166' }, sourceIp: nextIp() });
    expect(unknown.status).toBe(503);
    expect(unknown.headers['retry-after']).toMatch(/^\d+$/);
    // A location that is not configured is looked up in the table only, as in standalone mode.
    expect(
      (await request('POST', '/v1/book_code/9999', { headers: partner, body: { phone: '+13155550166' }, sourceIp: nextIp() })).status,
    ).toBe(404);
  });
});

describe('twenty customers at once', () => {
  it('never push Altegio past the budget: answers or 503s with Retry-After, and everyone gets in on retrying', async () => {
    resetReadThrough();
    minutes(30);
    const phones = Array.from({ length: 20 }, (_, i) => `+131555503${String(i).padStart(2, '0')}`);
    phones.forEach((phone, i) => {
      standin.addClient(4564, 19000000 + i, { name: `Customer ${i}`, phone });
      standin.addRecord(4564, 597000000 + i, { date: '2026-12-05 10:00:00', staff_id: 9, client_id: 19000000 + i, service_ids: [1] });
    });
    const tokens: string[] = [];
    for (const phone of phones) tokens.push((await signIn(gateway, phone, nextIp(), 4564, { atLocation: true })).token);
    const before = standin.log.length;
    const answers = await Promise.all(tokens.map((token) => request('GET', '/v1/user/records', { headers: asUser(token) })));
    for (const answer of answers) {
      expect([200, 503]).toContain(answer.status);
      if (answer.status === 503) expect(Number(answer.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    }
    // Everyone retries until in, as an app would after Retry-After.
    const pending = tokens.filter((_, i) => answers[i]!.status !== 200);
    for (let round = 0; pending.length && round < 40; round++) {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      const again = await Promise.all(pending.map((token) => request('GET', '/v1/user/records', { headers: asUser(token) })));
      for (let i = again.length - 1; i >= 0; i--) {
        expect([200, 503]).toContain(again[i]!.status);
        if (again[i]!.status === 200) pending.splice(i, 1);
      }
    }
    expect(pending).toEqual([]);
    const seen = calls(before);
    // Altegio never had to say "too many": every second it saw at most its limit.
    expect(seen.filter((r) => r.status === 429)).toEqual([]);
    const perSecond = new Map<number, number>();
    for (const r of seen) perSecond.set(Math.floor(r.at / 1000), (perSecond.get(Math.floor(r.at / 1000)) ?? 0) + 1);
    expect(Math.max(...perSecond.values())).toBeLessThanOrEqual(12);
    // And by cabinet's own counters, exactly: no second past the read share of 8 (6), none sent uncounted.
    const seconds = [...perSecond.keys()];
    let counted = 0;
    for (let second = Math.min(...seconds) - 1; second <= Math.max(...seconds); second++) {
      const used = await altegioBudgetUsed('altegio', budgetWindows(second * 1000));
      expect(used.second).toBeLessThanOrEqual(6);
      counted += used.second;
    }
    expect(counted).toBeGreaterThanOrEqual(seen.length);
    // Each customer's own appointment, found by their phone.
    const last = await request('GET', '/v1/user/records', { headers: asUser(tokens[19]!) });
    expect(last.body.data.map((r: { id: number }) => r.id)).toEqual([597000019]);
  }, 120_000);
});

describe('npm run altegio -- status', () => {
  it('prints what read-through has cached: a count per kind and the oldest read', async () => {
    const out: string[] = [];
    expect(await main(['status'], { out: (l) => out.push(l), err: (l) => out.push(l) })).toBe(1); // no webhook registered
    const text = out.join('\n');
    expect(text).toMatch(/read-through cache:\n {2}locations: 2, oldest read \d+ (s|min) ago \(fresh for 15 min\)/);
    expect(text).toMatch(/team members: 2, oldest read .* ago \(fresh for 60 min\)/);
    expect(text).toMatch(/service lists \(one a location\): 2, oldest read/);
    expect(text).toMatch(/customers' appointments \(one a phone and location\): (4[4-9]|5\d), oldest read/);
  });
});
