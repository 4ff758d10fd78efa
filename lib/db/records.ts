// Appointments as the cabinet shows them: found by id and link hash, then joined with their
// location, team member and services in one batch read.
import type { CompanyDoc, RecordDoc, ServiceDoc, StaffDoc, EntityKind } from '../domain/entities.js';
import { recordHashMatches } from '../domain/record-hash.js';
import type { RecordParts } from '../domain/record-view.js';
import { getEntities, getEntity } from './entities.js';

const idPattern = /^\d{1,15}$/;

/** The record, if `hash` is its link hash. Unknown id and wrong hash are indistinguishable. */
export async function findRecordByHash(recordId: string, hash: string): Promise<RecordDoc | null> {
  if (!idPattern.test(recordId) || hash.length === 0 || hash.length > 128) return null;
  const stored = await getEntity<RecordDoc>('record', Number(recordId));
  return stored && recordHashMatches(hash, stored.record_hash_digest) ? stored.doc : null;
}

/**
 * Location, team member and catalogue services of a record. One that is unknown or removed is
 * absent, and the view falls back to what the record itself carries.
 */
export async function loadRecordParts(record: RecordDoc): Promise<RecordParts> {
  const wanted: Array<[EntityKind, number]> = [['company', record.company_id]];
  if (record.staff_id) wanted.push(['staff', record.staff_id]);
  for (const line of record.services) wanted.push(['service', line.id]);
  const found = await getEntities(wanted);
  const company = found.get(`company:${record.company_id}`)?.doc as CompanyDoc | undefined;
  const services = new Map<number, ServiceDoc>();
  for (const line of record.services) {
    const service = found.get(`service:${line.id}`)?.doc as ServiceDoc | undefined;
    if (service) services.set(line.id, service);
  }
  const staff = record.staff_id ? (found.get(`staff:${record.staff_id}`)?.doc as StaffDoc | undefined) : undefined;
  return { company: company ?? null, staff: staff ?? null, services };
}
