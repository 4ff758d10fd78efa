// A team member's rating is the mean over every vote: the ones the platform reported (its `rating`
// over its `votes_count`) and the ones left in the cabinet. The cabinet's own are kept as a running
// tally beside the platform's object (sum, votes, comments), moved by atomic ADDs in the review's
// transaction, so a later delivery of the team member from the platform does not erase them.
import type { StaffDoc } from './entities.js';

export interface ReviewTally {
  review_sum?: number;
  review_votes?: number;
  review_comments?: number;
}

export function withReviews(staff: StaffDoc, tally: ReviewTally): StaffDoc {
  const votes = staff.votes_count + (tally.review_votes ?? 0);
  if (votes === 0) return staff;
  const sum = staff.rating * staff.votes_count + (tally.review_sum ?? 0);
  return {
    ...staff,
    rating: Math.round((sum / votes) * 100) / 100,
    votes_count: votes,
    comments_count: staff.comments_count + (tally.review_comments ?? 0),
  };
}
