// The appointment as GET /v1/user/records answers it (docs/contract.md section 4; lib/domain/record-view.ts
// builds it): the seed's names, Altegio's live names as aliases with the same values, and two
// fields of our own that let an app hide the cancel button.
import * as z from 'zod';
import { success } from './envelope.js';
import { model } from './registry.js';

const int = z.int();
const seconds = z.int().describe('seconds');

export const position = model('Position', "A team member's position.", z.strictObject({ id: int, title: z.string() }));

export const service = model(
  'RecordService',
  'One service of an appointment.',
  z.strictObject({
    id: int,
    title: z.string(),
    cost: z.number().describe('what the client pays for this line'),
    price_min: z.number(),
    price_max: z.number(),
    discount: z.number().describe('percent'),
    amount: z.number().describe('how many'),
    session_length: seconds,
    seance_length: seconds.describe('alias of `session_length` (seconds)'),
  }),
);

export const location = model(
  'Location',
  'The location (salon) of an appointment, with the rules that decide whether a client may cancel.',
  z.strictObject({
    id: int,
    title: z.string(),
    country_id: int,
    country: z.string(),
    city_id: int,
    city: z.string(),
    timezone: z.union([z.string(), z.number()]).describe("Altegio's hour offset (3) or a zone name, as the platform sent it"),
    address: z.string(),
    phone: z.string(),
    phones: z.array(z.string()),
    coordinate_lat: z.number(),
    coordinate_lng: z.number(),
    coordinate_lon: z.number().describe('alias of `coordinate_lng`'),
    allow_delete_record: z.boolean().describe('clients may cancel here at all'),
    allow_change_record: z.boolean(),
    site: z.string(),
    currency_short_title: z.string(),
    allow_change_record_delay_step: seconds,
    allow_delete_record_delay_step: seconds.describe('how long before the start cancelling closes (seconds)'),
  }),
);

export const staff = model(
  'Staff',
  'The team member of an appointment, rated as now.',
  z.strictObject({
    id: int,
    name: z.string(),
    specialization: z.string(),
    position,
    show_rating: int,
    rating: z.number(),
    votes_count: int,
    comments_count: int,
    avatar: z.string(),
  }),
);

export const record = model(
  'Record',
  "An appointment: the fields of the seed, the aliases of Altegio's live JSON (`company`, `attendance`, " +
    '`seance_length`), and `cancel_deadline` / `can_cancel`, `reschedule_deadline` / `can_reschedule` beyond the contract.',
  z.strictObject({
    id: int,
    services: z.array(service),
    location,
    company: location,
    staff,
    clients_count: int,
    date: z.string().describe('wall-clock time at the location, `YYYY-MM-DD HH:MM:SS`'),
    datetime: z.string().describe("ISO 8601 with the location's offset"),
    create_date: z.string(),
    length: seconds,
    seance_length: seconds.describe('alias of `length` (seconds)'),
    deleted: z.boolean().describe('cancelled'),
    notify_by_sms: z.number().describe('hours before the visit'),
    notify_by_email: z.number().describe('hours before the visit'),
    comment: z.string(),
    master_requested: z.boolean(),
    online: z.boolean(),
    visit_attendance: int.describe('0 waiting, 1 came, -1 did not come, 2 confirmed'),
    attendance: int.describe('alias of `visit_attendance`'),
    api_id: z.string(),
    last_change_date: z.string(),
    prepaid: z.boolean(),
    prepaid_confirmed: z.boolean(),
    activity_id: int,
    cancel_deadline: z
      .string()
      .nullable()
      .describe(
        "Beyond the contract: the last moment a cancellation is accepted (ISO 8601, the location's " +
          'offset); null where the location forbids it',
      ),
    can_cancel: z.boolean().describe('Beyond the contract: a cancellation now would be accepted'),
    reschedule_deadline: z
      .string()
      .nullable()
      .describe(
        "Beyond the contract: the last moment a move is accepted (ISO 8601, the location's offset); null where the location forbids it",
      ),
    can_reschedule: z.boolean().describe('Beyond the contract: a move to a free time now would be accepted'),
  }),
);

export const recordReply = success(
  'RecordReply',
  "The appointment, as an array of one (200, not the vendor docs' 201).",
  z.array(record).length(1),
);
export const recordListReply = success('RecordListReply', "A page of the user's appointments, newest first.", z.array(record));
export const bookRecordReply = success('BookRecordReply', 'The appointment, as an object (docs/contract.md section 9).', record);
export const movedReply = success(
  'MovedReply',
  'The appointment after the move: same `id`, same hash, the new `datetime`, `date` and `last_change_date` (unchanged ' +
    'when it already had that time).',
  record,
);

const freeTime = model(
  'FreeTime',
  'A free start time of a team member on a date.',
  z.strictObject({
    time: z.string().describe('wall clock at the location, `HH:MM`'),
    seance_length: seconds.describe('how long the appointment lasts (seconds)'),
    sum_length: seconds.describe('the same: all services together (seconds)'),
    datetime: z.string().describe("the start, ISO 8601 with the location's offset in force at that moment"),
  }),
);
export const bookTimesReply = success('BookTimesReply', 'The free start times of the date, in order.', z.array(freeTime));

const daysOf = z.record(z.string(), z.array(int)).describe('the same dates as day numbers, by month number (`{"12": [10, 11]}`)');
export const bookDatesReply = success(
  'BookDatesReply',
  'The dates with a free time, and the working dates, of the range.',
  z.strictObject({
    booking_dates: z.array(z.string()).describe('dates (`YYYY-MM-DD`) with at least one free time'),
    booking_days: daysOf,
    working_dates: z.array(z.string()).describe('dates the team member works'),
    working_days: daysOf,
  }),
);

export const cancelReply = success('CancelReply', 'Cancelled (again, if it was): `data` is null.', z.null());
