// The write-back's bench (docs/contract.md 8.4): Altegio calls per customer action, and the latency the
// action's answer carries for them, with Altegio answering in 50 ms. Run by `npm run bench` (or
// `npm run bench -- writeback`) twice, in processes of their own, because connected mode is read
// from the environment at start: once with every kind written back, once with
// CABINET_ALTEGIO_WRITEBACK=none, the same connected deployment that writes nothing back. The
// difference between the two is what write-back costs a customer. Each prints one `BENCH {json}`
// line that bench/run.ts turns into the report's section.
//
// The real handlers through the one chain, on the DynamoDB Local of bench/run.ts, against the
// Altegio stand-in (test/helpers/altegio-standin.ts) with 50 ms added to every answer. Ann has a
// client card in each of the two configured locations (4564, 4565). Each measured cancellation is
// of a fresh appointment of hers, delivered to cabinet by webhook first, as Altegio would; each
// review is of a fresh visit. A name change within a minute of the last one is left to the sweeper
// (lib/profile.ts, so that a customer cannot drive a PUT per change): the service's clock is moved
// on a minute before each, so that every measured change is one that is written back at once.
// Calls counted are the stand-in's, during the request and then in the
// sweeper's next run (what the request left to the outbox). The budget is set high so it never
// waits; its DynamoDB counters are in the numbers.
import { performance } from 'node:perf_hooks';
import { belgradeIn } from '../test/helpers/altegio-standin.js';
import { connectedToStandin, latencyMs } from './connected.js';

const runs = 15;
const writeback = process.env.BENCH_WRITEBACK ?? 'cancel,profile,review';
const standin = await connectedToStandin('writeback', '4564,4565', { CABINET_ALTEGIO_WRITEBACK: writeback });

const { dynamo, tableName } = await import('../lib/db/client.js');
const { ensureTable } = await import('../lib/db/table.js');
const { registerPartner } = await import('../lib/db/partner-admin.js');
const { storeCode } = await import('../lib/db/codes.js');
const { logInWithCode } = await import('../lib/login.js');
const { getEntity } = await import('../lib/db/entities.js');
const { mintReviewToken } = await import('../lib/db/reviews.js');
const { codeDigestKey } = await import('../lib/sms/send-code.js');
const { pushStandinRecord } = await import('../test/helpers/webhook.js');
const { request } = await import('../test/helpers/api.js');
const sweeper = await import('../functions/retry-altegio.js');
const { median } = await import('./common.js');
const { clock } = await import('../lib/clock.js');
let shiftMs = 0;
clock.now = () => Date.now() + shiftMs;

const partner = 'bench-writeback-partner-token-0123456789';
const phone = '13155550175';
await ensureTable(dynamo, tableName);
await registerPartner(partner, 'bench');
await storeCode(await codeDigestKey(), { purpose: 'login', subject: '-', phone }, '123456');
const { token } = await logInWithCode(phone, '123456');
const asPartner = { authorization: `Bearer ${partner}` };
const asUser = { authorization: `Bearer ${partner}, User ${token}` };

let nextId = 800_000;
let round = 0;
/** A fresh appointment of Ann's at 4564, in the stand-in and delivered to cabinet; its link hash. */
const appointment = (hours: number) => pushStandinRecord(standin, ++nextId, belgradeIn(hours));

interface Scenario {
  name: string;
  /** Made before the clock starts: what the measured request acts on. */
  prepare: () => Promise<() => Promise<{ status: number }>>;
}

const scenarios: Scenario[] = [
  {
    name: 'cancel an appointment',
    prepare: async () => {
      const { id, hash } = await appointment(72);
      return () => request('DELETE', `/v1/user/records/${id}/${hash}`, { headers: asPartner });
    },
  },
  {
    name: 'change the name (two client cards)',
    prepare: async () => {
      shiftMs += 61_000;
      return () => request('PUT', '/v1/booking/user', { headers: asUser, body: { name: `Ann ${++round}` } });
    },
  },
  {
    name: 'review a visit',
    prepare: async () => {
      const { id } = await appointment(-24);
      const reviewToken = `bench-review-${id}-0123456789abcdef`;
      await mintReviewToken((await getEntity('record', id))!.doc as never, reviewToken, phone, 86_400_000);
      return () =>
        request('POST', `/v1/master_record_review/${reviewToken}`, {
          headers: asPartner,
          body: { rating: 5, text: 'Great', tips_amount: 0 },
        });
    },
  },
];

interface Row {
  name: string;
  calls: number;
  routes: string[];
  later: string[];
  medianMs: number;
  status: number;
}

const samples = new Map<string, { ms: number[]; calls: number[]; routes: string[]; later: string[]; status: number }>();
// Interleaved, as bench/altegio.ts does: drift spreads over all alike. The first round warms up.
for (let i = 0; i < runs + 1; i++) {
  for (const scenario of scenarios) {
    const act = await scenario.prepare();
    await standin.idle();
    const before = standin.log.length;
    const started = performance.now();
    const response = await act();
    const ms = performance.now() - started;
    const during = standin.log.slice(before).map((r) => r.route);
    await sweeper.handler(undefined as never);
    await standin.idle();
    const later = standin.log.slice(before + during.length).map((r) => r.route);
    if (i === 0) continue;
    const s = samples.get(scenario.name) ?? { ms: [], calls: [], routes: during, later, status: response.status };
    s.ms.push(ms);
    s.calls.push(during.length + later.length);
    samples.set(scenario.name, s);
  }
}

const rows: Row[] = scenarios.map(({ name }) => {
  const s = samples.get(name)!;
  return { name, calls: Math.max(...s.calls), routes: s.routes, later: s.later, medianMs: median(s.ms), status: s.status };
});
await standin.close();
process.stdout.write(`\nBENCH ${JSON.stringify({ runs, latencyMs, writeback, rows })}\n`);
process.exit(0);
