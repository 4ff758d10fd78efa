// What the cabinet keeps of each pushed-in object: the fields the contract shows, under one
// spelling, with Altegio's alternative spellings folded in. Pure: no I/O.
import type { WebhookEvent } from '../schemas/webhook.js';
import type { CompanyData, RecordData, ServiceData, StaffData } from '../schemas/altegio.js';
import { countryOfLocation } from './countries.js';
import { parseInstant } from '../schemas/datetime.js';
import { normalizePhone } from './phone.js';
import { hashClientOf } from './record-hash.js';

export type EntityKind = 'company' | 'staff' | 'service' | 'client' | 'record';

export interface CompanyDoc {
  id: number;
  title: string;
  country_id: number;
  country: string;
  country_code: string | null;
  city_id: number;
  city: string;
  timezone: string | number;
  timezone_name: string;
  address: string;
  phone: string;
  phones: string[];
  coordinate_lat: number;
  coordinate_lng: number;
  allow_delete_record: boolean;
  allow_change_record: boolean;
  site: string;
  logo: string;
  currency_short_title: string;
  allow_change_record_delay_step: number;
  allow_delete_record_delay_step: number;
  group_id: number | null;
  /** The grid of free times in seconds; absent or null: every 15 minutes. */
  timeslot_step?: number | null;
}

export interface StaffDoc {
  id: number;
  name: string;
  specialization: string;
  position: { id: number; title: string };
  show_rating: number;
  rating: number;
  votes_count: number;
  comments_count: number;
  avatar: string;
}

export interface ServiceDoc {
  id: number;
  title: string;
  price_min: number;
  price_max: number;
  discount: number;
  seance_length: number | null;
}

export interface ClientDoc {
  id: number;
  name: string;
  phone: string;
  email: string;
}

export interface RecordServiceLine {
  id: number;
  title: string;
  cost: number;
  price_min: number | null;
  price_max: number | null;
  discount: number;
  amount: number;
  seance_length: number | null;
}

export interface RecordDoc {
  id: number;
  company_id: number;
  staff_id: number | null;
  staff: StaffDoc | null;
  services: RecordServiceLine[];
  client: Partial<ClientDoc> | null;
  clients_count: number;
  date: string;
  datetime: string;
  create_date: string;
  length: number;
  deleted: boolean;
  notify_by_sms: number;
  notify_by_email: number;
  comment: string;
  master_requested: boolean;
  online: boolean;
  visit_attendance: number;
  api_id: string;
  last_change_date: string;
  prepaid: boolean;
  prepaid_confirmed: boolean;
  activity_id: number;
}

export type EntityDoc = CompanyDoc | StaffDoc | ServiceDoc | ClientDoc | RecordDoc;

/** One versioned write to apply: an object's new state, or its removal from the cabinet's view. */
export interface Change {
  kind: EntityKind;
  id: number;
  companyId: number;
  version: number;
  doc: EntityDoc | null;
  /** A record_hash the sender already gave the record (it is kept, as a digest). */
  recordHash?: string;
  /** A record's client, by normalised phone, and its start (UTC): how "my appointments" find it. */
  owner?: { phone: string; startsAt: string };
  /**
   * A record whose client phone can be read only with its location's country, which is not known
   * yet: it has no owner until the location arrives (lib/owners.ts).
   */
  awaitsLocation?: true;
}

function company(id: number, d: CompanyData): CompanyDoc {
  const doc: CompanyDoc = {
    id,
    title: d.title || d.public_title,
    country_id: d.country_id,
    country: d.country,
    country_code: d.country_code?.toUpperCase() ?? null,
    city_id: d.city_id,
    city: d.city,
    timezone: d.timezone ?? d.timezone_name,
    timezone_name: d.timezone_name,
    address: d.address,
    phone: d.phone,
    phones: d.phones ?? (d.phone ? [d.phone] : []),
    coordinate_lat: d.coordinate_lat,
    coordinate_lng: d.coordinate_lng ?? d.coordinate_lon ?? 0,
    allow_delete_record: d.allow_delete_record,
    allow_change_record: d.allow_change_record,
    site: d.site,
    logo: d.logo,
    currency_short_title: d.currency_short_title,
    allow_change_record_delay_step: d.allow_change_record_delay_step,
    allow_delete_record_delay_step: d.allow_delete_record_delay_step,
    group_id: d.group_id ?? d.main_group_id,
    timeslot_step: d.timeslot_step,
  };
  return { ...doc, country_code: countryOfLocation(doc) };
}

function staff(id: number, d: Partial<StaffData>): StaffDoc {
  return {
    id,
    name: d.name ?? '',
    specialization: d.specialization ?? '',
    position: d.position ?? { id: 0, title: '' },
    show_rating: d.show_rating ?? 0,
    rating: d.rating ?? 0,
    votes_count: d.votes_count ?? 0,
    comments_count: d.comments_count ?? 0,
    avatar: d.avatar ?? '',
  };
}

function service(id: number, d: ServiceData): ServiceDoc {
  return {
    id,
    title: d.title,
    price_min: d.price_min,
    price_max: d.price_max,
    discount: d.discount,
    seance_length: d.seance_length ?? d.duration,
  };
}

/** `2026-12-01T14:00:00+03:00` → `2026-12-01 14:00:00`: the wall-clock time at the location. */
function localDate(datetime: string): string {
  const match = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2})?)/.exec(datetime);
  return match ? `${match[1]} ${match[2]!.length === 5 ? `${match[2]}:00` : match[2]}` : datetime;
}

function record(id: number, companyId: number, d: RecordData): RecordDoc {
  const staffId = d.staff_id ?? d.staff?.id ?? null;
  return {
    id,
    company_id: companyId,
    staff_id: staffId,
    staff: staffId && d.staff ? staff(staffId, d.staff) : null,
    services: (d.services ?? []).map((s) => ({
      id: s.id,
      title: s.title,
      cost: s.cost,
      price_min: s.price_min,
      price_max: s.price_max,
      discount: s.discount,
      amount: s.amount,
      seance_length: s.seance_length ?? s.session_length,
    })),
    client: d.client ?? null,
    clients_count: d.clients_count,
    date: d.date || localDate(d.datetime),
    datetime: d.datetime,
    create_date: d.create_date,
    length: d.length ?? d.seance_length ?? 0,
    deleted: d.deleted,
    notify_by_sms: d.notify_by_sms ?? d.sms_remain_hours ?? 0,
    notify_by_email: d.notify_by_email ?? d.email_remain_hours ?? 0,
    comment: d.comment,
    master_requested: d.master_requested ?? d.master_request ?? false,
    online: d.online,
    visit_attendance: d.visit_attendance ?? d.attendance ?? 0,
    api_id: d.api_id,
    last_change_date: d.last_change_date ?? '',
    prepaid: d.prepaid,
    prepaid_confirmed: d.prepaid_confirmed,
    activity_id: d.activity_id,
  };
}

/**
 * Orders deliveries of one object. Altegio stamps changes with `last_change_date`; where a payload
 * has none, arrival order is the only order there is, so the receipt time stands in for it.
 */
export function versionOf(lastChangeDate: string | null | undefined, receivedAt: number): number {
  return (lastChangeDate ? parseInstant(lastChangeDate) : null) ?? receivedAt;
}

/** A phone written with its country code (`+…`) reads the same wherever its location is. */
export function isInternational(phone: string): boolean {
  return phone.trim().startsWith('+');
}

/**
 * The record's owner, read with its location's country (`region`); null `region`: the location is
 * not known, and only a phone written with its country code can be read. Bare digits are not
 * taken for international ones: `4155552671` is a US number at a US location, and a Swiss one read
 * as `+41 55 555 26 71`.
 */
export function ownerOf(doc: RecordDoc, region: string | null): Pick<Change, 'owner' | 'awaitsLocation'> {
  const given = doc.client?.phone ?? '';
  if (!given) return {};
  if (region === null && !isInternational(given)) return { awaitsLocation: true };
  // A `+` phone ignores the region; 'ZZ' is libphonenumber's "unknown region".
  const phone = normalizePhone(given, region ?? 'ZZ');
  const start = Date.parse(doc.datetime);
  return phone && Number.isFinite(start) ? { owner: { phone, startsAt: new Date(start).toISOString() } } : {};
}

/**
 * Whether a record's new state names the client its stored copy names: the same owner (normalised
 * phone) where both have one, else the same phone digits as written.
 */
export function sameClient(stored: { doc: RecordDoc; client_phone?: string }, next: { doc: RecordDoc; owner?: Change['owner'] }): boolean {
  if (stored.client_phone !== undefined && next.owner !== undefined) return stored.client_phone === next.owner.phone;
  return hashClientOf(stored.doc) === hashClientOf(next.doc);
}

/** Whether the record's owner can be read only once its location's country is known. */
export function needsLocation(event: WebhookEvent): boolean {
  if (event.resource !== 'record' || event.status === 'delete') return false;
  const phone = event.data.client?.phone ?? '';
  return phone !== '' && !isInternational(phone);
}

/**
 * The write an event asks for; null for resources the cabinet does not show. `region` (the
 * location's country, null when the location is not known) reads client phones written without a
 * country code.
 */
export function changeOf(event: WebhookEvent, receivedAt: number, region: string | null): Change | null {
  // A schedule is no object of the view: lib/ingest.ts stores its dates (lib/db/schedules.ts).
  if (event.resource === 'other' || event.resource === 'schedule') return null;
  const base = { kind: event.resource as EntityKind, id: event.resource_id, companyId: event.company_id };
  const version = versionOf(event.data.last_change_date, receivedAt);
  if (event.status === 'delete') return { ...base, version, doc: null };
  switch (event.resource) {
    case 'company':
      return { ...base, version, doc: company(event.resource_id, event.data) };
    case 'staff':
      return { ...base, version, doc: staff(event.resource_id, event.data) };
    case 'service':
      return { ...base, version, doc: service(event.resource_id, event.data) };
    case 'client':
      return { ...base, version, doc: { id: event.resource_id, name: event.data.name, phone: event.data.phone, email: event.data.email } };
    case 'record': {
      const doc = record(event.resource_id, event.company_id, event.data);
      return { ...base, version, doc, ...ownerOf(doc, region), ...(event.data.record_hash ? { recordHash: event.data.record_hash } : {}) };
    }
  }
}

/**
 * The region for phones written without a country code at this location: the country its doc was
 * given when it was stored (`countryOfLocation`, resolved once, when the doc is built), else the
 * deployment's `fallback`. Only reading it keeps libphonenumber's metadata out of the functions that
 * need nothing else of it (the SMS ones carry the `mobile` set: one set per bundle).
 */
export function regionOf(company: CompanyDoc | null, fallback: string): string {
  if (!company) return fallback;
  return company.country_code ?? fallback;
}
