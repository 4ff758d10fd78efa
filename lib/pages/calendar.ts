// The appointment as an iCalendar file (RFC 5545) and as a Google Calendar link. One VEVENT whose
// UID is the record's, so a calendar that imports the file again updates its copy instead of adding
// a second; times in UTC, so no calendar has to know the location's zone. Pure: no I/O.
//
// SEQUENCE is derived, not stored: it is the record's last change (`last_change_date`) in seconds
// since 2020. Every write to a record moves that date forward and never back (a move, a
// cancellation, the platform's own changes; docs/contract.md section 6), so the number grows with
// each of them and fits RFC 5545's 32-bit integer for decades.

export interface CalendarEvent {
  uid: string;
  sequence: number;
  /** Instants (ms). `stamp`: when this version of the event was made. */
  start: number;
  end: number;
  stamp: number;
  summary: string;
  location: string;
  description: string;
  url: string;
  cancelled: boolean;
}

const sequenceEpochS = Date.UTC(2020, 0, 1) / 1000;

/** The SEQUENCE of a record last changed at `lastChange` (ms; null: never changed since it came). */
export function sequenceOf(lastChange: number | null): number {
  return lastChange === null ? 0 : Math.max(0, Math.floor(lastChange / 1000) - sequenceEpochS);
}

/** `20261201T110000Z` */
export function utcStamp(instant: number): string {
  return new Date(Math.floor(instant / 1000) * 1000).toISOString().replace(/[-:]/g, '').replace('.000', '');
}

/** TEXT values escape backslash, semicolon, comma and line breaks (RFC 5545 3.3.11). */
function text(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\r?\n/g, '\\n');
}

/** Lines longer than 75 octets continue on the next line after a space, never inside a character. */
function fold(line: string): string {
  const out: string[] = [];
  let current = '';
  let bytes = 0;
  for (const char of line) {
    const size = Buffer.byteLength(char);
    if (bytes + size > (out.length ? 74 : 75)) {
      out.push(current);
      current = '';
      bytes = 0;
    }
    current += char;
    bytes += size;
  }
  out.push(current);
  return out.join('\r\n ');
}

export function icsOf(event: CalendarEvent): string {
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//cabinet//appointment//EN',
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    'BEGIN:VEVENT',
    `UID:${event.uid}`,
    `SEQUENCE:${event.sequence}`,
    `DTSTAMP:${utcStamp(event.stamp)}`,
    `DTSTART:${utcStamp(event.start)}`,
    `DTEND:${utcStamp(event.end)}`,
    `SUMMARY:${text(event.summary)}`,
    ...(event.location ? [`LOCATION:${text(event.location)}`] : []),
    `DESCRIPTION:${text(event.description)}`,
    `URL:${event.url}`,
    `STATUS:${event.cancelled ? 'CANCELLED' : 'CONFIRMED'}`,
    'END:VEVENT',
    'END:VCALENDAR',
  ];
  return `${lines.map(fold).join('\r\n')}\r\n`;
}

export function googleCalendarLink(event: CalendarEvent): string {
  const query = new URLSearchParams({
    action: 'TEMPLATE',
    text: event.summary,
    dates: `${utcStamp(event.start)}/${utcStamp(event.end)}`,
    details: event.description,
    location: event.location,
  });
  return `https://calendar.google.com/calendar/render?${query}`;
}
