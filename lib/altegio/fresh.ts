// Altegio's current state, read past every cache, for a write-back to decide on (docs/contract.md 8.4): a
// record and its location's cancel rules, at the priority the caller gives (a customer's cancellation
// looks at `fresh`, below the DELETE's own `writeback`). A cached copy may be
// minutes old; a cancellation decided on it could delete an appointment the salon moved into the
// window meanwhile.
import type { AltegioClient, Priority } from './client.js';
import { AltegioNotFound } from './errors.js';

/** The record as Altegio has it now; null when Altegio has no such record (deleted, or never). */
export async function freshRecord(client: AltegioClient, companyId: number, recordId: number, priority: Priority = 'fresh'): Promise<Record<string, unknown> | null> {
  try {
    const { data } = await client.record(companyId, recordId, priority);
    return data && typeof data === 'object' ? (data as Record<string, unknown>) : null;
  } catch (error) {
    if (error instanceof AltegioNotFound) return null;
    throw error;
  }
}

/** The location with its online-booking rules (`GET /companies?id=&my=1`); null when the cabinet user does not see it. */
export async function freshRules(client: AltegioClient, companyId: number, priority: Priority = 'fresh'): Promise<Record<string, unknown> | null> {
  const { data } = await client.companyRules(companyId, priority);
  const found = (Array.isArray(data) ? data : []).find((row) => Number((row as { id?: unknown }).id) === companyId);
  return found && typeof found === 'object' ? (found as Record<string, unknown>) : null;
}
