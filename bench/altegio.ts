// The connector's bench (docs/contract.md 8.3, 8.5): Altegio calls per operation on a warm cache and on a
// cold miss, and the latency a cold miss adds with Altegio answering in 50 ms. Run by
// `npm run bench` (or `npm run bench -- altegio`) in a process of its own, because connected mode is
// read from the environment at start and the rest of the bench measures standalone mode; it
// prints one `BENCH {json}` line that bench/run.ts turns into the report's section.
//
// The real handlers through the one chain, on the DynamoDB Local of bench/run.ts, against the
// Altegio stand-in (test/helpers/altegio-standin.ts) with 50 ms added to every answer, one
// configured location (4564) and Ann, whose appointment is only in Altegio. A miss is made by
// removing what the table holds of what is to be missed: the cache's markers (lib/db/altegio-cache.ts)
// and the stored objects themselves (a stored object counts as read for its TTL), so exactly that
// is read again; the budget is set high so it never waits (its counters' round trips are counted).
import { performance } from 'node:perf_hooks';
import { connectedToStandin, latencyMs } from './connected.js';

const runs = 15;
const standin = await connectedToStandin('altegio', '4564');

const { dynamo, db, tableName } = await import('../lib/db/client.js');
const { ensureTable } = await import('../lib/db/table.js');
const { registerPartner } = await import('../lib/db/partner-admin.js');
const { storeCode } = await import('../lib/db/codes.js');
const { logInWithCode } = await import('../lib/login.js');
const { codeDigestKey } = await import('../lib/sms/send-code.js');
const { keys } = await import('../lib/db/keys.js');
const { request } = await import('../test/helpers/api.js');
const { DeleteCommand } = await import('@aws-sdk/lib-dynamodb');
const { median } = await import('./common.js');

const partner = 'bench-altegio-partner-token-0123456789';
const phone = '13155550175';
await ensureTable(dynamo, tableName);
await registerPartner(partner, 'bench');
await storeCode(await codeDigestKey(), { purpose: 'login', subject: '-', phone }, '123456');
const { token } = await logInWithCode(phone, '123456');
const asUser = { authorization: `Bearer ${partner}, User ${token}` };

type Marker = Parameters<typeof keys.altegioCache>;
type Entity = Parameters<typeof keys.entity>;
interface Held {
  marker: Marker;
  entity?: Entity;
}
const markers: Record<'appointments' | 'location' | 'staff' | 'services', Held> = {
  appointments: { marker: ['user-records', `${phone}#4564`], entity: ['record', 596792980] },
  location: { marker: ['company', '4564'], entity: ['company', 4564] },
  staff: { marker: ['staff', '9'], entity: ['staff', 9] },
  services: { marker: ['services', '4564'] },
};

async function forget(...which: Held[]) {
  for (const { marker, entity } of which) {
    await db.send(new DeleteCommand({ TableName: tableName, Key: keys.altegioCache(...marker) }));
    if (entity) await db.send(new DeleteCommand({ TableName: tableName, Key: keys.entity(...entity) }));
  }
}

const open = () => request('GET', '/v1/user/records/596792980', { headers: asUser });
const list = () => request('GET', '/v1/user/records', { headers: asUser });

interface Scenario {
  name: string;
  operation: 'open' | 'list';
  /** What is removed from the table before each measured request; none: warm. */
  miss: Held[];
}

const scenarios: Scenario[] = [
  { name: 'open a record, warm', operation: 'open', miss: [] },
  {
    name: 'open a record: its location (with rules), team member and services not cached',
    operation: 'open',
    miss: [markers.location, markers.staff, markers.services],
  },
  { name: "open a record: nothing cached (not even the user's appointments)", operation: 'open', miss: Object.values(markers) },
  { name: 'list, warm', operation: 'list', miss: [] },
  { name: "list: the user's appointments read more than 60 s ago", operation: 'list', miss: [{ marker: markers.appointments.marker }] },
  { name: 'list: nothing cached', operation: 'list', miss: Object.values(markers) },
];

interface Row {
  name: string;
  operation: string;
  calls: number;
  routes: string[];
  medianMs: number;
  status: number;
}

const samples = new Map<string, { ms: number[]; calls: number[]; routes: string[]; status: number }>();
// Interleaved: one request of each scenario per round, so drift spreads over all alike.
for (let round = 0; round < runs + 1; round++) {
  for (const scenario of scenarios) {
    await list(); // everything fresh first: the user's appointments (and so the record), then its parts
    await open();
    await forget(...scenario.miss);
    const before = standin.log.length;
    const started = performance.now();
    const response = await (scenario.operation === 'open' ? open() : list());
    const ms = performance.now() - started;
    const seen = standin.log.slice(before).map((r) => r.route);
    if (round === 0) continue; // the first round warms the process up
    const s = samples.get(scenario.name) ?? { ms: [], calls: [], routes: seen, status: response.status };
    s.ms.push(ms);
    s.calls.push(seen.length);
    samples.set(scenario.name, s);
  }
}

const rows: Row[] = scenarios.map(({ name, operation }) => {
  const s = samples.get(name)!;
  return { name, operation, calls: Math.max(...s.calls), routes: s.routes, medianMs: median(s.ms), status: s.status };
});
await standin.close();
process.stdout.write(`\nBENCH ${JSON.stringify({ runs, latencyMs, rows })}\n`);
process.exit(0);
