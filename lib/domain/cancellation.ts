// When a client may cancel an appointment (docs/contract.md 3.6): the location allows it
// (`allow_delete_record`), the visit has not happened (`visit_attendance` not 1 or -1), and now is
// at least `allow_delete_record_delay_step` seconds before the start. The arithmetic is on
// instants; the location's time zone (IANA `timezone_name`, else the offset the record's datetime
// carries, else Altegio's hour offset) is used to read a start written without an offset and to
// write the deadline with the offset in force at the deadline, which is not always the start's
// (a DST change in between). Pure: no I/O.
import { formatAt, zoneOf } from './dates.js';
import type { CompanyDoc, RecordDoc } from './entities.js';
import { ErrorCode, refusal, type Refusal } from './refusals.js';
import { startOf } from './schedule.js';

export interface CancelState {
  /** The last moment a cancellation is accepted, with the location's offset; null when never. */
  deadline: string | null;
  /** Why a cancellation would be refused now (1004 or 1005), or null when it would be accepted. */
  refusal: number | null;
}

export function cancelState(record: RecordDoc, company: CompanyDoc | null, now: number): CancelState {
  if (!company?.allow_delete_record) return { deadline: null, refusal: ErrorCode.cancelForbidden };
  const zone = zoneOf(company, record.datetime);
  const start = startOf(record.datetime, zone);
  if (start === null) return { deadline: null, refusal: ErrorCode.cancelForbidden };
  const deadline = start - company.allow_delete_record_delay_step * 1000;
  // Outside what a date can hold (a delay kept before ingest bounded it): never, rather than a failed read.
  if (Number.isNaN(new Date(deadline).getTime())) return { deadline: null, refusal: ErrorCode.cancelForbidden };
  const visited = record.visit_attendance === 1 || record.visit_attendance === -1;
  return { deadline: formatAt(deadline, zone), refusal: visited || now > deadline ? ErrorCode.cancelTooLate : null };
}

const cancelRefusals: Record<number, string> = {
  [ErrorCode.cancelForbidden]: 'This location does not allow cancelling appointments online.',
  [ErrorCode.cancelTooLate]: 'It is too late to cancel this appointment.',
};

/** Why a cancellation is refused now (1004 or 1005, with its sentence), or null when it is accepted. */
export function cancelRefusal(record: RecordDoc, company: CompanyDoc | null, now: number): Refusal | null {
  const code = cancelState(record, company, now).refusal;
  return code === null ? null : refusal(code, cancelRefusals[code]!);
}
