// Appointments as the cabinet shows them: found by link hash or by their client's phone, then
// joined with their locations, team members and services in one batch read.
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { QueryCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { CompanyDoc, EntityKind, RecordDoc, ServiceDoc, StaffDoc } from '../domain/entities.js';
import { withReviews, type ReviewTally } from '../domain/ratings.js';
import { recordHashMatches } from '../domain/record-hash.js';
import type { RecordParts } from '../domain/record-view.js';
import type { User } from '../domain/users.js';
import { conditionHolds, db, tableName } from './client.js';
import { getEntities, getEntity, visible, type StoredEntity } from './entities.js';
import type { eventPut } from './events.js';
import { index, keys } from './keys.js';

const idPattern = /^\d{1,15}$/;

/**
 * The record, if the caller may see it: `hash` is its link hash, or `user` is its client (same
 * normalised phone). Unknown id, wrong hash and someone else's record are indistinguishable.
 */
export async function findAccessibleRecord(recordId: string, hash: string, user: User | null): Promise<StoredEntity<RecordDoc> | null> {
  if (!idPattern.test(recordId) || hash.length > 128 || (!hash && !user)) return null;
  const stored = await getEntity<RecordDoc>('record', Number(recordId));
  if (!stored) return null;
  if (hash && recordHashMatches(hash, stored.record_hash_digest)) return stored;
  return user !== null && stored.client_phone === user.phone ? stored : null;
}

/** The record marked deleted, dated `changed`, version `at`, if it is still as read and not deleted yet. */
function deletedUpdate(stored: StoredEntity<RecordDoc>, at: number, changed: string) {
  return {
    TableName: tableName,
    Key: keys.entity('record', stored.doc.id),
    UpdateExpression: 'SET #doc.#deleted = :yes, #doc.#changed = :changed, #v = :next',
    ConditionExpression: '#v = :read AND #doc.#deleted = :no',
    ExpressionAttributeNames: { '#doc': 'doc', '#deleted': 'deleted', '#changed': 'last_change_date', '#v': 'version' },
    ExpressionAttributeValues: { ':yes': true, ':no': false, ':changed': changed, ':next': at, ':read': stored.version },
  };
}

/**
 * Marks the record cancelled and puts its event in the outbox, in one transaction, if the record is
 * still as it was read and not cancelled yet. `changed` is the date written (lib/domain/dates.ts
 * changeAfter: after the stored version), `at` its instant and the record's new version. False when
 * it changed meanwhile (read it again).
 */
export async function markCancelled(
  stored: StoredEntity<RecordDoc>,
  at: number,
  changed: string,
  event: ReturnType<typeof eventPut>,
  writeback: Array<{ Put: Record<string, unknown> }> = [],
): Promise<boolean> {
  // The version is the written date's instant: our change outranks every delivery the platform
  // stamped up to that second, and none after it, just as the dates read.
  try {
    // With its Altegio write-back command (connected mode), so neither is ever without the other.
    const items = [{ Update: deletedUpdate(stored, at, changed) }, event, ...(writeback as Array<typeof event>)];
    await db.send(new TransactWriteCommand({ TransactItems: items }));
    return true;
  } catch (error) {
    if (error instanceof TransactionCanceledException) return false;
    throw error;
  }
}

/**
 * Altegio had deleted the record already: cabinet shows it cancelled too, with no event and no
 * command (the deletion was not the customer's doing here, and Altegio has nothing left to learn).
 * `changed` and `at` as for markCancelled. False when the record changed meanwhile.
 */
export function markDeletedInAltegio(stored: StoredEntity<RecordDoc>, at: number, changed: string): Promise<boolean> {
  return conditionHolds(db.send(new UpdateCommand(deletedUpdate(stored, at, changed))));
}

export interface Page {
  page: number;
  count: number;
  companyId?: number;
}

/** The appointments of a client phone, newest start first, one page of them. */
export async function listRecordsOfPhone(phone: string, { page, count, companyId }: Page): Promise<RecordDoc[]> {
  const wanted = page * count;
  const found: RecordDoc[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const response = await db.send(
      new QueryCommand({
        TableName: tableName,
        IndexName: index.name,
        ScanIndexForward: false,
        ExclusiveStartKey: startKey,
        Limit: wanted,
        KeyConditionExpression: 'gsi1pk = :p',
        ...(companyId ? { FilterExpression: 'company_id = :c' } : {}),
        ExpressionAttributeValues: { ':p': index.phoneRecords(phone), ...(companyId ? { ':c': companyId } : {}) },
      }),
    );
    for (const item of response.Items ?? []) {
      const record = visible<RecordDoc>(item);
      if (record) found.push(record.doc);
    }
    startKey = response.LastEvaluatedKey;
  } while (startKey && found.length < wanted);
  return found.slice((page - 1) * count, wanted);
}

/**
 * Locations, team members and catalogue services of records, in one batch read. One that is
 * unknown or removed is absent, and the view falls back to what the record itself carries.
 */
export async function loadRecordParts(records: RecordDoc[]): Promise<RecordParts[]> {
  const wanted: Array<[EntityKind, number]> = [];
  for (const record of records) {
    wanted.push(['company', record.company_id]);
    if (record.staff_id) wanted.push(['staff', record.staff_id]);
    for (const line of record.services) wanted.push(['service', line.id]);
  }
  const found = wanted.length ? await getEntities(wanted) : new Map();
  const doc = <D>(kind: EntityKind, id: number) => found.get(`${kind}:${id}`)?.doc as D | undefined;
  const staffOf = (id: number | null) => {
    const stored = id ? found.get(`staff:${id}`) : undefined;
    return stored ? withReviews(stored.doc as StaffDoc, stored as ReviewTally) : null;
  };
  return records.map((record) => ({
    company: doc<CompanyDoc>('company', record.company_id) ?? null,
    staff: staffOf(record.staff_id),
    services: new Map(
      record.services.flatMap((line) => {
        const service = doc<ServiceDoc>('service', line.id);
        return service ? [[line.id, service] as const] : [];
      }),
    ),
  }));
}
