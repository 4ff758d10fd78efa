// Moving an appointment in Altegio (docs/contract.md section 9, connected): one PUT of the full record
// as Altegio has it now, with the new time and `save_if_busy: false`, so Altegio itself refuses a time
// that is taken or not working. One mover per record at a time (a lease in the table), so parallel
// identical moves send one PUT. An answer lost to a timeout is settled by reading the record again.
import { randomUUID } from 'node:crypto';
import { clock } from '../clock.js';
import { releaseMoveLease, takeMoveLease } from '../db/schedules.js';
import { AltegioNotFound, AltegioRejected, AltegioUnreachable } from './errors.js';
import { listedLocation } from './connector.js';
import { freshRecord } from './fresh.js';
import { moveCall, moveClient } from './schedule.js';

/** How long a mover holds a record: its reads and its PUT, with room. */
const leaseMs = 10_000;

/** Runs `work` holding the record's move lease, waiting a bounded while for another mover to finish. */
export async function underMoveLease<T>(recordId: number, work: () => Promise<T>, waitMs = 8000): Promise<T | null> {
  const holder = randomUUID();
  for (const started = Date.now(); !(await takeMoveLease(recordId, holder, clock.now(), clock.now() + leaseMs));) {
    if (Date.now() - started > waitMs) return null;
    await new Promise((resolve) => setTimeout(resolve, 50 + Math.random() * 50));
  }
  try {
    return await work();
  } finally {
    await releaseMoveLease(recordId, holder);
  }
}

/** The record and its location's rules as Altegio has them now (two calls, in parallel). */
export function readForMove(companyId: number, recordId: number) {
  const ask = { priority: 'fresh', ...moveCall } as const;
  return Promise.all([freshRecord(moveClient(), companyId, recordId, ask), listedLocation(moveClient(), companyId, ask)]);
}

const num = (value: unknown, fallback = 0) => (Number.isFinite(Number(value)) ? Number(value) : fallback);

/** `PUT /record` replaces the whole record: everything Altegio requires, from what it just said, and the new time. */
export function putBody(raw: Record<string, unknown>, datetime: string, comment: string | undefined) {
  const client = (raw.client ?? {}) as Record<string, unknown>;
  const services = (Array.isArray(raw.services) ? raw.services : []) as Array<Record<string, unknown>>;
  return {
    staff_id: num(raw.staff_id),
    datetime,
    seance_length: num(raw.seance_length ?? raw.length),
    save_if_busy: false,
    send_sms: false,
    services: services.map((s) => ({
      id: num(s.id),
      cost: num(s.cost),
      first_cost: num(s.first_cost ?? s.cost),
      discount: num(s.discount),
      amount: num(s.amount, 1),
    })),
    client: { phone: String(client.phone ?? ''), name: String(client.name ?? ''), email: String(client.email ?? '') },
    comment: comment ?? String(raw.comment ?? ''),
    attendance: num(raw.attendance ?? raw.visit_attendance),
    api_id: String(raw.api_id ?? ''),
  };
}

export type PutOutcome = 'moved' | 'refused' | 'gone';

/**
 * Sends the PUT. Altegio refusing (a 4xx on the time): `refused`; no such record: `gone`; failing or
 * silent: the record read again says whether the move happened (`landed` on the start wanted),
 * else Altegio's failure is thrown (a 503 with Retry-After: nothing changed).
 */
export async function putMove(
  companyId: number,
  recordId: number,
  body: ReturnType<typeof putBody>,
  landed: (raw: Record<string, unknown>) => boolean,
): Promise<PutOutcome> {
  try {
    await moveClient().request('PUT', `/record/${companyId}/${recordId}`, { priority: 'writeback', ...moveCall, body });
    return 'moved';
  } catch (error) {
    if (error instanceof AltegioRejected) return 'refused';
    if (error instanceof AltegioNotFound) return 'gone';
    if (!(error instanceof AltegioUnreachable)) throw error;
    const again = await freshRecord(moveClient(), companyId, recordId, { priority: 'fresh', ...moveCall }).catch(() => null);
    if (again && landed(again)) return 'moved';
    throw error;
  }
}
