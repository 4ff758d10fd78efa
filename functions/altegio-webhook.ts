// POST /v1/webhooks/altegio (CONTRACT.md section 6): the booking platform pushes locations, team
// members, services, clients and appointments in.
import type { z } from 'zod';
import { clock } from '../lib/clock.js';
import { config } from '../lib/config.js';
import { applyChange } from '../lib/db/entities.js';
import { changeOf } from '../lib/domain/entities.js';
import { deriveRecordHash, recordHashDigest } from '../lib/domain/record-hash.js';
import { cabinetHandler } from '../lib/http/handler.js';
import { ok, type Reply } from '../lib/http/response.js';
import { webhookSchema } from '../lib/schemas/webhook.js';

export async function altegioWebhook({ body: event }: z.output<typeof webhookSchema>): Promise<Reply> {
  const reply = { resource: event.resource === 'other' ? event.name : event.resource, resource_id: event.resource_id };
  const change = changeOf(event, clock.now(), config.defaultCountry);
  if (!change) return ok({ ...reply, applied: false });
  // The webhook chain has already refused every request when no secret is configured.
  const minted = change.kind === 'record' ? deriveRecordHash(config.webhookSecret!, change.id) : undefined;
  const outcome = await applyChange(change, minted);
  // Give the link hash back whenever the record's links use ours, so a retried delivery gets it too.
  const ours = minted !== undefined && outcome.recordHashDigest === recordHashDigest(minted);
  return ok({ ...reply, applied: outcome.applied, ...(ours && change.doc ? { record_hash: minted } : {}) });
}

export const handler = cabinetHandler(altegioWebhook, { auth: 'webhook', schema: webhookSchema, body: true });
