// Moving an appointment (docs/contract.md section 9): the booking, the free dates and times of a
// team member, and the move itself. Path values of the wrong shape match nothing (the same 404 as
// a wrong one); query and body values are checked and refused field by field.
import * as z from 'zod';
import { isDateTime, offsetOf } from './datetime.js';

const idText = z
  .string()
  .regex(/^\d{1,15}$/, 'must be a whole number above 0')
  .transform(Number)
  .pipe(z.number().int().min(1));

export const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date, such as 2026-12-10')
  .refine(
    (v) => !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) && new Date(`${v}T00:00:00Z`).toISOString().startsWith(v),
    'must be a real date, such as 2026-12-10',
  );

/** `service_ids[]=1&service_ids[]=2` arrives joined by commas (API Gateway's way); `service_ids` is read too. */
const serviceIds = z
  .string()
  .regex(/^\d{1,15}(,\d{1,15}){0,19}$/, 'must be up to 20 service ids')
  .transform((v) => v.split(',').map(Number))
  .optional();

/** GET /v1/book_record/{company_id}/{record_id}[/{record_hash}]. */
export const bookRecordPathSchema = z.object({
  path: z.object({ company_id: z.string(), record_id: z.string(), record_hash: z.string().optional() }),
});

/** The most dates one free-dates answer covers. */
export const maxDateRange = 93;

/** GET /v1/book_dates/{company_id}. */
export const bookDatesSchema = z.object({
  path: z.object({ company_id: z.string() }),
  query: z
    .object({
      staff_id: idText,
      'service_ids[]': serviceIds,
      service_ids: serviceIds,
      date: day.optional(),
      date_from: day.optional(),
      date_to: day.optional(),
    })
    .refine((q) => (q.date_from === undefined) === (q.date_to === undefined), {
      message: 'must be given with date_from',
      path: ['date_to'],
    })
    .refine((q) => !q.date_from || !q.date_to || q.date_to >= q.date_from, { message: 'must not be before date_from', path: ['date_to'] })
    .refine((q) => !q.date_from || !q.date_to || Date.parse(q.date_to) - Date.parse(q.date_from) < maxDateRange * 86_400_000, {
      message: `must be within ${maxDateRange} days of date_from`,
      path: ['date_to'],
    }),
});

/** GET /v1/book_times/{company_id}/{staff_id}/{date}. */
export const bookTimesSchema = z.object({
  path: z.object({ company_id: z.string(), staff_id: idText, date: day }),
  query: z.object({
    'service_ids[]': serviceIds,
    service_ids: serviceIds,
    record_id: idText.optional(),
    record_hash: z.string().max(128).optional(),
  }),
});

/** A start: with an offset, or naive (the location's wall clock). */
export const startText = z
  .string()
  .max(40)
  .refine(
    (v) => isDateTime(v) && (offsetOf(v) !== null || /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2})?$/.test(v.trim())),
    'must be a date and time, such as 2026-12-10T12:00:00+03:00 or 2026-12-10 12:00:00',
  );

/** PUT /v1/book_record/{company_id}/{record_id}: body `{datetime, comment?}`, and `record_hash` for a link holder. */
export const moveRecordSchema = z.object({
  path: z.object({ company_id: z.string(), record_id: z.string() }),
  body: z.object({
    datetime: startText,
    comment: z.string().max(1000).optional(),
    record_hash: z.string().max(128).optional(),
  }),
});
