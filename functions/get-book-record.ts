// GET /v1/book_record/{company_id}/{record_id}/{record_hash} (docs/contract.md section 9): an appointment
// as Altegio's online-booking route has it (an object), with the access rule of 3.5.
import type * as z from 'zod';
import { clock } from '../lib/clock.js';
import { recordView } from '../lib/domain/record-view.js';
import { NotFound } from '../lib/errors.js';
import { cabinetHandler, type CabinetContext } from '../lib/http/handler.js';
import { ok, type Reply } from '../lib/http/response.js';
import { records } from '../lib/ports/records.js';
import type { AnswerOf } from '../lib/schemas/responses/index.js';
import { bookRecordPathSchema } from '../lib/schemas/reschedule.js';

export async function getBookRecord(
  { path }: z.output<typeof bookRecordPathSchema>,
  { user }: CabinetContext,
): Promise<Reply<AnswerOf<'get-book-record'>>> {
  const record = (await (await records()).findAccessible(path.record_id, path.record_hash ?? '', user))?.doc;
  // Another location's id in the path is as wrong as a wrong hash.
  if (!record || String(record.company_id) !== path.company_id) throw new NotFound();
  const [parts] = await (await records()).partsOf([record]);
  return ok(recordView(record, parts!, clock.now()));
}

export const handler = cabinetHandler(getBookRecord, {
  operation: 'get-book-record',
  auth: 'partner+optional-user',
  schema: bookRecordPathSchema,
});
