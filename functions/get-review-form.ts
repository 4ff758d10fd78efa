// GET /v1/master_record_review/{record_token} (docs/contract.md 3.7): what the feedback form shows, and
// whether the review was submitted. An unknown or expired link is 404.
import type * as z from 'zod';
import { withAltegioParts } from '../lib/altegio/read-through.js';
import { findByReviewToken } from '../lib/db/reviews.js';
import { reviewForm } from '../lib/domain/review-form.js';
import { NotFound } from '../lib/errors.js';
import { cabinetHandler } from '../lib/http/handler.js';
import { ok, type Reply } from '../lib/http/response.js';
import type { AnswerOf } from '../lib/schemas/responses/index.js';
import { reviewPathSchema, reviewTokenPattern } from '../lib/schemas/reviews.js';

export async function getReviewForm({ path }: z.output<typeof reviewPathSchema>): Promise<Reply<AnswerOf<'get-review-form'>>> {
  const context = reviewTokenPattern.test(path.record_token) ? await withAltegioParts(await findByReviewToken(path.record_token)) : null;
  if (!context) throw new NotFound();
  return ok(reviewForm(context));
}

export const handler = cabinetHandler(getReviewForm, { operation: 'get-review-form', auth: 'partner', schema: reviewPathSchema });
