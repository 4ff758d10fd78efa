// Connected to Altegio, moving is not served yet (docs/api.md, "Moving an appointment"): the routes
// that compute or change a time refuse with 1010 instead of answering from a calendar cabinet does
// not hold, the view says the appointment cannot be moved, and Altegio is never asked to change it.
// The Altegio stand-in (a real HTTP server), DynamoDB Local, the real handlers.
import { belgradeIn, startStandin, type AltegioStandin } from '../helpers/altegio-standin.js';
import { useFreshTable } from '../helpers/table.js';
import { runClockFrom } from '../helpers/clock.js';

const standin: AltegioStandin = await startStandin({ partnerToken: 'resched-partner', userToken: 'resched-user', rps: 0, rpm: 0 });
Object.assign(process.env, {
  CABINET_ALTEGIO_PARTNER_TOKEN: 'resched-partner', CABINET_ALTEGIO_URL: standin.url, CABINET_ALTEGIO_USER_TOKEN: 'resched-user',
  CABINET_ALTEGIO_COMPANY_IDS: '4564', CABINET_ALTEGIO_RPS: '50', CABINET_ALTEGIO_RPM: '3000',
});
await useFreshTable();
const { request } = await import('../helpers/api.js');
const { partnerHeaders: partner } = await import('../helpers/sign-in.js');
const { pushStandinRecord } = await import('../helpers/webhook.js');

afterAll(() => standin.close());
runClockFrom();

it('refuses to list free times or to move (1010), shows can_reschedule false, and sends Altegio no change', async () => {
  const { id, hash } = await pushStandinRecord(standin, 930001, belgradeIn(48));
  const opened = await request('GET', `/v1/book_record/4564/${id}/${hash}`, { headers: partner });
  expect(opened.status).toBe(200);
  expect(opened.body.data).toMatchObject({ id, can_reschedule: false, reschedule_deadline: null });
  expect((await request('GET', `/v1/user/records/${id}/${hash}`, { headers: partner })).body.data[0]).toMatchObject({ can_reschedule: false });
  const refusal = { code: 1010, message: 'Moving appointments is not available while cabinet is connected to Altegio.' };
  const answers = [
    await request('GET', '/v1/book_dates/4564?staff_id=9', { headers: partner }),
    await request('GET', '/v1/book_times/4564/9/2026-12-03', { headers: partner }),
    await request('PUT', `/v1/book_record/4564/${id}`, { headers: partner, body: { datetime: '2026-12-03T12:00:00+01:00', record_hash: hash } }),
  ];
  for (const answer of answers) expect({ status: answer.status, errors: answer.body.meta.errors }).toEqual({ status: 422, errors: [refusal] });
  expect(standin.requests().filter((r) => r.method !== 'GET')).toEqual([]);
});
