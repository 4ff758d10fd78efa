// A review's one submission (docs/contract.md 3.8), written back to Altegio when connected with `review` on.
import { writebackOn } from './config.js';
import { commandId, reviewCommandPut } from './db/altegio-commands.js';
import { submitReview, type Submission } from './db/reviews.js';
import type { ReviewContext } from './domain/reviews.js';
import type { User } from './domain/users.js';
import { writingBack } from './ports/writing-back.js';

/**
 * Submits a review (lib/db/reviews.ts) and, connected with `review` on, its one
 * `POST /comments/{company_id}/{staff_id}`: the command is in the review's own transaction, so
 * however many submits race, one wins and one comment is posted. The name is the signed-in user's,
 * else the visit's client's. False when the review was submitted already.
 */
export async function submitReviewWritingBack(context: ReviewContext, submission: Submission, user: User | null): Promise<boolean> {
  const { review, record } = context;
  const on = review.staff_id !== null && writebackOn('review', review.company_id);
  const name = user?.name.trim() || record.client?.name?.trim() || 'Client';
  const comment = { staff_id: review.staff_id!, mark: submission.rating, text: submission.text, name };
  const command = on ? [reviewCommandPut(review.company_id, review.record_id, comment)] : [];
  if (!(await submitReview(context, submission, command))) return false;
  if (on) await (await writingBack())?.runInline(commandId('review', review.record_id));
  return true;
}
