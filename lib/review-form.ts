// A review's form (docs/contract.md 3.7): what its link opens, read as a record's parts are.
import { reviewForm } from './domain/review-form.js';
import { records } from './ports/records.js';
import { findReview } from './reviews.js';

/** What the form shows, its location and team member read as a record's are. */
export async function reviewFormOf(token: string): Promise<ReturnType<typeof reviewForm> | null> {
  const context = await (await records()).withFormParts(await findReview(token));
  return context && reviewForm(context);
}
