// The one Altegio client and the request budget, against the Altegio stand-in (a real HTTP server)
// and DynamoDB Local: headers, the envelope, login and re-login, every error class, retries with
// backoff that honour Retry-After, redirects refused, and a budget that holds under concurrency.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import { startStandin, type AltegioStandin } from '../helpers/altegio-standin.js';
import { lambdaContext, v2Event } from '../helpers/api.js';
import { captureAllLogs } from '../helpers/logs.js';
import { listenOnLoopback } from '../helpers/loopback.js';
import { given } from '../helpers/fixture.js';
import { AltegioClient, retryAfterMs } from '../../lib/altegio/client.js';
import { AltegioBudget } from '../../lib/altegio/budget.js';
import * as errors from '../../lib/altegio/errors.js';
import { cabinetHandler } from '../../lib/http/handler.js';
import { toEnvelope } from '../../lib/http/errors.js';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { db, tableName } from '../../lib/db/client.js';

await given();

/** What a customer gets when the error escapes to the chain. */
function answered(error: unknown) {
  const result = toEnvelope(error);
  return { status: result.statusCode, headers: result.headers };
}

const partnerToken = 'partner-token-of-the-test';
const userToken = 'user-token-of-the-test';
let standin: AltegioStandin;

// Roomy: these tests are about the client, not the budget (which has its own below).
const roomy = new AltegioBudget({ rps: 1000, rpm: 100_000 });

function client(overrides: Partial<ConstructorParameters<typeof AltegioClient>[0]> = {}) {
  return new AltegioClient({
    baseUrl: standin.url,
    partnerToken,
    userToken,
    budget: roomy,
    backoffBaseMs: 20,
    backoffMaxMs: 100,
    throttleDefaultMs: 300,
    ...overrides,
  });
}

beforeEach(async () => {
  standin = await startStandin({ partnerToken, userToken, rps: 0, rpm: 0 });
});
afterEach(async () => {
  await standin.close();
});

describe('the Altegio client', () => {
  it('sends both tokens, the vendor Accept and JSON content type, and unwraps the envelope', async () => {
    const answer = await client().record(4564, 596792980);
    expect(answer.data).toMatchObject({ id: 596792980, company_id: 4564, date: '2026-12-01 14:00:00' });
    expect(answer.meta).toEqual({}); // Altegio's `meta: []`
    const [sent] = standin.requests('GET /record/:company_id/:record_id');
    expect(sent).toMatchObject({
      authorization: `Bearer ${partnerToken}, User ${userToken}`,
      accept: 'application/vnd.api.v2+json',
      contentType: 'application/json',
    });
    const list = await client().records(4564, { count: 1, page: 1 });
    expect(list.meta).toEqual({ page: 1, total_count: 1 });
  });

  it('mints the user token with POST /auth once, and again once after a 401', async () => {
    const c = client({ userToken: undefined, login: 'admin@salon.test', password: 'pw' });
    await c.company(4564);
    await c.company(4565);
    const auths = standin.requests('POST /auth');
    expect(auths).toHaveLength(1);
    expect(auths[0]!.authorization).toBe(`Bearer ${partnerToken}`); // the partner alone
    expect(auths[0]!.body).toEqual({ login: 'admin@salon.test', password: 'pw' });
    standin.regenerateToken();
    // Five calls meet the 401 at once: one new login between them.
    await Promise.all([1, 2, 3, 4, 5].map(() => c.company(4564)));
    expect(standin.requests('POST /auth')).toHaveLength(2);
    expect(standin.log.at(-1)!.authorization).toBe(`Bearer ${partnerToken}, User ${standin.userToken}`);
  });

  it('gives up after one re-login, and at once with a configured token: the token was revoked', async () => {
    standin.regenerateToken();
    await expect(client().company(4564)).rejects.toBeInstanceOf(errors.AltegioAuthRevoked);
    expect(standin.requests('GET /company/:company_id')).toHaveLength(1);
    const c = client({ userToken: undefined, login: 'admin@salon.test', password: 'pw' });
    standin.fault('GET /company/:company_id', { kind: 'revoked' }, 5);
    const revoked = await c.company(4564).catch((e: unknown) => e);
    expect(revoked).toMatchObject({ kind: 'auth_revoked' });
    expect(answered(revoked)).toMatchObject({ status: 503 });
    expect(standin.requests('POST /auth')).toHaveLength(2); // the first login, and one re-login
    const wrong = client({ userToken: undefined, login: 'admin@salon.test', password: 'wrong' });
    await expect(wrong.company(4564)).rejects.toMatchObject({ kind: 'auth_revoked', detail: expect.stringContaining('POST /auth: 401') });
  });

  it('retries 5xx and dropped connections with backoff, and succeeds when Altegio recovers', async () => {
    standin.fault('GET /record/:company_id/:record_id', { kind: 'status', status: 502 });
    standin.fault('GET /record/:company_id/:record_id', { kind: 'drop' });
    const answer = await client().record(4564, 596792980);
    expect(answer.data).toMatchObject({ id: 596792980 });
    const tries = standin.requests('GET /record/:company_id/:record_id');
    expect(tries.map((r) => r.status)).toEqual([502, -1, 200]);
    expect(tries[1]!.at - tries[0]!.at).toBeGreaterThanOrEqual(10); // not at once
  });

  it('keeps the network error as the cause when Altegio refuses the connection', async () => {
    const closed = await listenOnLoopback(createServer());
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    const error = await client({ baseUrl: `http://127.0.0.1:${port}`, attempts: 2 })
      .company(4564)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(errors.AltegioUnreachable);
    expect(error).toMatchObject({ name: 'AltegioUnreachable', detail: 'GET /company/:id: network error' });
    expect((error as Error).cause).toMatchObject({ name: 'FetchError', code: 'ECONNREFUSED' });
  });

  it('abandons an attempt that takes too long, and retries it', async () => {
    standin.fault('GET /company/:company_id', { kind: 'delay', ms: 600 });
    await expect(client({ timeoutMs: 200 }).company(4564)).resolves.toMatchObject({ data: { id: 4564 } });
    expect(standin.requests('GET /company/:company_id')).toHaveLength(2);
  });

  it('stops after its attempts with AltegioUnreachable, a 503 with Retry-After', async () => {
    standin.fault('GET /company/:company_id', { kind: 'status', status: 500 }, 10);
    const error = await client({ attempts: 3 })
      .company(4564)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(errors.AltegioUnreachable);
    expect(error).toMatchObject({ upstreamStatus: 500 });
    expect(answered(error)).toMatchObject({ status: 503, headers: { 'retry-after': expect.stringMatching(/^\d+$/) } });
    expect(standin.requests('GET /company/:company_id')).toHaveLength(3);
  });

  it('never retries a 429 at once: without Retry-After it waits its default, with one it waits that long', async () => {
    standin.fault('GET /company/:company_id', { kind: 'throttle', retryAfter: null });
    await client({ throttleDefaultMs: 400 }).company(4564);
    let [first, second] = standin.requests('GET /company/:company_id');
    expect(first!.status).toBe(429);
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(400);
    standin.log.length = 0;
    standin.fault('GET /company/:company_id', { kind: 'throttle', retryAfter: 1 });
    await client({ throttleDefaultMs: 50 }).company(4564);
    [first, second] = standin.requests('GET /company/:company_id');
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(1000);
  });

  it('throws AltegioThrottled with the retry-after when waiting would pass its bound', async () => {
    standin.fault('GET /company/:company_id', { kind: 'throttle', retryAfter: 30 });
    const error = await client({ maxWaitMs: 2000 })
      .company(4564)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(errors.AltegioThrottled);
    expect(error).toMatchObject({ retryAfterS: expect.any(Number) });
    expect(answered(error)).toMatchObject({ status: 503, headers: { 'retry-after': expect.stringMatching(/^3\d$/) } });
    expect(standin.requests('GET /company/:company_id')).toHaveLength(1);
  });

  it('takes a Retry-After of up to 5 minutes, however long the 429 asks for, and says no more in its own 503', async () => {
    for (const retryAfter of [315_360_000, 1e306]) {
      standin.fault('GET /company/:company_id', { kind: 'throttle', retryAfter });
      const error = await client({ maxWaitMs: 2000 })
        .company(4564)
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(errors.AltegioThrottled);
      expect(error).toMatchObject({ retryAfterS: 300 });
      expect(answered(error)).toMatchObject({ status: 503, headers: { 'retry-after': '300' } });
    }
    expect(retryAfterMs('315360000')).toBe(300_000);
    expect(retryAfterMs(new Date(Date.now() + 10 * 365 * 86_400_000).toUTCString())).toBe(300_000);
    expect(retryAfterMs('7')).toBe(7000);
    // An error made with a wild hint, or none readable, still answers a sane Retry-After.
    expect(answered(new errors.AltegioThrottled('x', 429, Infinity)).headers).toMatchObject({ 'retry-after': '300' });
    expect(answered(new errors.AltegioThrottled('x', 429, NaN)).headers).toMatchObject({ 'retry-after': '30' });
  });

  it('maps licence and rights refusals, not-found and other 4xx, none of them retried', async () => {
    standin.fault('GET /staff/:company_id/:staff_id', { kind: 'licence' });
    await expect(client().staff(4564, 9)).rejects.toMatchObject({ kind: 'refused', reason: 'licence', upstreamStatus: 403 });
    standin.deny('GET /company/:company_id/services');
    await expect(client().services(4564)).rejects.toMatchObject({ kind: 'refused', reason: 'rights' });
    await expect(client().record(4564, 1)).rejects.toBeInstanceOf(errors.AltegioNotFound);
    const rejected = await client()
      .updateClient(4564, 18936825, { name: 'Ann', phone: '' })
      .catch((e: unknown) => e);
    expect(rejected).toBeInstanceOf(errors.AltegioRejected);
    expect((rejected as InstanceType<typeof errors.AltegioRejected>).upstreamErrors).toEqual([
      { field: 'phone', message: 'The phone field is required.' },
    ]);
    expect(standin.log.map((r) => r.status)).toEqual([403, 403, 404, 422]);
  });

  it('reads a DELETE answered 204 with no body; a second DELETE is not found', async () => {
    await expect(client().deleteRecord(4564, 596792980)).resolves.toEqual({ status: 204, data: null, meta: {} });
    expect(standin.salon(4564).records.get(596792980)!.deleted).toBe(true);
    await expect(client().deleteRecord(4564, 596792980)).rejects.toBeInstanceOf(errors.AltegioNotFound);
  });

  it('refuses an answer over 8 MB, streamed or announced, without downloading it and without a retry: a 503 with Retry-After', async () => {
    const mb = Buffer.alloc(1024 * 1024, 'a');
    const served: string[] = [];
    let streamed = 0;
    const huge = createServer(async (req, res) => {
      served.push(req.url!);
      res.setHeader('content-type', 'application/json');
      if (req.url!.endsWith('/company/4565')) {
        // Announced: 200 MB by content-length; only its start is ever sent.
        res.writeHead(200, { 'content-length': String(200 * mb.length) });
        res.write('{"success":true,"meta":[],"data":{"title":"');
        return;
      }
      const size = req.url!.endsWith('/company/4566') ? 7 : 64;
      res.write(`{"success":true,"meta":[],"data":{"id":1,"title":"`);
      for (let i = 0; i < size && !res.destroyed; i++) {
        if (!res.write(mb)) await new Promise((resolve) => res.once('drain', resolve).once('close', resolve));
        if (size === 64) streamed += mb.length;
      }
      res.end('"}}');
    });
    await listenOnLoopback(huge);
    const c = client({ baseUrl: `http://127.0.0.1:${(huge.address() as AddressInfo).port}`, timeoutMs: 20_000 });
    const logs = captureAllLogs();
    let streamedError: unknown;
    let announcedError: unknown;
    try {
      streamedError = await c.company(4564).catch((e: unknown) => e);
      announcedError = await c.company(4565).catch((e: unknown) => e);
    } finally {
      logs.restore();
      huge.closeAllConnections();
    }
    for (const error of [streamedError, announcedError]) {
      expect(error).toBeInstanceOf(errors.AltegioUnreachable);
      expect(error).toMatchObject({ upstreamStatus: 200 });
      expect(answered(error)).toMatchObject({ status: 503, headers: { 'retry-after': expect.stringMatching(/^\d+$/) } });
    }
    expect(streamed).toBeLessThan(32 * mb.length);
    expect(logs.lines.filter((line) => line.includes('altegio answer over the size limit'))).toHaveLength(2);
    // A large answer under the limit is read as usual.
    const large = await c.company(4566);
    expect((large.data as { title: string }).title).toHaveLength(7 * mb.length);
    expect(served).toEqual(['/company/4564', '/company/4565', '/company/4566']);
    await new Promise((resolve) => huge.close(resolve));
  }, 60_000);

  it('never follows a redirect (the tokens would go with it)', async () => {
    const elsewhere = createServer((_req, res) => {
      res.writeHead(302, { location: `${standin.url}/company/4564` });
      res.end();
    });
    await listenOnLoopback(elsewhere);
    const base = `http://127.0.0.1:${(elsewhere.address() as AddressInfo).port}/api/v1`;
    await expect(client({ baseUrl: base }).company(4564)).rejects.toMatchObject({ kind: 'unreachable', upstreamStatus: 302 });
    expect(standin.log).toHaveLength(0);
    await new Promise((resolve) => elsewhere.close(resolve));
  });

  it('writes no token, password or query into any log line', async () => {
    const logs = captureAllLogs();
    try {
      standin.fault('*', { kind: 'status', status: 503 }, 2);
      const c = client({ userToken: undefined, login: 'admin@salon.test', password: 'pw-secret-123' });
      standin.password = 'pw-secret-123';
      await c.records(4564, { client_id: 18936825 });
      standin.regenerateToken();
      await c.company(4564);
    } finally {
      logs.restore();
    }
    const text = logs.lines.join('\n');
    expect(text).toContain('altegio retry');
    for (const secret of [partnerToken, 'standin-user-token', 'pw-secret-123', '18936825']) expect(text).not.toContain(secret);
  });
});

describe('the request budget', () => {
  /** The budget's own counters of one budget's clock seconds, from the table. */
  async function secondCounters(name: string): Promise<number[]> {
    const { Items = [] } = await db.send(new ScanCommand({ TableName: tableName, ConsistentRead: true }));
    return Items.filter((item) => String(item.pk).startsWith(`ALTEGIO#BUDGET#${name}#s#`)).map((item) => Number(item.n));
  }

  /** A gate that notes the moment each request is let go, just before the client sends it. */
  function ledgered(budget: InstanceType<typeof AltegioBudget>) {
    const sent: number[] = [];
    return {
      sent,
      gate: {
        take: async (priority: 'writeback' | 'read' | 'backfill') => {
          await budget.take(priority);
          sent.push(Date.now());
        },
      },
    };
  }

  /** The most requests let go in one clock second. */
  function peak(moments: number[]): number {
    const counts = new Map<number, number>();
    for (const at of moments) counts.set(Math.floor(at / 1000), (counts.get(Math.floor(at / 1000)) ?? 0) + 1);
    return Math.max(0, ...counts.values());
  }

  /** Ten seconds into the next clock minute, where it stays: no window closes while the table is slow. */
  const pinned = () => {
    const at = Math.floor(Date.now() / 60_000) * 60_000 + 70_000;
    return () => at;
  };

  // Counted where cabinet decides, not by the moment the stand-in reads an arrival: on a loaded
  // machine a request let go in one second may be read by the stand-in (same process) in the next.
  it('lets 20 parallel callers send no more than RPS in any clock second, each counted', async () => {
    const budget = new AltegioBudget({ name: 'parallel', rps: 3, rpm: 1000, waitMs: { writeback: 15_000 } });
    const { sent, gate } = ledgered(budget);
    const c = client({ budget: gate });
    const results = await Promise.allSettled(Array.from({ length: 20 }, () => c.company(4564, 'writeback')));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(20);
    expect(standin.log).toHaveLength(20); // none retried
    expect(sent).toHaveLength(20);
    expect(peak(sent)).toBeLessThanOrEqual(3);
    const counters = await secondCounters('parallel');
    expect(Math.max(...counters)).toBeLessThanOrEqual(3);
    expect(counters.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(20); // every request was counted
  }, 30_000);

  it('lets a write-back that finds the second full book the next one, ahead of backfills already waiting', async () => {
    const budget = new AltegioBudget({ name: 'booking', rps: 1, rpm: 1000, waitMs: { writeback: 5000, backfill: 20_000 } });
    const order: string[] = [];
    const take = (priority: 'writeback' | 'backfill') =>
      budget.take(priority).then(() => order.push(`${priority}@${Math.floor(Date.now() / 1000)}`));
    // Early in a second, so that all of them ask in the same one.
    while (Date.now() % 1000 > 300) await new Promise((resolve) => setTimeout(resolve, 20));
    await take('backfill'); // the second's one request
    const second = Math.floor(Date.now() / 1000);
    // They all find it full; the backfills asked first, yet the write-back goes in the next second.
    const backfills = Array.from({ length: 4 }, () => take('backfill'));
    await new Promise((resolve) => setTimeout(resolve, 30));
    await Promise.all([...backfills, take('writeback')]);
    expect(order.slice(0, 2)).toEqual([`backfill@${second}`, `writeback@${second + 1}`]);
    expect(peak(order.map((o) => Number(o.split('@')[1]) * 1000))).toBe(1);
  }, 30_000);

  it('keeps room for higher priorities: backfill fills 40 % of a window, a read 80 %, write-back all', async () => {
    const budget = new AltegioBudget({
      name: 'priorities',
      rps: 1000,
      rpm: 10,
      waitMs: { writeback: 2000, read: 2000, backfill: 2000 },
      now: pinned(),
    });
    const take = (priority: 'writeback' | 'read' | 'backfill', n: number) =>
      Promise.allSettled(Array.from({ length: n }, () => budget.take(priority))).then(
        (r) => r.filter((x) => x.status === 'fulfilled').length,
      );
    expect(await take('backfill', 10)).toBe(4);
    expect(await take('read', 10)).toBe(4);
    expect(await take('writeback', 10)).toBe(2);
    expect(await budget.inUse()).toMatchObject({ minute: 10, rpm: 10 });
  }, 30_000);

  it("leaves a cancellation's fresh looks half of a window at most, the rest for the DELETEs themselves", async () => {
    const budget = new AltegioBudget({ name: 'fresh-share', rps: 1000, rpm: 10, waitMs: { writeback: 2000, fresh: 500 }, now: pinned() });
    const take = (priority: 'writeback' | 'fresh', n: number) =>
      Promise.allSettled(Array.from({ length: n }, () => budget.take(priority))).then(
        (r) => r.filter((x) => x.status === 'fulfilled').length,
      );
    expect(await take('fresh', 10)).toBe(5);
    expect(await take('writeback', 10)).toBe(5);
  }, 30_000);

  it('past its wait bound throws AltegioBusy, which the chain renders as 503 with Retry-After', async () => {
    const budget = new AltegioBudget({ name: 'busy', rps: 1000, rpm: 1, waitMs: { read: 500 }, now: pinned() });
    await budget.take('writeback');
    const error = await client({ budget })
      .company(4564)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(errors.AltegioBusy);
    expect(standin.log).toHaveLength(0); // no budget, no request
    const handler = cabinetHandler(
      async () => {
        throw error;
      },
      { operation: 'altegio-test', auth: 'none', schema: z.unknown() },
    );
    const result = await handler(v2Event('GET', '/x', {}, 'GET /x'), lambdaContext('altegio-test'));
    expect(result.statusCode).toBe(503);
    expect(Number(result.headers?.['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(Number(result.headers?.['retry-after'])).toBeLessThanOrEqual(60);
    expect(JSON.parse(result.body!)).toMatchObject({
      success: false,
      data: null,
      meta: { message: expect.stringContaining('not available') },
    });
  });

  it('counts in items that expire by TTL shortly after their window', async () => {
    await new AltegioBudget({ rps: 1000, rpm: 100_000 }).take('read');
    const { Items = [] } = await db.send(new ScanCommand({ TableName: tableName }));
    const counters = Items.filter((item) => String(item.pk).startsWith('ALTEGIO#BUDGET#altegio#'));
    expect(counters.length).toBeGreaterThanOrEqual(2);
    for (const item of counters) expect(item.ttl * 1000 - Date.now()).toBeLessThan(125_000);
  });
});
