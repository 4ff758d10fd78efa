// Refused cancellations against a small Altegio budget: a
// cancellation's looks at Altegio may fill only their share of a window, so the DELETEs still go,
// and a cancellation decided on the stored copy because the looks were out of budget does not
// delete a visit Altegio has marked attended. Real handlers, DynamoDB Local, the Altegio stand-in,
// the budget's real clock windows.
import { belgradeIn as belgrade, startStandin, type AltegioStandin } from '../helpers/altegio-standin.js';
import { given } from '../helpers/fixture.js';
import { request } from '../helpers/api.js';
import { partnerHeaders as partner } from '../helpers/sign-in.js';
import { companyEvent } from '../helpers/altegio.js';
import { push, pushStandinRecord } from '../helpers/webhook.js';
import { getCommand } from '../../lib/db/altegio-commands.js';

const partnerToken = 'abuse-budget-partner-token';
const userToken = 'abuse-budget-user-token';
const standin: AltegioStandin = await startStandin({ partnerToken, userToken, rps: 0, rpm: 0 });
await given({
  env: {
    CABINET_ALTEGIO_PARTNER_TOKEN: partnerToken,
    CABINET_ALTEGIO_URL: standin.url,
    CABINET_ALTEGIO_USER_TOKEN: userToken,
    CABINET_ALTEGIO_COMPANY_IDS: '4564,4565',
    CABINET_ALTEGIO_WRITEBACK: 'cancel',
    // A small minute so the test is short: the default 150/min is the same, at 75 looks.
    CABINET_ALTEGIO_RPS: '10',
    CABINET_ALTEGIO_RPM: '30',
    CABINET_DYNAMODB_TIMEOUT_MS: '10000',
  },
});

afterAll(() => standin.close());

let nextId = 960_000;
const appointment = (date: string) => pushStandinRecord(standin, ++nextId, date);
const cancel = (id: number, hash: string) => request('DELETE', `/v1/user/records/${id}/${hash}`, { headers: partner });
const deletes = (id: number) => standin.requests('DELETE /record/:company_id/:record_id').filter((r) => r.path.endsWith(`/${id}`));

it('refused cancellations take at most half the minute; an attended visit is then not deleted, a cancellable one is', async () => {
  await push(companyEvent({ allow_delete_record: true, allow_delete_record_delay_step: 3600 }));
  const refused = [];
  for (let i = 0; i < 8; i++) refused.push(await appointment(belgrade(0.5)));
  const victim = await appointment(belgrade(72));
  const other = await appointment(belgrade(72));
  // Altegio says the victim was attended (its webhook not delivered yet): only a look at Altegio knows.
  standin.updateRecord(4564, victim.id, { visit_attendance: 1, attendance: 1 });
  // Start right after a minute boundary, so all of it shares one minute window.
  while (new Date().getSeconds() > 5) await new Promise((r) => setTimeout(r, 250));
  const minute = Math.floor(Date.now() / 60_000);
  const before = standin.log.length;
  for (const { id, hash } of refused) for (let i = 0; i < 2; i++) expect((await cancel(id, hash)).status).toBe(422);
  expect(standin.log.length - before).toBeLessThanOrEqual(15);

  // The looks' share is used up: decided on cabinet's copy, which knows nothing of the attendance.
  expect((await cancel(victim.id, victim.hash)).status).toBe(200);
  expect(await getCommand(`cancel-4564-${victim.id}`)).toMatchObject({
    decided_on: 'stored',
    state: 'failed',
    stop_reason: 'not_cancellable',
  });
  expect(deletes(victim.id)).toHaveLength(0);
  expect(standin.salon(4564).records.get(victim.id)!.deleted).toBeFalsy();

  // Another customer's cancellation in the same minute: its DELETE still has room, and goes.
  expect((await cancel(other.id, other.hash)).status).toBe(200);
  expect(deletes(other.id).map((r) => r.status)).toEqual([204]);
  expect(await getCommand(`cancel-4564-${other.id}`)).toMatchObject({ decided_on: 'stored', state: 'done' });
  expect(Math.floor(Date.now() / 60_000)).toBe(minute);
}, 120_000);
