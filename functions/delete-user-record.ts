// DELETE /v1/user/records/{record_id}/{record_hash} (docs/contract.md 3.6): cancels the appointment when
// the location's rules allow it, and tells other services (an outbound `record` event).
import type * as z from 'zod';
import { cancelUserRecord } from '../lib/cancel.js';
import { cabinetHandler, type CabinetContext } from '../lib/http/handler.js';
import { ok, type Reply } from '../lib/http/response.js';
import type { AnswerOf } from '../lib/schemas/responses/index.js';
import { recordPathSchema } from '../lib/schemas/records.js';

export async function deleteUserRecord(
  { path }: z.output<typeof recordPathSchema>,
  { user }: CabinetContext,
): Promise<Reply<AnswerOf<'delete-user-record'>>> {
  await cancelUserRecord(path.record_id, path.record_hash ?? '', user);
  // A JSON body, not an empty one: some clients fail on an empty 200.
  return ok(null);
}

export const handler = cabinetHandler(deleteUserRecord, {
  operation: 'delete-user-record',
  auth: 'partner+optional-user',
  schema: recordPathSchema,
});
