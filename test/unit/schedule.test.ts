import fc from 'fast-check';
import type { CompanyDoc, RecordDoc } from '../../lib/domain/entities.js';
import { daysByMonth, decideMove, freeTimes, instantOfWall, rescheduleState, startOf, type SlotQuery } from '../../lib/domain/schedule.js';

const moscow = { iana: 'Europe/Moscow' };
const newYork = { iana: 'America/New_York' };
const at = (iso: string) => Date.parse(iso);
const hour = 3600;

function day(overrides: Partial<SlotQuery> = {}): SlotQuery {
  return {
    date: '2026-12-10',
    slots: [{ from: '10:00', to: '19:00' }],
    zone: moscow,
    stepS: 900,
    lengthS: hour,
    busy: [],
    earliest: 0,
    ...overrides,
  };
}

describe('free times of a day', () => {
  it('step from the start of each working interval, and the whole appointment fits inside it', () => {
    const times = freeTimes(
      day({
        slots: [
          { from: '10:10', to: '11:40' },
          { from: '14:00', to: '15:00' },
        ],
        stepS: 1800,
      }),
    );
    expect(times.map((t) => t.time)).toEqual(['10:10', '10:40', '14:00']);
    expect(times[0]).toMatchObject({ datetime: '2026-12-10T10:10:00+03:00', start: at('2026-12-10T07:10:00Z') });
  });

  it('leave out every start whose appointment would overlap another of the team member, but never the moved one itself', () => {
    const other = { start: at('2026-12-10T12:00:00+03:00'), end: at('2026-12-10T13:00:00+03:00'), recordId: 2 };
    const own = { start: at('2026-12-10T15:00:00+03:00'), end: at('2026-12-10T16:00:00+03:00'), recordId: 1 };
    const times = freeTimes(day({ slots: [{ from: '11:00', to: '17:00' }], stepS: 1800, busy: [other, own], ignoreRecordId: 1 }));
    // 11:30 ends at 12:30 (overlaps), 12:30 starts inside; 13:00 is free again: touching is no overlap.
    expect(times.map((t) => t.time)).toEqual(['11:00', '13:00', '13:30', '14:00', '14:30', '15:00', '15:30', '16:00']);
    const withoutIgnore = freeTimes(day({ slots: [{ from: '11:00', to: '17:00' }], stepS: 1800, busy: [other, own] }));
    expect(withoutIgnore.map((t) => t.time)).toEqual(['11:00', '13:00', '13:30', '14:00', '16:00']);
  });

  it('start no earlier than the earliest instant given', () => {
    const times = freeTimes(day({ earliest: at('2026-12-10T15:20:00+03:00') }));
    expect(times[0]!.time).toBe('15:30');
    expect(times.at(-1)!.time).toBe('18:00');
  });

  it('read the wall clock of New York as of Moscow, with the offset in force that day', () => {
    expect(freeTimes(day({ zone: newYork, date: '2026-10-31' }))[0]!.datetime).toBe('2026-10-31T10:00:00-04:00');
    expect(freeTimes(day({ zone: newYork, date: '2026-11-01' }))[0]!.datetime).toBe('2026-11-01T10:00:00-05:00');
    expect(freeTimes(day({ zone: moscow, date: '2026-07-01' }))[0]!.datetime).toBe('2026-07-01T10:00:00+03:00');
  });

  it('on the night the clocks spring forward, skip the hour that does not exist and count lengths in real time', () => {
    // New York, 8 Mar 2026: 02:00 EST becomes 03:00 EDT.
    const times = freeTimes(
      day({ zone: newYork, date: '2026-03-08', slots: [{ from: '00:00', to: '04:00' }], stepS: 1800, lengthS: 1800 }),
    );
    expect(times.map((t) => t.datetime)).toEqual([
      '2026-03-08T00:00:00-05:00',
      '2026-03-08T00:30:00-05:00',
      '2026-03-08T01:00:00-05:00',
      '2026-03-08T01:30:00-05:00',
      '2026-03-08T03:00:00-04:00',
      '2026-03-08T03:30:00-04:00',
    ]);
  });

  it('on the night the clocks fall back, give the repeated hour once, at its first occurrence', () => {
    // New York, 1 Nov 2026: 02:00 EDT becomes 01:00 EST.
    const times = freeTimes(
      day({ zone: newYork, date: '2026-11-01', slots: [{ from: '00:00', to: '03:00' }], stepS: 3600, lengthS: 3600 }),
    );
    expect(times.map((t) => t.datetime)).toEqual(['2026-11-01T00:00:00-04:00', '2026-11-01T01:00:00-04:00', '2026-11-01T02:00:00-05:00']);
  });

  it('are none for intervals that are no times of day, or a date that is no date', () => {
    expect(
      freeTimes(
        day({
          slots: [
            { from: '25:00', to: '26:00' },
            { from: '12:00', to: '11:00' },
            { from: 'noon', to: '13:00' },
          ],
        }),
      ),
    ).toEqual([]);
    expect(freeTimes(day({ date: '2026-02-30' }))).toEqual([]);
  });

  it('never overlap a busy interval, start before the earliest instant or leave their working interval (any input)', () => {
    const minutes = fc.integer({ min: 0, max: 24 * 60 });
    fc.assert(
      fc.property(
        minutes,
        minutes,
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 16 }),
        fc.array(fc.tuple(minutes, fc.integer({ min: 5, max: 240 })), { maxLength: 5 }),
        minutes,
        (a, b, step, length, busyAt, earliestAt) => {
          const [from, to] = [Math.min(a, b), Math.max(a, b)];
          const text = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
          const midnight = at('2026-12-10T00:00:00+03:00');
          const busy = busyAt.map(([s, len]) => ({ start: midnight + s * 60_000, end: midnight + (s + len) * 60_000 }));
          const earliest = midnight + earliestAt * 60_000;
          const times = freeTimes(
            day({ slots: [{ from: text(from), to: text(to) }], stepS: step * 900, lengthS: length * 900, busy, earliest }),
          );
          for (const t of times) {
            const end = t.start + length * 900_000;
            expect(t.start).toBeGreaterThanOrEqual(Math.max(earliest, midnight + from * 60_000));
            expect(end).toBeLessThanOrEqual(midnight + to * 60_000);
            expect((t.start - midnight - from * 60_000) % (step * 900_000)).toBe(0);
            expect(busy.some((x) => x.start < end && t.start < x.end)).toBe(false);
          }
        },
      ),
    );
  });
});

describe('wall clock to instant', () => {
  it('is null for a time the clocks skip and the first occurrence of a repeated one', () => {
    expect(instantOfWall('2026-03-08', 2.5 * hour, newYork)).toBeNull();
    expect(instantOfWall('2026-11-01', 1.5 * hour, newYork)).toBe(at('2026-11-01T01:30:00-04:00'));
    expect(instantOfWall('2026-12-10', 24 * hour, moscow)).toBe(at('2026-12-11T00:00:00+03:00'));
  });

  it('reads a start with an offset as written, and one without as the location’s wall clock', () => {
    expect(startOf('2026-12-10T12:00:00+01:00', moscow)).toBe(at('2026-12-10T11:00:00Z'));
    expect(startOf('2026-12-10 12:00:00', moscow)).toBe(at('2026-12-10T09:00:00Z'));
    expect(startOf('2026-12-10T12:00', newYork)).toBe(at('2026-12-10T17:00:00Z'));
    expect(startOf('tomorrow', moscow)).toBeNull();
  });
});

describe('reschedule rules', () => {
  const company = {
    allow_change_record: true,
    allow_change_record_delay_step: 2 * hour,
    timezone_name: 'Europe/Moscow',
    timezone: 3,
  } as CompanyDoc;
  const record = (extra: Partial<RecordDoc> = {}) =>
    ({ id: 1, datetime: '2026-12-10T14:00:00+03:00', visit_attendance: 0, deleted: false, length: hour, ...extra }) as RecordDoc;

  it('refuse a move (1010) where the location forbids it, first of all', () => {
    expect(rescheduleState(record({ deleted: true }), { ...company, allow_change_record: false }, 0)).toEqual({
      deadline: null,
      refusal: 1010,
    });
    expect(rescheduleState(record(), null, 0).refusal).toBe(1010);
  });

  it('allow it until before the deadline, and refuse it (1011) from the deadline on', () => {
    expect(rescheduleState(record(), company, at('2026-12-10T11:59:59+03:00'))).toEqual({
      deadline: '2026-12-10T12:00:00+03:00',
      refusal: null,
    });
    expect(rescheduleState(record(), company, at('2026-12-10T12:00:00+03:00')).refusal).toBe(1011);
  });

  it('refuse it (1011) for a visited, missed or cancelled appointment, long before the deadline', () => {
    for (const extra of [{ visit_attendance: 1 }, { visit_attendance: -1 }, { deleted: true }]) {
      expect(rescheduleState(record(extra), company, 0).refusal).toBe(1011);
    }
  });

  it('decide in the contract order: forbidden, too late, then not free; its own time is no change', () => {
    const now = at('2026-12-09T10:00:00+03:00');
    const free = freeTimes(
      day({
        busy: [{ start: at('2026-12-10T14:00:00+03:00'), end: at('2026-12-10T15:00:00+03:00'), recordId: 1 }],
        ignoreRecordId: 1,
        earliest: now + 2 * hour * 1000,
      }),
    );
    expect(decideMove(record(), company, now, at('2026-12-10T16:00:00+03:00'), free)).toEqual({
      kind: 'move',
      datetime: '2026-12-10T16:00:00+03:00',
    });
    expect(decideMove(record(), company, now, at('2026-12-10T16:05:00+03:00'), free)).toEqual({ kind: 'refused', code: 433 });
    expect(decideMove(record(), company, now, at('2026-12-10T14:00:00+03:00'), [])).toEqual({ kind: 'unchanged' });
    expect(decideMove(record(), company, at('2026-12-10T13:00:00+03:00'), at('2026-12-10T16:00:00+03:00'), free)).toEqual({
      kind: 'refused',
      code: 1011,
    });
    expect(decideMove(record(), { ...company, allow_change_record: false }, now, at('2026-12-10T16:05:00+03:00'), free)).toEqual({
      kind: 'refused',
      code: 1010,
    });
  });
});

it('groups dates by month as Altegio’s booking_days', () => {
  expect(daysByMonth(['2026-12-10', '2026-12-11', '2027-01-04'])).toEqual({ '12': [10, 11], '1': [4] });
});
