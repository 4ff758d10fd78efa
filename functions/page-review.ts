// POST /review/{record_token} (docs/contract.md section 10): the review form's post. The same review as
// POST /v1/master_record_review/{record_token} (one per visit, 1006 after; rating 1 to 5, 1007);
// refused from another site. A second post shows "already reviewed".
import type * as z from 'zod';
import { cabinetHandler, type CabinetContext } from '../lib/http/handler.js';
import type { Reply } from '../lib/http/response.js';
import { chooseLang } from '../lib/pages/i18n.js';
import { postMode } from '../lib/pages/mode.js';
import { thanksPage } from '../lib/pages/review-pages.js';
import { reviewPostSchema } from '../lib/schemas/pages.js';
import { submitReviewOperation } from './submit-review.js';

export async function pageReview({ path, query, body }: z.output<typeof reviewPostSchema>, cabinet: CabinetContext): Promise<Reply> {
  await submitReviewOperation({ path, body: { rating: body.rating, text: body.text, tips_amount: 0 } }, { ...cabinet, user: null });
  return thanksPage(path.record_token, chooseLang(query.lang, cabinet.headers['accept-language']));
}

export const handler = cabinetHandler(pageReview, {
  operation: 'page-review',
  auth: 'none',
  schema: reviewPostSchema,
  body: true,
  page: postMode,
});
