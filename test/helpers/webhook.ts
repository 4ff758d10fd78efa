// Delivers a webhook as the booking platform does: the JSON body signed with the webhook secret.
import { request, type ApiResponse } from './api.js';
import { signedHeaders } from './altegio.js';
import type { AltegioStandin } from './altegio-standin.js';

export function pushWebhook(event: unknown, prefix = '/v1'): Promise<ApiResponse> {
  const raw = JSON.stringify(event);
  return request('POST', `${prefix}/webhooks/altegio`, { rawBody: raw, headers: signedHeaders(raw) });
}

/** Delivers it, expects it accepted, and returns the reply's data (`applied`, `record_hash`). */
export async function push(event: unknown): Promise<{ applied: boolean; record_hash?: string }> {
  const response = await pushWebhook(event);
  if (response.status !== 200) throw new Error(`webhook answered ${response.status}: ${response.text}`);
  return response.body.data;
}

/**
 * An appointment put in the stand-in's calendar and delivered to cabinet once, as Altegio's webhook
 * (or a backfill) would: its id and link hash. At 4564 with team member 9, service 1 and Ann's
 * card 18936825; at 4565 with 21, 2 and 77001 (the stand-in's own salons).
 */
export async function pushStandinRecord(
  standin: AltegioStandin,
  id: number,
  date: string,
  companyId = 4564,
  extra: Record<string, unknown> = {},
): Promise<{ id: number; hash: string }> {
  const [staff, client, service] = companyId === 4564 ? [9, 18936825, 1] : [21, 77001, 2];
  const record = standin.addRecord(companyId, id, { date, staff_id: staff, client_id: client, service_ids: [service], ...extra });
  const data = await push({ company_id: companyId, resource: 'record', resource_id: id, status: 'create', data: record });
  return { id, hash: data.record_hash! };
}
