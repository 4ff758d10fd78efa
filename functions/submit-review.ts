// POST /v1/master_record_review/{record_token} (docs/contract.md 3.8): one review per visit. The review,
// the team member's rating and the review event are one transaction; tips are recorded as the
// amount asked for only (no payment is taken here).
import type * as z from 'zod';
import { ErrorCode } from '../lib/domain/refusals.js';
import { NotFound, Unprocessable } from '../lib/errors.js';
import { cabinetHandler, type CabinetContext } from '../lib/http/handler.js';
import { ok, type Reply } from '../lib/http/response.js';
import { count } from '../lib/observe.js';
import { submitReviewWritingBack } from '../lib/review-submit.js';
import { findReview, reviewedStaff } from '../lib/reviews.js';
import type { AnswerOf } from '../lib/schemas/responses/index.js';
import { submitReviewSchema } from '../lib/schemas/reviews.js';

const submitted = () =>
  new Unprocessable([{ code: ErrorCode.reviewAlreadySubmitted, message: 'The review of this visit has already been submitted.' }]);

export async function submitReviewOperation(
  { path, body }: z.output<typeof submitReviewSchema>,
  { user }: CabinetContext,
): Promise<Reply<AnswerOf<'submit-review'>>> {
  const context = await findReview(path.record_token);
  if (!context) throw new NotFound();
  if (!Number.isInteger(body.rating) || body.rating < 1 || body.rating > 5) {
    throw new Unprocessable([{ code: ErrorCode.ratingOutOfRange, message: 'rating: must be a whole number from 1 to 5' }]);
  }
  if (context.review.submitted || !(await submitReviewWritingBack(context, body, user))) throw submitted();
  count('Reviews');
  const master = await reviewedStaff(context.review.staff_id);
  return ok({
    is_review_submitted: true,
    master: master && { id: master.id, rating: master.rating, votes_count: master.votes_count, comments_count: master.comments_count },
  });
}

export const handler = cabinetHandler(submitReviewOperation, {
  operation: 'submit-review',
  auth: 'partner+optional-user',
  schema: submitReviewSchema,
  body: true,
});
