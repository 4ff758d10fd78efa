// `npm run bench` runs every benchmark in one process and rewrites docs/performance.md with this
// run's numbers. `npm run bench -- cold|warm|size|trips|throughput|altegio|writeback|reschedule` runs one and only prints.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import type { ColdRow } from './cold.js';
import type { ConnectedRow } from './reschedule-altegio.js';
import { functionEntries, ms, packagedBundles, root, startStack, type Bundle } from './common.js';

// The service logs at INFO and writes metrics, as deployed, so their cost is measured; their lines
// (thousands) are formatted in full, then dropped instead of burying the report.
const write = process.stdout.write.bind(process.stdout);
let dropped = 0;
process.stdout.write = ((chunk: string | Uint8Array, ...rest: never[]) =>
  /^\{"(level|_aws)"/.test(String(chunk)) ? (dropped++, true) : write(chunk, ...rest)) as typeof process.stdout.write;

const only = process.argv[2];
const want = (part: string) => !only || only === part;
const started = Date.now();
const stack = await startStack();
const { seed } = await import('./fixtures.js');
const seeded = await seed();
const out: string[] = [];
const log = (line: string) => {
  out.push(line);
  console.log(line);
};

/**
 * Runs a bench file in a process of its own (connected mode is read from the environment at
 * start) on this run's DynamoDB Local, and returns what its `BENCH {json}` line says.
 */
function inItsOwnProcess(file: string, env: Record<string, string> = {}): unknown {
  const output = execFileSync(process.execPath, [...process.execArgv, new URL(file, root).pathname], {
    env: { ...process.env, ...stack.env, ...env },
    encoding: 'utf8',
    maxBuffer: 256 * 2 ** 20,
  });
  const line = output
    .split('\n')
    .reverse()
    .find((l) => l.startsWith('BENCH '));
  if (!line) throw new Error(`${file} printed no result`);
  return JSON.parse(line.slice(6));
}

/** The Altegio routes of a request, each once with how many times: "2 × PUT /client/…, …". */
const count = (routes: string[]) =>
  [...routes.reduce((m, r) => m.set(r, (m.get(r) ?? 0) + 1), new Map<string, number>())]
    .map(([r, n]) => (n > 1 ? `${n} × ${r}` : r))
    .join(', ') || '–';

/**
 * A column of a table in the report this run replaces, by function: what each number was before,
 * to be read beside this run's (a ratio to the same run's floor compares across runs; a time does not).
 */
function previously(section: string, column: number): Map<string, string> {
  let report: string;
  try {
    report = readFileSync(new URL('docs/performance.md', root), 'utf8');
  } catch {
    return new Map();
  }
  const body = report.split(`\n## ${section}\n`)[1]?.split('\n## ')[0] ?? '';
  const rows = body.split('\n').filter((line) => /^\| [a-z]/.test(line) && !line.startsWith('| function '));
  return new Map(rows.map((line) => line.split('|').map((cell) => cell.trim())).map((cells) => [cells[1]!, cells[column + 1]!]));
}

const targets: string[] = [];
const verdict = (met: boolean, text: string) => targets.push(`- ${met ? 'Met' : '**Missed**'}: ${text}`);

try {
  if (want('size') || want('cold')) {
    const bundles: Bundle[] = await packagedBundles();
    if (want('size')) {
      log('\n## Bundle size per function\n');
      log(
        "The deployment's own artifacts (`serverless package`): minified ESM with the SDK included, " +
          "and its zip. Largest inputs from esbuild's metafile.\n",
      );
      const zippedBefore = previously('Bundle size per function', 2);
      log('| function | minified | zipped | zipped, previous report | largest inputs |');
      log('|---|---:|---:|---:|---|');
      for (const b of bundles) {
        const byPackage = new Map<string, number>();
        for (const [file, info] of Object.entries(Object.values(b.metafile.outputs)[0]!.inputs)) {
          const key = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file)?.[1] ?? file.split('/').slice(0, 2).join('/');
          byPackage.set(key, (byPackage.get(key) ?? 0) + info.bytesInOutput);
        }
        const top = [...byPackage]
          .sort((a, c) => c[1] - a[1])
          .slice(0, 4)
          .map(([k, v]) => `${k} ${(v / 1024).toFixed(0)} KB`)
          .join(', ');
        const before = zippedBefore.get(b.name) ?? '–';
        log(`| ${b.name} | ${(b.bytes / 1024).toFixed(1)} KB | ${(b.zippedBytes / 1024).toFixed(1)} KB | ${before} | ${top} |`);
      }
      // The reference page's zip carries Swagger UI's own files beside the same kind of bundle.
      const docs = bundles.find((b) => b.name === 'api-docs');
      const largest = Math.max(...bundles.filter((b) => b !== docs).map((b) => b.zippedBytes)) / 1024;
      const docsNote = docs
        ? ` (api-docs left out: its zip is ${(docs.zippedBytes / 1024).toFixed(1)} KB with the page's files, ` +
          'which are read only when /docs is asked for)'
        : '';
      verdict(largest <= 200, `bundle ≤ 200 KB zipped: the largest is ${largest.toFixed(1)} KB${docsNote}.`);
    }
    if (want('cold')) {
      const { coldRuns, coldStarts } = await import('./cold.js');
      const { hello, bare, rows } = await coldStarts(stack, seeded, bundles);
      log('\n## Cold start per function\n');
      log(
        `A fresh \`node\` process, started in an empty folder, imports the deployed bundle, then ` +
          `serves one request against DynamoDB Local; medians of ${coldRuns} runs, round-robin. "Init" counts from ` +
          `the process's start to the handler being ready (Node's own start-up included, as in Lambda's ` +
          `Init Duration). Floors built the same way: hello world, init ${ms(hello.initMs)} ` +
          `(import ${ms(hello.importMs)}); a function that does nothing but one DynamoDB read with the ` +
          `same SDK clients, init ${ms(bare.initMs)} (${bare.ratio.toFixed(2)}× hello world; ` +
          `import ${ms(bare.importMs)}).\n`,
      );
      const ratioBefore = previously('Cold start per function', 2);
      log(
        '| function | init | × hello world | × hello world, previous report | × bare DynamoDB | of which import | first request | status |',
      );
      log('|---|---:|---:|---:|---:|---:|---:|---:|');
      for (const r of rows)
        log(
          `| ${r.name} | ${ms(r.initMs)} | ${r.ratio.toFixed(2)}× | ${ratioBefore.get(r.name) ?? '–'} ` +
            `| ${(r.initMs / bare.initMs).toFixed(2)}× | ${ms(r.importMs)} | ${ms(r.firstRequestMs)} ` +
            `| ${r.status || '–'} |`,
        );
      // A ratio to another run's hello world is only a rough guide: two runs of the same code here put
      // one function up to a quarter apart, most within a tenth. So this is said, not judged.
      const compared = rows.filter((r) => ratioBefore.has(r.name));
      const before = (r: ColdRow) => Number.parseFloat(ratioBefore.get(r.name)!);
      const higher = compared.filter((r) => r.ratio > before(r) * 1.1);
      const lower = compared.filter((r) => r.ratio < before(r) / 1.1);
      if (compared.length)
        log(
          `\nAgainst the previous report, each in its own run's hello world: ${lower.length} of ${compared.length} functions ` +
            `more than 10% lower, ${compared.length - lower.length - higher.length} within 10%, ${higher.length} more than 10% higher` +
            (higher.length
              ? ` (${higher.map((r) => `${r.name} ${r.ratio.toFixed(2)}× against ${ratioBefore.get(r.name)}`).join(', ')})`
              : '') +
            '.',
        );
      const worst = rows.reduce((a, b) => (b.ratio > a.ratio ? b : a));
      verdict(
        worst.ratio <= 1.5,
        `init ≤ 1.5× hello world for every function: the slowest, ${worst.name}, ` +
          `is ${worst.ratio.toFixed(2)}× (${(worst.initMs / bare.initMs).toFixed(2)}× a function that ` +
          `only reads DynamoDB, itself ${bare.ratio.toFixed(2)}× hello world). See "Reading the numbers".`,
      );
    }
  }
  if (want('warm')) {
    const { warmOverhead } = await import('./warm.js');
    const w = await warmOverhead(seeded);
    log('\n## Warm overhead of the chain\n');
    log(
      `\`GET /v1/user/records/{id}/{hash}\` through the whole chain against the same DynamoDB calls ` +
        `made bare (partner, record, one batch read), ${w.iterations} invocations each, interleaved in ` +
        `blocks of 100. "Chain alone" is an operation of the same chain that does no I/O. Both include ` +
        `the request's log line (INFO, as deployed).\n`,
    );
    log('| path | median | p99 |');
    log('|---|---:|---:|');
    log(`| full chain | ${ms(w.full.median)} | ${ms(w.full.p99)} |`);
    log(`| bare DynamoDB calls | ${ms(w.bare.median)} | ${ms(w.bare.p99)} |`);
    const us = (v: number) => `${(v * 1000).toFixed(1)} µs`;
    log(`| chain alone (no I/O) | ${us(w.chainOnly.median)} | ${us(w.chainOnly.p99)} |`);
    log(
      `\nAdded by the chain, median: **${ms(w.addedMedian)}** (full − bare, which also carries the ` +
        `noise of two I/O-bound series); the chain alone: ${us(w.chainOnly.median)}.`,
    );
    verdict(
      w.chainOnly.median <= 0.3 && w.addedMedian <= 0.3,
      `≤ 0.3 ms median added per request: ${ms(w.addedMedian)} measured as full − ` +
        `bare, ${us(w.chainOnly.median)} for the chain alone.`,
    );
  }
  if (want('trips')) {
    const { roundTrips } = await import('./round-trips.js');
    const names = functionEntries()
      .map((f) => f.name)
      .filter((n) => !['deliver-events', 'retry-events', 'retry-altegio', 'altegio-reconcile'].includes(n));
    const rows = await roundTrips(seeded, names);
    log('\n## DynamoDB round trips per operation\n');
    log(
      "Counted by a middleware on the SDK client for the benchmark's representative request (the " +
        'partner already remembered, as in a warm container). The same numbers are asserted by ' +
        '`test/integration/round-trips.test.ts`.\n',
    );
    log('| operation | status | round trips | in order |');
    log('|---|---:|---:|---|');
    for (const r of rows) log(`| ${r.name} | ${r.status} | ${r.trips} | ${r.commands.join(' → ') || '–'} |`);
  }
  if (want('throughput')) {
    const { listScaling, readThroughput } = await import('./throughput.js');
    const t = await readThroughput(seeded);
    log('\n## Read path under load\n');
    log(
      `\`GET /v1/user/records/{id}/{hash}\`, ${t.concurrency} concurrent callers in one process ` +
        `for ${t.seconds} s against DynamoDB Local: **${t.perSecond.toFixed(0)} requests/s**, ` +
        `p50 ${ms(t.p50)}, p99 ${ms(t.p99)} (${t.requests} requests).\n`,
    );
    const scale = await listScaling(seeded);
    log(
      "Listing a page (50) of one client's appointments as they have more of them (a GSI query: the " +
        'page costs the same however many there are):\n',
    );
    log('| appointments of the client | median | p99 |');
    log('|---:|---:|---:|');
    for (const r of scale) log(`| ${r.records} | ${ms(r.median)} | ${ms(r.p99)} |`);
    const flat = scale.at(-1)!.median <= scale[1]!.median * 1.5;
    verdict(
      flat,
      `listing stays flat as a client's appointments grow: ${ms(scale[1]!.median)} ` +
        `at ${scale[1]!.records}, ${ms(scale.at(-1)!.median)} at ${scale.at(-1)!.records}.`,
    );
  }
  if (want('altegio')) {
    // Its own process: connected mode is read from the environment at start (bench/altegio.ts).
    const a = inItsOwnProcess('bench/altegio.ts') as {
      runs: number;
      latencyMs: number;
      rows: Array<{ name: string; operation: string; calls: number; routes: string[]; medianMs: number; status: number }>;
    };
    log('\n## Altegio connector: calls and latency\n');
    log(
      `Connected mode ([contract](contract.md) 8.3), the real handlers against the Altegio stand-in ` +
        `answering every request in ${a.latencyMs} ms, one configured location, a user whose ` +
        `appointment is only in Altegio. A miss is made by removing what the table holds of what is ` +
        `missed (its cache marker and the stored object) before the request. Calls are what the ` +
        `stand-in received; medians of ${a.runs} requests per row, interleaved; "added" is the row's ` +
        `median less the same operation's warm median. The request budget is set high so it never ` +
        `waits; its DynamoDB counters (two round trips a call) are in the numbers.\n`,
    );
    log('| operation | status | Altegio calls | which | median | added by the miss | × warm |');
    log('|---|---:|---:|---|---:|---:|---:|');
    const warm = (operation: string) => a.rows.find((r) => r.operation === operation && r.calls === 0)?.medianMs ?? NaN;
    for (const r of a.rows) {
      const base = warm(r.operation);
      log(
        `| ${r.name} | ${r.status} | ${r.calls} | ${count(r.routes)} | ${ms(r.medianMs)} ` +
          `| ${r.calls ? ms(r.medianMs - base) : '–'} ` +
          `| ${r.calls ? `${(r.medianMs / base).toFixed(1)}×` : '1×'} |`,
      );
    }
    const warmRows = a.rows.filter((r) => /warm/.test(r.name));
    verdict(
      warmRows.every((r) => r.calls === 0),
      `0 Altegio calls on a warm ` + `cache: ${warmRows.map((r) => `${r.name.replace(/, warm$/, '')} ${r.calls}`).join(', ')}.`,
    );
    const cold = a.rows.filter((r) => !/warm/.test(r.name));
    const worst = cold.reduce((x, y) => (y.calls > x.calls ? y : x));
    verdict(
      worst.calls <= 4,
      `at most 4 Altegio calls on a cold miss: the most is ${worst.calls} ` +
        `(${worst.name}).${worst.calls > 4 ? ' See "Reading the numbers".' : ''}`,
    );
  }
  if (want('writeback')) {
    // Its own processes: connected mode is read from the environment at start (bench/altegio-writeback.ts).
    type Result = {
      runs: number;
      latencyMs: number;
      writeback: string;
      rows: Array<{ name: string; calls: number; routes: string[]; later: string[]; medianMs: number; status: number }>;
    };
    const runOnce = (writeback: string) => inItsOwnProcess('bench/altegio-writeback.ts', { BENCH_WRITEBACK: writeback }) as Result;
    const on = runOnce('cancel,profile,review');
    const off = runOnce('none');
    log('\n## Altegio write-back: calls and latency\n');
    log(
      `Connected mode ([contract](contract.md) 8.4), the real handlers against the Altegio stand-in ` +
        `answering every request in ${on.latencyMs} ms; Ann has a client card in each of two configured ` +
        `locations. Each row acts on something fresh (a new appointment delivered by webhook, a new ` +
        `visit's review link). Calls are what the stand-in received during the request, then in the ` +
        `write-back sweeper's next run; medians of ${on.runs} requests per row, interleaved. "Off" is ` +
        `the same connected deployment with \`CABINET_ALTEGIO_WRITEBACK=none\`, in a second process of ` +
        `the same run.\n`,
    );
    log('| action | status | Altegio calls | during the answer | after it (sweeper) | median, write-back on | median, off | added |');
    log('|---|---:|---:|---|---|---:|---:|---:|');
    for (const r of on.rows) {
      const base = off.rows.find((o) => o.name === r.name)!;
      log(
        `| ${r.name} | ${r.status} | ${r.calls} | ${count(r.routes)} | ${count(r.later)} ` +
          `| ${ms(r.medianMs)} | ${ms(base.medianMs)} | ${ms(r.medianMs - base.medianMs)} ` +
          `(${(r.medianMs / base.medianMs).toFixed(1)}×) |`,
      );
    }
    const cancel = on.rows.find((r) => r.name.startsWith('cancel'))!;
    verdict(
      cancel.routes.some((r) => r.startsWith('DELETE')) && cancel.calls <= 3,
      `a cancellation frees the slot in Altegio before its answer, in ${cancel.calls} calls (the ` +
        `record and the location's rules read fresh, then one DELETE).`,
    );
    // Writes only: the card search is a POST that changes nothing.
    const writes = (routes: string[]) => routes.filter((x) => /^(DELETE \/record|PUT \/client|POST \/comments)/.test(x)).length;
    const wrote = on.rows.map((r) => `${r.name} ${writes(r.routes) + writes(r.later)}`).join(', ');
    verdict(
      on.rows.every((r) => writes(r.routes) + writes(r.later) === (r.name.includes('two client cards') ? 2 : 1)),
      `each action writes once per client card, never twice: ${wrote}.`,
    );
  }
  if (want('reschedule')) {
    const { rescheduleBench } = await import('./reschedule.js');
    const rows = await rescheduleBench(seeded);
    log('\n## Moving an appointment\n');
    log(
      'Standalone ([contract](contract.md) section 9), the real handlers on DynamoDB Local: round trips counted on the ' +
        'SDK client for one request, then the median of 60 (a move goes back and forth between two free times, so each ' +
        "is a real move, written with its day's revision and its event in one transaction).\n",
    );
    log('| request | status | round trips | in order | median |');
    log('|---|---:|---:|---|---:|');
    for (const r of rows) log(`| ${r.name} | ${r.status} | ${r.trips.length} | ${r.trips.join(' → ')} | ${ms(r.medianMs)} |`);
    const moveRow = rows.find((r) => r.name.startsWith('a move'))!;
    const open = rows.find((r) => r.name.startsWith('for comparison'))!;
    log(`\nA move takes ${ms(moveRow.medianMs)} median, ${ms(moveRow.medianMs - open.medianMs)} more than opening the appointment.`);
    verdict(
      rows.every((r) => r.status === 200),
      `listing free times and moving answer 200 in ${rows.map((r) => r.trips.length).join(', ')} round trips (dates, times, move, open).`,
    );
    connectedMoves();
  }
} finally {
  await stack.dynamo.stop();
}

/** Moving an appointment connected to Altegio, measured in a process of its own (bench/reschedule-altegio.ts). */
function connectedMoves() {
  const a = inItsOwnProcess('bench/reschedule-altegio.ts') as {
    runs: number;
    latencyMs: number;
    rows: ConnectedRow[];
  };
  log('\n### Connected to Altegio\n');
  log(
    `The same requests connected ([contract](contract.md) 8.3 and section 9), the real handlers against the Altegio ` +
      `stand-in answering every request in ${a.latencyMs} ms; one location, an appointment three days ahead moved ` +
      "back and forth between two free times (every move a real PUT). Cold is made by removing the team member's " +
      'schedule (kept 60 s) from the table before the request, and for "nothing cached" the location too. Calls are ' +
      `what the stand-in received; round trips those of one request, the budget's counters included (two a call); ` +
      `medians of ${a.runs} requests per row, interleaved.\n`,
  );
  log('| request | status | Altegio calls | which | round trips | in order | median |');
  log('|---|---:|---:|---|---:|---|---:|');
  for (const r of a.rows)
    log(`| ${r.name} | ${r.status} | ${r.calls} | ${count(r.routes)} | ${r.trips.length} | ${r.trips.join(' → ')} | ${ms(r.medianMs)} |`);
  const open = a.rows.find((r) => r.kind === 'open')!;
  const moves = a.rows.filter((r) => r.kind === 'move');
  const [warmMove, coldMove] = [moves.find((r) => r.warm)!, moves.find((r) => !r.warm)!];
  log(
    `\nA connected move takes ${ms(warmMove.medianMs)} median after listing free times, ${ms(warmMove.medianMs - open.medianMs)} ` +
      `more than opening the appointment (${ms(open.medianMs)}); with the day's schedule not cached, ${ms(coldMove.medianMs)} ` +
      `(${ms(coldMove.medianMs - open.medianMs)} more).`,
  );
  const warmLists = a.rows.filter((r) => r.warm && (r.kind === 'dates' || r.kind === 'times'));
  verdict(
    warmLists.every((r) => r.calls === 0),
    `a warm free-times answer asks Altegio nothing: ${warmLists.map((r) => `${r.name.replace(/, warm$/, '')} ${r.calls}`).join(', ')}.`,
  );
  verdict(
    moves.every((r) => r.calls <= 3),
    `a move asks Altegio at most 3 times: ${warmMove.calls} after listing free times (${count(warmMove.routes)}), ` +
      `${coldMove.calls} with the day's schedule not cached (${count(coldMove.routes)}).` +
      (moves.some((r) => r.calls > 3) ? ' See "Reading the numbers".' : ''),
  );
}

// One part run alone writes no report; its targets are printed with it.
if (only && targets.length) console.log(`\n## Targets\n\n${targets.join('\n')}`);
const seconds = (Date.now() - started) / 1000;
console.log(`\nbench finished in ${seconds.toFixed(0)} s (${dropped} log and metric lines of the service formatted and dropped)`);
if (!only) {
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  const header = [
    '# Performance',
    '',
    `Written by \`npm run bench\` (${new Date().toISOString().slice(0, 10)}, ${seconds.toFixed(0)} ` +
      `s): every number below is from that one run. Machine: ${cpus().length} ` +
      `× ${cpu}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, DynamoDB Local ` +
      `(in memory) on the same machine. Lambda runs Node 22 on arm64; these are local, ` +
      `relative numbers.`,
    '',
    '## Targets',
    '',
    ...targets,
  ];
  const notes = readNotes();
  writeFileSync(new URL('docs/performance.md', root), `${[...header, ...out, '', notes].join('\n')}\n`);
  console.log('docs/performance.md rewritten');
}

function readNotes(): string {
  return [
    '## Reading the numbers',
    '',
    '- **Published anchors**: AWS Lambda Node.js 20 hello-world init is about 121 ms on arm64 ' +
      "(maxday lambda-perf, 2025), and middy costs about 0.04–0.2 ms per middleware (middy's " +
      'profiling docs). Node alone starts here in about 20 ms, so a ratio to hello world is far ' +
      "harsher locally than in Lambda, where the runtime's own start-up (about 100 ms) is added to " +
      'both sides alike.',
    "- **Cold start, missed against hello world**: importing the AWS SDK's DynamoDB clients alone " +
      "is most of the bare floor's import time above, about as long as Node's whole start. A " +
      'function that does nothing but one DynamoDB read is therefore already several times hello ' +
      'world (see the floors above the table), and ours sit close to that floor; the rest is zod ' +
      '(about 10 ms), middy (about 4 ms) and our modules. Closing the gap would need the SDK left out ' +
      "of the bundle (Lambda's own copy is still loaded at init, so little is won) or loaded on the " +
      'first request (which only moves the cost to where Lambda gives less CPU). Neither was done.',
    '- **Connected mode at init**: connected mode (the Altegio connector, read-through, the sync flows) ' +
      'is loaded by `import()` on its first use, and only when the deployment is connected ' +
      '(docs/architecture.md), so a standalone function imports none of it: the two schedules that ' +
      'serve only connected deployments (`altegio-reconcile`, `retry-altegio`) start faster than a ' +
      'function that only reads DynamoDB, and the read paths skip the connector they carried before. The ' +
      'bundles are built with code splitting for it; each function ships its chunks beside its entry, ' +
      'and the minified size counts them.',
    "- **Bundle size**: every bundle carries the SDK's DynamoDB clients, zod, middy and " +
      'Powertools Logger and Metrics (about 27 KB minified, 8 KB zipped, for the structured logs and ' +
      "abuse metrics of docs/operations.md). The SDK's default credential chain is cut to the one " +
      "link Lambda uses, the role's keys in the environment (lib/db/lambda-credentials.ts, swapped " +
      'in by scripts/esbuild-plugins.cjs): its other links and the STS and SSO clients they carry ' +
      'were 130 KB minified, about 37 KB zipped, of every bundle; `scripts/check-bundles.mjs` runs a ' +
      'packaged function as Lambda would and checks it signs with those keys. The largest are the two ' +
      'that send SMS codes (`send-book-code`, `send-phone-confirmation`): they carry ' +
      "libphonenumber's mobile numbering metadata for every country (98 KB minified), which is what " +
      'lets them refuse landline, toll-free and premium numbers before any SMS is charged. Secrets ' +
      "are read with SSM's one call, GetParameter, signed by the SDK's own signer (lib/ssm.ts): the " +
      "SDK's SSM client with Powertools Parameters carried the models of every SSM operation and " +
      'error, 87 KB minified and about 18 KB zipped, into every function that reads a secret, and ' +
      'took the request-path bundles past 200 KB. `api-docs` is outside the target: its zip carries ' +
      'Swagger UI (1.7 MB of JavaScript) for `GET /docs`, read only when the page is asked for; its ' +
      'code is the same chain as `not-found`.',
    '- **Round trips**: a request needs its partner (remembered by a warm container for a minute, ' +
      'so usually no trip), its own item, and what it joins; reads that do not depend on each other ' +
      'go in one batch or in parallel (partner and user token). Writes that must hold together are ' +
      'one transaction, however many items they touch. A token-authenticated request reads the token ' +
      'and then its user: two sequential reads, the price of being able to revoke every token of a ' +
      'user with one write.',
    '- **Altegio connector**: a warm cache asks Altegio nothing; what a miss costs is one request ' +
      'per thing missing, read in parallel where nothing depends on it. What backfill, the reconcile ' +
      'or a webhook stored counts as read, so a backfilled location asks nothing. A record with ' +
      'nothing cached is read itself (`GET /record`, which carries its client, so ownership is ' +
      'decided on it), then its location (one call, `GET /companies?id=&my=1`, when that entry has a ' +
      'title and time zone), team member and services in parallel: 4 calls. A list with nothing ' +
      "cached is the user's client card, its records and the location, per configured location. The " +
      "latency a miss adds is one or two of Altegio's answers (the dependent steps), plus the " +
      "cache's and the budget counters' writes. Connected mode costs bundle size: the " +
      "record-reading functions carry the Altegio client and libphonenumber's `min` metadata (to map " +
      'what they read), about 15 KB zipped; the two SMS functions read a configured location through ' +
      'but tell its country with the `mobile` set they already carry, and do not store it.',
    "- **Altegio write-back**: a cancellation reads the record and the location's rules fresh (in " +
      "parallel), then sends its one DELETE before answering, so the slot is free in the salon's " +
      'calendar when the customer sees "cancelled": three calls, two of Altegio\'s answers in a row. ' +
      "A profile change searches each configured location for the user's cards and PUTs each card, " +
      "all locations side by side, so a chain costs one location's latency (a second change within a " +
      'minute is left to the sweeper, which sends the latest values once). A review is one POST. All ' +
      "of it is bounded (3.5 s for a cancellation's look and DELETE together); past the bound, or " +
      'when Altegio fails, the command waits in the outbox and the answer does not.',
    "- **Moving an appointment, connected**: a move reads the record and the location's rules fresh, in parallel, " +
      "then decides on the team member's schedule with busy intervals, then sends one PUT. The schedule is kept 60 s " +
      'for every function, so a move within a minute of listing free times (where the customer picks the new time) asks ' +
      'Altegio 3 times, two answers in a row. A move made without listing first reads the schedule too, once the ' +
      "record and the rules are read (they say whose schedule, and which day in the location's zone): 4 calls, " +
      'three answers in a row.',
    '- **What was done for these numbers**: zod imported as a namespace (esbuild drops what is ' +
      'unused: 444 KB → 90 KB); phone metadata split so that no bundle carries the full set (157 KB); ' +
      "web-streams-polyfill left out (it is required only below Node 18); the SDK's credential chain " +
      'cut to its environment link; SSM read with GetParameter alone instead of its SDK client; known ' +
      'partners remembered; one SDK client per process with keep-alive; schemas built once at ' +
      'module load.',
  ].join('\n');
}
