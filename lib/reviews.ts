// A visit's review (docs/contract.md 3.7, 3.8): the review its link opens, and the team member's
// rating after it. The form (lib/review-form.ts) and the submission (lib/review-submit.ts) are
// modules of their own, each with the connected part it loads (lib/ports/mode.ts says why).
import { findByReviewToken, staffAfterReview } from './db/reviews.js';
import type { StaffDoc } from './domain/entities.js';
import type { ReviewContext } from './domain/reviews.js';
import { reviewTokenPattern } from './schemas/reviews.js';

/** The review a link opens; null for a malformed, unknown or expired one (the same 404). */
export async function findReview(token: string): Promise<ReviewContext | null> {
  return reviewTokenPattern.test(token) ? findByReviewToken(token) : null;
}

/** The team member's rating and counts with the review just submitted in them. */
export function reviewedStaff(staffId: number | null): Promise<StaffDoc | null> {
  return staffId ? staffAfterReview(staffId) : Promise.resolve(null);
}
