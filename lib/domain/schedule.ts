// When an appointment may move, and to which times (docs/contract.md, reschedule). A time is free
// when it is on the location's grid (a whole number of steps from the start of a working interval),
// the whole appointment fits inside that one interval, it overlaps no other appointment of the team
// member (the one being moved never counts against itself), and it is no earlier than the customer
// could move out of again (now + `allow_change_record_delay_step`). Working intervals are the
// location's wall clock: a grid time the clocks skip does not exist, an hour that repeats is its
// first occurrence, and lengths are elapsed seconds, so a day with a DST change has the right times.
// Pure: no I/O; refusals are the contract's codes, the caller decides how to answer them.
import { offsetOf } from '../schemas/datetime.js';
import { formatAt, offsetAt, zoneOf, type Zone } from './dates.js';
import type { CompanyDoc, RecordDoc } from './entities.js';

/** Why a move is refused, checked in this order. */
export const MoveRefusal = {
  /** The location does not let customers move appointments. */
  forbidden: 1010,
  /** Inside the location's delay before the start, the visit happened, or it is cancelled. */
  tooLate: 1011,
  /** The new time is not free (Altegio's code for "taken or not working"). */
  notFree: 433,
} as const;
export type MoveRefusalCode = (typeof MoveRefusal)[keyof typeof MoveRefusal];

/** The grid when the location names none: a quarter of an hour. */
export const defaultStepS = 900;

/** One working interval of a day, wall clock at the location (`10:00` to `19:00`; `24:00` ends the day). */
export interface WorkingSlot {
  from: string;
  to: string;
}

/** Another appointment of the team member, as instants; `recordId` lets the moved one pass itself. */
export interface Busy {
  start: number;
  end: number;
  recordId?: number;
}

export interface SlotQuery {
  /** The local date, `YYYY-MM-DD`. */
  date: string;
  slots: WorkingSlot[];
  zone: Zone;
  /** The grid, in seconds from the start of each working interval. */
  stepS: number;
  /** The appointment's length, in seconds. */
  lengthS: number;
  busy: Busy[];
  /** No start before this instant. */
  earliest: number;
  /** The record being moved: its own interval is free to it. */
  ignoreRecordId?: number;
}

export interface FreeTime {
  /** Wall clock at the location, `HH:MM`. */
  time: string;
  /** The start with the offset in force at that instant. */
  datetime: string;
  start: number;
}

const hms = /^(\d{2}):(\d{2})(?::(\d{2}))?$/;

/** Seconds since local midnight of `HH:MM[:SS]`, up to `24:00`; null when it is no time of day. */
export function secondsOfDay(text: string): number | null {
  const match = hms.exec(text);
  if (!match) return null;
  const [h, m, s = 0] = match.slice(1).map((v) => (v === undefined ? undefined : Number(v))) as number[];
  if (m! > 59 || s > 59) return null;
  const total = h! * 3600 + m! * 60 + s;
  return total <= 86_400 ? total : null;
}

const dayPattern = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Midnight of a local date read as if it were UTC; null when it is no calendar date. */
function dayAsUtc(date: string): number | null {
  const match = dayPattern.exec(date);
  if (!match) return null;
  const [y, mo, d] = match.slice(1).map(Number) as [number, number, number];
  const ms = Date.UTC(y, mo - 1, d);
  const back = new Date(ms);
  return back.getUTCFullYear() === y && back.getUTCMonth() === mo - 1 && back.getUTCDate() === d ? ms : null;
}

/**
 * The instant a wall-clock time at the location names: null for a time the clocks skip; for an
 * hour that repeats, its first occurrence. Offsets are tried from either side of any change near it.
 */
export function instantOfWall(date: string, secondOfDay: number, zone: Zone): number | null {
  const midnight = dayAsUtc(date);
  if (midnight === null) return null;
  const wall = midnight + secondOfDay * 1000;
  const around = [offsetAt(zone, wall - 14 * 3600_000), offsetAt(zone, wall), offsetAt(zone, wall + 14 * 3600_000)];
  const found = [...new Set(around)]
    .map((offset) => wall - offset * 60_000)
    .filter((instant) => wall - offsetAt(zone, instant) * 60_000 === instant);
  return found.length ? Math.min(...found) : null;
}

/** A record's start as an instant; one written without an offset is wall clock at the location. */
export function startOf(datetime: string, zone: Zone): number | null {
  if (offsetOf(datetime) !== null) {
    const ms = Date.parse(datetime);
    return Number.isFinite(ms) ? ms : null;
  }
  const [date = '', time = ''] = datetime.trim().split(/[T ]/);
  const seconds = secondsOfDay(time.length === 5 ? `${time}:00` : time);
  return seconds === null ? null : instantOfWall(date, seconds, zone);
}

const two = (n: number) => String(n).padStart(2, '0');

function wallText(seconds: number): string {
  const base = `${two(Math.floor(seconds / 3600))}:${two(Math.floor((seconds % 3600) / 60))}`;
  return seconds % 60 ? `${base}:${two(seconds % 60)}` : base;
}

/** The end of a working interval: a skipped wall time ends it where the clocks jumped to. */
function endOf(date: string, seconds: number, zone: Zone): number | null {
  const exact = instantOfWall(date, seconds, zone);
  if (exact !== null) return exact;
  const midnight = dayAsUtc(date);
  return midnight === null ? null : midnight + seconds * 1000 - offsetAt(zone, midnight + seconds * 1000 - 14 * 3600_000) * 60_000;
}

/** The free start times of one day, in order. */
export function freeTimes(query: SlotQuery): FreeTime[] {
  const { date, zone, lengthS, earliest } = query;
  const step = query.stepS > 0 ? query.stepS : defaultStepS;
  const blocking = query.busy.filter((b) => b.recordId === undefined || b.recordId !== query.ignoreRecordId);
  const times = new Map<number, FreeTime>();
  for (const slot of query.slots) {
    const from = secondsOfDay(slot.from);
    const to = secondsOfDay(slot.to);
    if (from === null || to === null || to <= from) continue;
    const closes = endOf(date, to, zone);
    if (closes === null) continue;
    for (let wall = from; wall < to; wall += step) {
      const start = instantOfWall(date, wall, zone);
      if (start === null || start < earliest) continue;
      const end = start + lengthS * 1000;
      if (end > closes) break;
      if (blocking.some((b) => b.start < end && start < b.end)) continue;
      times.set(start, { time: wallText(wall), datetime: formatAt(start, zone), start });
    }
  }
  return [...times.values()].sort((a, b) => a.start - b.start);
}

export interface RescheduleState {
  /** The last moment a move is accepted, with the location's offset; null when never. */
  deadline: string | null;
  /** Why a move would be refused now before looking at the new time (1010 or 1011); null otherwise. */
  refusal: MoveRefusalCode | null;
}

export function rescheduleState(record: RecordDoc, company: CompanyDoc | null, now: number): RescheduleState {
  if (!company?.allow_change_record) return { deadline: null, refusal: MoveRefusal.forbidden };
  const zone = zoneOf(company, record.datetime);
  const start = startOf(record.datetime, zone);
  if (start === null) return { deadline: null, refusal: MoveRefusal.forbidden };
  const deadline = start - company.allow_change_record_delay_step * 1000;
  if (Number.isNaN(new Date(deadline).getTime())) return { deadline: null, refusal: MoveRefusal.forbidden };
  const over = record.deleted || record.visit_attendance === 1 || record.visit_attendance === -1 || now >= deadline;
  return { deadline: formatAt(deadline, zone), refusal: over ? MoveRefusal.tooLate : null };
}

/** The earliest start a customer may move into: as late as they could still move out of it. */
export function earliestMove(company: CompanyDoc, now: number): number {
  return now + company.allow_change_record_delay_step * 1000;
}

export type MoveDecision = { kind: 'refused'; code: MoveRefusalCode } | { kind: 'unchanged' } | { kind: 'move'; datetime: string };

/**
 * A move of `record` to the instant `target`, in the contract's order: the location forbids it,
 * too late, then the new time not free among `free` (the day's free times, computed with the record
 * ignored). Its own time is no change at all, whatever the grid says now.
 */
export function decideMove(record: RecordDoc, company: CompanyDoc | null, now: number, target: number, free: FreeTime[]): MoveDecision {
  const { refusal } = rescheduleState(record, company, now);
  if (refusal !== null) return { kind: 'refused', code: refusal };
  const zone = zoneOf(company, record.datetime);
  if (startOf(record.datetime, zone) === target) return { kind: 'unchanged' };
  const slot = free.find((t) => t.start === target);
  return slot ? { kind: 'move', datetime: slot.datetime } : { kind: 'refused', code: MoveRefusal.notFree };
}

/** Dates grouped by month number, as Altegio's `booking_days` (`{"12": [10, 11]}`). */
export function daysByMonth(dates: string[]): Record<string, number[]> {
  const months: Record<string, number[]> = {};
  for (const date of dates) {
    const [, month, day] = date.split('-').map(Number) as [number, number, number];
    (months[String(month)] ??= []).push(day);
  }
  return months;
}
