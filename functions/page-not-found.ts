// Any other GET under /r/ or /review/ (a link cut short, a segment too many): the same 404 page as
// a wrong hash or token (docs/contract.md section 10), not the API's envelope, for a person holds it.
import * as z from 'zod';
import { NotFound } from '../lib/errors.js';
import { cabinetHandler } from '../lib/http/handler.js';
import type { Reply } from '../lib/http/response.js';
import { showMode } from '../lib/pages/mode.js';

export async function pageNotFound(): Promise<Reply> {
  throw new NotFound();
}

export const handler = cabinetHandler(pageNotFound, { operation: 'page-not-found', auth: 'none', schema: z.unknown(), page: showMode });
