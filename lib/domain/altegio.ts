// Altegio's B2B objects (`GET /company/{id}` with the rules of
// `GET /companies?id=&my=1`, `GET /staff`, `GET /company/{id}/services`, `GET /records` and
// `GET /record`, `GET /client`) → the docs cabinet stores (lib/domain/entities.ts), with Altegio's
// quirks accepted (docs/contract.md 8.6): numbers as strings, `[]` for an empty object, 0/1 and "0"/"1"
// for booleans, and a record `datetime` whose offset disagrees with the location's zone: the local
// `date` and the location's `timezone_name` decide the instant. Pure: no I/O.
import { countryOfLocation } from './countries.js';
import type { Change, ClientDoc, CompanyDoc, RecordDoc, RecordServiceLine, ServiceDoc, StaffDoc } from './entities.js';
import { normalizePhone } from './phone.js';

type Json = Record<string, unknown>;

/** Altegio sent something cabinet cannot store (no id, no start): the caller skips and reports it. */
export class AltegioShapeError extends Error {
  override name = 'AltegioShapeError';
}

function obj(value: unknown): Json {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : {};
}

function optNum(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(value)) return Number(value);
  return null;
}

function num(value: unknown): number {
  return optNum(value) ?? 0;
}

function str(value: unknown): string {
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '';
}

function bool(value: unknown): boolean {
  return value === true || value === 1 || value === '1' || value === 'true';
}

function idOf(value: unknown, what: string): number {
  const id = optNum(value);
  if (id === null || !Number.isInteger(id) || id <= 0) throw new AltegioShapeError(`${what}: not an id (${JSON.stringify(value)})`);
  return id;
}

/** A location: `GET /company/{id}`'s object, and the cancel rules from `GET /companies?id=&my=1`. */
export function companyDocOf(company: unknown, rules?: unknown): CompanyDoc {
  return companyDocWith(countryOfLocation, company, rules);
}

/** As companyDocOf, with the country told by `countryOf` (the SMS functions' metadata set: lib/domain/sms-phone.ts). */
export function companyDocWith(countryOf: (doc: CompanyDoc) => string | null, company: unknown, rules?: unknown): CompanyDoc {
  const doc = companyFields(company, rules);
  return { ...doc, country_code: countryOf(doc) };
}

function companyFields(company: unknown, rules?: unknown): CompanyDoc {
  const c = obj(company);
  // The rules come with `my=1`; if Altegio leaves them out, whatever the company
  // object itself has, else not allowed: never a cancellation the salon did not agree to.
  const r = { ...c, ...obj(rules) };
  const phone = str(c.phone);
  const phones = Array.isArray(c.phones) ? c.phones.map(str).filter(Boolean) : [];
  const group = optNum(c.main_group_id ?? c.group_id);
  return {
    id: idOf(c.id, 'company.id'),
    title: str(c.title) || str(c.public_title),
    country_id: num(c.country_id),
    country: str(c.country),
    country_code: typeof c.country_code === 'string' && /^[A-Za-z]{2}$/.test(c.country_code) ? c.country_code.toUpperCase() : null,
    city_id: num(c.city_id),
    city: str(c.city),
    timezone: typeof c.timezone === 'number' || typeof c.timezone === 'string' ? c.timezone : str(c.timezone_name),
    timezone_name: str(c.timezone_name),
    address: str(c.address),
    phone,
    phones: phones.length ? phones : phone ? [phone] : [],
    coordinate_lat: num(c.coordinate_lat),
    coordinate_lng: num(c.coordinate_lon ?? c.coordinate_lng),
    allow_delete_record: bool(r.allow_delete_record),
    allow_change_record: bool(r.allow_change_record),
    site: str(c.site),
    logo: str(c.logo),
    currency_short_title: str(c.currency_short_title),
    allow_change_record_delay_step: num(r.allow_change_record_delay_step),
    allow_delete_record_delay_step: num(r.allow_delete_record_delay_step),
    group_id: group ? group : null,
  };
}

/** Whether Altegio revealed the cancel rules at all (an open question on a real account, P8.1). */
export function rulesRevealed(rules: unknown): boolean {
  return 'allow_delete_record' in obj(rules);
}

/** A team member (`GET /staff/{company_id}/{staff_id}`, or a record's `staff`). */
export function staffDocOf(staff: unknown): StaffDoc {
  const s = obj(staff);
  const position = obj(s.position);
  return {
    id: idOf(s.id, 'staff.id'),
    name: str(s.name),
    specialization: str(s.specialization),
    position: { id: num(position.id), title: str(position.title) },
    show_rating: num(s.show_rating),
    rating: num(s.rating),
    votes_count: num(s.votes_count),
    comments_count: num(s.comments_count),
    avatar: str(s.avatar),
  };
}

/** A service of `GET /company/{id}/services`; its length is per team member (that one's, or the first's). */
export function serviceDocOf(service: unknown, staffId?: number | null): ServiceDoc {
  const s = obj(service);
  const perStaff = Array.isArray(s.staff) ? s.staff.map(obj) : [];
  const mine = perStaff.find((p) => staffId != null && optNum(p.id) === staffId) ?? perStaff[0];
  return {
    id: idOf(s.id, 'service.id'),
    title: str(s.title),
    price_min: num(s.price_min),
    price_max: num(s.price_max),
    discount: num(s.discount),
    seance_length: optNum(mine?.seance_length) ?? optNum(s.seance_length) ?? optNum(s.duration),
  };
}

export function clientDocOf(client: unknown): ClientDoc {
  const c = obj(client);
  return { id: idOf(c.id, 'client.id'), name: str(c.name), phone: str(c.phone), email: str(c.email) };
}

const wallClock = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?/;

/** `2026-12-01 14:00:00`, `2026-12-01T14:00:00+03:00` or `…T14:00:00.000-05:00` → the wall clock, `2026-12-01 14:00:00`. */
export function wallClockOf(text: string): string | null {
  const m = wallClock.exec(text);
  return m ? `${m[1]}-${m[2]}-${m[3]} ${m[4]}:${m[5]}:${m[6] ?? '00'}` : null;
}

const formats = new Map<string, Intl.DateTimeFormat | null>();

function formatFor(zone: string): Intl.DateTimeFormat | null {
  if (!formats.has(zone)) {
    try {
      formats.set(
        zone,
        new Intl.DateTimeFormat('en-US', {
          timeZone: zone,
          hourCycle: 'h23',
          year: 'numeric',
          month: '2-digit',
          day: '2-digit',
          hour: '2-digit',
          minute: '2-digit',
          second: '2-digit',
        }),
      );
    } catch {
      formats.set(zone, null);
    }
  }
  return formats.get(zone)!;
}

function offsetMinutesAt(format: Intl.DateTimeFormat, instant: number): number {
  const p = Object.fromEntries(format.formatToParts(new Date(instant)).map((part) => [part.type, Number(part.value)]));
  return Math.round((Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!) - instant) / 60_000);
}

function offsetText(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/**
 * A wall-clock time at a location as an ISO instant with the zone's offset then:
 * (`2026-07-01 14:00:00`, `Europe/Belgrade`) → `2026-07-01T14:00:00+02:00`. Null for a zone the
 * runtime does not know. A time that does not exist (skipped by a DST change) moves forward.
 */
export function zonedIso(wall: string, zone: string): string | null {
  const format = zone ? formatFor(zone) : null;
  const m = wallClock.exec(wall);
  if (!format || !m) return null;
  const asUtc = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6] ?? 0));
  // Twice: the offset at the guess may differ from the offset at the answer near a DST change.
  let offset = offsetMinutesAt(format, asUtc - offsetMinutesAt(format, asUtc) * 60_000);
  offset = offsetMinutesAt(format, asUtc - offset * 60_000);
  return `${wall.replace(' ', 'T')}${offsetText(offset)}`;
}

export interface Catalogue {
  /** The location's services (for prices and lengths a record's lines do not carry). */
  services?: ServiceDoc[] | undefined;
  /** The record's team member in full (rating display, comments count). */
  staff?: StaffDoc | null | undefined;
}

/** A record (`GET /record`, `GET /records`, a webhook's `data`) in cabinet's shape, its start read in the location's zone. */
export function recordDocOf(record: unknown, location: Pick<CompanyDoc, 'timezone_name'> | null, catalogue: Catalogue = {}): RecordDoc {
  const r = obj(record);
  const id = idOf(r.id, 'record.id');
  const wall = wallClockOf(str(r.date)) ?? wallClockOf(str(r.datetime));
  if (!wall) throw new AltegioShapeError(`record ${id}: no date`);
  const datetime = zonedIso(wall, location?.timezone_name ?? '') ?? (Number.isFinite(Date.parse(str(r.datetime))) ? str(r.datetime) : null);
  if (!datetime) throw new AltegioShapeError(`record ${id}: no start that can be placed in time`);
  const staffId = optNum(r.staff_id) ?? optNum(obj(r.staff).id);
  const staffGiven = obj(r.staff);
  const staff = catalogue.staff ?? (staffId && Object.keys(staffGiven).length ? staffDocOf({ ...staffGiven, id: staffId }) : null);
  const services: RecordServiceLine[] = (Array.isArray(r.services) ? r.services : []).map((line) => {
    const l = obj(line);
    const sid = idOf(l.id, `record ${id} service.id`);
    const known = catalogue.services?.find((s) => s.id === sid);
    return {
      id: sid,
      title: str(l.title) || (known?.title ?? ''),
      cost: num(l.cost),
      price_min: optNum(l.price_min) ?? known?.price_min ?? null,
      price_max: optNum(l.price_max) ?? known?.price_max ?? null,
      discount: num(l.discount),
      amount: num(l.amount) || 1,
      seance_length: optNum(l.seance_length) ?? known?.seance_length ?? null,
    };
  });
  const client = obj(r.client);
  return {
    id,
    company_id: idOf(r.company_id, `record ${id} company_id`),
    staff_id: staffId ?? null,
    staff,
    services,
    client: Object.keys(client).length
      ? {
          ...(optNum(client.id) ? { id: optNum(client.id)! } : {}),
          name: str(client.name),
          phone: str(client.phone),
          email: str(client.email),
        }
      : null,
    clients_count: num(r.clients_count),
    date: wall,
    datetime,
    create_date: str(r.create_date),
    length: optNum(r.length) ?? num(r.seance_length),
    deleted: bool(r.deleted),
    notify_by_sms: num(r.notify_by_sms ?? r.sms_remain_hours),
    notify_by_email: num(r.notify_by_email ?? r.email_remain_hours),
    comment: str(r.comment),
    master_requested: bool(r.master_requested ?? r.master_request),
    online: bool(r.online),
    visit_attendance: num(r.visit_attendance ?? r.attendance),
    api_id: str(r.api_id),
    last_change_date: str(r.last_change_date),
    prepaid: bool(r.prepaid),
    prepaid_confirmed: bool(r.prepaid_confirmed),
    activity_id: num(r.activity_id),
  };
}

/** `last_change_date` (`2026-11-20T10:00:05+0100`) in ms: the version that orders deliveries. */
export function versionOfStamp(stamp: string): number | null {
  const ms = Date.parse(stamp);
  return Number.isFinite(ms) ? ms : null;
}

/**
 * The versioned write (for lib/db/entities.ts `applyChange`) a record read from Altegio asks for:
 * its state, or its removal from view when Altegio has deleted it. `region` reads client phones
 * written without a country code. A record without `last_change_date` cannot be ordered against
 * webhooks and is refused rather than risk moving data backwards.
 */
export function recordChangeOf(
  record: unknown,
  location: Pick<CompanyDoc, 'timezone_name'> | null,
  region: string,
  catalogue: Catalogue = {},
): Change {
  const doc = recordDocOf(record, location, catalogue);
  const version = versionOfStamp(doc.last_change_date);
  if (version === null) throw new AltegioShapeError(`record ${doc.id}: no last_change_date`);
  const base = { kind: 'record' as const, id: doc.id, companyId: doc.company_id, version };
  if (doc.deleted) return { ...base, doc: null };
  const phone = doc.client?.phone ? normalizePhone(doc.client.phone, region) : null;
  return { ...base, doc, ...(phone ? { owner: { phone, startsAt: new Date(Date.parse(doc.datetime)).toISOString() } } : {}) };
}
