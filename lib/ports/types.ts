// The ports: how use cases and functions read records and locations, whichever mode the deployment
// runs in. A table implementation (lib/ports/table.ts) serves standalone; connected to Altegio, a
// read-through one (lib/ports/read-through.ts) wraps it. lib/ports/mode.ts picks one, once.
import type { Page } from '../db/records.js';
import type { StoredEntity } from '../db/entities.js';
import type { CompanyDoc, RecordDoc, StaffDoc } from '../domain/entities.js';
import type { RecordParts } from '../domain/record-view.js';
import type { User } from '../domain/users.js';

export type { Page, StoredEntity };

export interface PartNeeds {
  /** Read the team member from Altegio when not fresh (else only what is cached is used). */
  staff?: boolean;
  /** Read the location's services from Altegio when not fresh. */
  services?: boolean;
}

/** What one record shows: its location, team member and services, all current. */
export const wholeRecord: PartNeeds = { staff: true, services: true };

/** What a list shows: the location (its title, address and rules) is read; the rest as cached (a catalogue never read, read once). */
export const listNeeds: PartNeeds = { staff: false, services: false };

/** A review form's parts: what a visit shows, beside the review's own. */
export interface FormParts {
  record: RecordDoc;
  company: CompanyDoc | null;
  staff: StaffDoc | null;
}

export interface RecordReads {
  /** A record for its own client (same phone) or through its link hash (docs/contract.md 3.5); null for anyone else. */
  findAccessible(recordId: string, hash: string, user: User | null): Promise<StoredEntity<RecordDoc> | null>;
  /** A page of the signed-in user's appointments. */
  listOfUser(user: User, page: Page): Promise<RecordDoc[]>;
  /** Each record's location, team member and services. */
  partsOf(records: RecordDoc[], needs?: PartNeeds): Promise<RecordParts[]>;
  /** A review form's location and team member, as a record's are read. */
  withFormParts<C extends FormParts>(context: C | null): Promise<C | null>;
}

export interface LocationReads {
  /** A location by id (for the functions that send SMS codes, connected: kept apart, see lib/ports/read-through.ts). */
  find(companyId: number): Promise<StoredEntity<CompanyDoc> | null>;
}
