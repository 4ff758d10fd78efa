// When a client may cancel an appointment (CONTRACT.md 3.6): the location allows it
// (`allow_delete_record`), the visit has not happened (`visit_attendance` not 1 or -1), and now is
// at least `allow_delete_record_delay_step` seconds before the start. The arithmetic is on
// instants; the location's time zone (IANA `timezone_name`, else the offset the record's datetime
// carries, else Altegio's hour offset) is used to read a start written without an offset and to
// write the deadline with the offset in force at the deadline, which is not always the start's
// (a DST change in between). Pure: no I/O.
import { ErrorCode, Unprocessable } from '../errors.js';
import type { CompanyDoc, RecordDoc } from './entities.js';

type Zone = { iana: string } | { offsetMinutes: number };

const formats = new Map<string, Intl.DateTimeFormat>();

function formatFor(iana: string): Intl.DateTimeFormat | null {
  if (!formats.has(iana)) {
    try {
      const options = { timeZone: iana, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' } as const;
      formats.set(iana, new Intl.DateTimeFormat('en-US', options));
    } catch {
      return null; // not a zone this runtime knows
    }
  }
  return formats.get(iana)!;
}

/** Minutes east of UTC in `zone` at `instant`. */
function offsetAt(zone: Zone, instant: number): number {
  if ('offsetMinutes' in zone) return zone.offsetMinutes;
  const parts = Object.fromEntries(formatFor(zone.iana)!.formatToParts(new Date(instant)).map((p) => [p.type, Number(p.value)]));
  const wallAsUtc = Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!);
  return Math.round((wallAsUtc - Math.floor(instant / 1000) * 1000) / 60_000);
}

const explicitOffset = /(Z|([+-])(\d{2}):?(\d{2}))$/;

function zoneOf(record: RecordDoc, company: CompanyDoc | null): Zone {
  if (company?.timezone_name && formatFor(company.timezone_name)) return { iana: company.timezone_name };
  const match = explicitOffset.exec(record.datetime);
  if (match) return { offsetMinutes: match[1] === 'Z' ? 0 : (match[2] === '-' ? -1 : 1) * (Number(match[3]) * 60 + Number(match[4])) };
  const hours = Number(company?.timezone);
  return { offsetMinutes: Number.isFinite(hours) && Math.abs(hours) <= 14 ? hours * 60 : 0 };
}

/** The start as an instant; a start without an offset is wall-clock time at the location. */
function startOf(record: RecordDoc, zone: Zone): number {
  if (explicitOffset.test(record.datetime)) return Date.parse(record.datetime);
  const wall = Date.parse(`${record.datetime.replace(' ', 'T')}Z`);
  const guess = wall - offsetAt(zone, wall) * 60_000;
  return wall - offsetAt(zone, guess) * 60_000;
}

function format(instant: number, zone: Zone): string {
  const offset = offsetAt(zone, instant);
  const local = new Date(instant + offset * 60_000).toISOString().slice(0, 19);
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  return `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

export interface CancelState {
  /** The last moment a cancellation is accepted, with the location's offset; null when never. */
  deadline: string | null;
  /** Why a cancellation would be refused now (1004 or 1005), or null when it would be accepted. */
  refusal: number | null;
}

export function cancelState(record: RecordDoc, company: CompanyDoc | null, now: number): CancelState {
  if (!company?.allow_delete_record) return { deadline: null, refusal: ErrorCode.cancelForbidden };
  const zone = zoneOf(record, company);
  const start = startOf(record, zone);
  if (!Number.isFinite(start)) return { deadline: null, refusal: ErrorCode.cancelForbidden };
  const deadline = start - company.allow_delete_record_delay_step * 1000;
  const visited = record.visit_attendance === 1 || record.visit_attendance === -1;
  return { deadline: format(deadline, zone), refusal: visited || now > deadline ? ErrorCode.cancelTooLate : null };
}

export function assertCancellable(record: RecordDoc, company: CompanyDoc | null, now: number): void {
  const { refusal } = cancelState(record, company, now);
  if (refusal === ErrorCode.cancelForbidden) {
    throw new Unprocessable([{ code: refusal, message: 'This location does not allow cancelling appointments online.' }]);
  }
  if (refusal === ErrorCode.cancelTooLate) {
    throw new Unprocessable([{ code: refusal, message: 'It is too late to cancel this appointment.' }]);
  }
}
