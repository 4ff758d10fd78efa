import { cancelRefusal, cancelState } from '../../lib/domain/cancellation.js';
import type { CompanyDoc, RecordDoc } from '../../lib/domain/entities.js';

const berlin = {
  allow_delete_record: true,
  allow_delete_record_delay_step: 24 * 3600,
  timezone_name: 'Europe/Berlin',
  timezone: 1,
} as CompanyDoc;
const record = (datetime: string, extra: Partial<RecordDoc> = {}) =>
  ({ datetime, visit_attendance: 0, deleted: false, ...extra }) as RecordDoc;
const at = (iso: string) => Date.parse(iso);

describe('cancellation rules', () => {
  const start = '2026-06-10T12:00:00+02:00'; // deadline 24 h before: 2026-06-09T10:00:00Z

  it('allow it up to and including the deadline, and refuse it (1005) a moment after', () => {
    expect(cancelState(record(start), berlin, at('2026-06-09T09:59:59Z'))).toEqual({
      deadline: '2026-06-09T12:00:00+02:00',
      refusal: null,
    });
    expect(cancelState(record(start), berlin, at('2026-06-09T10:00:00Z')).refusal).toBeNull();
    expect(cancelState(record(start), berlin, at('2026-06-09T10:00:00.001Z')).refusal).toBe(1005);
  });

  it('refuse it (1004) where the location does not allow it, whenever it is asked', () => {
    expect(cancelState(record(start), { ...berlin, allow_delete_record: false }, at('2026-01-01T00:00:00Z'))).toEqual({
      deadline: null,
      refusal: 1004,
    });
    expect(cancelState(record(start), null, at('2026-01-01T00:00:00Z')).refusal).toBe(1004);
  });

  it('refuse it (1005) once the visit happened or was missed, even long before the deadline', () => {
    for (const visit_attendance of [1, -1]) {
      expect(cancelState(record(start, { visit_attendance }), berlin, at('2026-01-01T00:00:00Z')).refusal).toBe(1005);
    }
    for (const visit_attendance of [0, 2]) {
      expect(cancelState(record(start, { visit_attendance }), berlin, at('2026-01-01T00:00:00Z')).refusal).toBeNull();
    }
  });

  it('count a delay of 0 up to the start itself', () => {
    const noDelay = { ...berlin, allow_delete_record_delay_step: 0 };
    expect(cancelState(record(start), noDelay, at('2026-06-10T10:00:00Z')).refusal).toBeNull();
    expect(cancelState(record(start), noDelay, at('2026-06-10T10:00:01Z')).refusal).toBe(1005);
  });

  it('return the contract refusals with their sentences, and throw nothing', () => {
    expect(cancelRefusal(record(start), { ...berlin, allow_delete_record: false }, 0)).toEqual({
      refused: 1004,
      message: 'This location does not allow cancelling appointments online.',
    });
    const late = cancelRefusal(record(start), berlin, at('2026-06-10T00:00:00Z'));
    expect(late).toEqual({ refused: 1005, message: 'It is too late to cancel this appointment.' });
    expect(cancelRefusal(record(start), berlin, at('2026-06-01T00:00:00Z'))).toBeNull();
  });
});

describe('deadlines across daylight saving changes', () => {
  it('spring forward: a deadline 24 h before a start just after the change carries the winter offset', () => {
    // Berlin goes from +01:00 to +02:00 at 2026-03-29T01:00Z. 24 h before 12:00+02:00 is 11:00+01:00.
    const state = cancelState(record('2026-03-29T12:00:00+02:00'), berlin, at('2026-03-28T10:00:00Z'));
    expect(state).toEqual({ deadline: '2026-03-28T11:00:00+01:00', refusal: null });
    expect(cancelState(record('2026-03-29T12:00:00+02:00'), berlin, at('2026-03-28T10:00:01Z')).refusal).toBe(1005);
  });

  it('fall back: a deadline 24 h before a start just after the change carries the summer offset', () => {
    // Berlin goes from +02:00 to +01:00 at 2026-10-25T01:00Z. 24 h before 12:00+01:00 is 13:00+02:00.
    expect(cancelState(record('2026-10-25T12:00:00+01:00'), berlin, 0).deadline).toBe('2026-10-24T13:00:00+02:00');
  });

  it('a short delay across the change counts real seconds, not wall-clock hours', () => {
    // 03:30+02:00 on the spring-forward day is 01:30Z; three hours before is 22:30Z the day before,
    // which in Berlin is 23:30+01:00: only two wall-clock hours earlier.
    const shortDelay = { ...berlin, allow_delete_record_delay_step: 3 * 3600 };
    expect(cancelState(record('2026-03-29T03:30:00+02:00'), shortDelay, 0).deadline).toBe('2026-03-28T23:30:00+01:00');
  });

  it('reads a start written without an offset as wall-clock time at the location, DST included', () => {
    expect(cancelState(record('2026-03-29 12:00:00'), berlin, 0).deadline).toBe('2026-03-28T11:00:00+01:00');
    expect(cancelState(record('2026-01-15 12:00:00'), berlin, 0).deadline).toBe('2026-01-14T12:00:00+01:00');
  });

  it("falls back to the record's own offset, then to Altegio's hour offset, without a zone name", () => {
    const noZone = { ...berlin, timezone_name: '', timezone: 3 };
    expect(cancelState(record('2026-06-10T12:00:00+05:00'), noZone, 0).deadline).toBe('2026-06-09T12:00:00+05:00');
    expect(cancelState(record('2026-06-10 12:00:00'), noZone, 0).deadline).toBe('2026-06-09T12:00:00+03:00');
    expect(cancelState(record('2026-06-10T12:00:00+05:00'), { ...noZone, timezone_name: 'Not/AZone' }, 0).deadline).toBe(
      '2026-06-09T12:00:00+05:00',
    );
  });
});
