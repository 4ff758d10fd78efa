// `npm run load`: sustained mixed traffic against the local stack, over HTTP on 127.0.0.1 only,
// for 60 s (or 50 000 requests, whichever comes first), then a consistency check. It starts its
// own `npm start` (fresh data, free ports) with a local SMS gateway and event subscriber, and
// writes its numbers into docs/security.md. Exits non-zero on any 5xx or inconsistency.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../scripts/local-dynamodb.js';
import { companyEvent, recordEvent, signedHeaders } from '../test/helpers/altegio.js';
import { startSmsGateway } from '../test/helpers/sms-gateway.js';
import { startSubscriber } from '../test/helpers/subscriber.js';
import { testEventsSecret, testInternalKey, testPartnerToken, testSecret } from '../test/helpers/table.js';
import { median, percentile, root } from './common.js';

const seconds = Number(process.argv[2] ?? 60);
const maxRequests = 50_000;
const concurrency = 16;
const records = 300;

const [gateway, subscriber, port, dynamoPort] = await Promise.all([startSmsGateway(), startSubscriber(), freePort(), freePort()]);
const env = {
  ...process.env,
  PORT: String(port),
  CABINET_DYNAMODB_PORT: String(dynamoPort),
  CABINET_DATA_DIR: mkdtempSync(join(tmpdir(), 'cabinet-load-')),
  CABINET_PARTNER_TOKEN: testPartnerToken,
  CABINET_WEBHOOK_SECRET: testSecret,
  CABINET_INTERNAL_KEY: testInternalKey,
  CABINET_EVENTS_SECRET: testEventsSecret,
  CABINET_SMS_URL: gateway.url,
  CABINET_EVENTS_URL: subscriber.url,
  CABINET_SMS_IP_PER_HOUR: '1000000',
  CABINET_SMS_COMPANY_PER_DAY: '1000000',
  CABINET_SMS_DEPLOYMENT_PER_DAY: '1000000',
  CABINET_LOGIN_IP_PER_HOUR: '1000000',
};
const stack = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], {
  cwd: root.pathname,
  env,
  stdio: ['ignore', 'pipe', 'pipe'],
});
const base = `http://127.0.0.1:${port}`;
await new Promise<void>((resolve, reject) => {
  stack.stdout!.on('data', (chunk: Buffer) => chunk.toString().includes('cabinet is running') && resolve());
  stack.once('exit', (code) => reject(new Error(`the stack exited (${code}) before it was ready`)));
});
stack.stderr!.resume();

async function call(method: string, path: string, body?: string, headers: Record<string, string> = {}) {
  const response = await fetch(`${base}${path}`, { method, body, headers: { authorization: `Bearer ${testPartnerToken}`, ...headers } });
  return { status: response.status, json: (await response.json()) as any };
}

const webhook = (event: unknown) => {
  const raw = JSON.stringify(event);
  return call('POST', '/v1/webhooks/altegio', raw, signedHeaders(raw));
};

// Seed: a location that allows cancelling, and appointments far ahead.
await webhook(companyEvent({ allow_delete_record: true, allow_delete_record_delay_step: 3600 }));
const hashes: string[] = [];
for (let i = 1; i <= records; i++)
  hashes.push(
    (await webhook(recordEvent(i, { datetime: '2030-06-01T12:00:00+03:00', client: { id: i, phone: `7916${String(5_000_000 + i)}` } })))
      .json.data.record_hash,
  );

const latencies: number[] = [];
const statuses = new Map<number, number>();
const cancelled = new Set<number>();
let sent = 0;
const until = Date.now() + seconds * 1000;
const pick = () => 1 + Math.floor(Math.random() * records);
// The platform updates the first half, clients cancel in the second: a platform update stamped
// after a cancellation, still saying `deleted: false`, would rightly win (the newest state applies),
// and muddle the check of what cancellations did.
const half = records / 2;
const pickUpdated = () => 1 + Math.floor(Math.random() * half);
const pickCancelled = () => half + 1 + Math.floor(Math.random() * half);

async function one(): Promise<void> {
  const roll = Math.random();
  const id = roll < 0.6 ? pick() : roll < 0.8 ? pickUpdated() : pickCancelled();
  const start = performance.now();
  let status: number;
  if (roll < 0.6) status = (await call('GET', `/v1/user/records/${id}/${hashes[id - 1]}`)).status;
  else if (roll < 0.8)
    status = (
      await webhook(
        recordEvent(
          id,
          {
            comment: `load ${sent}`,
            datetime: '2030-06-01T12:00:00+03:00',
            client: { id, phone: `7916${String(5_000_000 + id)}` },
            last_change_date: new Date().toISOString(),
          },
          'update',
        ),
      )
    ).status;
  else if (roll < 0.9) {
    status = (await call('DELETE', `/v1/user/records/${id}/${hashes[id - 1]}`)).status;
    if (status === 200) cancelled.add(id);
  } else
    status = (
      await call('POST', '/v1/book_code/4564', JSON.stringify({ phone: `7925${String(1_000_000 + (sent % 9_000_000))}` }), {
        'content-type': 'application/json',
      })
    ).status;
  latencies.push(performance.now() - start);
  statuses.set(status, (statuses.get(status) ?? 0) + 1);
}

const started = Date.now();
await Promise.all(
  Array.from({ length: concurrency }, async () => {
    while (Date.now() < until && sent < maxRequests) {
      sent++;
      await one();
    }
  }),
);
const elapsed = (Date.now() - started) / 1000;

// Consistency: every cancellation answered 200 shows as cancelled, and reached the subscriber as
// exactly one cancellation event per appointment (the relay is given a few seconds to catch up).
let mismatches = 0;
for (const id of cancelled) if ((await call('GET', `/v1/user/records/${id}/${hashes[id - 1]}`)).json.data[0].deleted !== true) mismatches++;
const deadline = Date.now() + 15_000;
const eventIds = () =>
  subscriber.deliveries
    .filter((d) => d.body.resource === 'record' && d.body.data?.cancelled_by === 'client')
    .map((d) => d.body.resource_id);
while (new Set(eventIds()).size < cancelled.size && Date.now() < deadline) await new Promise((r) => setTimeout(r, 500));
const evented = new Set(eventIds());
const missingEvents = [...cancelled].filter((id) => !evented.has(id)).length;
const extraEvents = [...evented].filter((id) => !cancelled.has(id)).length;
const serverErrors = [...statuses].filter(([s]) => s >= 500).reduce((n, [, c]) => n + c, 0);

stack.kill('SIGINT');
await new Promise((r) => stack.once('exit', r));
await Promise.all([gateway.close(), subscriber.close()]);

const ms = (v: number) => `${v.toFixed(1)} ms`;
const report = [
  `Mixed traffic over HTTP against \`npm start\` (serverless offline and DynamoDB Local on the ` +
    `same host), ${concurrency} concurrent clients for ${elapsed.toFixed(0)} ` +
    `s, ${new Date().toISOString().slice(0, 10)}: 60% appointment reads, 20% signed webhook ` +
    `updates, 10% cancellations, 10% login-code requests, over ${records} appointments (platform ` +
    `updates and cancellations on separate halves).`,
  '',
  `| requests | requests/s | p50 | p95 | p99 | 5xx |`,
  `|---:|---:|---:|---:|---:|---:|`,
  `| ${latencies.length} | ${(latencies.length / elapsed).toFixed(0)} | ${ms(median(latencies))} ` +
    `| ${ms(percentile(latencies, 95))} | ${ms(percentile(latencies, 99))} | ${serverErrors} |`,
  '',
  `Statuses: ${[...statuses]
    .sort()
    .map(([s, c]) => `${s} × ${c}`)
    .join(', ')}. Consistency ` +
    `afterwards: ${cancelled.size} appointments cancelled; ${mismatches} not shown as ` +
    `cancelled; ${missingEvents} without their event; ${extraEvents} events for appointments not ` +
    `cancelled; ${eventIds().length - evented.size} duplicate deliveries (allowed: delivery is at ` +
    `least once).`,
].join('\n');
console.log(report);

const file = new URL('docs/security.md', root);
const doc = readFileSync(file, 'utf8');
writeFileSync(file, doc.replace(/<!-- load:start -->[\s\S]*<!-- load:end -->/, `<!-- load:start -->\n${report}\n<!-- load:end -->`));
const failed = serverErrors > 0 || mismatches > 0 || missingEvents > 0 || extraEvents > 0;
process.exit(failed ? 1 : 0);
