// Cancelling an appointment (CONTRACT.md 3.6): the location's rules decide, the record and its
// outbound event are written in one transaction, and a cancelled record cancels again as a
// success without a second event, so N parallel cancellations make one cancellation, one event.
import { lookupCompany } from './altegio/read-through.js';
import { clock } from './clock.js';
import { getEntity, type StoredEntity } from './db/entities.js';
import { eventPut } from './db/events.js';
import { markCancelled } from './db/records.js';
import { assertCancellable } from './domain/cancellation.js';
import { atLocation, changeAfter } from './domain/dates.js';
import type { RecordDoc } from './domain/entities.js';
import { NotFound, ServiceUnavailable } from './errors.js';
import { count } from './observe.js';

function cancelledEvent(record: RecordDoc, changed: string) {
  const data = { id: record.id, company_id: record.company_id, datetime: record.datetime, deleted: true, last_change_date: changed, cancelled_by: 'client' };
  return eventPut({ company_id: record.company_id, resource: 'record', resource_id: record.id, status: 'update', data });
}

export async function cancelRecord(first: StoredEntity<RecordDoc>): Promise<void> {
  let stored: StoredEntity<RecordDoc> | null = first;
  for (let attempt = 0; attempt < 3; attempt++) {
    if (!stored) throw new NotFound();
    if (stored.doc.deleted) return;
    const company = await lookupCompany(stored.doc.company_id);
    const now = clock.now();
    assertCancellable(stored.doc, company?.doc ?? null, now);
    // Dated like the platform's own changes, and never before the state it replaces.
    const at = changeAfter(stored.version, now);
    const changed = atLocation(at, company?.doc ?? null, stored.doc.datetime);
    if (await markCancelled(stored, at, changed, cancelledEvent(stored.doc, changed))) return count('Cancellations');
    // Someone else changed it meanwhile (another cancellation, or the platform): decide again.
    stored = await getEntity<RecordDoc>('record', first.doc.id);
  }
  throw new ServiceUnavailable('The appointment is being changed. Please try again.', 1);
}
