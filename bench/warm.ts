// Warm overhead: the full chain of one operation against the same DynamoDB calls made bare, in one
// process, interleaved in blocks so drift hits both alike. Also the chain alone, with no I/O at all.
import { median, percentile } from './common.js';
import { invocationFor, type Seeded } from './fixtures.js';

export interface WarmResult {
  iterations: number;
  full: { median: number; p99: number };
  bare: { median: number; p99: number };
  addedMedian: number;
  chainOnly: { median: number; p99: number };
}

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const start = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

export async function warmOverhead(seeded: Seeded, iterations = 3000): Promise<WarmResult> {
  const { handler } = await import('../functions/get-user-record.js');
  const { findPartner } = await import('../lib/db/partners.js');
  const { getEntity, getEntities } = await import('../lib/db/entities.js');
  const { lambdaContext } = await import('../test/helpers/api.js');
  const { cabinetHandler } = await import('../lib/http/handler.js');
  const { ok } = await import('../lib/http/response.js');
  const z = await import('zod');
  const event = invocationFor('get-user-record', seeded, 0).event as never;
  const context = lambdaContext('get-user-record');
  // The same calls the handler makes: partner (remembered after the first), record, one batch.
  const bare = async () => {
    await findPartner(seeded.partner);
    const record = await getEntity<never>('record', seeded.recordId);
    await getEntities([
      ['company', 4564],
      ['staff', 48],
      ['service', 331],
    ]);
    return record;
  };
  const noIo = cabinetHandler(async () => ok({}), {
    operation: 'bench-no-io',
    auth: 'none',
    schema: z.object({ path: z.object({ record_id: z.string() }) }),
  });
  const full: number[] = [];
  const plain: number[] = [];
  const chain: number[] = [];
  for (let i = 0; i < 50; i++) await handler(event, context); // warm up both paths and the JIT
  for (let done = 0; done < iterations; done += 100) {
    for (let i = 0; i < 100; i++) full.push(await timed(() => handler(event, context)));
    for (let i = 0; i < 100; i++) plain.push(await timed(bare));
    for (let i = 0; i < 100; i++) chain.push(await timed(() => noIo(event, context)));
  }
  const stats = (values: number[]) => ({ median: median(values), p99: percentile(values, 99) });
  return { iterations, full: stats(full), bare: stats(plain), addedMedian: median(full) - median(plain), chainOnly: stats(chain) };
}
