// The read path under load, in-process against DynamoDB Local: 32 concurrent callers for a few
// seconds; and how listing one client's appointments scales with how many they have.
import { median, percentile } from './common.js';
import { invocationFor, type Seeded } from './fixtures.js';

export interface ThroughputResult {
  concurrency: number;
  seconds: number;
  requests: number;
  perSecond: number;
  p50: number;
  p99: number;
}

export async function readThroughput(seeded: Seeded, concurrency = 32, seconds = 5): Promise<ThroughputResult> {
  const { handler } = await import('../functions/get-user-record.js');
  const { lambdaContext } = await import('../test/helpers/api.js');
  const event = invocationFor('get-user-record', seeded, 0).event as never;
  const latencies: number[] = [];
  const until = Date.now() + seconds * 1000;
  const worker = async () => {
    while (Date.now() < until) {
      const start = process.hrtime.bigint();
      const result = await handler(event, lambdaContext('get-user-record'));
      if (result.statusCode !== 200) throw new Error(`read failed with ${result.statusCode}`);
      latencies.push(Number(process.hrtime.bigint() - start) / 1e6);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return {
    concurrency,
    seconds,
    requests: latencies.length,
    perSecond: latencies.length / seconds,
    p50: median(latencies),
    p99: percentile(latencies, 99),
  };
}

export interface ScaleRow {
  records: number;
  median: number;
  p99: number;
}

/** Median time to list a page (50) of one client's appointments as their number grows. */
export async function listScaling(seeded: Seeded, sizes = [10, 100, 1000], samples = 100): Promise<ScaleRow[]> {
  const { handler } = await import('../functions/list-user-records.js');
  const { lambdaContext } = await import('../test/helpers/api.js');
  const { applyChange } = await import('../lib/db/entities.js');
  const { changeOf } = await import('../lib/domain/entities.js');
  const { webhookBody } = await import('../lib/schemas/webhook.js');
  const { recordEvent } = await import('../test/helpers/altegio.js');
  const event = invocationFor('list-user-records', seeded, 0).event as never;
  const rows: ScaleRow[] = [];
  let have = 2; // seeded already
  for (const size of sizes) {
    for (; have < size; have++) {
      const day = new Date(Date.UTC(2027, 0, 1) + have * 3600_000).toISOString().replace('Z', '+00:00');
      const parsed = webhookBody.parse(recordEvent(100_000 + have, { datetime: day, client: { id: 1, phone: seeded.phone } }));
      await applyChange(changeOf(parsed, 1, 'RU')!);
    }
    const times: number[] = [];
    for (let i = 0; i < samples; i++) {
      const start = process.hrtime.bigint();
      await handler(event, lambdaContext('list-user-records'));
      times.push(Number(process.hrtime.bigint() - start) / 1e6);
    }
    rows.push({ records: size, median: median(times), p99: percentile(times, 99) });
  }
  return rows;
}
