// The table implementations of the ports (lib/ports/types.ts): what pushed webhooks, backfill and
// the reconcile stored, read as it is. The standalone deployment's, and what read-through wraps.
import { getEntity } from '../db/entities.js';
import { findAccessibleRecord, listRecordsOfPhone, loadRecordParts } from '../db/records.js';
import type { CompanyDoc } from '../domain/entities.js';
import type { LocationReads, RecordReads } from './types.js';

export const tableRecords: RecordReads = {
  findAccessible: findAccessibleRecord,
  listOfUser: (user, page) => listRecordsOfPhone(user.phone, page),
  partsOf: (records) => loadRecordParts(records),
  withFormParts: async (context) => context,
};

export const tableLocations: LocationReads = { find: (companyId) => getEntity<CompanyDoc>('company', companyId) };
