// Delivers a webhook as the booking platform does: the JSON body signed with the webhook secret.
import { request, type ApiResponse } from './api.js';
import { signedHeaders } from './altegio.js';

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
