// The catch-all route: an unknown path or method answers 404 in the contract's envelope, not
// with API Gateway's own `{"message":"Not Found"}`.
import * as z from 'zod';
import { NotFound } from '../lib/errors.js';
import { cabinetHandler } from '../lib/http/handler.js';
import type { Reply } from '../lib/http/response.js';

export async function notFound(): Promise<Reply> {
  throw new NotFound();
}

export const handler = cabinetHandler(notFound, { operation: 'not-found', auth: 'none', schema: z.unknown() });
