// Every key format of the table, and nothing else: no other file spells `PARTNER#` or `RECORD#`.

import type { EntityKind } from '../domain/entities.js';

export interface Key {
  pk: string;
  sk: string;
}

const entityPrefix: Record<EntityKind, string> = {
  company: 'COMPANY',
  staff: 'STAFF',
  service: 'SERVICE',
  client: 'CLIENT',
  record: 'RECORD',
};

export const keys = {
  /** A partner, found by the SHA-256 digest of its token (the token itself is never stored). */
  partner: (tokenDigest: string): Key => ({ pk: `PARTNER#${tokenDigest}`, sk: 'PARTNER' }),
  /** An object pushed in by the booking platform; Altegio ids are global per kind. */
  entity: (kind: EntityKind, id: number): Key => ({ pk: `${entityPrefix[kind]}#${id}`, sk: entityPrefix[kind] }),
};
