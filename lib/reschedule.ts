// Moving an appointment (docs/contract.md section 9), standalone: the location's rules and the team
// member's free times decide, on the record and the day as read; the record, the day's revision
// and the outbound event are written in one transaction that holds only if neither changed since.
// So of several moves into overlapping times of one team member exactly one is written (the others
// read again and find the time taken), identical moves of one record make one change and one
// event, and a move racing a cancellation ends in one state: whichever is written first, the other
// decides again on it.
import { clock } from './clock.js';
import { config } from './config.js';
import { getEntity, type StoredEntity } from './db/entities.js';
import { eventPut } from './db/events.js';
import { writeMove } from './db/schedules.js';
import { companyDocOf, recordDocOf } from './domain/altegio.js';
import { atLocation, changeAfter, formatAt, zoneOf } from './domain/dates.js';
import type { CompanyDoc, RecordDoc } from './domain/entities.js';
import { decideMove, MoveRefusal, startOf, type MoveRefusalCode } from './domain/schedule.js';
import { NotFound, ServiceUnavailable, Unprocessable } from './errors.js';
import { freeDays } from './free-times.js';
import { manageLinkOf } from './links.js';
import { count } from './observe.js';
import { moving } from './ports/moving.js';

type ConnectedMove = NonNullable<Awaited<ReturnType<typeof moving>>>;

const refusals: Record<MoveRefusalCode, string> = {
  [MoveRefusal.forbidden]: 'This location does not allow moving appointments online.',
  [MoveRefusal.tooLate]: 'It is too late to move this appointment.',
  [MoveRefusal.notFree]: 'The selected time is already taken or is not working.',
};

export function moveRefused(code: MoveRefusalCode): Unprocessable {
  return new Unprocessable([{ code, message: refusals[code] }]);
}

function movedEvent(moved: RecordDoc, before: string, manage: string | undefined) {
  const data = {
    id: moved.id,
    company_id: moved.company_id,
    staff_id: moved.staff_id,
    datetime: moved.datetime,
    date: moved.date,
    length: moved.length,
    deleted: false,
    last_change_date: moved.last_change_date,
    previous_datetime: before,
    moved_by: 'client',
    ...(manage ? { links: { manage } } : {}),
  };
  return eventPut({ company_id: moved.company_id, resource: 'record', resource_id: moved.id, status: 'update', data });
}

/** Contenders for one day each write or find the time taken: a few rounds settle any of them. */
const maxAttempts = 12;

/** The move of `record` to `datetime` as the rules and the team member's free times decide it now. */
async function decide(record: RecordDoc, company: CompanyDoc | null, datetime: string, now: number) {
  const zone = zoneOf(company, record.datetime);
  // A wall-clock time the clocks skip names no instant: not a time anyone works.
  const target = startOf(datetime, zone) ?? Number.NaN;
  const date = Number.isFinite(target) ? formatAt(target, zone).slice(0, 10) : null;
  const days =
    company && record.staff_id && date
      ? await freeDays({ company, staffId: record.staff_id, from: date, to: date, lengthS: record.length, ignoreRecordId: record.id })
      : null;
  const free = date ? days?.get(date) : undefined;
  return { decision: decideMove(record, company, now, target, free?.times ?? []), day: free?.day, target, zone };
}

/** The record after the move, as cabinet writes it, and its new interval. */
function movedDoc(record: RecordDoc, datetime: string, at: number, company: CompanyDoc | null, comment: string | undefined) {
  const start = Date.parse(datetime);
  const moved: RecordDoc = {
    ...record,
    datetime,
    date: datetime.slice(0, 19).replace('T', ' '),
    last_change_date: atLocation(at, company, record.datetime),
    ...(comment !== undefined ? { comment } : {}),
  };
  return { moved, listing: { recordId: record.id, start, end: start + record.length * 1000, version: at } };
}

/**
 * Moves the record to `datetime` (with an offset, or the location's wall clock) and answers its new
 * state; its own time answers it unchanged. Refusals are 422 with 1010, 1011 or 433, in that order.
 */
export async function moveRecord(first: StoredEntity<RecordDoc>, datetime: string, comment?: string): Promise<RecordDoc> {
  const connected = config.altegio?.companyIds.includes(first.doc.company_id) ? await moving() : null;
  if (connected) return moveInAltegio(connected, first, datetime, comment);
  let stored: StoredEntity<RecordDoc> | null = first;
  for (let attempt = 0; attempt < maxAttempts && stored; attempt++) {
    const record: RecordDoc = stored.doc;
    const company = (await getEntity<CompanyDoc>('company', record.company_id))?.doc ?? null;
    const now = clock.now();
    const { decision, day } = await decide(record, company, datetime, now);
    if (decision.kind === 'refused') throw moveRefused(decision.code);
    if (decision.kind === 'unchanged') return record;
    const at = changeAfter(stored.version, now);
    const { moved, listing } = movedDoc(record, decision.datetime, at, company, comment);
    const write = {
      datetime: moved.datetime,
      date: moved.date,
      changed: moved.last_change_date,
      at,
      day: day!,
      listing,
      ...(comment !== undefined ? { comment } : {}),
    };
    if (await writeMove(stored, write, movedEvent(moved, record.datetime, await manageLinkOf(stored)))) {
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

/**
 * Connected (docs/contract.md section 9): decided on the record and rules Altegio has now and its
 * schedule (at most a minute old), then one PUT; Altegio refusing is 433, failing a 503, and in
 * either case nothing changes here. A move is never left to the outbox: a slot cannot be held
 * without Altegio. The moved record and its event are written in one transaction after the PUT.
 */
async function moveInAltegio(
  { putBody, putMove, readForMove, underMoveLease }: ConnectedMove,
  first: StoredEntity<RecordDoc>,
  datetime: string,
  comment?: string,
): Promise<RecordDoc> {
  const result = await underMoveLease(first.doc.id, async () => {
    const stored = await getEntity<RecordDoc>('record', first.doc.id);
    if (!stored) throw new NotFound();
    // Moved there a moment ago (another of these parallel requests): nothing to ask Altegio.
    const storedZone = zoneOf(null, stored.doc.datetime);
    if (startOf(stored.doc.datetime, storedZone) === startOf(datetime, storedZone) && startOf(datetime, storedZone) !== null)
      return stored.doc;
    const [raw, rules] = await readForMove(stored.doc.company_id, stored.doc.id);
    if (!raw || raw.deleted === true || raw.deleted === 1) throw moveRefused(MoveRefusal.tooLate);
    const company = rules ? companyDocOf(rules, rules) : null;
    const record = recordDocOf(raw, company);
    const now = clock.now();
    const { decision, target, zone } = await decide(record, company, datetime, now);
    if (decision.kind === 'refused') throw moveRefused(decision.code);
    if (decision.kind === 'unchanged') return stored.doc;
    const outcome = await putMove(
      record.company_id,
      record.id,
      putBody(raw, decision.datetime, comment),
      (again) => startOf(recordDocOf(again, company).datetime, zone) === target,
    );
    if (outcome !== 'moved') throw moveRefused(outcome === 'refused' ? MoveRefusal.notFree : MoveRefusal.tooLate);
    const at = changeAfter(stored.version, now);
    const { moved, listing } = movedDoc(stored.doc, decision.datetime, at, company, comment);
    const write = {
      datetime: moved.datetime,
      date: moved.date,
      changed: moved.last_change_date,
      at,
      listing,
      ...(comment !== undefined ? { comment } : {}),
    };
    if (!(await writeMove(stored, write, movedEvent(moved, stored.doc.datetime, await manageLinkOf(stored)))))
      throw new ServiceUnavailable('The appointment is being changed. Please try again.', 1);
    count('Reschedules');
    return moved;
  });
  if (!result) throw new ServiceUnavailable('The appointment is being changed. Please try again.', 1);
  return result;
}
