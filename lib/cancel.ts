// Cancelling an appointment (docs/contract.md 3.6): the location's rules decide, the record and its
// outbound event are written in one transaction, and a cancelled record cancels again as a
// success without a second event, so N parallel cancellations make one cancellation, one event.
import { clock } from './clock.js';
import { writebackOn } from './config.js';
import { cancelCommandPut, commandId } from './db/altegio-commands.js';
import { getEntity, type StoredEntity } from './db/entities.js';
import { eventPut } from './db/events.js';
import { markCancelled, markDeletedInAltegio } from './db/records.js';
import { cancelRefusal } from './domain/cancellation.js';
import { atLocation, changeAfter } from './domain/dates.js';
import { sameClient, type RecordDoc } from './domain/entities.js';
import { hashClientOf } from './domain/record-hash.js';
import type { User } from './domain/users.js';
import { NotFound, ServiceUnavailable, unlessRefused } from './errors.js';
import { chargeLimits } from './limits/limiter.js';
import { freshCancelLimits } from './limits/policies.js';
import { manageLinkOf } from './links.js';
import { count } from './observe.js';
import { locations } from './ports/locations.js';
import { cancelling } from './ports/cancelling.js';
import { records } from './ports/records.js';

function cancelledEvent(record: RecordDoc, changed: string, manage: string | undefined) {
  const data = {
    id: record.id,
    company_id: record.company_id,
    datetime: record.datetime,
    deleted: true,
    last_change_date: changed,
    cancelled_by: 'client',
    ...(manage ? { links: { manage } } : {}),
  };
  return eventPut({ company_id: record.company_id, resource: 'record', resource_id: record.id, status: 'update', data });
}

/** DELETE of a record: the caller's own (or opened by its link), cancelled; anyone else's is a 404. */
export async function cancelUserRecord(recordId: string, hash: string, user: User | null): Promise<void> {
  const record = await (await records()).findAccessible(recordId, hash, user);
  if (!record) throw new NotFound();
  await cancelRecord(record);
}

export async function cancelRecord(first: StoredEntity<RecordDoc>): Promise<void> {
  // Connected (docs/contract.md 8.4): decided on Altegio's current state, and the DELETE goes with it.
  const writeback = writebackOn('cancel', first.doc.company_id) ? await cancelling() : null;
  // Fresh looks and the inline DELETE together: the answer waits for Altegio this long at most.
  const until = writeback?.inlineDeadline();
  const manage = await manageLinkOf(first);
  let stored: StoredEntity<RecordDoc> | null = first;
  for (let attempt = 0; attempt < 3; attempt++) {
    if (!stored) throw new NotFound();
    if (stored.doc.deleted) return;
    if (writeback) {
      // Refused a moment ago on Altegio's word: refused again without asking Altegio, so asking
      // again and again costs nothing of the budget every customer shares.
      const remembered = await writeback.rememberedCancelState(stored.doc.id);
      if (remembered && !sameClient(stored, { doc: remembered.record })) throw new NotFound();
      if (remembered) unlessRefused(cancelRefusal(remembered.record, remembered.company, clock.now()));
    }
    // Each record's looks at Altegio are limited (TooManyRequests, a 429): they spend the budget every customer shares.
    if (writeback) await chargeLimits(freshCancelLimits(stored.doc.id));
    const fresh = writeback ? await writeback.freshCancelState(stored.doc, until) : null;
    // Altegio names another client now: not the caller's to cancel, by token or by the link handed out before.
    if (fresh && !fresh.deleted && (await writeback!.movedToAnotherClient(stored, fresh))) throw new NotFound();
    const now = clock.now();
    // Dated like the platform's own changes, and never before the state it replaces.
    const at = changeAfter(stored.version, now);
    if (fresh?.deleted) {
      // Deleted in Altegio already: cancelled here too, with no event of ours and nothing to send.
      if (await markDeletedInAltegio(stored, at, atLocation(at, null, stored.doc.datetime))) return;
    } else {
      const company = fresh ? fresh.company : ((await (await locations()).find(stored.doc.company_id))?.doc ?? null);
      unlessRefused(cancelRefusal(fresh ? fresh.record : stored.doc, company, now));
      const changed = atLocation(at, company, stored.doc.datetime);
      // Decided on cabinet's copy (Altegio unreadable): the DELETE reads the record before it is sent.
      const command = writeback
        ? [cancelCommandPut(stored.doc.company_id, stored.doc.id, fresh ? 'fresh' : 'stored', hashClientOf(stored.doc))]
        : [];
      if (await markCancelled(stored, at, changed, cancelledEvent(stored.doc, changed, manage), command)) {
        count('Cancellations');
        if (writeback) await writeback.runInline(commandId('cancel', stored.doc.company_id, stored.doc.id), until);
        return;
      }
    }
    // Someone else changed it meanwhile (another cancellation, or the platform): decide again.
    stored = await getEntity<RecordDoc>('record', first.doc.id);
  }
  throw new ServiceUnavailable('The appointment is being changed. Please try again.', 1);
}
