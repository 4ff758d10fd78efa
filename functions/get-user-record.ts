// GET /v1/user/records/{record_id}/{record_hash} (CONTRACT.md 3.5): an appointment opened from its link.
import { NotFound } from '../lib/errors.js';
import { findRecordByHash, loadRecordParts } from '../lib/db/records.js';
import { recordView } from '../lib/domain/record-view.js';
import { cabinetHandler } from '../lib/http/handler.js';
import { ok, type Reply } from '../lib/http/response.js';
import { getUserRecordSchema } from '../lib/schemas/records.js';
import type { z } from 'zod';

export async function getUserRecord({ path }: z.output<typeof getUserRecordSchema>): Promise<Reply> {
  const record = await findRecordByHash(path.record_id, path.record_hash ?? '');
  if (!record) throw new NotFound();
  const parts = await loadRecordParts(record);
  // 200, not the vendor docs' 201: nothing is created (CONTRACT.md decides this).
  return ok([recordView(record, parts)]);
}

export const handler = cabinetHandler(getUserRecord, { auth: 'partner', schema: getUserRecordSchema });
