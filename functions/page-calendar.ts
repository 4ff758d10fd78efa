// GET /r/{record_id}/{record_hash}/calendar.ics (docs/contract.md section 10): the appointment as an
// iCalendar file; cancelled, it says so (STATUS:CANCELLED, a higher SEQUENCE). A GET changes nothing.
import type * as z from 'zod';
import { cabinetHandler } from '../lib/http/handler.js';
import type { Reply } from '../lib/http/response.js';
import { findAppointment } from '../lib/pages/appointment.js';
import { showMode } from '../lib/pages/mode.js';
import { calendarReply } from '../lib/pages/record-pages.js';
import { appointmentPageSchema } from '../lib/schemas/pages.js';

export async function pageCalendar({ path }: z.output<typeof appointmentPageSchema>): Promise<Reply> {
  return calendarReply(await findAppointment(path.record_id, path.record_hash));
}

export const handler = cabinetHandler(pageCalendar, {
  operation: 'page-calendar',
  auth: 'none',
  schema: appointmentPageSchema,
  page: showMode,
});
