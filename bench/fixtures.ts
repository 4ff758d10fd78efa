// One of everything in the benchmark table, put there through the real operations, and for every
// function a representative request. Import only after startStack(): the service reads its
// environment on first import.
import { companyEvent, recordEvent, serviceEvent, signedHeaders, staffEvent } from '../test/helpers/altegio.js';
import { buildEvent, ownFormPost, type RequestOptions } from '../test/helpers/api.js';

export interface Seeded {
  partner: string;
  user: string;
  recordId: number;
  recordHash: string;
  reviewToken: string;
  phone: string;
}

const partner = 'bench-partner-token-0123456789abcdef';

async function webhook(event: unknown): Promise<{ record_hash?: string }> {
  const { request } = await import('../test/helpers/api.js');
  const raw = JSON.stringify(event);
  const response = await request('POST', '/v1/webhooks/altegio', { rawBody: raw, headers: signedHeaders(raw) });
  if (response.status !== 200) throw new Error(`seeding failed: ${response.text}`);
  return response.body.data;
}

export async function seed(): Promise<Seeded> {
  const { dynamo } = await import('../lib/db/client.js');
  const { ensureTable } = await import('../lib/db/table.js');
  const { registerPartner } = await import('../lib/db/partner-admin.js');
  const { issueToken, setPassword } = await import('../lib/db/users.js');
  const { storeCode } = await import('../lib/db/codes.js');
  const { logInWithCode } = await import('../lib/login.js');
  const { codeDigestKey } = await import('../lib/sms/send-code.js');
  const { hashPassword } = await import('../lib/domain/passwords.js');
  const { getEntity } = await import('../lib/db/entities.js');
  const { mintReviewToken } = await import('../lib/db/reviews.js');
  await ensureTable(dynamo, process.env.CABINET_TABLE!);
  await registerPartner(partner, 'bench');
  for (const event of [
    companyEvent({ allow_delete_record: true, allow_delete_record_delay_step: 0, timezone_name: 'Europe/Moscow' }),
    staffEvent(),
    serviceEvent(),
  ])
    await webhook(event);
  // Team member 48 works the first week of 2030: free times to list and to move into.
  const dates = Array.from({ length: 7 }, (_, i) => ({
    date: `2030-01-0${i + 1}`,
    is_working: 1,
    slots: [{ from: '10:00', to: '19:00' }],
  }));
  await webhook({ company_id: 4564, resource: 'schedule', resource_id: 48, status: 'update', data: { staff_id: 48, dates } });
  const phone = '79160000001';
  const record = await webhook(recordEvent(1, { datetime: '2030-01-01T12:00:00+03:00', client: { id: 1, phone } }));
  await webhook(recordEvent(2, { datetime: '2030-01-02T12:00:00+03:00', client: { id: 1, phone } }));
  await storeCode(await codeDigestKey(), { purpose: 'login', subject: '-', phone }, '123456');
  const { user } = await logInWithCode(phone, '123456');
  await setPassword(user, await hashPassword('bench-password'));
  const fresh = (await import('../lib/db/users.js')).getUser;
  const token = await issueToken((await fresh(user.id))!);
  const reviewToken = 'benchReviewToken0123456';
  await mintReviewToken((await getEntity<never>('record', 2))!.doc, reviewToken, phone, 365 * 24 * 3600 * 1000);
  return { partner, user: token, recordId: 1, recordHash: record.record_hash!, reviewToken, phone };
}

export type Invocation = { event: unknown };

/** A representative request of each function; `run` makes requests that must differ (phones) differ. */
export function invocationFor(name: string, s: Seeded, run: number): Invocation {
  const asPartner = { authorization: `Bearer ${s.partner}` };
  const asUser = { authorization: `Bearer ${s.partner}, User ${s.user}` };
  const http = (method: string, url: string, options: RequestOptions = {}) => ({ event: buildEvent(method, url, options).event });
  const freshPhone = `7916${String(1_000_000 + run).slice(-7)}`;
  switch (name) {
    case 'altegio-webhook': {
      const raw = JSON.stringify(staffEvent(48, { last_change_date: new Date(Date.UTC(2026, 0, 1) + run * 1000).toISOString() }));
      return http('POST', '/v1/webhooks/altegio', { rawBody: raw, headers: signedHeaders(raw) });
    }
    case 'send-book-code':
      return http('POST', '/v1/book_code/4564', {
        headers: asPartner,
        body: { phone: freshPhone },
        sourceIp: `10.0.${run >> 8}.${run & 255}`,
      });
    case 'user-auth':
      return http('POST', '/v1/user/auth', { headers: asPartner, body: { phone: s.phone, code: '000000' } });
    case 'booking-auth':
      return http('POST', '/v1/booking/auth', { headers: asPartner, body: { login: s.phone, password: 'bench-password' } });
    case 'get-user-data':
      return http('GET', '/v1/booking/user/data', { headers: asUser });
    case 'update-user':
      return http('PUT', '/v1/booking/user', { headers: asUser, body: { name: `Bench ${run}` } });
    case 'update-password':
      return http('PUT', '/v1/booking/user/password', {
        headers: asUser,
        body: { old_password: 'wrong-password', new_password: 'another-password' },
      });
    case 'send-phone-confirmation':
      return http('GET', `/v1/booking/user/phone_confirmation?phone=${freshPhone}&company_id=4564`, {
        headers: asUser,
        sourceIp: `10.1.${run >> 8}.${run & 255}`,
      });
    case 'get-user-record':
      return http('GET', `/v1/user/records/${s.recordId}/${s.recordHash}`, { headers: asPartner });
    case 'list-user-records':
      return http('GET', '/v1/user/records', { headers: asUser });
    case 'delete-user-record':
      return http('DELETE', `/v1/user/records/${s.recordId}/${s.recordHash}`, { headers: asPartner });
    case 'get-review-form':
      return http('GET', `/v1/master_record_review/${s.reviewToken}`, { headers: asPartner });
    case 'submit-review':
      return http('POST', `/v1/master_record_review/${s.reviewToken}`, { headers: asPartner, body: { rating: 5 } });
    case 'get-book-record':
      return http('GET', `/v1/book_record/4564/${s.recordId}/${s.recordHash}`, { headers: asPartner });
    case 'get-book-dates':
      return http('GET', '/v1/book_dates/4564?staff_id=48&service_ids[]=331&date_from=2030-01-01&date_to=2030-01-07', {
        headers: asPartner,
      });
    case 'get-book-times':
      return http('GET', '/v1/book_times/4564/48/2030-01-02?record_id=2', { headers: asUser });
    // Record 2 (the first is cancelled by delete-user-record), back and forth: every run a real move.
    case 'move-book-record':
      return http('PUT', '/v1/book_record/4564/2', {
        headers: asUser,
        body: { datetime: `2030-01-02T${run % 2 ? '15' : '13'}:00:00+03:00` },
      });
    // The customer's pages, by record 1's link (cancelled by delete-user-record: its page says so).
    case 'page-appointment':
      return http('GET', `/r/${s.recordId}/${s.recordHash}`);
    case 'page-calendar':
      return http('GET', `/r/${s.recordId}/${s.recordHash}/calendar.ics`);
    case 'page-cancel-confirm':
      return http('GET', `/r/${s.recordId}/${s.recordHash}/cancel`);
    case 'page-cancel':
      return http('POST', `/r/${s.recordId}/${s.recordHash}/cancel`, { headers: ownFormPost, rawBody: '' });
    case 'page-reschedule-choose':
      return http('GET', `/r/${s.recordId}/${s.recordHash}/reschedule?date=2030-01-02`);
    case 'page-reschedule':
      return http('POST', `/r/${s.recordId}/${s.recordHash}/reschedule`, {
        headers: ownFormPost,
        rawBody: `datetime=${encodeURIComponent('2030-01-02T15:00:00+03:00')}`,
      });
    case 'page-review-form':
      return http('GET', `/review/${s.reviewToken}`);
    case 'page-review':
      return http('POST', `/review/${s.reviewToken}`, { headers: ownFormPost, rawBody: 'rating=5' });
    case 'page-not-found':
      return http('GET', '/r/nothing');
    case 'not-found':
      return http('GET', '/v1/nothing/here');
    case 'api-docs':
      return http('GET', '/docs');
    case 'deliver-events':
      return { event: { Records: [] } };
    case 'retry-events':
      return { event: {} };
    // Scheduled; standalone (as the bench runs) they find nothing to do: their cold start is what is weighed.
    case 'retry-altegio':
      return { event: {} };
    case 'altegio-reconcile':
      return { event: {} };
    default:
      throw new Error(`no benchmark request for ${name}`);
  }
}
