// The objects the booking platform pushes in (CONTRACT.md section 6), as Altegio's live JSON has
// them. Parsing is lenient where Altegio itself is loose (ids as strings, 0/1 for booleans,
// `position: []` for "none", two spellings of a field) and strict about what the cabinet needs.
import * as z from 'zod';

export const id = z.union([z.number().int().positive(), z.string().regex(/^\d{1,15}$/).transform(Number)]);

const text = z.union([z.string(), z.number().transform(String)]).nullish().transform((v) => v ?? '');

const num = z
  .union([z.number(), z.string().regex(/^-?\d+(\.\d+)?$/).transform(Number)])
  .nullish()
  .transform((v) => v ?? 0);

const optionalNum = z
  .union([z.number(), z.string().regex(/^-?\d+(\.\d+)?$/).transform(Number)])
  .nullish()
  .transform((v) => v ?? null);

const bool = z
  .union([z.boolean(), z.literal(0), z.literal(1), z.literal('0'), z.literal('1')])
  .nullish()
  .transform((v) => v === true || v === 1 || v === '1');

const position = z
  .union([z.object({ id: num, title: text }), z.array(z.unknown()).transform(() => null)])
  .nullish()
  .transform((v) => v ?? { id: 0, title: '' });

export const companyData = z.object({
  id: id.optional(),
  title: text,
  public_title: text,
  country_id: num,
  country: text,
  /** Beyond Altegio's object: the location's ISO country, the region for phones without a country code. */
  country_code: z.string().regex(/^[A-Za-z]{2}$/).nullish(),
  city_id: num,
  city: text,
  timezone: z.union([z.string(), z.number()]).nullish(),
  timezone_name: text,
  address: text,
  phone: text,
  phones: z.array(z.union([z.string(), z.number().transform(String)])).nullish(),
  coordinate_lat: num,
  coordinate_lon: optionalNum,
  coordinate_lng: optionalNum,
  allow_delete_record: bool,
  allow_change_record: bool,
  site: text,
  logo: text,
  currency_short_title: text,
  allow_change_record_delay_step: num,
  allow_delete_record_delay_step: num,
  group_id: optionalNum,
  main_group_id: optionalNum,
  last_change_date: z.string().nullish(),
});

export const staffData = z.object({
  id: id.optional(),
  name: text,
  specialization: text,
  position,
  show_rating: num,
  rating: num,
  votes_count: num,
  comments_count: num,
  avatar: text,
  last_change_date: z.string().nullish(),
});

export const serviceData = z.object({
  id: id.optional(),
  title: text,
  price_min: num,
  price_max: num,
  discount: num,
  seance_length: optionalNum,
  duration: optionalNum,
  last_change_date: z.string().nullish(),
});

export const clientData = z.object({
  id: id.optional(),
  name: text,
  phone: text,
  email: text,
  last_change_date: z.string().nullish(),
});

const recordService = z.object({
  id,
  title: text,
  cost: num,
  price_min: optionalNum,
  price_max: optionalNum,
  discount: num,
  amount: num,
  seance_length: optionalNum,
  session_length: optionalNum,
});

export const recordData = z.object({
  id: id.optional(),
  staff_id: id.nullish(),
  staff: staffData.partial().nullish(),
  services: z.array(recordService).nullish(),
  client: clientData.partial().nullish(),
  clients_count: num,
  date: z.string().nullish(),
  datetime: z.string().min(1),
  create_date: text,
  length: optionalNum,
  seance_length: optionalNum,
  deleted: bool,
  notify_by_sms: optionalNum,
  sms_remain_hours: optionalNum,
  notify_by_email: optionalNum,
  email_remain_hours: optionalNum,
  comment: text,
  master_requested: bool.optional(),
  master_request: bool.optional(),
  online: bool,
  visit_attendance: optionalNum,
  attendance: optionalNum,
  api_id: text,
  last_change_date: z.string().nullish(),
  prepaid: bool,
  prepaid_confirmed: bool,
  activity_id: num,
  record_hash: z.string().min(1).max(128).nullish(),
});

export type CompanyData = z.output<typeof companyData>;
export type StaffData = z.output<typeof staffData>;
export type ServiceData = z.output<typeof serviceData>;
export type ClientData = z.output<typeof clientData>;
export type RecordData = z.output<typeof recordData>;
