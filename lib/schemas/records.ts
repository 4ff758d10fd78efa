// The appointments of docs/contract.md 3.5 and section 4. Path values are taken as given: an id or
// hash of the wrong shape is simply one that matches nothing, so it gets the same 404 as a wrong one.
import * as z from 'zod';

/** GET and DELETE /v1/user/records/{record_id}[/{record_hash}]. */
export const recordPathSchema = z.object({
  path: z.object({ record_id: z.string(), record_hash: z.string().optional() }),
});

const positive = (max: number) =>
  z
    .string()
    .regex(/^\d{1,6}$/, 'must be a whole number')
    .transform(Number)
    .pipe(z.number().int().min(1).max(max));

/** GET /v1/user/records: the signed-in user's appointments (beyond the seed; docs/contract.md section 4). */
export const listUserRecordsSchema = z.object({
  query: z.object({
    company_id: z
      .string()
      .regex(/^\d{1,15}$/, 'must be a company id')
      .transform(Number)
      .optional(),
    page: positive(100000).default(1),
    count: positive(200).default(50),
  }),
});
