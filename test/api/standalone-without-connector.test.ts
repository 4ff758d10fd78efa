// A standalone deployment never evaluates connected mode: lib/ports' loaders import it only when
// Altegio is configured. Here every module of connected mode (lib/altegio, lib/sync,
// lib/ports/connected, read-through) is replaced by one that throws as soon as anything loads it,
// as a bundle without them would, and every function still loads and a customer's whole path serves.
//
// The one file that imports the service after its first line: a module mock only holds for what is
// loaded after it, so the service is imported here by import() once the traps are set.
import { readdirSync } from 'node:fs';
import { jest } from '@jest/globals';

const connectedMode = ['altegio', 'sync', 'ports/connected'].flatMap((folder) =>
  readdirSync(new URL(`../../lib/${folder}/`, import.meta.url))
    .filter((file) => file.endsWith('.ts'))
    .map((file) => `lib/${folder}/${file}`),
);
connectedMode.push('lib/ports/read-through.ts');
for (const file of connectedMode)
  jest.unstable_mockModule(`../../${file.replace(/\.ts$/, '.js')}`, () => {
    throw new Error(`${file} was evaluated by a standalone deployment`);
  });

const { readFileSync } = await import('node:fs');
const { parse } = await import('yaml');
const { startSmsGateway } = await import('../helpers/sms-gateway.js');
const { given } = await import('../helpers/fixture.js');
const { lambdaContext, loadHandler, request } = await import('../helpers/api.js');
const { asUser, partnerHeaders: partner, signIn } = await import('../helpers/sign-in.js');
const { companyEvent, recordEvent } = await import('../helpers/altegio.js');
const { push } = await import('../helpers/webhook.js');

const gateway = await startSmsGateway();
await given({
  env: { CABINET_SMS_URL: gateway.url, CABINET_ALTEGIO_COMPANY_IDS: undefined },
  clock: { stoppedAt: '2026-11-24T09:00:00Z' },
});
afterAll(() => gateway.close());

const declared = Object.keys(parse(readFileSync(new URL('../../serverless.yml', import.meta.url), 'utf8')).functions);

describe('standalone, with connected mode unloadable', () => {
  it('has traps that are live: the connector cannot be loaded', async () => {
    expect(connectedMode).toEqual(
      expect.arrayContaining(['lib/altegio/connector.ts', 'lib/sync/reconcile.ts', 'lib/ports/read-through.ts']),
    );
    await expect(import('../../lib/altegio/connector.js')).rejects.toThrow('was evaluated by a standalone deployment');
  });

  it('loads every function', async () => {
    expect(declared).toEqual(expect.arrayContaining(['get-user-record', 'move-book-record', 'retry-altegio', 'altegio-reconcile']));
    for (const name of declared) await expect(loadHandler(name)).resolves.toBeInstanceOf(Function);
  });

  it('takes the webhook, signs a client in, opens, lists, moves and cancels their appointment, and changes their name', async () => {
    await push(companyEvent({ allow_change_record: true, allow_change_record_delay_step: 3600, timeslot_step: 1800 }));
    await push({
      company_id: 4564,
      resource: 'schedule',
      resource_id: 48,
      status: 'update',
      data: {
        staff_id: 48,
        dates: [{ date: '2026-12-01', is_working: 1, slots: [{ from: '10:00', to: '19:00' }] }],
        last_change_date: '2026-11-20T10:00:00+03:00',
      },
    });
    const { record_hash: hash } = await push(
      recordEvent(5001, {
        datetime: '2026-12-01T11:00:00+03:00',
        date: '2026-12-01 11:00:00',
        staff: { id: 48, name: 'Anna' },
        staff_id: 48,
      }),
    );
    const { token } = await signIn(gateway, '79161234567', '192.0.2.51');

    const byLink = await request('GET', `/v1/user/records/5001/${hash}`, { headers: partner });
    expect(byLink.status).toBe(200);
    expect(byLink.body.data[0]).toMatchObject({ id: 5001, deleted: false, company: { id: 4564, title: 'Barbershop on Tverskaya' } });
    const page = await request('GET', `/r/5001/${hash}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Barbershop on Tverskaya');

    const listed = await request('GET', '/v1/user/records', { headers: asUser(token) });
    expect(listed.body.data.map((r: { id: number }) => r.id)).toEqual([5001]);

    const dates = await request('GET', `/v1/book_dates/4564?staff_id=48&date_from=2026-12-01&date_to=2026-12-01`, { headers: partner });
    expect(dates.body.data.booking_dates).toEqual(['2026-12-01']);
    const times = await request('GET', `/v1/book_times/4564/48/2026-12-01?record_id=5001&record_hash=${hash}`, { headers: partner });
    expect(times.body.data.map((t: { time: string }) => t.time)).toContain('15:00');
    const moved = await request('PUT', '/v1/book_record/4564/5001', {
      headers: partner,
      body: { datetime: '2026-12-01T15:00:00+03:00', record_hash: hash },
    });
    expect(moved.status).toBe(200);
    expect(moved.body.data).toMatchObject({ id: 5001, datetime: '2026-12-01T15:00:00+03:00' });

    const renamed = await request('PUT', '/v1/booking/user', { headers: asUser(token), body: { name: 'Ivan Standalone' } });
    expect(renamed.status).toBe(202);
    expect((await request('GET', '/v1/booking/user/data', { headers: asUser(token) })).body.data.name).toBe('Ivan Standalone');

    const cancelled = await request('DELETE', '/v1/user/records/5001', { headers: asUser(token) });
    expect(cancelled.status).toBe(200);
    const opened = await request('GET', '/v1/user/records/5001', { headers: asUser(token) });
    expect(opened.body.data[0]).toMatchObject({ id: 5001, deleted: true, datetime: '2026-12-01T15:00:00+03:00' });
  });

  it("runs connected mode's schedules as no-ops", async () => {
    const sweeper = await import('../../functions/retry-altegio.js');
    expect(await sweeper.handler(undefined, lambdaContext('retry-altegio'))).toEqual({ due: 0, done: 0 });
    const reconciler = await import('../../functions/altegio-reconcile.js');
    expect(await reconciler.handler(undefined, lambdaContext('altegio-reconcile'))).toEqual({ connected: false, locations: [] });
  });
});
