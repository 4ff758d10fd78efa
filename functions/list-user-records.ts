// GET /v1/user/records (beyond the seed, docs/contract.md section 4): the signed-in user's appointments,
// newest first, optionally of one location, a page at a time; found by the GSI, never a Scan.
import type * as z from 'zod';
import { clock } from '../lib/clock.js';
import { recordView } from '../lib/domain/record-view.js';
import { cabinetHandler, type CabinetContext } from '../lib/http/handler.js';
import { ok, type Reply } from '../lib/http/response.js';
import { records as recordReads } from '../lib/ports/records.js';
import { listNeeds } from '../lib/ports/types.js';
import type { AnswerOf } from '../lib/schemas/responses/index.js';
import { listUserRecordsSchema } from '../lib/schemas/records.js';

export async function listUserRecords(
  { query }: z.output<typeof listUserRecordsSchema>,
  { user }: CabinetContext,
): Promise<Reply<AnswerOf<'list-user-records'>>> {
  const page = { page: query.page, count: query.count, ...(query.company_id ? { companyId: query.company_id } : {}) };
  const reads = await recordReads();
  const records = await reads.listOfUser(user!, page);
  const parts = await reads.partsOf(records, listNeeds);
  const now = clock.now();
  return ok(records.map((record, i) => recordView(record, parts[i]!, now)));
}

export const handler = cabinetHandler(listUserRecords, {
  operation: 'list-user-records',
  auth: 'partner+user',
  schema: listUserRecordsSchema,
});
