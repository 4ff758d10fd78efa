// GET /r/{record_id}/{record_hash} (docs/contract.md section 10): the appointment's page. No partner
// token: the link is the credential. A GET changes nothing.
import type * as z from 'zod';
import { cabinetHandler, type CabinetContext } from '../lib/http/handler.js';
import type { Reply } from '../lib/http/response.js';
import { findAppointment } from '../lib/pages/appointment.js';
import { chooseLang } from '../lib/pages/i18n.js';
import { showMode } from '../lib/pages/mode.js';
import { appointmentPage } from '../lib/pages/record-pages.js';
import { appointmentPageSchema } from '../lib/schemas/pages.js';

export async function pageAppointment(
  { path, query }: z.output<typeof appointmentPageSchema>,
  { headers }: CabinetContext,
): Promise<Reply> {
  const appointment = await findAppointment(path.record_id, path.record_hash);
  return appointmentPage(appointment, chooseLang(query.lang, headers['accept-language']));
}

export const handler = cabinetHandler(pageAppointment, {
  operation: 'page-appointment',
  auth: 'none',
  schema: appointmentPageSchema,
  page: showMode,
});
