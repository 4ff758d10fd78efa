// A visit's review as it is kept (lib/db/reviews.ts), and what its form is made of. Pure: types only.
import type { CompanyDoc, RecordDoc, StaffDoc } from './entities.js';

export interface Review {
  record_id: number;
  company_id: number;
  staff_id: number | null;
  token_digest: string;
  submitted: boolean;
  rating?: number;
  text?: string;
  tips_amount?: number;
  redirect_prefix?: string;
  submitted_at?: string;
}

/** A review link's visit, its team member and its location. */
export interface ReviewContext {
  review: Review;
  record: RecordDoc;
  staff: StaffDoc | null;
  company: CompanyDoc | null;
}
