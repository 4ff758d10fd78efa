// Altegio's current state, read past every cache, for a write-back to decide on (docs/contract.md 8.4): a
// record and its location's cancel rules, at the priority the caller gives (a customer's cancellation
// looks at `fresh`, below the DELETE's own `writeback`). A cached copy may be
// minutes old; a cancellation decided on it could delete an appointment the salon moved into the
// window meanwhile.
import type { AltegioClient, Ask } from './client.js';
import { AltegioNotFound } from './errors.js';

/** The record as Altegio has it now; null when Altegio has no such record (deleted, or never). */
export async function freshRecord(
  client: AltegioClient,
  companyId: number,
  recordId: number,
  ask: Ask = 'fresh',
): Promise<Record<string, unknown> | null> {
  try {
    const { data } = await client.record(companyId, recordId, ask);
    return data && typeof data === 'object' ? (data as Record<string, unknown>) : null;
  } catch (error) {
    if (error instanceof AltegioNotFound) return null;
    throw error;
  }
}
