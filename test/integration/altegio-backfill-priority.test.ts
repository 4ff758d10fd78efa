// Backfill last (docs/contract.md 8.5): while a long backfill pages GET /records against the stand-in on a
// tight budget, a customer's cancellation still gets its DELETE before the answer and customers'
// reads get theirs within their wait, because the backfill only ever takes a window's leftovers
// while they book the next window ahead of it. The budget's own counters (DynamoDB) show that no
// clock second held more than CABINET_ALTEGIO_RPS, and every request the stand-in saw was counted.
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { startStandin, type AltegioStandin } from '../helpers/altegio-standin.js';
import { clock } from '../../lib/clock.js';
import { runClockFrom } from '../helpers/clock.js';
import { given } from '../helpers/fixture.js';
import { request } from '../helpers/api.js';
import { partnerHeaders } from '../helpers/sign-in.js';
import { companyEvent } from '../helpers/altegio.js';
import { push } from '../helpers/webhook.js';
import { connector } from '../../lib/altegio/connector.js';
import { backfillLocation } from '../../lib/sync/backfill.js';
import { getCommand } from '../../lib/db/altegio-commands.js';
import { db, tableName } from '../../lib/db/client.js';

// The backlog is on fixed dates in December 2026 and backfill takes its window from the clock.
// (Set before the stand-in starts: it stamps what it seeds with the service clock.)
runClockFrom();
const partnerToken = 'priority-partner-token';
const userToken = 'priority-user-token';
// The stand-in does not judge the rate here: its clock reads arrivals late on a loaded machine. The counters do.
const standin: AltegioStandin = await startStandin({ partnerToken, userToken, rps: 0, rpm: 0 });
await given({
  env: {
    CABINET_ALTEGIO_PARTNER_TOKEN: partnerToken,
    CABINET_ALTEGIO_URL: standin.url,
    CABINET_ALTEGIO_USER_TOKEN: userToken,
    CABINET_ALTEGIO_COMPANY_IDS: '4564,4565',
    CABINET_ALTEGIO_WRITEBACK: 'cancel',
    // Tight: a backfill may use 1 request a second, a read 1, a write-back both.
    CABINET_ALTEGIO_RPS: '2',
    CABINET_ALTEGIO_RPM: '120',
  },
});

afterAll(async () => {
  await standin.close();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The budget's counters of every clock second and minute so far. */
async function counters(): Promise<{ seconds: number[]; minutes: number[] }> {
  const { Items = [] } = await db.send(new ScanCommand({ TableName: tableName, ConsistentRead: true }));
  const of = (unit: string) =>
    Items.filter((item) => String(item.pk).startsWith(`ALTEGIO#BUDGET#altegio#${unit}#`)).map((item) => Number(item.n));
  return { seconds: of('s'), minutes: of('m') };
}

// Bob's 40 appointments at 4564: with page size 5, a backfill of 9 pages at one request a second at best.
standin.addClient(4564, 18936900, { name: 'Bob', phone: '+13155550176' });
for (let i = 0; i < 40; i++) {
  standin.addRecord(4564, 598000000 + i, {
    date: `2026-12-${String(2 + (i % 27)).padStart(2, '0')} 10:00:00`,
    staff_id: 9,
    client_id: 18936900,
    service_ids: [1],
  });
}

it("serves a cancellation and customers' reads promptly during a long backfill, and never sends past the budget", async () => {
  // Ann's appointment in three days, delivered once by webhook, so she holds its link.
  await push(companyEvent({ allow_delete_record: true, allow_delete_record_delay_step: 3600 }));
  const date = new Date(clock.now() + 75 * 3600_000).toISOString().slice(0, 19).replace('T', ' ');
  const record = standin.addRecord(4564, 700001, { date, staff_id: 9, client_id: 18936825, service_ids: [1] });
  const { record_hash: hash } = await push({ company_id: 4564, resource: 'record', resource_id: 700001, status: 'create', data: record });

  const link = connector()!;
  let backfillEnded = 0;
  const backfill = backfillLocation(link.client, 4564, 90, { size: 5 }).finally(() => {
    backfillEnded = Date.now();
  });
  const pagesRead = () => standin.requests('GET /records/:company_id').length;
  while (pagesRead() < 2) await sleep(20);

  // Six customers' reads, one after the other, as read-through sends them (priority `read`).
  const reads = (async () => {
    const waits: number[] = [];
    for (let i = 0; i < 6; i++) {
      const asked = Date.now();
      await link.client.record(4564, 596792980, 'read');
      waits.push(Date.now() - asked);
    }
    return waits;
  })();
  const asked = Date.now();
  const cancelled = await request('DELETE', `/v1/user/records/700001/${hash}`, { headers: partnerHeaders });
  const answeredAt = Date.now();
  expect(cancelled.status).toBe(200);
  // Its DELETE went before the answer: not left to the sweeper.
  expect(
    standin.requests('DELETE /record/:company_id/:record_id').filter((r) => r.path === '/record/4564/700001' && r.at <= answeredAt),
  ).toHaveLength(1);
  expect(await getCommand('cancel-4564-700001')).toMatchObject({ state: 'done' });
  expect(answeredAt - asked).toBeLessThan(4000);
  const waits = await reads; // none refused as out of budget (that would throw AltegioBusy)
  expect(waits).toHaveLength(6);

  const report = await backfill;
  expect(report.pages).toBe(9);
  expect(backfillEnded).toBeGreaterThan(answeredAt); // the backfill was still running: it yielded
  const { seconds, minutes } = await counters();
  expect(Math.max(...seconds)).toBeLessThanOrEqual(2);
  expect(Math.max(...minutes)).toBeLessThanOrEqual(120);
  expect(standin.log.length).toBeLessThanOrEqual(seconds.reduce((a, b) => a + b, 0));
  expect(standin.log.filter((r) => r.status === 429)).toHaveLength(0);
}, 60_000);
