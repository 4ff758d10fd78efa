// A team member's calendar in the one table: per date, the working intervals the platform pushed
// (the `schedule` webhook, versioned by `last_change_date` like every pushed object) and a revision
// that every move into the date conditions on and bumps, so two moves that decided on the same
// state of a day cannot both be written; beside them, the appointments that may keep the team
// member busy that date. One Query reads any run of dates with their appointments.
import { QueryCommand, UpdateCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { WorkingSlot } from '../domain/schedule.js';
import type { ScheduleDay } from '../schemas/schedule.js';
import { conditionHolds, db, tableName } from './client.js';
import { keys } from './keys.js';

export interface CalendarDay {
  date: string;
  companyId: number | null;
  working: boolean;
  slots: WorkingSlot[];
  /** Bumped by every write that changes the day's free time; absent before the first. */
  rev: number | undefined;
}

export interface Calendar {
  days: Map<string, CalendarDay>;
  /** Appointments listed on those dates; each may have moved on since (read the record itself). */
  recordIds: number[];
}

/** Writes each date unless what is stored is as new or newer; how many were written. */
export async function saveSchedule(companyId: number, staffId: number, dates: ScheduleDay[], version: number): Promise<number> {
  let written = 0;
  // A date pushed twice in one delivery: the last one says it.
  const byDate = new Map(dates.map((day) => [day.date, day]));
  const writes = [...byDate.values()].map((day) =>
    conditionHolds(
      db.send(
        new UpdateCommand({
          TableName: tableName, Key: keys.calendarDay(staffId, day.date),
          UpdateExpression: 'SET company_id = :c, staff_id = :s, #date = :d, working = :w, slots = :slots, version = :v ADD rev :one',
          ConditionExpression: 'attribute_not_exists(version) OR version < :v',
          ExpressionAttributeNames: { '#date': 'date' },
          ExpressionAttributeValues: { ':c': companyId, ':s': staffId, ':d': day.date, ':w': day.is_working, ':slots': day.is_working ? day.slots : [], ':v': version, ':one': 1 },
        }),
      ),
    ).then((applied) => (written += applied ? 1 : 0)),
  );
  await Promise.all(writes);
  return written;
}

/** Lists an appointment under its team member's date (idempotent; a stale listing is harmless). */
export async function listBusy(staffId: number, date: string, recordId: number): Promise<void> {
  await db.send(new PutCommand({ TableName: tableName, Item: { ...keys.calendarBusy(staffId, date, recordId), record_id: recordId } }));
}

/** The dates from `from` to `to` (both `YYYY-MM-DD`, included) and the appointments listed on them. */
export async function readCalendar(staffId: number, from: string, to: string): Promise<Calendar> {
  const range = keys.calendarRange(staffId, from, to);
  const days = new Map<string, CalendarDay>();
  const recordIds = new Set<number>();
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await db.send(
      new QueryCommand({
        TableName: tableName, KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to', ExclusiveStartKey: startKey, ConsistentRead: true,
        ExpressionAttributeValues: { ':pk': range.pk, ':from': range.from, ':to': range.to },
      }),
    );
    for (const item of page.Items ?? []) {
      if (typeof item.record_id === 'number') recordIds.add(item.record_id);
      else if (typeof item.date === 'string') {
        days.set(item.date, { date: item.date, companyId: item.company_id ?? null, working: item.working === true, slots: (item.slots ?? []) as WorkingSlot[], rev: item.rev });
      }
    }
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return { days, recordIds: [...recordIds] };
}

/** The transaction items of a move into a date: the day as it was read, bumped; the record listed there. */
export function dayMoveItems(staffId: number, day: CalendarDay, recordId: number) {
  const condition = day.rev === undefined ? 'attribute_not_exists(rev)' : 'rev = :read';
  return [
    {
      Update: {
        TableName: tableName, Key: keys.calendarDay(staffId, day.date), UpdateExpression: 'ADD rev :one', ConditionExpression: condition,
        ExpressionAttributeValues: { ':one': 1, ...(day.rev === undefined ? {} : { ':read': day.rev }) },
      },
    },
    { Put: { TableName: tableName, Item: { ...keys.calendarBusy(staffId, day.date, recordId), record_id: recordId } } },
  ];
}
