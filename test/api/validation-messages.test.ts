// Every 422 a client gets for a bad field speaks the project's one style: the field, then what is
// wrong in a few words (`data.datetime: required`, `rating: must be a number`). The webhook's
// nested parses once passed zod's own wording through (`data.datetime: Invalid input: expected
// string, received undefined`); each kind of bad input goes here to a few routes and the webhook.
import { given } from '../helpers/fixture.js';
import { request } from '../helpers/api.js';
import { partnerHeaders } from '../helpers/sign-in.js';
import { companyEvent, recordEvent } from '../helpers/altegio.js';
import { pushWebhook } from '../helpers/webhook.js';

await given();

/** zod's own wording, in any of its forms. */
const raw = /Invalid (input|option|string|element|key)|expected .*, received|Too (big|small)|received \w+|Unrecognized key/;

async function errorsOf(method: string, path: string, body: unknown): Promise<string[]> {
  const response = method === 'WEBHOOK' ? await pushWebhook(body) : await request(method, path, { headers: partnerHeaders, body });
  expect(response.status).toBe(422);
  return response.body.meta.errors.map((e: { code: number; message: string }) => {
    expect(e.code).toBe(1001);
    return e.message;
  });
}

const record = (data: Record<string, unknown>) => ({ ...recordEvent(800001), data: { ...recordEvent(800001).data, ...data } });

describe.each<[string, string, string, unknown, string[]]>([
  ['a missing field', 'POST', '/v1/user/auth', { code: '123456' }, ['phone: required']],
  ['a field of the wrong type', 'POST', '/v1/book_code/4564', { phone: ['79160000001'] }, ['phone: must be a string or a number']],
  ['a number that is not one', 'POST', '/v1/master_record_review/abc', { rating: 'great' }, ['rating: must be a number']],
  ['a missing webhook field', 'WEBHOOK', '', record({ datetime: undefined }), ['data.datetime: required']],
  ['a webhook field of the wrong type', 'WEBHOOK', '', record({ services: 'none' }), ['data.services: must be an array']],
  [
    'a webhook value not among those allowed',
    'WEBHOOK',
    '',
    { ...recordEvent(800002), status: 'moved' },
    ['status: must be one of: "create", "update", "delete"'],
  ],
  [
    'a webhook string too long',
    'WEBHOOK',
    '',
    companyEvent({ timezone_name: 'x'.repeat(65) }),
    ['data.timezone_name: must be at most 64 characters long'],
  ],
  ['a webhook number out of range', 'WEBHOOK', '', record({ visit_attendance: 7 }), ['data.visit_attendance: must be at most 2']],
  ['a webhook number written as text', 'WEBHOOK', '', record({ length: 'an hour' }), ['data.length: must be a number']],
  [
    'a webhook id that is not one',
    'WEBHOOK',
    '',
    { ...recordEvent(800003), company_id: 'salon' },
    ['company_id: must be a whole number above 0'],
  ],
  ['webhook data that is not an object', 'WEBHOOK', '', { ...recordEvent(800004), data: null }, ['data: must be an object']],
  [
    'a nested webhook field of the wrong type',
    'WEBHOOK',
    '',
    record({ client: { phone: { number: 1 } } }),
    ['data.client.phone: must be a string or a number'],
  ],
])('%s', (_what, method, path, body, expected) => {
  it("is named with the field, in the project's words", async () => {
    const messages = await errorsOf(method, path, body);
    expect(messages).toEqual(expected);
  });
});

it("no kind of bad input gets zod's own wording through, on the routes or the webhook", async () => {
  const sent: Array<[string, string, unknown]> = [
    ['POST', '/v1/user/auth', { phone: null, code: {} }],
    ['POST', '/v1/booking/auth', { login: 7, password: 'x'.repeat(300) }],
    ['POST', '/v1/master_record_review/abc', { rating: [], text: 5, tips_amount: -1, redirect_prefix: 'ftp://x' }],
    ['WEBHOOK', '', { company_id: [], resource: '', resource_id: -1, status: 3, data: 'x' }],
    [
      'WEBHOOK',
      '',
      record({ datetime: 5, staff: { rating: 'x', position: 'boss' }, services: [{ title: 1 }], deleted: 'maybe', date: 'soon' }),
    ],
    [
      'WEBHOOK',
      '',
      companyEvent({ country_code: 'Russia', phones: 'x', coordinate_lat: 91, allow_delete_record: 'yes', last_change_date: 'today' }),
    ],
    ['WEBHOOK', '', { ...recordEvent(800005), status: 'delete', data: { last_change_date: 'yesterday' } }],
  ];
  const all: string[] = [];
  for (const [method, path, body] of sent) all.push(...(await errorsOf(method, path, body)));
  expect(all.length).toBeGreaterThan(15);
  for (const message of all) {
    expect(message).not.toMatch(raw);
    expect(message).toMatch(/^[\w.]+: [a-z]/);
  }
});
