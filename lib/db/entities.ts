// The objects the booking platform pushes in. Every write is one conditional UpdateItem on the
// object's version, so duplicates and out-of-order deliveries can never move an object backwards,
// however many arrive at once, and no read-then-write is needed.
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { Change, CompanyDoc, EntityDoc, EntityKind, RecordDoc } from '../domain/entities.js';
import { hashClientOf, recordHashDigest } from '../domain/record-hash.js';
import { ServiceUnavailable } from '../errors.js';
import { batchGet } from './batch.js';
import { conditionHolds, db, tableName } from './client.js';
import { index, keys, type Key } from './keys.js';

export interface StoredEntity<D extends EntityDoc = EntityDoc> {
  doc: D;
  /** The version of the last write (docs/contract.md section 6 ordering); conditional writes check it. */
  version: number;
  record_hash_digest?: string;
  /** The client (lib/domain/record-hash.ts hashClientOf) the record's hash digest was handed out for. */
  hash_client?: string;
  /** A record's client phone (normalised), when known. */
  client_phone?: string;
}

export interface ApplyOutcome {
  /** False when what is stored is as new as the delivery or newer (a duplicate or a late one). */
  applied: boolean;
  /** The record's hash digest as stored after the attempt. */
  recordHashDigest?: string;
  /** When not applied: the version that is stored (equal to the delivery's: a duplicate). */
  storedVersion?: number;
}

type Update = { names: Record<string, string>; values: Record<string, unknown>; set: string[]; remove: string[] };

/**
 * A record's place in its client's list (the GSI); among its location's records that wait for
 * the location (the same GSI); or no place when it has no client that can be known.
 */
function ownerPart(change: Change, update: Update): void {
  Object.assign(update.names, { '#p': 'client_phone', '#g1': 'gsi1pk', '#g2': 'gsi1sk' });
  if (change.awaitsLocation && change.doc !== null) {
    update.remove.push('#p');
    update.set.push('#g1 = :g1', '#g2 = :g2');
    Object.assign(update.values, { ':g1': index.pendingOwners(change.companyId), ':g2': index.pendingOrder(change.id) });
    return;
  }
  if (!change.owner || change.doc === null) {
    update.remove.push('#p', '#g1', '#g2');
    return;
  }
  update.set.push('#p = :p', '#g1 = :g1', '#g2 = :g2');
  Object.assign(update.values, {
    ':p': change.owner.phone,
    ':g1': index.phoneRecords(change.owner.phone),
    ':g2': index.recordOrder(change.owner.startsAt, change.id),
  });
}

/** A location's place among its group's locations (the GSI), when it belongs to a group. */
function groupPart(change: Change, update: Update): void {
  Object.assign(update.names, { '#g1': 'gsi1pk', '#g2': 'gsi1sk' });
  const groupId = change.doc === null ? null : (change.doc as CompanyDoc).group_id;
  if (!groupId) {
    update.remove.push('#g1', '#g2');
    return;
  }
  update.set.push('#g1 = :g1', '#g2 = :g2');
  Object.assign(update.values, { ':g1': index.groupCompanies(groupId), ':g2': index.companyOrder(change.id) });
}

/**
 * How a record's write treats its link hash (lib/domain/record-hash.ts): `bound` keeps a digest
 * handed out for this client and mints where there is none (its condition refuses a digest bound to
 * another client, or to none); `moved` replaces the digest of a record bound to another client
 * (while it still is); a digest stored before binding existed is bound to the client it was handed
 * out for when that is still the record's (`legacy`), else replaced (`legacy-moved`), both only on
 * the item as it was `seen`.
 */
type HashMode = { kind: 'bound' | 'moved' } | { kind: 'legacy' | 'legacy-moved'; seen: number };

/** The hash part of a record's write, and the condition it adds. */
function hashPart(change: Change, mintedHash: string | undefined, mode: HashMode, update: Update): string | undefined {
  update.names['#hc'] = 'hash_client';
  // Named only when used: DynamoDB refuses a name the expressions do not use.
  if (mode.kind !== 'legacy') update.names['#h'] = 'record_hash_digest';
  if (change.doc === null) {
    update.remove.push('#h', '#hc');
    return undefined;
  }
  update.set.push('#hc = :hc');
  update.values[':hc'] = hashClientOf(change.doc as RecordDoc);
  const asSeen = () => {
    update.values[':seen'] = (mode as { seen: number }).seen;
    return '#v = :seen';
  };
  if (mode.kind === 'legacy') return asSeen();
  const hash = change.recordHash ?? mintedHash;
  if (hash !== undefined) update.values[':h'] = recordHashDigest(hash);
  // A hash the sender gives replaces ours; so does the new client's, for a record given to another.
  if (change.recordHash || mode.kind !== 'bound') {
    if (hash !== undefined) update.set.push('#h = :h');
    // No key on this path (a read-through): the old client's link dies now, the next webhook or sync mints.
    else update.remove.push('#h');
    if (change.recordHash) return undefined;
    return mode.kind === 'moved' ? '#hc <> :hc' : asSeen();
  }
  // A minted one never replaces a hash already kept for this client.
  if (hash !== undefined) update.set.push('#h = if_not_exists(#h, :h)');
  return '(attribute_not_exists(#h) OR #hc = :hc)';
}

function updateOf(change: Change, mintedHash: string | undefined, mode: HashMode) {
  const update: Update = {
    names: { '#v': 'version', '#hidden': 'hidden', '#c': 'company_id', '#t': 'type', '#doc': 'doc' },
    values: { ':v': change.version, ':hidden': change.doc === null, ':c': change.companyId, ':t': change.kind },
    set: ['#v = :v', '#hidden = :hidden', '#c = :c', '#t = :t'],
    remove: [],
  };
  // A removal keeps only the version (to refuse older deliveries), not the personal data.
  if (change.doc === null) update.remove.push('#doc');
  else {
    update.set.push('#doc = :doc');
    update.values[':doc'] = change.doc;
  }
  // The version, not the item: an item may exist before its first delivery (a review's tally).
  const conditions = ['(attribute_not_exists(#v) OR #v < :v)'];
  if (change.kind === 'record') {
    ownerPart(change, update);
    const bound = hashPart(change, mintedHash, mode, update);
    if (bound) conditions.push(bound);
  }
  if (change.kind === 'company') groupPart(change, update);
  const expression = `SET ${update.set.join(', ')}${update.remove.length ? ` REMOVE ${update.remove.join(', ')}` : ''}`;
  return { names: update.names, values: update.values, expression, condition: conditions.join(' AND ') };
}

/**
 * Applies a change unless the stored object is at least as new. `mintedHash` (minted for the
 * record's client) is used only if the record has no hash for that client.
 */
export async function applyChange(change: Change, mintedHash?: string): Promise<ApplyOutcome> {
  let mode: HashMode = { kind: 'bound' };
  let kept: string | undefined;
  // A record's binding is refused only when a write in between changed it: then the item is read again.
  for (let attempt = 0; attempt < 6; attempt++) {
    const { names, values, expression, condition } = updateOf(change, mintedHash, mode);
    try {
      const { Attributes } = await db.send(
        new UpdateCommand({
          TableName: tableName,
          Key: keys.entity(change.kind, change.id),
          UpdateExpression: expression,
          ConditionExpression: condition,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
          ReturnValues: 'UPDATED_NEW',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      // A digest kept as it was is not among the attributes the write returns.
      return { applied: true, recordHashDigest: Attributes?.record_hash_digest ?? (mode.kind === 'legacy' ? kept : undefined) };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const old: Partial<StoredEntity<RecordDoc>> = error.Item ? unmarshall(error.Item) : {};
      kept = old.record_hash_digest;
      if (old.version !== undefined && old.version >= change.version) {
        return { applied: false, recordHashDigest: old.record_hash_digest, storedVersion: old.version };
      }
      mode = bindingOf(change, old);
    }
  }
  throw new ServiceUnavailable('The appointment is being changed. Please try again.', 1);
}

/** Why a newer record's write was refused: its hash is bound to another client, or to none yet. */
function bindingOf(change: Change, old: Partial<StoredEntity<RecordDoc>>): HashMode {
  if (old.version === undefined) return { kind: 'bound' };
  if (old.hash_client !== undefined) return { kind: 'moved' };
  const sameClient = hashClientOf(old.doc) === hashClientOf(change.doc as RecordDoc);
  return { kind: sameClient ? 'legacy' : 'legacy-moved', seen: old.version };
}

export function visible<D extends EntityDoc>(item: Record<string, unknown> | undefined): StoredEntity<D> | null {
  if (!item || item.hidden || !item.doc) return null;
  return item as unknown as StoredEntity<D>;
}

export async function getEntity<D extends EntityDoc>(kind: EntityKind, id: number): Promise<StoredEntity<D> | null> {
  const { Item } = await db.send(new GetCommand({ TableName: tableName, Key: keys.entity(kind, id) }));
  return visible<D>(Item);
}

/** Whether the object was removed (a `delete` delivery): only its version is kept, and that says it is gone. */
export async function wasRemoved(kind: EntityKind, id: number): Promise<boolean> {
  const { Item } = await db.send(
    new GetCommand({
      TableName: tableName,
      Key: keys.entity(kind, id),
      ProjectionExpression: '#hidden',
      ExpressionAttributeNames: { '#hidden': 'hidden' },
    }),
  );
  return Item?.hidden === true;
}

/** Reads many objects in one round trip (more only if DynamoDB leaves some unprocessed). */
export async function getEntities(wanted: Array<[EntityKind, number]>): Promise<Map<string, StoredEntity>> {
  const unique = new Map<string, Key>();
  for (const [kind, id] of wanted) unique.set(`${kind}:${id}`, keys.entity(kind, id));
  const found = new Map<string, StoredEntity>();
  for (const item of await batchGet([...unique.values()])) {
    const entity = visible(item);
    if (entity) found.set(`${item.type}:${(entity.doc as { id: number }).id}`, entity);
  }
  return found;
}

/** One page of a location's records that wait for it to give their client phones an owner. */
export async function pendingRecordsOf(companyId: number, limit: number, startKey?: Record<string, unknown>) {
  const { Items = [], LastEvaluatedKey } = await db.send(
    new QueryCommand({
      TableName: tableName,
      IndexName: index.name,
      KeyConditionExpression: 'gsi1pk = :g',
      Limit: limit,
      ExclusiveStartKey: startKey,
      ExpressionAttributeValues: { ':g': index.pendingOwners(companyId) },
    }),
  );
  return { records: Items as Array<StoredEntity<RecordDoc> & { company_id: number }>, next: LastEvaluatedKey };
}

/**
 * Gives a waiting record the owner its location's country reads (or, when its phone is no valid
 * number there, takes it out of waiting), if it is still the version that was read and still
 * waiting: a newer delivery decides for itself. False when it was not.
 */
export function settleOwner(
  stored: Pick<StoredEntity<RecordDoc>, 'doc' | 'version'> & { company_id: number },
  owner: Change['owner'],
): Promise<boolean> {
  const place = owner
    ? {
        UpdateExpression: 'SET client_phone = :p, gsi1pk = :g1, gsi1sk = :g2',
        values: { ':p': owner.phone, ':g1': index.phoneRecords(owner.phone), ':g2': index.recordOrder(owner.startsAt, stored.doc.id) },
      }
    : { UpdateExpression: 'REMOVE gsi1pk, gsi1sk', values: {} };
  return conditionHolds(
    db.send(
      new UpdateCommand({
        TableName: tableName,
        Key: keys.entity('record', stored.doc.id),
        UpdateExpression: place.UpdateExpression,
        ConditionExpression: '#v = :read AND gsi1pk = :pending',
        ExpressionAttributeNames: { '#v': 'version' },
        ExpressionAttributeValues: { ...place.values, ':read': stored.version, ':pending': index.pendingOwners(stored.company_id) },
      }),
    ),
  );
}

/** A location as stored, read strongly consistent: whether it has arrived decides who owns what. */
export async function getCompanyNow(id: number): Promise<CompanyDoc | null> {
  const { Item } = await db.send(new GetCommand({ TableName: tableName, Key: keys.entity('company', id), ConsistentRead: true }));
  return visible<CompanyDoc>(Item)?.doc ?? null;
}

/** A location of the group (the first by id), or null when the group has none. */
export async function findCompanyOfGroup(groupId: number): Promise<StoredEntity<CompanyDoc> | null> {
  const { Items = [] } = await db.send(
    new QueryCommand({
      TableName: tableName,
      IndexName: index.name,
      KeyConditionExpression: 'gsi1pk = :g',
      ExpressionAttributeValues: { ':g': index.groupCompanies(groupId) },
      Limit: 1,
    }),
  );
  return visible<CompanyDoc>(Items[0]);
}
