import * as z from 'zod';

/** GET /docs and /docs/{asset}: which file of the reference page. */
export const apiDocsSchema = z.object({ path: z.object({ asset: z.string().max(64).optional() }) });
