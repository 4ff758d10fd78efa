// Moving an appointment, standalone (docs/contract.md section 9): the DynamoDB round trips and the
// median of listing free times and of a move, through the real handlers. Connected to Altegio, the
// same with Altegio's calls: bench/reschedule-altegio.ts, in a process of its own.
import { median } from './common.js';
import { invocationFor, type Seeded } from './fixtures.js';
import { countTrips } from './round-trips.js';

export interface RescheduleRow {
  name: string;
  status: number;
  trips: string[];
  medianMs: number;
}

const runs = 60;

export async function rescheduleBench(seeded: Seeded): Promise<RescheduleRow[]> {
  const { lambdaContext } = await import('../test/helpers/api.js');
  const rows: RescheduleRow[] = [];
  const cases: Array<[string, string]> = [
    ['free dates of a week (`book_dates`)', 'get-book-dates'],
    ['free times of a day for a booking (`book_times`)', 'get-book-times'],
    ['a move (`PUT book_record`)', 'move-book-record'],
    ['for comparison: opening the appointment (`GET user/records`)', 'get-user-record'],
  ];
  for (const [name, fn] of cases) {
    const { handler } = await import(`../functions/${fn}.js`);
    const call = async (run: number) => (await handler(invocationFor(fn, seeded, run).event, lambdaContext(fn)))?.statusCode ?? 0;
    let status = 0;
    const trips = await countTrips(async () => {
      status = await call(1);
    });
    const times: number[] = [];
    for (let run = 2; run < runs + 2; run++) {
      const started = performance.now();
      await call(run);
      times.push(performance.now() - started);
    }
    rows.push({ name, status, trips, medianMs: median(times) });
  }
  return rows;
}
