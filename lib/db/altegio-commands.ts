// Write-back commands to Altegio (docs/contract.md 8.4) in the one outbox (lib/db/outbox.ts): what a
// customer did that the salon's Altegio account must learn, and what each kind of command carries.
// A command is written in the same transaction as the change it carries (a cancellation, a profile
// change, a review), so neither is ever without the other; the outbox then claims it for each
// attempt and leaves it done, due again at a time, or kept as failed for an operator.
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { clock } from '../clock.js';
import { db, tableName } from './client.js';
import {
  claim,
  commandOutbox,
  dueIds,
  failedIds,
  firstDue,
  getItem,
  newItemPut,
  replay,
  settle,
  type Settled,
  type SettleOptions,
} from './outbox.js';

export type CommandKind = 'cancel' | 'profile' | 'review';

export interface CommandArgs {
  record_id?: number;
  staff_id?: number;
  mark?: number;
  text?: string;
  name?: string;
  user_id?: number;
  phone?: string;
  email?: string;
  /** Profile: the phones the user's client cards may carry in Altegio (a former one until an attempt has searched it). */
  phones?: string[];
  /**
   * Profile: the cards a former phone matched when an attempt searched it, as `company:card:phone`
   * (digits), kept so that later attempts PUT these cards and never search that phone again.
   */
  cards?: string[];
  /**
   * Cancel: the client the cancellation was decided for (lib/domain/record-hash.ts hashClientOf), looked for before a
   * DELETE decided on the stored copy.
   */
  client?: string;
}

export interface AltegioCommand {
  command_id: string;
  kind: CommandKind;
  /** The location it goes to; null for a profile (it goes to every configured location). */
  company_id: number | null;
  args: CommandArgs;
  state: 'pending' | 'retrying' | 'done' | 'failed';
  /** Attempts begun (counted when claimed, so a crash mid-attempt still counts as one whose outcome is unknown). */
  attempts: number;
  /** Raised by every change a profile command carries: an attempt of an older one does not finish a newer. */
  seq: number;
  created_at: number;
  last_attempt_at?: number;
  last_error?: string;
  /** Why it stopped: `auth_revoked`, `licence`, `rights`, `rejected`, `attempts`. */
  stop_reason?: string;
  /** What Altegio gave back that matters (the comment id of a review). */
  result?: Record<string, unknown>;
  done_at?: number;
  /**
   * Cancel: `stored` when Altegio could not be read and the cancellation was decided on cabinet's
   * copy; the DELETE then reads the record first and is not sent if it is no longer cancellable.
   */
  decided_on?: 'fresh' | 'stored';
}

export function commandId(kind: CommandKind, ...parts: number[]): string {
  return [kind, ...parts].join('-');
}

function newCommand(kind: CommandKind, id: string, companyId: number | null, args: CommandArgs, more: Record<string, unknown> = {}) {
  return newItemPut(commandOutbox, id, { kind, company_id: companyId, args, seq: 1, ...more });
}

/** The command of a cancellation, for its transaction: one per record, ever. */
export function cancelCommandPut(companyId: number, recordId: number, decidedOn: 'fresh' | 'stored' = 'fresh', client?: string) {
  const args = { record_id: recordId, ...(client !== undefined ? { client } : {}) };
  return newCommand('cancel', commandId('cancel', companyId, recordId), companyId, args, { decided_on: decidedOn });
}

/** The command of a review, for its transaction: one per reviewed visit, ever. */
export function reviewCommandPut(
  companyId: number,
  recordId: number,
  comment: { staff_id: number; mark: number; text: string; name: string },
) {
  return newCommand('review', commandId('review', recordId), companyId, { record_id: recordId, ...comment });
}

/**
 * The command of a profile change, for its transaction: one per user, carrying the latest name,
 * phone and email (PUT is last-write-wins, so only the latest matters), and every phone its cards
 * may still have in Altegio. Written over the user's earlier one, pending again.
 */
export function profileCommandUpdate(userId: number, now: { name: string; phone: string; email: string }, phones: string[]) {
  const id = commandId('profile', userId);
  const at = clock.now();
  const due = firstDue(commandOutbox, id, at);
  return {
    Update: {
      TableName: tableName,
      Key: commandOutbox.key(id),
      UpdateExpression:
        'SET #t = :type, command_id = :id, kind = :kind, company_id = :null, args = :args, ' +
        '#state = :pending, attempts = :zero, seq = if_not_exists(seq, :zero) + :one, created_at = ' +
        'if_not_exists(created_at, :at), gsi1pk = :g1, gsi1sk = :g2 ' +
        'ADD phones :phones REMOVE stop_reason, last_error',
      ExpressionAttributeNames: { '#t': 'type', '#state': 'state' },
      ExpressionAttributeValues: {
        ':type': commandOutbox.type,
        ':id': id,
        ':kind': 'profile',
        ':null': null,
        ':args': { user_id: userId, ...now },
        ':pending': 'pending',
        ':zero': 0,
        ':one': 1,
        ':at': at,
        ':g1': due.pk,
        ':g2': due.sk,
        ':phones': new Set(phones),
      },
    },
  };
}

function commandOf(item: Record<string, unknown> | null): AltegioCommand | null {
  if (!item) return null;
  const phones = item.phones instanceof Set ? [...(item.phones as Set<string>)] : [];
  const cards = item.cards instanceof Set ? [...(item.cards as Set<string>)] : [];
  const args = { ...(item.args as CommandArgs), ...(item.kind === 'profile' ? { phones, cards } : {}) };
  return { ...(item as unknown as AltegioCommand), args };
}

/**
 * A profile attempt searched former phones: the cards they matched are kept on the command and the
 * phones are dropped from it, so no later attempt (a retry, a later change, a replay) searches a
 * number that may by then be someone else's. `cards` as `company:card:phone`.
 */
export async function settleFormerPhones(id: string, phones: string[], cards: string[]): Promise<void> {
  if (!phones.length && !cards.length) return;
  const parts = [cards.length ? 'ADD cards :cards' : '', phones.length ? 'DELETE phones :phones' : ''].filter(Boolean);
  await db.send(
    new UpdateCommand({
      TableName: tableName,
      Key: commandOutbox.key(id),
      UpdateExpression: parts.join(' '),
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeValues: {
        ...(cards.length ? { ':cards': new Set(cards) } : {}),
        ...(phones.length ? { ':phones': new Set(phones) } : {}),
      },
    }),
  );
}

/** Takes the command for one attempt (counting it); null when it is done, failed, or someone else has it. */
export async function claimCommand(id: string): Promise<AltegioCommand | null> {
  return commandOf(await claim(commandOutbox, id));
}

export type CommandOutcome =
  | { done: true; result?: Record<string, unknown> }
  | { done: false; retryAt: number; error: string }
  | { done: false; retryAt: null; error: string; reason: string };

/** Where an attempt leaves the command, and what it notes on it. */
function settledAs(command: AltegioCommand, outcome: CommandOutcome, now: number): [Settled, SettleOptions] {
  if (outcome.done) {
    // Out of the GSI, kept a month for `show`, then DynamoDB's TTL removes it. A cancel command's
    // id stays taken by the record's own removal.
    const remove = ['last_error', 'stop_reason', ...(command.kind === 'profile' ? ['phones', 'cards'] : [])];
    const set = { done_at: now, ttl: Math.ceil(now / 1000) + 30 * 86_400, result: outcome.result ?? {} };
    return [
      { state: 'done', place: null },
      { set, remove },
    ];
  }
  if (outcome.retryAt !== null) return [{ state: 'retrying', retryAt: outcome.retryAt }, { set: { last_error: outcome.error } }];
  return [{ state: 'failed' }, { set: { last_error: outcome.error, stop_reason: outcome.reason } }];
}

/**
 * Records an attempt and releases the lease. A profile command changed meanwhile (its `seq` moved
 * on) is not finished by an attempt that sent older fields: it is put back in line at once.
 * Returns false in that case.
 */
export function recordOutcome(command: AltegioCommand, outcome: CommandOutcome): Promise<boolean> {
  const [settled, options] = settledAs(command, outcome, clock.now());
  return settle(commandOutbox, command.command_id, settled, { ...options, seq: command.seq });
}

/** Commands whose next try is due, oldest due first. */
export function dueCommandIds(limit: number): Promise<string[]> {
  return dueIds(commandOutbox, limit);
}

/** Commands kept as failed, oldest first. */
export function failedCommandIds(limit: number): Promise<string[]> {
  return failedIds(commandOutbox, limit);
}

export async function getCommand(id: string): Promise<AltegioCommand | null> {
  return commandOf(await getItem(commandOutbox, id));
}

/** An operator's replay of a failed command: back in line, then `attempt` at once; null when it was not failed. */
export function replayFailedCommand<T>(id: string, attempt: (id: string) => Promise<T>): Promise<{ result: T } | null> {
  return replay(commandOutbox, id, attempt);
}
