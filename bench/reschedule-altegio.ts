// Moving an appointment connected to Altegio (docs/contract.md section 9): Altegio calls and DynamoDB round
// trips for listing free dates and times, warm and cold, and for a move, and the medians, with Altegio
// answering in 50 ms. Run by `npm run bench` (or `npm run bench -- reschedule`) in a process of its own,
// because connected mode is read from the environment at start and the rest of the bench measures
// standalone mode; it prints one `BENCH {json}` line that bench/run.ts turns into the report's section.
//
// The real handlers through the one chain, on the DynamoDB Local of bench/run.ts, against the Altegio
// stand-in (test/helpers/altegio-standin.ts) with 50 ms added to every answer: location 4564, Ann's
// appointment with team member 9 three days ahead, delivered to cabinet by webhook as Altegio would,
// and moved back and forth between 10:00 and 15:00 (every measured move a real PUT). Cold is made as
// in bench/altegio.ts, by removing from the table what is to be missed before the request: the day's
// schedule (kept 60 s), and for "nothing cached" the location too. Each row's calls are what the
// stand-in received during the request, its round trips those of the SDK client (the budget's counters
// included: two a call). The budget is set high so it never waits.
import { performance } from 'node:perf_hooks';
import { belgradeIn } from '../test/helpers/altegio-standin.js';
import { connectedToStandin, latencyMs } from './connected.js';

const runs = 15;
const standin = await connectedToStandin('reschedule', '4564');

const { dynamo, db, tableName } = await import('../lib/db/client.js');
const { ensureTable } = await import('../lib/db/table.js');
const { registerPartner } = await import('../lib/db/partner-admin.js');
const { keys } = await import('../lib/db/keys.js');
const { request } = await import('../test/helpers/api.js');
const { pushStandinRecord } = await import('../test/helpers/webhook.js');
const { DeleteCommand } = await import('@aws-sdk/lib-dynamodb');
const { median } = await import('./common.js');
const { countTrips } = await import('./round-trips.js');

const partner = 'bench-reschedule-partner-token-0123456789';
await ensureTable(dynamo, tableName);
await registerPartner(partner, 'bench');
const asPartner = { authorization: `Bearer ${partner}` };

const day = belgradeIn(72).slice(0, 10);
const weekEnd = belgradeIn(72 + 6 * 24).slice(0, 10);
standin.setSchedule(4564, 9, day, [{ from: '08:00', to: '20:00' }]);
const { id, hash } = await pushStandinRecord(standin, 700_001, `${day} 10:00:00`);
let at = '10:00';

/** The cache entries of the day's and the week's schedule (lib/altegio/schedule.ts), and of the location. */
const schedules = [keys.altegioCache('schedule', `4564#9#${day}#${day}`), keys.altegioCache('schedule', `4564#9#${day}#${weekEnd}`)];
const location = [keys.altegioCache('company', '4564'), keys.entity('company', 4564)];
async function forget(items: Array<{ pk: string; sk: string }>) {
  for (const Key of items) await db.send(new DeleteCommand({ TableName: tableName, Key }));
}

const dates = () =>
  request('GET', `/v1/book_dates/4564?staff_id=9&service_ids[]=1&date_from=${day}&date_to=${weekEnd}`, { headers: asPartner });
const times = () => request('GET', `/v1/book_times/4564/9/${day}?record_id=${id}&record_hash=${hash}`, { headers: asPartner });
const open = () => request('GET', `/v1/user/records/${id}/${hash}`, { headers: asPartner });
const move = () => {
  at = at === '10:00' ? '15:00' : '10:00';
  return request('PUT', `/v1/book_record/4564/${id}`, { headers: asPartner, body: { datetime: `${day}T${at}:00`, record_hash: hash } });
};

interface Scenario {
  name: string;
  kind: 'dates' | 'times' | 'move' | 'open';
  warm: boolean;
  /** What is removed from the table before the measured request (after everything was read fresh). */
  miss: Array<{ pk: string; sk: string }>;
  run: () => Promise<{ status: number }>;
}

const scenarios: Scenario[] = [
  { name: 'free dates of a week, warm', kind: 'dates', warm: true, miss: [], run: dates },
  { name: "free dates of a week: the week's schedule not cached", kind: 'dates', warm: false, miss: schedules, run: dates },
  { name: 'free times of a day, warm', kind: 'times', warm: true, miss: [], run: times },
  { name: "free times of a day: the day's schedule not cached", kind: 'times', warm: false, miss: schedules, run: times },
  {
    name: 'free times of a day: nothing cached (the location and the schedule)',
    kind: 'times',
    warm: false,
    miss: [...schedules, ...location],
    run: times,
  },
  { name: "a move, after listing free times (the day's schedule cached)", kind: 'move', warm: true, miss: [], run: move },
  { name: "a move: the day's schedule not cached", kind: 'move', warm: false, miss: schedules, run: move },
  { name: 'for comparison: opening the appointment, warm', kind: 'open', warm: true, miss: [], run: open },
];

export interface ConnectedRow {
  name: string;
  kind: Scenario['kind'];
  warm: boolean;
  calls: number;
  routes: string[];
  trips: string[];
  medianMs: number;
  status: number;
}

const samples = new Map<string, Omit<ConnectedRow, 'name' | 'kind' | 'warm' | 'medianMs'> & { ms: number[] }>();
// Interleaved: one request of each scenario per round, so drift spreads over all alike.
for (let round = 0; round < runs + 1; round++) {
  for (const scenario of scenarios) {
    // Everything read fresh first, as a customer who opened the appointment and listed its times.
    await open();
    await dates();
    await times();
    await forget(scenario.miss);
    const before = standin.log.length;
    let status = 0;
    let ms = 0;
    const trips = await countTrips(async () => {
      const started = performance.now();
      status = (await scenario.run()).status;
      ms = performance.now() - started;
    });
    const seen = standin.log.slice(before).map((r) => r.route);
    if (round === 0) continue; // the first round warms the process up
    const s = samples.get(scenario.name) ?? { ms: [], calls: 0, routes: seen, trips, status };
    s.ms.push(ms);
    s.calls = Math.max(s.calls, seen.length);
    samples.set(scenario.name, s);
  }
}

const rows: ConnectedRow[] = scenarios.map(({ name, kind, warm }) => {
  const { ms, ...s } = samples.get(name)!;
  return { name, kind, warm, ...s, medianMs: median(ms) };
});
await standin.close();
process.stdout.write(`\nBENCH ${JSON.stringify({ runs, latencyMs, rows })}\n`);
process.exit(0);
