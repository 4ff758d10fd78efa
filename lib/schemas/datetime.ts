// Dates as Altegio and the platforms write them, read strictly: a real calendar date and time
// (`YYYY-MM-DD`, `T` or a space, `HH:MM[:SS[.fraction]]`) in the years an appointment can sanely
// be in, with or without an offset. The schemas check pushed-in dates with it, and lib/domain/dates.ts
// hands it on to the rules. Pure: no I/O.

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

const explicitOffset = /(Z|([+-])(\d{2}):?(\d{2}))$/;

/** The offset a datetime carries, in minutes east of UTC; null when it carries none. */
export function offsetOf(datetime: string): number | null {
  const match = explicitOffset.exec(datetime);
  if (!match) return null;
  return match[1] === 'Z' ? 0 : (match[2] === '-' ? -1 : 1) * (Number(match[3]) * 60 + Number(match[4]));
}
