// GET /v1/master_record_review/{record_token} (docs/contract.md 3.7): what the feedback form shows, and
// whether the review was submitted. An unknown or expired link is 404.
import type * as z from 'zod';
import { NotFound } from '../lib/errors.js';
import { cabinetHandler } from '../lib/http/handler.js';
import { ok, type Reply } from '../lib/http/response.js';
import { reviewFormOf } from '../lib/review-form.js';
import type { AnswerOf } from '../lib/schemas/responses/index.js';
import { reviewPathSchema } from '../lib/schemas/reviews.js';

export async function getReviewForm({ path }: z.output<typeof reviewPathSchema>): Promise<Reply<AnswerOf<'get-review-form'>>> {
  const form = await reviewFormOf(path.record_token);
  if (!form) throw new NotFound();
  return ok(form);
}

export const handler = cabinetHandler(getReviewForm, { operation: 'get-review-form', auth: 'partner', schema: reviewPathSchema });
