// Echoes (docs/contract.md 8.4): with `self_sending` on, Altegio sends back a webhook about each change
// cabinet itself made through the API: the DELETE of a cancelled record, the PUT of a client card.
// Such a webhook tells cabinet nothing it does not know; applied, it would hide the customer's
// cancelled appointment (a delete webhook removes a record from view) and rewrite a client card
// with its own values. It is absorbed: nothing changes and no event goes out.
import { config } from '../config.js';
import { ownWriteOf } from '../db/altegio-marks.js';
import { getEntity } from '../db/entities.js';
import type { RecordDoc } from '../domain/entities.js';
import { logger } from '../observe.js';
import type { WebhookEvent } from '../schemas/webhook.js';

function same(a: unknown, b: unknown): boolean {
  return String(a ?? '').replace(/\D/g, '') === String(b ?? '').replace(/\D/g, '');
}

/** Whether this webhook is Altegio's echo of cabinet's own write-back. Standalone: never. */
export async function isOwnEcho(event: WebhookEvent): Promise<boolean> {
  if (!config.altegio || !config.altegio.companyIds.includes(event.company_id)) return false;
  let echo = false;
  if (event.resource === 'record' && (event.status === 'delete' || (event.data as { deleted?: unknown }).deleted === true)) {
    // A record the customer cancelled here: Altegio deleting it is the cancellation coming back.
    const stored = await getEntity<RecordDoc>('record', event.resource_id);
    echo = stored?.doc.deleted === true;
  } else if (event.resource === 'client' && event.status !== 'delete') {
    const written = await ownWriteOf('client', event.resource_id);
    const data = event.data as { name?: string; phone?: string; email?: string };
    echo =
      written !== null &&
      written.fields.name === data.name &&
      same(written.fields.phone, data.phone) &&
      (written.fields.email === undefined || written.fields.email === data.email);
  }
  if (echo)
    logger.info('altegio echo of our own write absorbed', {
      resource: event.resource,
      resource_id: event.resource_id,
      status: event.status,
    });
  return echo;
}
