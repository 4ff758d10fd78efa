// The move a reschedule page's form posts (docs/contract.md sections 9 and 10): the API's own move
// (lib/reschedule.ts) for a link holder. Apart from the pages' templates (lib/pages/reschedule-pages.ts),
// so that the function that only shows free times carries no move.
import { ErrorCode } from '../domain/refusals.js';
import { HttpError, NotFound } from '../errors.js';
import { records } from '../ports/records.js';
import { moveRecord } from '../reschedule.js';

/**
 * The move itself, as PUT /v1/book_record makes it for a link holder: 'taken' when the time is no
 * longer free (433); a wrong link and the other refusals are thrown, as the API's.
 */
export async function moveFromPage(recordId: string, hash: string, datetime: string): Promise<'moved' | 'taken'> {
  const record = await (await records()).findAccessible(recordId, hash, null);
  if (!record) throw new NotFound();
  try {
    await moveRecord(record, datetime);
    return 'moved';
  } catch (error) {
    if (error instanceof HttpError && error.errors?.[0]?.code === ErrorCode.timeNotFree) return 'taken';
    throw error;
  }
}
