// Cancelling an appointment (CONTRACT.md 3.6): the location's rules decide, the record and its
// outbound event are written in one transaction, and a cancelled record cancels again as a
// success without a second event, so N parallel cancellations make one cancellation, one event.
import { lookupCompany } from './altegio/read-through.js';
import { freshCancelState, runInline, writebackOn } from './altegio/writeback.js';
import { clock } from './clock.js';
import { cancelCommandPut, commandId, markDeletedInAltegio } from './db/altegio-commands.js';
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
  // Connected (CONTRACT 8.4): decided on Altegio's current state, and the DELETE goes with it.
  const writeback = writebackOn('cancel', first.doc.company_id);
  let stored: StoredEntity<RecordDoc> | null = first;
  for (let attempt = 0; attempt < 3; attempt++) {
    if (!stored) throw new NotFound();
    if (stored.doc.deleted) return;
    const fresh = writeback ? await freshCancelState(stored.doc) : null;
    const now = clock.now();
    // Dated like the platform's own changes, and never before the state it replaces.
    const at = changeAfter(stored.version, now);
    if (fresh?.deleted) {
      // Deleted in Altegio already: cancelled here too, with no event of ours and nothing to send.
      if (await markDeletedInAltegio(stored, at, atLocation(at, null, stored.doc.datetime))) return;
    } else {
      const company = fresh ? fresh.company : (await lookupCompany(stored.doc.company_id))?.doc ?? null;
      assertCancellable(fresh ? fresh.record : stored.doc, company, now);
      const changed = atLocation(at, company, stored.doc.datetime);
      const command = writeback ? [cancelCommandPut(stored.doc.company_id, stored.doc.id)] : [];
      if (await markCancelled(stored, at, changed, cancelledEvent(stored.doc, changed), command)) {
        count('Cancellations');
        if (writeback) await runInline(commandId('cancel', stored.doc.company_id, stored.doc.id));
        return;
      }
    }
    // Someone else changed it meanwhile (another cancellation, or the platform): decide again.
    stored = await getEntity<RecordDoc>('record', first.doc.id);
  }
  throw new ServiceUnavailable('The appointment is being changed. Please try again.', 1);
}
