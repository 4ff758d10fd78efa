// GET /v1/book_dates/{company_id} (docs/contract.md section 9): a team member's dates with a free time,
// and the dates the member works, for the chosen services' length.
import type * as z from 'zod';
import { datesAnswer, freeDays, lengthOfServices, locationOf, rangeOf } from '../lib/free-times.js';
import { cabinetHandler } from '../lib/http/handler.js';
import { ok, type Reply } from '../lib/http/response.js';
import type { AnswerOf } from '../lib/schemas/responses/index.js';
import { bookDatesSchema } from '../lib/schemas/reschedule.js';

export async function getBookDates({ path, query }: z.output<typeof bookDatesSchema>): Promise<Reply<AnswerOf<'get-book-dates'>>> {
  const company = await locationOf(path.company_id);
  const lengthS = await lengthOfServices(company, query['service_ids[]'] ?? query.service_ids ?? []);
  const days = await freeDays({ company, staffId: query.staff_id, ...rangeOf(query, company), lengthS });
  return ok(datesAnswer(days));
}

export const handler = cabinetHandler(getBookDates, { operation: 'get-book-dates', auth: 'partner', schema: bookDatesSchema });
