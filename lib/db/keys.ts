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
  /** A cabinet user (a salon's customer) by id. */
  user: (id: number): Key => ({ pk: `USER#${id}`, sk: 'USER' }),
  /** Who owns a phone: created in one transaction with the user, so a phone has one owner. */
  phoneOwner: (phone: string): Key => ({ pk: `PHONE#${phone}`, sk: 'OWNER' }),
  /** Who owns an email (lower-cased): changed in one transaction with the user, like phones. */
  emailOwner: (email: string): Key => ({ pk: `EMAIL#${email}`, sk: 'OWNER' }),
  /** A user token, found by its SHA-256 digest. */
  userToken: (tokenDigest: string): Key => ({ pk: `UTOKEN#${tokenDigest}`, sk: 'UTOKEN' }),
  /** The one live SMS code of a purpose, subject and phone. */
  code: (purpose: string, subject: string, phone: string): Key => ({ pk: `CODE#${purpose}#${subject}#${phone}`, sk: 'CODE' }),
  /** A fixed-window counter: one item per window, so an old window is never read again. */
  limitWindow: (scope: string, key: string, window: number): Key => ({ pk: `LIMIT#${scope}#${key}#${window}`, sk: 'LIMIT' }),
  /** A cooldown: one item per key, holding the time until which it is cooling down. */
  cooldown: (scope: string, key: string): Key => ({ pk: `COOLDOWN#${scope}#${key}`, sk: 'COOLDOWN' }),
  /** An outbound event (the outbox), written in the same transaction as the change it tells of. */
  event: (id: string): Key => ({ pk: `EVENT#${id}`, sk: 'EVENT' }),
  /** The subscribers the event sweeper last saw, to tell when one is added. */
  eventSubscribers: (): Key => ({ pk: 'EVENTS#SUBSCRIBERS', sk: 'EVENTS' }),
  /** The review of one visit: its link's digest, and once submitted, the review itself. */
  review: (recordId: number): Key => ({ pk: `REVIEW#${recordId}`, sk: 'REVIEW' }),
  /** A review link (record_token), found by its SHA-256 digest. */
  reviewToken: (tokenDigest: string): Key => ({ pk: `RTOKEN#${tokenDigest}`, sk: 'RTOKEN' }),
  /** A signed webhook delivery's `webhook-id` (its SHA-256 digest) once accepted: a replay of it is not applied. */
  webhookId: (idDigest: string): Key => ({ pk: `WEBHOOKID#${idDigest}`, sk: 'WEBHOOKID' }),
  /** A sequence (numeric ids Altegio clients expect). */
  sequence: (name: string): Key => ({ pk: `SEQUENCE#${name}`, sk: 'SEQUENCE' }),
  /** Requests sent to Altegio in one clock second (`s`) or minute (`m`), by all functions together (docs/contract.md 8.5). */
  altegioBudget: (name: string, unit: 's' | 'm', window: number): Key => ({ pk: `ALTEGIO#BUDGET#${name}#${unit}#${window}`, sk: 'BUDGET' }),
  /**
   * When cabinet last read something from Altegio (read-through, docs/contract.md 8.3): a location, a team member,
   * a location's services, a phone's appointments.
   */
  altegioCache: (kind: string, id: string): Key => ({ pk: `ALTEGIO#CACHE#${kind}#${id}`, sk: 'CACHE' }),
  /** Where a location's backfill is (its cursor), or up to when its reconcile has read changes (docs/contract.md 8.2). */
  altegioSync: (companyId: number, what: 'backfill' | 'reconcile'): Key => ({ pk: `ALTEGIO#SYNC#${companyId}`, sk: what.toUpperCase() }),
  /** Which run (a backfill or the reconcile) holds a location now, until when: one at a time per location. */
  altegioSyncLease: (companyId: number): Key => ({ pk: `ALTEGIO#SYNC#${companyId}`, sk: 'LEASE' }),
  /** Until when a location is not asked of Altegio again: it refused it, or a newer delete hides it (docs/contract.md 8.6). */
  altegioUnreadable: (companyId: number): Key => ({ pk: `ALTEGIO#UNREADABLE#${companyId}`, sk: 'UNREADABLE' }),
  /** A write-back command to Altegio (the outbox of docs/contract.md 8.4), written with the change it carries. */
  altegioCommand: (id: string): Key => ({ pk: `ALTEGIO#CMD#${id}`, sk: 'CMD' }),
  /** What cabinet just wrote into an Altegio object, so its echo (`self_sending`) is known as ours. */
  altegioEcho: (resource: string, id: number): Key => ({ pk: `ALTEGIO#ECHO#${resource}#${id}`, sk: 'ECHO' }),
  /**
   * One date of a team member's calendar: the working intervals pushed for it (the `schedule`
   * webhook) and the revision every move into that date conditions on and bumps.
   */
  calendarDay: (staffId: number, date: string): Key => ({ pk: `CALENDAR#${staffId}`, sk: `DAY#${date}` }),
  /** An appointment that may keep the team member busy on that date; the record itself says whether it still does. */
  calendarBusy: (staffId: number, date: string, recordId: number): Key => ({
    pk: `CALENDAR#${staffId}`,
    sk: `DAY#${date}#RECORD#${recordId}`,
  }),
  /** The sort keys of a team member's calendar from one date to another, both included (days and busy items alike). */
  calendarRange: (staffId: number, from: string, to: string) => ({ pk: `CALENDAR#${staffId}`, from: `DAY#${from}`, to: `DAY#${to}#~` }),
  /** Who is moving a record in Altegio now, until when: one PUT at a time per record. */
  altegioMove: (recordId: number): Key => ({ pk: `ALTEGIO#MOVE#${recordId}`, sk: 'LEASE' }),
  /** A record's state as a cancellation last read it from Altegio, kept a few seconds. */
  altegioFresh: (recordId: number): Key => ({ pk: `ALTEGIO#FRESH#${recordId}`, sk: 'FRESH' }),
};

/** The GSI: a client's appointments by phone, ordered by start time (UTC) then id. */
export const index = {
  name: 'gsi1',
  phoneRecords: (phone: string) => `PHONE_RECORDS#${phone}`,
  recordOrder: (startUtcIso: string, id: number) => `${startUtcIso}#${String(id).padStart(15, '0')}`,
  /** The same GSI: the locations of a group (a chain), so a group id can be checked and resolved. */
  groupCompanies: (groupId: number) => `GROUP_COMPANIES#${groupId}`,
  companyOrder: (companyId: number) => `COMPANY#${String(companyId).padStart(15, '0')}`,
  /** The same GSI: records of a location not known yet whose client phone waits for its country. */
  pendingOwners: (companyId: number) => `PENDING_OWNERS#${companyId}`,
  pendingOrder: (recordId: number) => `RECORD#${String(recordId).padStart(15, '0')}`,
  /** The same GSI: events waiting for a (re)try, by when; and events that gave up, by when. */
  eventsDue: 'EVENTS_DUE',
  eventsFailed: 'EVENTS_FAILED',
  /** Events kept while no subscriber exists, and delivered ones kept for subscribers added later; by creation. */
  eventsWaiting: 'EVENTS_WAITING',
  eventsKept: 'EVENTS_KEPT',
  eventOrder: (atMs: number, id: string) => `${String(atMs).padStart(15, '0')}#${id}`,
  /** The same GSI: what read-through cached from Altegio, per kind, oldest read first (for `npm run altegio -- status`). */
  altegioCache: (kind: string) => `ALTEGIO_CACHE#${kind}`,
  cacheOrder: (fetchedAtMs: number, id: string) => `${String(fetchedAtMs).padStart(15, '0')}#${id}`,
  /** The same GSI: Altegio write-back commands due for a (re)try, and those kept as failed; by when (eventOrder). */
  altegioCommandsDue: 'ALTEGIO_CMDS_DUE',
  altegioCommandsFailed: 'ALTEGIO_CMDS_FAILED',
};
