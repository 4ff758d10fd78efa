// POST /r/{record_id}/{record_hash}/reschedule (docs/contract.md section 10): the times' form. The same
// move as PUT /v1/book_record (its rules, codes and event); refused from another site; a time taken
// meanwhile (433) shows that date's free times again, other refusals a sentence.
import type * as z from 'zod';
import { cabinetHandler, type CabinetContext } from '../lib/http/handler.js';
import type { Reply } from '../lib/http/response.js';
import { findAppointment } from '../lib/pages/appointment.js';
import { chooseLang } from '../lib/pages/i18n.js';
import { postMode } from '../lib/pages/mode.js';
import { moveFromPage } from '../lib/pages/reschedule-move.js';
import { movedPage, timeTakenPage } from '../lib/pages/reschedule-pages.js';
import { reschedulePostSchema } from '../lib/schemas/pages.js';

export async function pageReschedule(
  { path, query, body }: z.output<typeof reschedulePostSchema>,
  { headers }: CabinetContext,
): Promise<Reply> {
  const outcome = await moveFromPage(path.record_id, path.record_hash, body.datetime);
  const appointment = await findAppointment(path.record_id, path.record_hash);
  const lang = chooseLang(query.lang, headers['accept-language']);
  return outcome === 'moved' ? movedPage(appointment, lang) : timeTakenPage(appointment, lang, body.datetime);
}

export const handler = cabinetHandler(pageReschedule, {
  operation: 'page-reschedule',
  auth: 'none',
  schema: reschedulePostSchema,
  body: true,
  page: postMode,
});
