// Moving an appointment (docs/contract.md section 9), standalone: the location's rules and the team
// member's free times decide, on the record and the day as read; the record, the day's revision
// and the outbound event are written in one transaction that holds only if neither changed since.
// So of several moves into overlapping times of one team member exactly one is written (the others
// read again and find the time taken), identical moves of one record make one change and one
// event, and a move racing a cancellation ends in one state: whichever is written first, the other
// decides again on it.
import { clock } from './clock.js';
import { getEntity, type StoredEntity } from './db/entities.js';
import { eventPut } from './db/events.js';
import { writeMove } from './db/schedules.js';
import { atLocation, changeAfter, formatAt, zoneOf } from './domain/dates.js';
import type { CompanyDoc, RecordDoc } from './domain/entities.js';
import { decideMove, MoveRefusal, startOf, type MoveRefusalCode } from './domain/schedule.js';
import { NotFound, ServiceUnavailable, Unprocessable } from './errors.js';
import { assertMovesServed, freeDays } from './free-times.js';
import { count } from './observe.js';

const refusals: Record<MoveRefusalCode, string> = {
  [MoveRefusal.forbidden]: 'This location does not allow moving appointments online.',
  [MoveRefusal.tooLate]: 'It is too late to move this appointment.',
  [MoveRefusal.notFree]: 'The selected time is already taken or is not working.',
};

export function moveRefused(code: MoveRefusalCode): Unprocessable {
  return new Unprocessable([{ code, message: refusals[code] }]);
}

function movedEvent(moved: RecordDoc, before: string) {
  const data = {
    id: moved.id, company_id: moved.company_id, staff_id: moved.staff_id, datetime: moved.datetime, date: moved.date, length: moved.length,
    deleted: false, last_change_date: moved.last_change_date, previous_datetime: before, moved_by: 'client',
  };
  return eventPut({ company_id: moved.company_id, resource: 'record', resource_id: moved.id, status: 'update', data });
}

/** Contenders for one day each write or find the time taken: a few rounds settle any of them. */
const maxAttempts = 12;

/**
 * Moves the record to `datetime` (with an offset, or the location's wall clock) and answers its new
 * state; its own time answers it unchanged. Refusals are 422 with 1010, 1011 or 433, in that order.
 */
export async function moveRecord(first: StoredEntity<RecordDoc>, datetime: string, comment?: string): Promise<RecordDoc> {
  assertMovesServed();
  let stored: StoredEntity<RecordDoc> | null = first;
  for (let attempt = 0; attempt < maxAttempts && stored; attempt++) {
    const record: RecordDoc = stored.doc;
    const company = (await getEntity<CompanyDoc>('company', record.company_id))?.doc ?? null;
    const zone = zoneOf(company, record.datetime);
    // A wall-clock time the clocks skip names no instant: not a time anyone works.
    const target = startOf(datetime, zone) ?? Number.NaN;
    const date = Number.isFinite(target) ? formatAt(target, zone).slice(0, 10) : null;
    const days = company && record.staff_id && date ? await freeDays({ company, staffId: record.staff_id, from: date, to: date, lengthS: record.length, ignoreRecordId: record.id }) : null;
    const free = date ? days?.get(date) : undefined;
    const now = clock.now();
    const decision = decideMove(record, company, now, target, free?.times ?? []);
    if (decision.kind === 'refused') throw moveRefused(decision.code);
    if (decision.kind === 'unchanged') return record;
    const at = changeAfter(stored.version, now);
    const start = Date.parse(decision.datetime);
    const moved: RecordDoc = {
      ...record, datetime: decision.datetime, date: decision.datetime.slice(0, 19).replace('T', ' '),
      last_change_date: atLocation(at, company, record.datetime), ...(comment !== undefined ? { comment } : {}),
    };
    const listing = { recordId: record.id, start, end: start + record.length * 1000, version: at };
    const write = { datetime: moved.datetime, date: moved.date, changed: moved.last_change_date, at, day: free!.day!, listing, ...(comment !== undefined ? { comment } : {}) };
    if (await writeMove(stored, write, movedEvent(moved, record.datetime))) {
      count('Reschedules');
      return moved;
    }
    // Another move, a cancellation or the platform changed the record or the day: decide again.
    stored = await getEntity<RecordDoc>('record', record.id);
  }
  // Removed by the platform meanwhile: gone, as an unknown id is.
  if (!stored) throw new NotFound();
  throw new ServiceUnavailable('The appointment is being changed. Please try again.', 1);
}
