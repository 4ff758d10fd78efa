// Cancelling an appointment (docs/contract.md 3.6): the location's rules decide, the record and its
// outbound event are written in one transaction, and a cancelled record cancels again as a
// success without a second event, so N parallel cancellations make one cancellation, one event.
import { lookupCompany, movedToAnotherClient } from './altegio/read-through.js';
import { freshCancelState, inlineDeadline, rememberedCancelState, runInline, writebackOn } from './altegio/writeback.js';
import { clock } from './clock.js';
import { cancelCommandPut, commandId, markDeletedInAltegio } from './db/altegio-commands.js';
import { getEntity, type StoredEntity } from './db/entities.js';
import { eventPut } from './db/events.js';
import { markCancelled } from './db/records.js';
import { assertCancellable } from './domain/cancellation.js';
import { atLocation, changeAfter } from './domain/dates.js';
import { sameClient, type RecordDoc } from './domain/entities.js';
import { hashClientOf } from './domain/record-hash.js';
import { NotFound, ServiceUnavailable } from './errors.js';
import { manageLinkOf } from './links.js';
import { count } from './observe.js';

function cancelledEvent(record: RecordDoc, changed: string, manage: string | undefined) {
  const data = { id: record.id, company_id: record.company_id, datetime: record.datetime, deleted: true, last_change_date: changed, cancelled_by: 'client', ...(manage ? { links: { manage } } : {}) };
  return eventPut({ company_id: record.company_id, resource: 'record', resource_id: record.id, status: 'update', data });
}

export async function cancelRecord(first: StoredEntity<RecordDoc>): Promise<void> {
  // Connected (docs/contract.md 8.4): decided on Altegio's current state, and the DELETE goes with it.
  const writeback = writebackOn('cancel', first.doc.company_id);
  // Fresh looks and the inline DELETE together: the answer waits for Altegio this long at most.
  const until = inlineDeadline();
  const manage = await manageLinkOf(first);
  let stored: StoredEntity<RecordDoc> | null = first;
  for (let attempt = 0; attempt < 3; attempt++) {
    if (!stored) throw new NotFound();
    if (stored.doc.deleted) return;
    if (writeback) {
      // Refused a moment ago on Altegio's word: refused again without asking Altegio, so asking
      // again and again costs nothing of the budget every customer shares.
      const remembered = await rememberedCancelState(stored.doc.id);
      if (remembered && !sameClient(stored, { doc: remembered.record })) throw new NotFound();
      if (remembered) assertCancellable(remembered.record, remembered.company, clock.now());
    }
    const fresh = writeback ? await freshCancelState(stored.doc, until) : null;
    // Altegio names another client now: not the caller's to cancel, by token or by the link handed out before.
    if (fresh && !fresh.deleted && (await movedToAnotherClient(stored, fresh))) throw new NotFound();
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
      // Decided on cabinet's copy (Altegio unreadable): the DELETE reads the record before it is sent.
      const command = writeback ? [cancelCommandPut(stored.doc.company_id, stored.doc.id, fresh ? 'fresh' : 'stored', hashClientOf(stored.doc))] : [];
      if (await markCancelled(stored, at, changed, cancelledEvent(stored.doc, changed, manage), command)) {
        count('Cancellations');
        if (writeback) await runInline(commandId('cancel', stored.doc.company_id, stored.doc.id), until);
        return;
      }
    }
    // Someone else changed it meanwhile (another cancellation, or the platform): decide again.
    stored = await getEntity<RecordDoc>('record', first.doc.id);
  }
  throw new ServiceUnavailable('The appointment is being changed. Please try again.', 1);
}
