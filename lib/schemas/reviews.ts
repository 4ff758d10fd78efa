// The feedback form (docs/contract.md 3.7) and the review (3.8). The rating's range is checked by the
// operation itself, because the contract gives it its own code (1007); a rating that is not a
// number at all is a field of the wrong type (1001).
import * as z from 'zod';

const numeric = z.union([
  z.number(),
  z
    .string()
    .trim()
    .regex(/^-?\d+(\.\d+)?$/, 'must be a number')
    .transform(Number),
]);

/** What a minted record_token looks like; anything else matches no review (the same 404). */
export const reviewTokenPattern = /^[A-Za-z0-9_-]{16,64}$/;

export const reviewPathSchema = z.object({ path: z.object({ record_token: z.string() }) });

export const submitReviewSchema = z.object({
  path: z.object({ record_token: z.string() }),
  body: z.object({
    rating: numeric,
    text: z.string().max(1000).default(''),
    tips_amount: numeric.pipe(z.number().min(0).max(1_000_000)).default(0),
    redirect_prefix: z
      .url({ protocol: /^https?$/ })
      .max(2048)
      .optional(),
  }),
});
