// GET /r/{record_id}/{record_hash}/reschedule[?date=] (docs/contract.md section 10): the dates with a
// free time, then a date's free times as a form. The same free times as the API's, for the record's
// own length, never blocked by itself. It only shows: the times' form POSTs.
import type * as z from 'zod';
import { cabinetHandler, type CabinetContext } from '../lib/http/handler.js';
import type { Reply } from '../lib/http/response.js';
import { findAppointment } from '../lib/pages/appointment.js';
import { chooseLang } from '../lib/pages/i18n.js';
import { showMode } from '../lib/pages/mode.js';
import { rescheduleChoosePage } from '../lib/pages/reschedule-pages.js';
import { rescheduleChooseSchema } from '../lib/schemas/pages.js';

export async function pageRescheduleChoose(
  { path, query }: z.output<typeof rescheduleChooseSchema>,
  { headers }: CabinetContext,
): Promise<Reply> {
  const appointment = await findAppointment(path.record_id, path.record_hash);
  return rescheduleChoosePage(appointment, chooseLang(query.lang, headers['accept-language']), query.date);
}

export const handler = cabinetHandler(pageRescheduleChoose, {
  operation: 'page-reschedule-choose',
  auth: 'none',
  schema: rescheduleChooseSchema,
  page: showMode,
});
