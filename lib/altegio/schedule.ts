// Connected to Altegio (docs/contract.md section 9): a team member's working and busy intervals are
// Altegio's, read with `GET /company/{id}/staff/schedule?include[]=busy_intervals`, kept in the table
// at most 60 s (every function shares the copy), and counted in the one request budget. Busy
// intervals name their records, so the record being moved never blocks itself.
import { clock } from '../clock.js';
import { cachedAltegioSchedule, keepAltegioSchedule, type CalendarDay } from '../db/schedules.js';
import { zoneOf } from '../domain/dates.js';
import type { CompanyDoc } from '../domain/entities.js';
import { instantOfWall, secondsOfDay, type Busy } from '../domain/schedule.js';
import type { AltegioClient } from './client.js';
import { linked } from './connector.js';

/** How long a schedule read from Altegio answers for free times. */
export const scheduleTtlMs = 60_000;

/** One attempt per call, within 3 s: a PUT whose answer is lost is settled by reading again, never sent twice. */
export const moveCall = { attempts: 1, timeoutMs: 3000 } as const;

/** The one connector's client (one token, one budget), asked within `moveCall`'s bounds. */
export function moveClient(): AltegioClient {
  return linked().client;
}

type Row = { staff_id?: unknown; date?: unknown; slots?: unknown; busy_intervals?: unknown };

/** Altegio's rows as the calendar cabinet computes on: the working dates, and the busy intervals as instants. */
export function calendarOfRows(rows: unknown[], company: CompanyDoc, staffId: number): { days: Map<string, CalendarDay>; busy: Busy[] } {
  const zone = zoneOf(company);
  const days = new Map<string, CalendarDay>();
  const busy: Busy[] = [];
  for (const row of rows as Row[]) {
    if (Number(row.staff_id) !== staffId || typeof row.date !== 'string') continue;
    const slots = (Array.isArray(row.slots) ? row.slots : []).map((s: { from?: unknown; to?: unknown }) => ({
      from: String(s.from).slice(0, 5),
      to: String(s.to).slice(0, 5),
    }));
    days.set(row.date, { date: row.date, companyId: company.id, working: slots.length > 0, slots, rev: undefined });
    for (const interval of (Array.isArray(row.busy_intervals) ? row.busy_intervals : []) as Array<{
      entity_id?: unknown;
      from?: unknown;
      to?: unknown;
    }>) {
      const from = secondsOfDay(String(interval.from));
      const to = secondsOfDay(String(interval.to));
      const start = from === null ? null : instantOfWall(row.date, from, zone);
      const end = to === null ? null : instantOfWall(row.date, to, zone);
      if (start !== null && end !== null)
        busy.push({ start, end, ...(interval.entity_id ? { recordId: Number(interval.entity_id) } : {}) });
    }
  }
  return { days, busy };
}

/** The team member's calendar from `from` to `to` as Altegio has it, at most a minute old. */
export async function altegioCalendar(company: CompanyDoc, staffId: number, from: string, to: string) {
  const id = `${company.id}#${staffId}#${from}#${to}`;
  const kept = await cachedAltegioSchedule(id);
  if (kept && clock.now() - kept.fetchedAt < scheduleTtlMs) return calendarOfRows(kept.rows, company, staffId);
  const at = clock.now();
  const query = { start_date: from, end_date: to, 'staff_ids[]': staffId, 'include[]': 'busy_intervals' };
  const { data } = await moveClient().request<unknown[]>('GET', `/company/${company.id}/staff/schedule`, {
    priority: 'read',
    ...moveCall,
    query,
  });
  const rows = Array.isArray(data) ? data : [];
  await keepAltegioSchedule(id, rows, at);
  return calendarOfRows(rows, company, staffId);
}
