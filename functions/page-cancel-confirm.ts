// GET /r/{record_id}/{record_hash}/cancel (docs/contract.md section 10): the cancel confirmation. It only
// asks: a mail scanner or a messenger's preview opening it cancels nothing; its form's POST does.
import type * as z from 'zod';
import { cabinetHandler, type CabinetContext } from '../lib/http/handler.js';
import type { Reply } from '../lib/http/response.js';
import { findAppointment } from '../lib/pages/appointment.js';
import { chooseLang } from '../lib/pages/i18n.js';
import { showMode } from '../lib/pages/mode.js';
import { cancelConfirmPage } from '../lib/pages/record-pages.js';
import { appointmentPageSchema } from '../lib/schemas/pages.js';

export async function pageCancelConfirm(
  { path, query }: z.output<typeof appointmentPageSchema>,
  { headers }: CabinetContext,
): Promise<Reply> {
  const appointment = await findAppointment(path.record_id, path.record_hash);
  return cancelConfirmPage(appointment, chooseLang(query.lang, headers['accept-language']));
}

export const handler = cabinetHandler(pageCancelConfirm, {
  operation: 'page-cancel-confirm',
  auth: 'none',
  schema: appointmentPageSchema,
  page: showMode,
});
