// Dates as Altegio writes them, read strictly, and dates as cabinet writes them: ISO 8601 with the
// location's offset, to the second (`2026-12-01T14:00:00+03:00`), like the platform's own. The
// location's zone is its IANA `timezone_name`, else the offset a record's datetime carries, else
// Altegio's hour `timezone`, else UTC. Pure: no I/O.
// Reading one (isDateTime, parseInstant, offsetOf) is lib/schemas/datetime.ts: the schemas of what is
// pushed in read them too, and a schema imports no rule.
import { offsetOf } from '../schemas/datetime.js';

export type Zone = { iana: string } | { offsetMinutes: number };

/** What of a location tells its zone (a CompanyDoc, lib/domain/entities.ts, is one). */
export interface LocationZone {
  timezone_name: string;
  timezone: string | number;
}

const formats = new Map<string, Intl.DateTimeFormat | null>();

function formatFor(iana: string): Intl.DateTimeFormat | null {
  if (!formats.has(iana)) {
    try {
      const options = {
        timeZone: iana,
        hourCycle: 'h23',
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
        second: '2-digit',
      } as const;
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
  const parts = Object.fromEntries(
    formatFor(zone.iana)!
      .formatToParts(new Date(instant))
      .map((p) => [p.type, Number(p.value)]),
  );
  const wallAsUtc = Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!);
  return Math.round((wallAsUtc - Math.floor(instant / 1000) * 1000) / 60_000);
}

/** The location's zone; `datetime` (a record's start) lends its offset when the location names no zone. */
export function zoneOf(company: LocationZone | null, datetime?: string): Zone {
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
export function atLocation(instant: number, company: LocationZone | null, datetime?: string): string {
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
