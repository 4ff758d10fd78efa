// POST /v1/webhooks/altegio (docs/contract.md section 6): the booking platform pushes locations, team
// members, services, clients and appointments in; connected to Altegio, also as an array (8.6).
import type * as z from 'zod';
import { cabinetHandler } from '../lib/http/handler.js';
import { ok, type Reply } from '../lib/http/response.js';
import { ingest, ingestBatch } from '../lib/ingest.js';
import type { AnswerOf } from '../lib/schemas/responses/index.js';
import { webhookSchema } from '../lib/schemas/webhook.js';

export async function altegioWebhook({ body }: z.output<typeof webhookSchema>): Promise<Reply<AnswerOf<'altegio-webhook'>>> {
  return ok(Array.isArray(body) ? await ingestBatch(body) : await ingest(body));
}

export const handler = cabinetHandler(altegioWebhook, { operation: 'altegio-webhook', auth: 'webhook', schema: webhookSchema, body: true });
