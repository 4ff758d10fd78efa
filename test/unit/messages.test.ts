// What a validation message says: the field, then what is wrong with it in words.
import * as z from 'zod';
import { validate } from '../../lib/http/validate.js';
import { updateUserSchema } from '../../lib/schemas/profile.js';
import { userAuthSchema } from '../../lib/schemas/identity.js';
import { submitReviewSchema } from '../../lib/schemas/reviews.js';
import { listUserRecordsSchema } from '../../lib/schemas/records.js';

function messages(schema: z.ZodType, parts: { path?: object; query?: object; body?: unknown }): string[] {
  try {
    validate(schema, { path: {}, query: {}, body: {}, ...parts } as never);
  } catch (error) {
    return ((error as { errors: Array<{ message: string }> }).errors ?? []).map((e) => e.message);
  }
  return [];
}

it.each<[string, z.ZodType, object, string[]]>([
  ['a missing field', userAuthSchema, { body: { code: '1' } }, ['phone: required']],
  [
    'fields of the wrong type',
    userAuthSchema,
    { body: { phone: {}, code: true } },
    ['phone: must be a string or a number', 'code: must be a string or a number'],
  ],
  ['a bad email', updateUserSchema, { body: { email: 'nope' } }, ['email: not an email']],
  ['an empty name', updateUserSchema, { body: { name: '  ' } }, ['name: must not be empty']],
  ['a long name', updateUserSchema, { body: { name: 'x'.repeat(256) } }, ['name: must be at most 255 characters long']],
  [
    'a rating that is not a number',
    submitReviewSchema,
    { path: { record_token: 'x' }, body: { rating: 'great' } },
    ['rating: must be a number'],
  ],
  [
    'a link that is not one',
    submitReviewSchema,
    { path: { record_token: 'x' }, body: { rating: 5, redirect_prefix: 'ftp://x' } },
    ['redirect_prefix: not a URL'],
  ],
  [
    'a tip below zero',
    submitReviewSchema,
    { path: { record_token: 'x' }, body: { rating: 5, tips_amount: -1 } },
    ['tips_amount: must be at least 0'],
  ],
  ['a page count too large', listUserRecordsSchema, { query: { count: '500' } }, ['count: must be at most 200']],
])('%s', (_what, schema, parts, expected) => {
  expect(messages(schema, parts)).toEqual(expected);
});

it('never says "Invalid input"', () => {
  const all = [
    ...messages(userAuthSchema, { body: { phone: [], code: null } }),
    ...messages(submitReviewSchema, { path: {}, body: { rating: {}, text: 5 } }),
    ...messages(updateUserSchema, { body: { email: 7, confirmation_code: false } }),
  ];
  expect(all.length).toBeGreaterThan(4);
  for (const message of all) expect(message).not.toMatch(/Invalid input|expected \w+, received/);
});
