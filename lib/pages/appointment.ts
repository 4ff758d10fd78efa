// An appointment as its page shows it: the same read and the same record view as
// GET /v1/user/records/{id}/{hash} (docs/contract.md 3.5), placed in its location's time zone. The page
// adds no rule: what may be done, and until when, is the view's (`can_cancel`, `cancel_deadline`).
import { clock } from '../clock.js';
import { config } from '../config.js';
import { startOf } from '../domain/schedule.js';
import { currencyOf } from '../domain/currency.js';
import { zoneOf, type Zone } from '../domain/dates.js';
import { parseInstant } from '../schemas/datetime.js';
import type { CompanyDoc } from '../domain/entities.js';
import { recordView } from '../domain/record-view.js';
import { NotFound } from '../errors.js';
import { records } from '../ports/records.js';
import { sequenceOf, type CalendarEvent } from './calendar.js';
import { manageLink, managePath } from '../links.js';

export type AppointmentState = 'upcoming' | 'cancelled' | 'visited' | 'past';

export interface Appointment {
  view: ReturnType<typeof recordView>;
  company: CompanyDoc | null;
  zone: Zone;
  start: number;
  end: number;
  state: AppointmentState;
  /** The page's path (`/r/{id}/{hash}`) and its full link. */
  path: string;
  link: string;
  currency: { iso: string; sign: string };
}

/** The appointment behind a link; a wrong hash and an unknown id are the same NotFound. */
export async function findAppointment(recordId: string, hash: string): Promise<Appointment> {
  const reads = await records();
  const stored = await reads.findAccessible(recordId, hash, null);
  if (!stored) throw new NotFound();
  const [parts] = await reads.partsOf([stored.doc]);
  const now = clock.now();
  const view = recordView(stored.doc, parts!, now);
  const zone = zoneOf(parts!.company, stored.doc.datetime);
  const start = startOf(stored.doc.datetime, zone) ?? NaN;
  const end = start + view.length * 1000;
  const state: AppointmentState = view.deleted ? 'cancelled' : view.visit_attendance === 1 ? 'visited' : end < now ? 'past' : 'upcoming';
  const currency = currencyOf(parts!.company?.currency_short_title ?? '');
  return {
    view,
    company: parts!.company,
    zone,
    start,
    end,
    state,
    path: managePath(stored.doc.id, hash),
    link: manageLink(stored.doc.id, hash),
    currency: { iso: currency.iso, sign: currency.symbol },
  };
}

/** What a calendar gets of it. */
export function calendarEventOf(a: Appointment): CalendarEvent {
  const changed = parseInstant(a.view.last_change_date);
  const services = a.view.services
    .map((s) => s.title)
    .filter(Boolean)
    .join(', ');
  const place = a.view.location.title;
  return {
    uid: `record-${a.view.id}@${new URL(config.publicUrl).host}`,
    sequence: sequenceOf(changed),
    start: a.start,
    end: a.end,
    stamp: changed ?? a.start,
    summary: [services, place].filter(Boolean).join(' · ') || place || 'Appointment',
    location: [place, a.view.location.address].filter(Boolean).join(', '),
    description: [a.view.staff.name, a.link].filter(Boolean).join('\n'),
    url: a.link,
    cancelled: a.view.deleted,
  };
}
