// Free dates and times of a team member (docs/contract.md section 9): standalone, the working
// intervals the platform pushed (the `schedule` webhook) less the appointments cabinet holds;
// connected, Altegio's working and busy intervals (lib/ports/calendars.ts loads them). Either way on
// the location's grid, no earlier than a customer could move out of again. The appointment being
// moved never blocks itself. Two reads: the calendar's dates with their listed appointments, then
// those appointments.
import { clock } from './clock.js';
import { getEntities, type StoredEntity } from './db/entities.js';
import { readCalendar, type CalendarDay, type Listing } from './db/schedules.js';
import { formatAt, zoneOf } from './domain/dates.js';
import type { CompanyDoc, RecordDoc, ServiceDoc } from './domain/entities.js';
import { daysByMonth, defaultStepS, earliestMove, freeTimes, startOf, type Busy, type FreeTime } from './domain/schedule.js';
import { NotFound } from './errors.js';
import { locations } from './ports/locations.js';
import { calendars } from './ports/calendars.js';

export interface FreeAsk {
  company: CompanyDoc;
  staffId: number;
  /** Local dates, `YYYY-MM-DD`, both included. */
  from: string;
  to: string;
  lengthS: number;
  ignoreRecordId?: number;
}

export interface FreeDay {
  day: CalendarDay | undefined;
  times: FreeTime[];
}

/** The location a route names; unknown: 404. */
export async function locationOf(companyId: string): Promise<CompanyDoc> {
  // Connected, a configured location is read through from Altegio as everywhere else.
  const company = /^\d{1,15}$/.test(companyId) ? (await (await locations()).find(Number(companyId)))?.doc : undefined;
  if (!company) throw new NotFound();
  return company;
}

/** The local dates from `from` to `to`, both included. */
export function datesBetween(from: string, to: string): string[] {
  const dates: string[] = [];
  for (let at = Date.parse(`${from}T00:00:00Z`); at <= Date.parse(`${to}T00:00:00Z`); at += 86_400_000)
    dates.push(new Date(at).toISOString().slice(0, 10));
  return dates;
}

/**
 * What keeps the team member busy: each listed appointment as listed, unless the record read is as
 * new or newer (then as it is now: that member's, at that location, not cancelled). A listing is
 * read strongly consistent, the records may lag: a lagging record never frees a listed interval.
 */
function busyOf(listings: Listing[], found: Map<string, StoredEntity>, company: CompanyDoc, staffId: number): Busy[] {
  const zone = zoneOf(company);
  return listings.flatMap((listing) => {
    const stored = found.get(`record:${listing.recordId}`) as StoredEntity<RecordDoc> | undefined;
    if (!stored) return [];
    if (stored.version < listing.version) return [{ start: listing.start, end: listing.end, recordId: listing.recordId }];
    const record = stored.doc;
    if (record.staff_id !== staffId || record.company_id !== company.id || record.deleted) return [];
    const start = startOf(record.datetime, zone);
    return start === null ? [] : [{ start, end: start + record.length * 1000, recordId: record.id }];
  });
}

/** Standalone: the pushed schedule, and the appointments cabinet holds. */
async function tableCalendar(ask: FreeAsk): Promise<{ days: Map<string, CalendarDay>; busy: Busy[] }> {
  const calendar = await readCalendar(ask.staffId, ask.from, ask.to);
  const ids = [...new Set(calendar.listings.map((listing) => listing.recordId))];
  const found = ids.length ? await getEntities(ids.map((id) => ['record', id] as const)) : new Map<string, StoredEntity>();
  return { days: calendar.days, busy: busyOf(calendar.listings, found, ask.company, ask.staffId) };
}

/** Each date's calendar and free times. */
export async function freeDays(ask: FreeAsk): Promise<Map<string, FreeDay>> {
  const connected = await calendars();
  const { days: calendar, busy } = connected
    ? await connected.altegioCalendar(ask.company, ask.staffId, ask.from, ask.to)
    : await tableCalendar(ask);
  const zone = zoneOf(ask.company);
  const earliest = earliestMove(ask.company, clock.now());
  const days = new Map<string, FreeDay>();
  for (const date of datesBetween(ask.from, ask.to)) {
    const day = calendar.get(date);
    // A schedule pushed for another location's id is not this location's working time.
    const slots = day?.working && day.companyId === ask.company.id ? day.slots : [];
    const stepS = ask.company.timeslot_step || defaultStepS;
    days.set(date, {
      day,
      times: freeTimes({
        date,
        slots,
        zone,
        stepS,
        lengthS: ask.lengthS,
        busy,
        earliest,
        ...(ask.ignoreRecordId ? { ignoreRecordId: ask.ignoreRecordId } : {}),
      }),
    });
  }
  return days;
}

/** How long the appointment asked about lasts: the services' lengths together, else one step of the grid. */
export async function lengthOfServices(company: CompanyDoc, serviceIds: number[]): Promise<number> {
  const found = serviceIds.length ? await getEntities(serviceIds.map((id) => ['service', id] as const)) : new Map();
  const total = serviceIds.reduce((sum, id) => sum + ((found.get(`service:${id}`)?.doc as ServiceDoc | undefined)?.seance_length ?? 0), 0);
  return total > 0 ? total : company.timeslot_step || defaultStepS;
}

export interface DateRange {
  date?: string | undefined;
  date_from?: string | undefined;
  date_to?: string | undefined;
}

/** `date_from` to `date_to`; else the month of `date`; else this month at the location. */
export function rangeOf(asked: DateRange, company: CompanyDoc): { from: string; to: string } {
  if (asked.date_from && asked.date_to) return { from: asked.date_from, to: asked.date_to };
  const month = (asked.date ?? formatAt(clock.now(), zoneOf(company))).slice(0, 7);
  const [year, number] = month.split('-').map(Number) as [number, number];
  return { from: `${month}-01`, to: new Date(Date.UTC(year, number, 0)).toISOString().slice(0, 10) };
}

/** Altegio's `book_dates` answer: the dates with a free time, and the working dates, also by month. */
export function datesAnswer(days: Map<string, FreeDay>) {
  const booking = [...days].filter(([, day]) => day.times.length > 0).map(([date]) => date);
  const working = [...days].filter(([, day]) => day.day?.working && day.day.slots.length > 0).map(([date]) => date);
  return { booking_dates: booking, booking_days: daysByMonth(booking), working_dates: working, working_days: daysByMonth(working) };
}

/** Altegio's `book_times` answer. */
export function timesAnswer(day: FreeDay | undefined, lengthS: number) {
  return (day?.times ?? []).map((t) => ({ time: t.time, seance_length: lengthS, sum_length: lengthS, datetime: t.datetime }));
}
