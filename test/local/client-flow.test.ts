// The typed client (clients/typescript) as an app developer uses it: the whole demo walkthrough
// (SMS code, login, who am I, list, cancel, review) against `npm start -- --demo`, the code and
// the review link taken from what the stack shows a newcomer.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jest } from '@jest/globals';
import { createCabinetClient, type Schemas } from '../../clients/typescript/index.js';
import { freePort } from '../../scripts/local-dynamodb.js';
import { baseEnv, startStack, type Stack } from '../helpers/stack.js';

jest.setTimeout(120_000);

const dataDir = mkdtempSync(join(tmpdir(), 'cabinet-client-'));
let stack: Stack;

beforeAll(async () => {
  stack = await startStack(baseEnv(dataDir, { PORT: String(await freePort()), CABINET_DYNAMODB_PORT: String(await freePort()) }), ['--demo']);
});

afterAll(async () => {
  await stack?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

async function until<T>(find: () => T | undefined, what: string): Promise<T> {
  for (let i = 0; i < 100; i++) {
    const found = find();
    if (found !== undefined) return found;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`never saw ${what} in:\n${stack.output()}`);
}

it('walks the demo: code, login, who am I, list, cancel, review', async () => {
  const cabinet = createCabinetClient({ baseUrl: `${stack.base}/v1`, partnerToken: stack.partnerToken });
  await until(() => (/Demo loaded/.test(stack.output()) ? true : undefined), 'the demo loaded');

  const sent = await cabinet.POST('/book_code/{company_id}', { params: { path: { company_id: '1' } }, body: { phone: '+79161234567', fullname: 'Ivan Demo' } });
  expect(sent.response.status).toBe(201);
  const code = await until(() => [...stack.output().matchAll(/^\[sms\] to \+79161234567 \(login\): (\d+)/gm)].pop()?.[1], 'the [sms] line');

  const login = await cabinet.POST('/user/auth', { body: { phone: '79161234567', code } });
  expect(login.error).toBeUndefined();
  const user: Schemas['User'] = login.data!.data;
  expect(user).toMatchObject({ phone: '79161234567', name: 'Ivan Demo' });
  cabinet.setUserToken(user.user_token);

  const me = await cabinet.GET('/booking/user/data');
  expect(me.data?.data.phone).toBe('79161234567');

  const list = await cabinet.GET('/user/records');
  const records = list.data!.data;
  expect(records.map((r) => r.id).sort()).toEqual([101, 102]);
  const upcoming = records.find((r) => r.id === 101)!;
  expect(upcoming).toMatchObject({ deleted: false, company: { title: 'Demo Barbershop' }, staff: { name: 'Anna Petrova' } });

  const cancelled = await cabinet.DELETE('/user/records/{record_id}', { params: { path: { record_id: '101' } } });
  expect(cancelled.response.status).toBe(200);
  const after = await cabinet.GET('/user/records/{record_id}', { params: { path: { record_id: '101' } } });
  expect(after.data?.data[0]).toMatchObject({ id: 101, deleted: true, can_cancel: false });

  const token = await until(() => stack.output().match(/^\[event\] review_request[^\n]*"record_token":"([\w-]+)"/m)?.[1], 'the review_request event');
  const form = await cabinet.GET('/master_record_review/{record_token}', { params: { path: { record_token: token } } });
  expect(form.error).toBeUndefined();
  const review = await cabinet.POST('/master_record_review/{record_token}', { params: { path: { record_token: token } }, body: { rating: 5, text: 'Great' } });
  expect(review.error).toBeUndefined();
  expect(review.data?.data).toMatchObject({ is_review_submitted: true, master: { id: 21 } });
});

it('types the errors too: a wrong token is a 401 in the envelope', async () => {
  const stranger = createCabinetClient({ baseUrl: `${stack.base}/v1`, partnerToken: 'not-a-partner' });
  const answer = await stranger.GET('/booking/user/data');
  expect(answer.response.status).toBe(401);
  expect(answer.error).toMatchObject({ success: false, data: null });
});
