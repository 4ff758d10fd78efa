// GET /v1/user/records/{record_id}/{record_hash}. Path values are taken as given: an id or hash
// of the wrong shape is simply one that matches nothing, so it gets the same 404 as a wrong one.
import { z } from 'zod';

export const getUserRecordSchema = z.object({
  path: z.object({ record_id: z.string(), record_hash: z.string().optional() }),
});
