// GET /v1/user/records/{record_id}/{record_hash} (docs/contract.md 3.5): an appointment opened from its
// link, or by its own client with a user token (then the hash may be empty: `/records/{id}/`).
import type * as z from 'zod';
import { clock } from '../lib/clock.js';
import { recordView } from '../lib/domain/record-view.js';
import { NotFound } from '../lib/errors.js';
import { cabinetHandler, type CabinetContext } from '../lib/http/handler.js';
import { ok, type Reply } from '../lib/http/response.js';
import { records } from '../lib/ports/records.js';
import type { AnswerOf } from '../lib/schemas/responses/index.js';
import { recordPathSchema } from '../lib/schemas/records.js';

export async function getUserRecord(
  { path }: z.output<typeof recordPathSchema>,
  { user }: CabinetContext,
): Promise<Reply<AnswerOf<'get-user-record'>>> {
  const reads = await records();
  const record = (await reads.findAccessible(path.record_id, path.record_hash ?? '', user))?.doc;
  if (!record) throw new NotFound();
  const [parts] = await reads.partsOf([record]);
  // 200, not the vendor docs' 201: nothing is created (docs/contract.md decides this).
  return ok([recordView(record, parts!, clock.now())]);
}

export const handler = cabinetHandler(getUserRecord, {
  operation: 'get-user-record',
  auth: 'partner+optional-user',
  schema: recordPathSchema,
});
