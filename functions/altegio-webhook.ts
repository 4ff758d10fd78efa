// POST /v1/webhooks/altegio (docs/contract.md section 6): the booking platform pushes locations, team
// members, services, clients and appointments in; connected to Altegio, also as an array (8.6).
// A timestamped delivery (Standard Webhooks) is applied once per `webhook-id`: a replay, or a
// sender's retry of one already applied, is answered 200 with nothing applied (docs/contract.md).
import type * as z from 'zod';
import { signatureHeader } from '../lib/domain/signature.js';
import { cabinetHandler, type CabinetContext } from '../lib/http/handler.js';
import { ok, type Reply } from '../lib/http/response.js';
import { ingest, ingestBatch, onceById, refusedReply, type IngestReply } from '../lib/ingest.js';
import type { AnswerOf } from '../lib/schemas/responses/index.js';
import type { BatchItem, WebhookEvent } from '../lib/schemas/webhook.js';
import { webhookSchema } from '../lib/schemas/webhook.js';

function notApplied(event: WebhookEvent): IngestReply {
  return { resource: event.resource === 'other' ? event.name : event.resource, resource_id: event.resource_id, applied: false };
}

function replayed(body: WebhookEvent | BatchItem[]) {
  if (!Array.isArray(body)) return notApplied(body);
  return body.map((item) => ('event' in item ? notApplied(item.event) : refusedReply(item.refused)));
}

async function apply(body: WebhookEvent | BatchItem[], byQuerySecret = false) {
  return Array.isArray(body) ? ingestBatch(body, byQuerySecret) : ingest(body, undefined, byQuerySecret);
}

export async function altegioWebhook(
  { body }: z.output<typeof webhookSchema>,
  { headers }: CabinetContext,
): Promise<Reply<AnswerOf<'altegio-webhook'>>> {
  // Authenticated already: present only when the timestamped signature was checked.
  const id = headers['webhook-signature'] !== undefined ? headers['webhook-id'] : undefined;
  // Neither signature: authenticated by Altegio's `?secret=`, which a captured delivery replays.
  if (id === undefined) return ok(await apply(body, headers[signatureHeader] === undefined));
  return ok(
    await onceById(
      id,
      () => apply(body),
      () => replayed(body),
    ),
  );
}

export const handler = cabinetHandler(altegioWebhook, { operation: 'altegio-webhook', auth: 'webhook', schema: webhookSchema, body: true });
