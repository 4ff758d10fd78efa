// The customer's pages (docs/contract.md section 10). Path values are taken as given, as the API's are:
// a wrong id, hash or token matches nothing and gets the one 404 page. `lang` other than ru/en is
// ignored (the browser's language decides), never refused.
import * as z from 'zod';
import { day, startText } from './reschedule.js';

const query = z.object({ lang: z.string().optional() });

/** /r/{record_id}/{record_hash}[/cancel|/calendar.ics] */
export const appointmentPageSchema = z.object({
  path: z.object({ record_id: z.string(), record_hash: z.string() }),
  query,
});

/** GET /review/{record_token} */
export const reviewPageSchema = z.object({ path: z.object({ record_token: z.string() }), query });

/** POST /review/{record_token}: the form's fields; the rating's range is the review's own rule (1007). */
export const reviewPostSchema = z.object({
  path: z.object({ record_token: z.string() }),
  query,
  body: z.object({
    rating: z
      .string()
      .trim()
      .regex(/^\d{1,3}$/, 'must be a number')
      .transform(Number),
    text: z.string().max(1000).default(''),
  }),
});

/** GET /r/{record_id}/{record_hash}/reschedule[?date=]: a `date` that is no date is no choice yet (the dates again). */
export const rescheduleChooseSchema = z.object({
  path: appointmentPageSchema.shape.path,
  query: query.extend({ date: day.optional().catch(undefined) }),
});

/** POST /r/{record_id}/{record_hash}/reschedule: the chosen start, as the free time offered it. */
export const reschedulePostSchema = z.object({
  path: appointmentPageSchema.shape.path,
  query,
  body: z.object({ datetime: startText }),
});
