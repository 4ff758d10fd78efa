// The Altegio stand-in's schedule and record-editing routes, as the connected reschedule will meet
// them (Altegio's `GET /company/{id}/staff/schedule` with busy intervals, `PUT /record` with
// `save_if_busy: false` refusing a busy or non-working time, and the echo webhook of a change).
// A real HTTP server on 127.0.0.1 and requests as cabinet's client sends them.
import { createServer } from 'node:http';
import { startStandin } from '../helpers/altegio-standin.js';
import { fixtureEpoch } from '../helpers/clock.js';
import { given } from '../helpers/fixture.js';

// Set before the stand-in starts: it stamps what it seeds with the service clock. No table: only the stand-in is asked.
await given({ clock: { runningFrom: fixtureEpoch }, table: false });
const standin = await startStandin({ partnerToken: 'p', userToken: 'u', rps: 0, rpm: 0 });
const echoes: unknown[] = [];
const hook = createServer((req, res) => {
  let raw = '';
  req.on('data', (c: Buffer) => (raw += c.toString()));
  req.on('end', () => {
    echoes.push(JSON.parse(raw));
    res.writeHead(200).end('{}');
  });
});
await new Promise<void>((resolve) => hook.listen(0, '127.0.0.1', resolve));
afterAll(async () => {
  await standin.close();
  hook.close();
});

const headers = { authorization: 'Bearer p, User u', accept: 'application/vnd.api.v2+json', 'content-type': 'application/json' };
const call = async (method: string, path: string, body?: unknown) => {
  const response = await fetch(`${standin.url}${path}`, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  return { status: response.status, body: (await response.json()) as any };
};

beforeAll(async () => {
  const { port } = hook.address() as { port: number };
  await call('POST', '/hooks_settings/4564', { urls: [`http://127.0.0.1:${port}/hook`], active: 1, record: 1, self_sending: 1 });
  standin.setSchedule(4564, 9, '2026-12-01', [{ from: '10:00', to: '19:00' }]);
});

it('lists working and busy intervals of a team member, with the records behind them', async () => {
  const answer = await call(
    'GET',
    '/company/4564/staff/schedule?start_date=2026-12-01&end_date=2026-12-02&staff_ids[]=9&include[]=busy_intervals',
  );
  expect(answer.status).toBe(200);
  expect(answer.body.data).toEqual([
    {
      staff_id: 9,
      date: '2026-12-01',
      slots: [{ from: '10:00', to: '19:00' }],
      busy_intervals: [{ entity_type: 'record', entity_id: 596792980, from: '14:00:00', to: '15:00:00' }],
      off_day_type: null,
    },
  ]);
  expect(answer.body.meta).toEqual({ count: 1 });
});

it('moves a record with a full PUT, refuses a busy or non-working time with save_if_busy false, and echoes the move', async () => {
  standin.addRecord(4564, 700001, { date: '2026-12-01 16:00:00', staff_id: 9, client_id: 18936825, service_ids: [1] });
  const full = (datetime: string) => ({
    staff_id: 9,
    services: [{ id: 1, cost: 1000, first_cost: 1000, discount: 0 }],
    client: { phone: '+13155550175', name: 'Ann' },
    datetime,
    seance_length: 3600,
    save_if_busy: false,
  });
  const busy = await call('PUT', '/record/4564/596792980', full('2026-12-01T15:30:00+01:00'));
  expect(busy.status).toBe(422);
  expect(busy.body.meta.errors[0].code).toBe(433);
  expect((await call('PUT', '/record/4564/596792980', full('2026-12-01T18:30:00+01:00'))).status).toBe(422);
  expect((await call('PUT', '/record/4564/596792980', { datetime: '2026-12-01T17:00:00+01:00' })).status).toBe(422);
  // Overlapping its own old time is no conflict.
  const moved = await call('PUT', '/record/4564/596792980', full('2026-12-01T14:30:00+01:00'));
  expect(moved.status).toBe(201);
  expect(moved.body.data).toMatchObject({ id: 596792980, date: '2026-12-01 14:30:00' });
  await standin.idle();
  expect(echoes).toEqual([expect.objectContaining({ resource: 'record', resource_id: 596792980, status: 'update' })]);
});
