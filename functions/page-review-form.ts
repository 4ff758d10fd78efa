// GET /review/{record_token} (docs/contract.md section 10): the review form, or "already reviewed". The
// same read as GET /v1/master_record_review/{record_token}; a wrong or expired token gets the one 404 page.
import type * as z from 'zod';
import { NotFound } from '../lib/errors.js';
import { cabinetHandler, type CabinetContext } from '../lib/http/handler.js';
import type { Reply } from '../lib/http/response.js';
import { chooseLang } from '../lib/pages/i18n.js';
import { showMode } from '../lib/pages/mode.js';
import { reviewFormPage } from '../lib/pages/review-pages.js';
import { records } from '../lib/ports/records.js';
import { findReview } from '../lib/reviews.js';
import { reviewPageSchema } from '../lib/schemas/pages.js';

export async function pageReviewForm({ path, query }: z.output<typeof reviewPageSchema>, { headers }: CabinetContext): Promise<Reply> {
  const context = await (await records()).withFormParts(await findReview(path.record_token));
  if (!context) throw new NotFound();
  return reviewFormPage(context, path.record_token, chooseLang(query.lang, headers['accept-language']));
}

export const handler = cabinetHandler(pageReviewForm, {
  operation: 'page-review-form',
  auth: 'none',
  schema: reviewPageSchema,
  page: showMode,
});
