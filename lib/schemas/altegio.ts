// The objects the booking platform pushes in (docs/contract.md section 6), as Altegio's live JSON has
// them. Parsing is lenient where Altegio itself is loose (ids and numbers as strings, 0/1 for
// booleans, `position: []` for "none", two spellings of a field) and strict about what a value
// must be: every date a real one in a format Altegio writes, every number within what it can
// mean, every string and list of a bounded size, so nothing stored can make a read fail or slow.
import * as z from 'zod';
import { clock } from '../clock.js';
import { isDateTime, parseInstant } from './datetime.js';

export const id = z.union([
  z.number().int().positive(),
  z
    .string()
    .regex(/^\d{1,15}$/, 'must be a whole number above 0')
    .transform(Number),
]);

/** Strings of this many characters at most, unless a field says otherwise. */
const maxText = 1000;

const text = (max = maxText) =>
  z
    .union([z.string().max(max), z.number().transform(String)])
    .nullish()
    .transform((v) => v ?? '');

interface Range {
  min: number;
  max: number;
  int?: boolean;
}

/** Largest magnitude of a number without a narrower meaning (money, ids of other things). */
const anyNumber: Range = { min: -1e12, max: 1e12 };
const money: Range = { min: -1e12, max: 1e12 };
const count: Range = { min: 0, max: 1e9, int: true };
const refId: Range = { min: 0, max: 1e15, int: true };
/** Seconds an appointment or a service may last: a week. */
const duration: Range = { min: 0, max: 7 * 24 * 3600 };
/** Seconds before the start: a year. */
const delayStep: Range = { min: 0, max: 366 * 24 * 3600 };

function number({ min, max, int }: Range) {
  const bounded = int ? z.number().int().min(min).max(max) : z.number().min(min).max(max);
  return z
    .union([
      z.number(),
      z
        .string()
        .regex(/^-?\d+(\.\d+)?$/, 'must be a number')
        .transform(Number),
    ])
    .pipe(bounded);
}

const num = (range: Range = anyNumber) =>
  number(range)
    .nullish()
    .transform((v) => v ?? 0);

const optionalNum = (range: Range = anyNumber) =>
  number(range)
    .nullish()
    .transform((v) => v ?? null);

const bool = z
  .union([z.boolean(), z.literal(0), z.literal(1), z.literal('0'), z.literal('1')])
  .nullish()
  .transform((v) => v === true || v === 1 || v === '1');

const position = z
  .union([
    z.object({ id: num(refId), title: text() }),
    z
      .array(z.unknown())
      .max(50)
      .transform(() => null),
  ])
  .nullish()
  .transform((v) => v ?? { id: 0, title: '' });

/** An instant with its offset, as Altegio writes them: `2026-12-01T14:00:00+03:00`, `…+0300`, `…Z`. */
const instant = z
  .string()
  .max(40)
  .refine((v) => parseInstant(v) !== null, 'must be a real date and time with its offset, such as 2026-12-01T14:00:00+03:00');

/** A date and time at the location (Altegio's `date`: `2026-12-01 14:00:00`), or an ISO 8601 one. */
const wallClock = z.string().max(40).refine(isDateTime, 'must be a real date and time, such as 2026-12-01 14:00:00');

/**
 * How far ahead of its receipt an object's version may be: clocks drift, and Altegio writes some
 * times with an offset an hour off (docs/contract.md 8.6). A version further ahead would freeze the
 * object (every later, true change would be older) and is refused.
 */
export const maxVersionAheadMs = 3 * 3600 * 1000;

/** An object's version (`last_change_date`); absent or empty: the receipt time stands in for it. */
export const lastChangeDate = z
  .union([z.literal(''), instant])
  .nullish()
  .superRefine((v, ctx) => {
    const at = v ? parseInstant(v) : null;
    if (at !== null && at > clock.now() + maxVersionAheadMs)
      ctx.addIssue({ code: 'custom', message: 'must not be more than 3 hours ahead of now' });
  })
  .transform((v) => v || null);

export const companyData = z.object({
  id: id.optional(),
  title: text(),
  public_title: text(),
  country_id: num(refId),
  country: text(),
  /** Beyond Altegio's object: the location's ISO country, the region for phones without a country code. */
  country_code: z
    .string()
    .regex(/^[A-Za-z]{2}$/, 'must be a two-letter ISO country code')
    .nullish(),
  city_id: num(refId),
  city: text(),
  /** Altegio's hours east of UTC (a number, or one written as a string). */
  timezone: z.union([z.string().max(64), z.number().min(-12).max(14)]).nullish(),
  timezone_name: text(64),
  address: text(),
  phone: text(64),
  phones: z
    .array(z.union([z.string().max(64), z.number().transform(String)]))
    .max(50)
    .nullish(),
  coordinate_lat: num({ min: -90, max: 90 }),
  coordinate_lon: optionalNum({ min: -180, max: 180 }),
  coordinate_lng: optionalNum({ min: -180, max: 180 }),
  allow_delete_record: bool,
  allow_change_record: bool,
  site: text(2048),
  logo: text(2048),
  currency_short_title: text(16),
  allow_change_record_delay_step: num(delayStep),
  allow_delete_record_delay_step: num(delayStep),
  group_id: optionalNum(refId),
  main_group_id: optionalNum(refId),
  /** Beyond Altegio's object: the grid of free times, seconds from the start of a working interval (docs/contract.md section 9). */
  timeslot_step: optionalNum({ min: 300, max: 24 * 3600, int: true }),
  last_change_date: lastChangeDate,
});

export const staffData = z.object({
  id: id.optional(),
  name: text(),
  specialization: text(),
  position,
  show_rating: num({ min: 0, max: 10, int: true }),
  rating: num({ min: 0, max: 5 }),
  votes_count: num(count),
  comments_count: num(count),
  avatar: text(2048),
  last_change_date: lastChangeDate,
});

export const serviceData = z.object({
  id: id.optional(),
  title: text(),
  price_min: num(money),
  price_max: num(money),
  discount: num(money),
  seance_length: optionalNum(duration),
  duration: optionalNum(duration),
  last_change_date: lastChangeDate,
});

export const clientData = z.object({
  id: id.optional(),
  name: text(),
  phone: text(64),
  email: text(),
  last_change_date: lastChangeDate,
});

export const recordService = z.object({
  id,
  title: text(),
  cost: num(money),
  price_min: optionalNum(money),
  price_max: optionalNum(money),
  discount: num(money),
  amount: num({ min: 0, max: 1e6 }),
  seance_length: optionalNum(duration),
  session_length: optionalNum(duration),
});

/** Services in one appointment: more is no appointment, and every view of it pays for each. */
export const maxServicesPerRecord = 100;

/** Hours before the visit a reminder goes out: a year. */
const reminderHours: Range = { min: 0, max: 366 * 24 };
/** Altegio's attendance: −1 no-show, 0 waiting, 1 came, 2 confirmed. */
const attendance: Range = { min: -1, max: 2, int: true };

export const recordData = z.object({
  id: id.optional(),
  staff_id: id.nullish(),
  staff: staffData.partial().nullish(),
  services: z.array(recordService).max(maxServicesPerRecord).nullish(),
  client: clientData.partial().nullish(),
  clients_count: num({ min: 0, max: 10_000, int: true }),
  date: z.union([z.literal(''), wallClock]).nullish(),
  datetime: instant,
  create_date: z
    .union([z.literal(''), wallClock])
    .nullish()
    .transform((v) => v ?? ''),
  length: optionalNum(duration),
  seance_length: optionalNum(duration),
  deleted: bool,
  notify_by_sms: optionalNum(reminderHours),
  sms_remain_hours: optionalNum(reminderHours),
  notify_by_email: optionalNum(reminderHours),
  email_remain_hours: optionalNum(reminderHours),
  comment: text(10_000),
  master_requested: bool.optional(),
  master_request: bool.optional(),
  online: bool,
  visit_attendance: optionalNum(attendance),
  attendance: optionalNum(attendance),
  api_id: text(),
  last_change_date: lastChangeDate,
  prepaid: bool,
  prepaid_confirmed: bool,
  activity_id: num(refId),
  record_hash: z.string().min(1).max(128).nullish(),
});

export type CompanyData = z.output<typeof companyData>;
export type StaffData = z.output<typeof staffData>;
export type ServiceData = z.output<typeof serviceData>;
export type ClientData = z.output<typeof clientData>;
export type RecordData = z.output<typeof recordData>;
