// POST /r/{record_id}/{record_hash}/cancel (docs/contract.md section 10): the confirmation's form. The
// same cancellation as DELETE /v1/user/records/{id}/{hash} (its rules, codes and event); refused
// from another site; a refusal is shown as a sentence.
import type * as z from 'zod';
import { cancelRecord } from '../lib/cancel.js';
import { NotFound } from '../lib/errors.js';
import { cabinetHandler, type CabinetContext } from '../lib/http/handler.js';
import type { Reply } from '../lib/http/response.js';
import { findAppointment } from '../lib/pages/appointment.js';
import { records } from '../lib/ports/records.js';
import { chooseLang } from '../lib/pages/i18n.js';
import { postMode } from '../lib/pages/mode.js';
import { cancelledPage } from '../lib/pages/record-pages.js';
import { appointmentPageSchema } from '../lib/schemas/pages.js';

export async function pageCancel({ path, query }: z.output<typeof appointmentPageSchema>, { headers }: CabinetContext): Promise<Reply> {
  const record = await (await records()).findAccessible(path.record_id, path.record_hash, null);
  if (!record) throw new NotFound();
  await cancelRecord(record);
  return cancelledPage(await findAppointment(path.record_id, path.record_hash), chooseLang(query.lang, headers['accept-language']));
}

export const handler = cabinetHandler(pageCancel, {
  operation: 'page-cancel',
  auth: 'none',
  schema: appointmentPageSchema,
  body: true,
  page: postMode,
});
