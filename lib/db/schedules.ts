// A team member's calendar in the one table: per date, the working intervals the platform pushed
// (the `schedule` webhook, versioned by `last_change_date` like every pushed object) and a revision
// that every move into the date conditions on and bumps, so two moves that decided on the same
// state of a day cannot both be written; beside them, the appointments that may keep the team
// member busy that date. One Query reads any run of dates with their appointments.
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, GetCommand, PutCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { RecordDoc } from '../domain/entities.js';
import type { WorkingSlot } from '../domain/schedule.js';
import type { ScheduleDay } from '../schemas/schedule.js';
import { conditionHolds, db, tableName } from './client.js';
import type { StoredEntity } from './entities.js';
import type { eventPut } from './events.js';
import { index, keys } from './keys.js';

export interface CalendarDay {
  date: string;
  companyId: number | null;
  working: boolean;
  slots: WorkingSlot[];
  /** Bumped by every write that changes the day's free time; absent before the first. */
  rev: number | undefined;
}

/** An appointment listed on a date, as it was when listed (its version then). */
export interface Listing {
  recordId: number;
  start: number;
  end: number;
  version: number;
}

export interface Calendar {
  days: Map<string, CalendarDay>;
  /** Appointments listed on those dates; each may have changed since (a newer version of the record says). */
  listings: Listing[];
}

/** Writes each date unless what is stored is as new or newer; how many were written. */
export async function saveSchedule(companyId: number, staffId: number, dates: ScheduleDay[], version: number): Promise<number> {
  let written = 0;
  // A date pushed twice in one delivery: the last one says it.
  const byDate = new Map(dates.map((day) => [day.date, day]));
  const write = (day: ScheduleDay) =>
    conditionHolds(
      db.send(
        new UpdateCommand({
          TableName: tableName,
          Key: keys.calendarDay(staffId, day.date),
          UpdateExpression: 'SET company_id = :c, staff_id = :s, #date = :d, working = :w, slots = :slots, version = :v ADD rev :one',
          ConditionExpression: 'attribute_not_exists(version) OR version < :v',
          ExpressionAttributeNames: { '#date': 'date' },
          ExpressionAttributeValues: {
            ':c': companyId,
            ':s': staffId,
            ':d': day.date,
            ':w': day.is_working,
            ':slots': day.is_working ? day.slots : [],
            ':v': version,
            ':one': 1,
          },
        }),
      ),
    ).then((applied) => (written += applied ? 1 : 0));
  // A year of dates is 366 writes: 25 at a time, as a batch write would go.
  const days = [...byDate.values()];
  for (let i = 0; i < days.length; i += 25) await Promise.all(days.slice(i, i + 25).map(write));
  return written;
}

/**
 * Lists an appointment under its team member's date with its interval, unless a newer state of it
 * is listed there already. A listing of a record that has since moved on is outranked by the
 * record's own newer version when read.
 */
export async function listBusy(staffId: number, date: string, listing: Listing): Promise<void> {
  await conditionHolds(
    db.send(
      new PutCommand({
        TableName: tableName,
        Item: {
          ...keys.calendarBusy(staffId, date, listing.recordId),
          record_id: listing.recordId,
          start: listing.start,
          end: listing.end,
          version: listing.version,
        },
        ConditionExpression: 'attribute_not_exists(version) OR version < :v',
        ExpressionAttributeValues: { ':v': listing.version },
      }),
    ),
  );
}

/** The dates from `from` to `to` (both `YYYY-MM-DD`, included) and the appointments listed on them. */
export async function readCalendar(staffId: number, from: string, to: string): Promise<Calendar> {
  const range = keys.calendarRange(staffId, from, to);
  const days = new Map<string, CalendarDay>();
  const listings: Listing[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await db.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
        ExclusiveStartKey: startKey,
        ConsistentRead: true,
        ExpressionAttributeValues: { ':pk': range.pk, ':from': range.from, ':to': range.to },
      }),
    );
    for (const item of page.Items ?? []) {
      if (typeof item.record_id === 'number')
        listings.push({ recordId: item.record_id, start: item.start, end: item.end, version: item.version });
      else if (typeof item.date === 'string') {
        days.set(item.date, {
          date: item.date,
          companyId: item.company_id ?? null,
          working: item.working === true,
          slots: (item.slots ?? []) as WorkingSlot[],
          rev: item.rev,
        });
      }
    }
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return { days, listings };
}

/** The transaction items of a move into a date: the day as it was read, bumped; the record listed there with its new interval. */
function dayMoveItems(staffId: number, day: CalendarDay, listing: Listing) {
  const condition = day.rev === undefined ? 'attribute_not_exists(rev)' : 'rev = :read';
  return [
    {
      Update: {
        TableName: tableName,
        Key: keys.calendarDay(staffId, day.date),
        UpdateExpression: 'ADD rev :one',
        ConditionExpression: condition,
        ExpressionAttributeValues: { ':one': 1, ...(day.rev === undefined ? {} : { ':read': day.rev }) },
      },
    },
    {
      Put: {
        TableName: tableName,
        Item: {
          ...keys.calendarBusy(staffId, day.date, listing.recordId),
          record_id: listing.recordId,
          start: listing.start,
          end: listing.end,
          version: listing.version,
        },
      },
    },
  ];
}

export interface MoveWrite {
  datetime: string;
  /** Wall clock at the location, `YYYY-MM-DD HH:MM:SS`. */
  date: string;
  /** The written date (lib/domain/dates.ts changeAfter), and `at` its instant: the record's new version. */
  changed: string;
  at: number;
  comment?: string;
  /** The day moved into, as it was read, and the record's new interval there; none when Altegio holds the calendar. */
  day?: CalendarDay;
  listing: Listing;
}

/**
 * Moves the record, bumps the day it moves into and lists it there, and puts its event in the
 * outbox, in one transaction: only if the record is still as it was read and not cancelled, and
 * the day still as it was read (no other move, schedule or listing in between). False otherwise:
 * read both again and decide again.
 */
export async function writeMove(stored: StoredEntity<RecordDoc>, move: MoveWrite, event: ReturnType<typeof eventPut>): Promise<boolean> {
  const record = stored.doc;
  const names: Record<string, string> = {
    '#doc': 'doc',
    '#deleted': 'deleted',
    '#dt': 'datetime',
    '#date': 'date',
    '#changed': 'last_change_date',
    '#v': 'version',
  };
  const values: Record<string, unknown> = {
    ':dt': move.datetime,
    ':date': move.date,
    ':changed': move.changed,
    ':next': move.at,
    ':read': stored.version,
    ':no': false,
  };
  const set = ['#doc.#dt = :dt', '#doc.#date = :date', '#doc.#changed = :changed', '#v = :next'];
  if (move.comment !== undefined) {
    Object.assign(names, { '#comment': 'comment' });
    Object.assign(values, { ':comment': move.comment });
    set.push('#doc.#comment = :comment');
  }
  // The client's list is ordered by start: the record keeps its place in it.
  if (stored.client_phone !== undefined) {
    Object.assign(values, { ':order': index.recordOrder(new Date(Date.parse(move.datetime)).toISOString(), record.id) });
    set.push('gsi1sk = :order');
  }
  // Connected, the move is already Altegio's (its echo may have been applied meanwhile): only a
  // cancellation in between stops it, and the lease (lib/altegio/move.ts) keeps other moves out.
  const condition = move.day ? '#v = :read AND #doc.#deleted = :no' : '#doc.#deleted = :no';
  if (!move.day) delete values[':read'];
  const update = {
    TableName: tableName,
    Key: keys.entity('record', record.id),
    UpdateExpression: `SET ${set.join(', ')}`,
    ConditionExpression: condition,
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
  };
  const day = move.day ? dayMoveItems(record.staff_id!, move.day, move.listing) : [];
  try {
    await db.send(new TransactWriteCommand({ TransactItems: [{ Update: update }, ...day, event] as never }));
    return true;
  } catch (error) {
    if (error instanceof TransactionCanceledException) return false;
    throw error;
  }
}

/** Takes the record's move lease until `until`; false while another holds it. */
export function takeMoveLease(recordId: number, holder: string, now: number, until: number): Promise<boolean> {
  return conditionHolds(
    db.send(
      new PutCommand({
        TableName: tableName,
        Item: { ...keys.altegioMove(recordId), holder, until, ttl: Math.ceil(until / 1000) + 3600 },
        ConditionExpression: 'attribute_not_exists(pk) OR #until < :now',
        ExpressionAttributeNames: { '#until': 'until' },
        ExpressionAttributeValues: { ':now': now },
      }),
    ),
  );
}

export async function releaseMoveLease(recordId: number, holder: string): Promise<void> {
  await conditionHolds(
    db.send(
      new DeleteCommand({
        TableName: tableName,
        Key: keys.altegioMove(recordId),
        ConditionExpression: 'holder = :me',
        ExpressionAttributeValues: { ':me': holder },
      }),
    ),
  );
}

/** What Altegio's schedule answer said, and when it was read (the cache of docs/contract.md 8.3). */
export async function cachedAltegioSchedule(id: string): Promise<{ rows: unknown[]; fetchedAt: number } | null> {
  const { Item } = await db.send(new GetCommand({ TableName: tableName, Key: keys.altegioCache('schedule', id) }));
  return Item ? { rows: JSON.parse(String(Item.rows)) as unknown[], fetchedAt: Number(Item.fetched_at) } : null;
}

export async function keepAltegioSchedule(id: string, rows: unknown[], fetchedAt: number): Promise<void> {
  await db.send(
    new PutCommand({
      TableName: tableName,
      Item: {
        ...keys.altegioCache('schedule', id),
        rows: JSON.stringify(rows),
        fetched_at: fetchedAt,
        ttl: Math.ceil(fetchedAt / 1000) + 3600,
      },
    }),
  );
}
