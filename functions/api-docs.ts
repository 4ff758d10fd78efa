// The interactive API reference: GET /docs is the page, /docs/{asset} its files and the OpenAPI
// document, and GET / points to it. Public: it shows only what docs/openapi.json already says.
import type * as z from 'zod';
import { serve } from '../lib/docs/assets.js';
import { NotFound } from '../lib/errors.js';
import { cabinetHandler, type CabinetContext } from '../lib/http/handler.js';
import { redirect, type Reply } from '../lib/http/response.js';
import { apiDocsSchema } from '../lib/schemas/docs.js';

export async function apiDocs({ path }: z.output<typeof apiDocsSchema>, request: CabinetContext): Promise<Reply> {
  if (request.path === '/') return redirect('docs'); // relative: right under any mount prefix
  const file = serve(path.asset, request.headers);
  if (!file) throw new NotFound();
  return { status: 200, body: null, file };
}

export const handler = cabinetHandler(apiDocs, { operation: 'api-docs', auth: 'none', schema: apiDocsSchema });
