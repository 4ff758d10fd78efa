// PUT /v1/book_record/{company_id}/{record_id} (docs/contract.md section 9): moves an appointment to a
// free time under the location's rules, as its own client (user token) or with its link hash in the
// body, and tells other services (an outbound `record` event).
import type * as z from 'zod';
import { clock } from '../lib/clock.js';
import { recordView } from '../lib/domain/record-view.js';
import { NotFound } from '../lib/errors.js';
import { cabinetHandler, type CabinetContext } from '../lib/http/handler.js';
import { ok, type Reply } from '../lib/http/response.js';
import { moveRecord } from '../lib/reschedule.js';
import { records } from '../lib/ports/records.js';
import type { AnswerOf } from '../lib/schemas/responses/index.js';
import { moveRecordSchema } from '../lib/schemas/reschedule.js';

export async function moveBookRecord(
  { path, body }: z.output<typeof moveRecordSchema>,
  { user }: CabinetContext,
): Promise<Reply<AnswerOf<'move-book-record'>>> {
  const found = await (await records()).findAccessible(path.record_id, body.record_hash ?? '', user);
  if (!found || String(found.doc.company_id) !== path.company_id) throw new NotFound();
  const moved = await moveRecord(found, body.datetime, body.comment);
  const [parts] = await (await records()).partsOf([moved]);
  return ok(recordView(moved, parts!, clock.now()));
}

export const handler = cabinetHandler(moveBookRecord, {
  operation: 'move-book-record',
  auth: 'partner+optional-user',
  schema: moveRecordSchema,
  body: true,
});
