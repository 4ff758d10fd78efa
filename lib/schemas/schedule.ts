// The `schedule` webhook resource (docs/contract.md section 9): a team member's working intervals
// per date, in the shape of Altegio's `GET /schedule` answer. Times are the location's wall clock.
import * as z from 'zod';
import { id, lastChangeDate } from './altegio.js';

const clock = /^(([01]\d|2[0-3]):[0-5]\d|24:00)$/;
const timeOfDay = z.string().regex(clock, 'must be a time of day, such as 10:00');

const calendarDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date, such as 2026-12-10')
  .refine((v) => new Date(`${v}T00:00:00Z`).toISOString().startsWith(v), 'must be a real date, such as 2026-12-10');

export const scheduleSlot = z.object({ from: timeOfDay, to: timeOfDay }).refine((slot) => slot.to > slot.from, {
  message: 'must end after it starts',
  path: ['to'],
  when: ({ value }) => clock.test(String((value as { from?: unknown }).from)) && clock.test(String((value as { to?: unknown }).to)),
});

export const scheduleDate = z.object({
  date: calendarDate,
  /** Altegio writes 1 or 0; a date that is not working has no time, whatever its slots say. */
  is_working: z
    .union([z.literal(0), z.literal(1), z.literal('0'), z.literal('1'), z.boolean()])
    .transform((v) => v === 1 || v === '1' || v === true),
  slots: z
    .array(scheduleSlot)
    .max(24)
    .nullish()
    .transform((v) => v ?? []),
});

/** Dates in one delivery: a year. */
export const maxScheduleDates = 366;

export const scheduleData = z.object({
  staff_id: id,
  dates: z.array(scheduleDate).min(1).max(maxScheduleDates),
  last_change_date: lastChangeDate,
});

export type ScheduleData = z.output<typeof scheduleData>;
export type ScheduleDay = z.output<typeof scheduleDate>;
