// The `schedule` webhook resource: a team member's working dates, stored per date, versioned like
// every pushed object, refused field by field in the webhook's own words. Real handler on DynamoDB Local.
import { given } from '../helpers/fixture.js';
import { pushWebhook } from '../helpers/webhook.js';
import { readCalendar } from '../../lib/db/schedules.js';

await given();

const schedule = (dates: unknown[], extra: Record<string, unknown> = {}, staffId = 48) => ({
  company_id: 4564,
  resource: 'schedule',
  resource_id: staffId,
  status: 'update',
  data: { staff_id: staffId, dates, last_change_date: '2026-11-20T10:00:00+03:00', ...extra },
});
const working = (date: string, slots = [{ from: '10:00', to: '19:00' }]) => ({ date, is_working: 1, slots });

describe('the schedule webhook', () => {
  it('stores each date, replaces a date pushed again with a newer version, and keeps the newer against an older', async () => {
    const first = await pushWebhook(
      schedule([working('2026-12-01'), { date: '2026-12-02', is_working: 0, slots: [{ from: '10:00', to: '12:00' }] }]),
    );
    expect(first.status).toBe(200);
    expect(first.body.data).toEqual({ resource: 'schedule', resource_id: 48, applied: true });
    const newer = await pushWebhook(
      schedule([working('2026-12-01', [{ from: '12:00', to: '16:00' }])], { last_change_date: '2026-11-21T10:00:00+03:00' }),
    );
    expect(newer.body.data.applied).toBe(true);
    const older = await pushWebhook(
      schedule([working('2026-12-01', [{ from: '08:00', to: '09:00' }])], { last_change_date: '2026-11-20T12:00:00+03:00' }),
    );
    expect(older.body.data.applied).toBe(false);
    const { days } = await readCalendar(48, '2026-12-01', '2026-12-31');
    expect(days.get('2026-12-01')).toMatchObject({ working: true, slots: [{ from: '12:00', to: '16:00' }] });
    // Not working: no time, whatever its slots said.
    expect(days.get('2026-12-02')).toMatchObject({ working: false, slots: [] });
    expect(days.has('2026-12-03')).toBe(false);
  });

  it('refuses what is wrong, field by field, and stores nothing of it', async () => {
    const response = await pushWebhook(
      schedule(
        [
          working('2026-02-30'),
          working('2026-12-05', [{ from: '19:00', to: '10:00' }]),
          { date: '2026-12-06', is_working: 1, slots: [{ from: '9:00', to: '25:00' }] },
        ],
        { staff_id: 49 },
      ),
    );
    expect(response.status).toBe(422);
    expect(response.body.meta.errors.map((e: { message: string }) => e.message).sort()).toEqual(
      [
        'data.dates.0.date: must be a real date, such as 2026-12-10',
        'data.dates.1.slots.0.to: must end after it starts',
        'data.dates.2.slots.0.from: must be a time of day, such as 10:00',
        'data.dates.2.slots.0.to: must be a time of day, such as 10:00',
      ].sort(),
    );
    const missing = await pushWebhook({
      company_id: 4564,
      resource: 'schedule',
      resource_id: 48,
      status: 'update',
      data: { staff_id: 48 },
    });
    expect(missing.body.meta.errors).toEqual([{ code: 1001, message: 'data.dates: required' }]);
    const other = await pushWebhook(schedule([working('2026-12-07')], {}, 50));
    expect(other.status).toBe(200);
    const wrongOwner = await pushWebhook({ ...schedule([working('2026-12-08')]), resource_id: 51 });
    expect(wrongOwner.body.meta.errors).toEqual([{ code: 1001, message: 'data.staff_id: must equal resource_id' }]);
    expect((await readCalendar(48, '2026-12-05', '2026-12-08')).days.size).toBe(0);
  });

  it('answers a delete with nothing applied', async () => {
    const response = await pushWebhook({ company_id: 4564, resource: 'schedule', resource_id: 48, status: 'delete', data: [] });
    expect(response.body.data).toEqual({ resource: 'schedule', resource_id: 48, applied: false });
  });
});
