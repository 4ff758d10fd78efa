// Altegio's webhooks for a location cabinet has not stored and Altegio will not give (docs/contract.md
// 8.6): one delivery of 100 record events asks Altegio for the location once,
// not once per event, and deliveries of the next minutes do not ask again. Apart from
// altegio-webhooks.test.ts because a configured location Altegio does not have (4569) would fail
// the read-through of a user's list there.
import { altegioStamp, startStandin, type AltegioStandin } from '../helpers/altegio-standin.js';
import { testSecret } from '../helpers/table.js';
import { withClockAt } from '../helpers/clock.js';
import { given } from '../helpers/fixture.js';
import { request } from '../helpers/api.js';
import { getEntity } from '../../lib/db/entities.js';

const standin: AltegioStandin = await startStandin({
  partnerToken: 'unreadable-partner',
  userToken: 'unreadable-user',
  rps: 20,
  rpm: 1000,
});
standin.addSalon(4568, { title: 'Salon Subotica', city: 'Subotica' });
standin.addSalon(4570, { title: 'Salon Kragujevac', city: 'Kragujevac' });
// 4569 is configured but Altegio has no such location (404).
await given({
  env: {
    CABINET_ALTEGIO_PARTNER_TOKEN: 'unreadable-partner',
    CABINET_ALTEGIO_URL: standin.url,
    CABINET_ALTEGIO_USER_TOKEN: 'unreadable-user',
    CABINET_ALTEGIO_COMPANY_IDS: '4568,4569,4570',
    CABINET_ALTEGIO_RPS: '20',
    CABINET_ALTEGIO_RPM: '1000',
  },
});

afterAll(() => standin.close());

/** Research file a.1's envelope, numbers as strings as Altegio writes them elsewhere (a.4). */
function event(data: Record<string, unknown>, status = 'update') {
  return { company_id: String(data.company_id), resource: 'record', resource_id: String(data.id), status, data };
}

/** A delivery; what is counted here is reads of Altegio, not time: a delivery of 100 records outran
 * the function's 10 s on a loaded 2-core machine, so it is given a minute. */
async function send(body: unknown) {
  return request('POST', `/v1/webhooks/altegio?secret=${testSecret}`, { body, remainingMs: 60_000 });
}

describe('a location Altegio will not give, in webhook deliveries', () => {
  const locationReads = (companyId: number) =>
    standin.log.filter(
      (r) =>
        (r.route === 'GET /company/:company_id' && r.path.endsWith(`/${companyId}`)) ||
        (r.route === 'GET /companies' && r.query.id === String(companyId)),
    );
  const records = (companyId: number, first: number, count = 100) =>
    Array.from({ length: count }, (_, i) =>
      event(
        {
          id: first + i,
          company_id: companyId,
          date: '2026-12-01 14:00:00',
          datetime: '2026-12-01T14:00:00+03:00',
          last_change_date: '2026-11-20T10:00:05+0100',
        },
        'create',
      ),
    );
  afterEach(() => standin.clearFaults());

  it(
    'costs one read of the location per delivery of 100 records, then none for a while; each record is applied with ' + 'its start as sent',
    async () => {
      for (const [companyId, first] of [
        [4569, 596820000],
        [4568, 596830000],
      ] as const) {
        // 4569: Altegio has no such location (404); 4568: its licence lapsed (403), for as long as asked.
        if (companyId === 4568) standin.fault('GET /company/:company_id', { kind: 'licence' }, 1000);
        const before = locationReads(companyId).length;
        const first100 = await send(records(companyId, first));
        expect(first100.status).toBe(200);
        expect(first100.body.data).toHaveLength(100);
        for (const reply of first100.body.data)
          expect(reply).toMatchObject({ resource: 'record', applied: true, record_hash: expect.any(String) });
        expect((await getEntity('record', first + 99))?.doc).toMatchObject({ datetime: '2026-12-01T14:00:00+03:00' });
        expect(locationReads(companyId).length - before).toBeLessThanOrEqual(2);
        // The next deliveries do not ask again: the refusal is remembered in the table.
        const again = await send(records(companyId, first + 100));
        expect(again.body.data.filter((reply: { applied: boolean }) => reply.applied)).toHaveLength(100);
        expect(locationReads(companyId).length - before).toBeLessThanOrEqual(2);
      }
      // Minutes later the location is asked for again, and once it can be read, records are placed in its zone.
      standin.clearFaults();
      await withClockAt(Date.now() + 6 * 60_000, async () => {
        const before = locationReads(4568).length;
        const healed = await send(records(4568, 596840000, 3));
        expect(healed.status).toBe(200);
        expect(locationReads(4568).length - before).toBe(2);
        expect((await getEntity('record', 596840002))?.doc).toMatchObject({ datetime: '2026-12-01T14:00:00+01:00' });
      });
    },
    60_000,
  );

  it(
    'reads a location hidden by a delete stamped hours ahead (as far as cabinet takes) once per ' +
      'delivery, not once per record, nor on every delivery',
    async () => {
      const hidden = await send({
        company_id: 4570,
        resource: 'company',
        resource_id: 4570,
        status: 'delete',
        data: { id: 4570, last_change_date: altegioStamp(Date.now() + 2.5 * 3600_000) },
      });
      expect(hidden.body).toMatchObject({ data: { applied: true } });
      const before = locationReads(4570).length;
      for (const first of [596850000, 596850100, 596850200]) {
        const delivered = await send(records(4570, first));
        expect(delivered.status).toBe(200);
        expect(delivered.body.data.filter((reply: { applied: boolean }) => reply.applied)).toHaveLength(100);
      }
      expect(locationReads(4570).length - before).toBeLessThanOrEqual(2);
    },
    60_000,
  );
});
