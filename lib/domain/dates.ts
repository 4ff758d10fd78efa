// Dates as Altegio writes them, read strictly, and dates as cabinet writes them: ISO 8601 with the
// location's offset, to the second (`2026-12-01T14:00:00+03:00`), like the platform's own. The
// location's zone is its IANA `timezone_name`, else the offset a record's datetime carries, else
// Altegio's hour `timezone`, else UTC. Pure: no I/O.
import type { CompanyDoc } from './entities.js';

/** Years an appointment, or a change to one, can sanely be in. */
const years = { min: 2000, max: 2100 };

/** `YYYY-MM-DD`, `T` or a space, `HH:MM`, optional `:SS` and fraction, optional offset (`Z`, `±HH`, `±HHMM`, `±HH:MM`). */
const iso = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}(?::?\d{2})?)?$/;

interface Parts {
  wallAsUtc: number;
  /** Minutes east of UTC; null when the text carries no offset. */
  offsetMinutes: number | null;
}

function partsOf(text: string): Parts | null {
  const match = iso.exec(text.trim());
  if (!match) return null;
  const [year, month, day, hour, minute, second = 0] = match.slice(1, 7).map((v) => (v === undefined ? undefined : Number(v))) as number[];
  if (year! < years.min || year! > years.max || month! < 1 || month! > 12 || hour! > 23 || minute! > 59 || second > 59) return null;
  const daysInMonth = new Date(Date.UTC(year!, month!, 0)).getUTCDate();
  if (day! < 1 || day! > daysInMonth) return null;
  const wallAsUtc = Date.UTC(year!, month! - 1, day!, hour!, minute!, second);
  const offset = match[7];
  if (offset === undefined) return { wallAsUtc, offsetMinutes: null };
  if (offset === 'Z') return { wallAsUtc, offsetMinutes: 0 };
  const hours = Number(offset.slice(1, 3));
  const minutes = Number(offset.slice(3).replace(':', '') || 0);
  if (hours > 14 || minutes > 59) return null;
  return { wallAsUtc, offsetMinutes: (offset[0] === '-' ? -1 : 1) * (hours * 60 + minutes) };
}

/** An instant written with its offset (`2026-12-01T14:00:00+03:00`, `…+0300`, `…Z`); null otherwise. */
export function parseInstant(text: string): number | null {
  const parts = partsOf(text);
  if (!parts || parts.offsetMinutes === null) return null;
  return parts.wallAsUtc - parts.offsetMinutes * 60_000;
}

/** Whether the text is a real calendar date and time, with or without an offset (`2026-12-01 14:00:00`). */
export function isDateTime(text: string): boolean {
  return partsOf(text) !== null;
}

export type Zone = { iana: string } | { offsetMinutes: number };

const formats = new Map<string, Intl.DateTimeFormat | null>();

function formatFor(iana: string): Intl.DateTimeFormat | null {
  if (!formats.has(iana)) {
    try {
      const options = { timeZone: iana, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' } as const;
      formats.set(iana, new Intl.DateTimeFormat('en-US', options));
    } catch {
      formats.set(iana, null); // not a zone this runtime knows
    }
  }
  return formats.get(iana)!;
}

/** Minutes east of UTC in `zone` at `instant`. */
export function offsetAt(zone: Zone, instant: number): number {
  if ('offsetMinutes' in zone) return zone.offsetMinutes;
  const parts = Object.fromEntries(formatFor(zone.iana)!.formatToParts(new Date(instant)).map((p) => [p.type, Number(p.value)]));
  const wallAsUtc = Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!);
  return Math.round((wallAsUtc - Math.floor(instant / 1000) * 1000) / 60_000);
}

const explicitOffset = /(Z|([+-])(\d{2}):?(\d{2}))$/;

/** The offset a datetime carries, in minutes east of UTC; null when it carries none. */
export function offsetOf(datetime: string): number | null {
  const match = explicitOffset.exec(datetime);
  if (!match) return null;
  return match[1] === 'Z' ? 0 : (match[2] === '-' ? -1 : 1) * (Number(match[3]) * 60 + Number(match[4]));
}

/** The location's zone; `datetime` (a record's start) lends its offset when the location names no zone. */
export function zoneOf(company: CompanyDoc | null, datetime?: string): Zone {
  if (company?.timezone_name && formatFor(company.timezone_name)) return { iana: company.timezone_name };
  const carried = datetime ? offsetOf(datetime) : null;
  if (carried !== null) return { offsetMinutes: carried };
  const hours = Number(company?.timezone);
  return { offsetMinutes: Number.isFinite(hours) && Math.abs(hours) <= 14 ? Math.round(hours * 60) : 0 };
}

/** `instant` as ISO 8601 in `zone`, to the second: `2026-12-01T14:00:00+03:00`. */
export function formatAt(instant: number, zone: Zone): string {
  const offset = offsetAt(zone, instant);
  const local = new Date(Math.floor(instant / 1000) * 1000 + offset * 60_000).toISOString().slice(0, 19);
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  return `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/** A date cabinet writes (a cancellation, a review, an event): the location's offset, to the second. */
export function atLocation(instant: number, company: CompanyDoc | null, datetime?: string): string {
  return formatAt(instant, zoneOf(company, datetime));
}

/**
 * When a change cabinet makes to an object happens, to the second (as it is written): now, or the
 * first whole second after the object's version when that is not behind us (a platform clock
 * ahead of ours). So the written date alone orders the change after what it replaces, for anyone
 * who compares dates, and the object's version is exactly that date's instant.
 */
export function changeAfter(version: number, now: number): number {
  return Math.max(Math.floor(now / 1000) * 1000, Math.floor(version / 1000) * 1000 + 1000);
}
