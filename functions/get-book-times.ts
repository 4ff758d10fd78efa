// GET /v1/book_times/{company_id}/{staff_id}/{date} (docs/contract.md section 9): a team member's free
// start times on a date. With `record_id` (and its hash, or as its client): the times that appointment
// may move to, its own length, its own interval free to it.
import type * as z from 'zod';
import { NotFound } from '../lib/errors.js';
import { freeDays, lengthOfServices, locationOf, timesAnswer } from '../lib/free-times.js';
import { cabinetHandler, type CabinetContext } from '../lib/http/handler.js';
import { ok, type Reply } from '../lib/http/response.js';
import { records } from '../lib/ports/records.js';
import type { AnswerOf } from '../lib/schemas/responses/index.js';
import { bookTimesSchema } from '../lib/schemas/reschedule.js';

export async function getBookTimes(
  { path, query }: z.output<typeof bookTimesSchema>,
  { user }: CabinetContext,
): Promise<Reply<AnswerOf<'get-book-times'>>> {
  const company = await locationOf(path.company_id);
  const record = query.record_id
    ? (await (await records()).findAccessible(String(query.record_id), query.record_hash ?? '', user))?.doc
    : undefined;
  if (query.record_id && record?.company_id !== company.id) throw new NotFound();
  const lengthS = record ? record.length : await lengthOfServices(company, query['service_ids[]'] ?? query.service_ids ?? []);
  const days = await freeDays({
    company,
    staffId: path.staff_id,
    from: path.date,
    to: path.date,
    lengthS,
    ...(record ? { ignoreRecordId: record.id } : {}),
  });
  return ok(timesAnswer(days.get(path.date), lengthS));
}

export const handler = cabinetHandler(getBookTimes, {
  operation: 'get-book-times',
  auth: 'partner+optional-user',
  schema: bookTimesSchema,
});
