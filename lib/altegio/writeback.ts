// Write-back to Altegio (docs/contract.md 8.4): what a customer does in cabinet reaches the
// salon's own Altegio account, exactly once and never lost. Each change writes a command in its own
// transaction (lib/db/altegio-commands.ts); the command is then tried at once, within a short bound,
// and when Altegio fails it is retried by the sweeper (functions/retry-altegio.ts) with backoff and
// jitter, until it is done or kept as failed for an operator (`npm run altegio -- failed`).
//
// Every attempt is one request per step (the client's own retries are off here): a POST that timed
// out may have been received, so only the command decides whether to send again, after looking.
import { clock } from '../clock.js';
import { config, writebackOn } from '../config.js';
import {
  claimCommand,
  dueCommandIds,
  getCommand,
  recordOutcome,
  replayFailedCommand,
  settleFormerPhones,
  type AltegioCommand,
  type CommandOutcome,
} from '../db/altegio-commands.js';
import { rememberFresh, rememberedFresh, rememberOwnWrite } from '../db/altegio-marks.js';
import { findUserByPhone } from '../db/users.js';
import { hashClientOf } from '../domain/record-hash.js';
import { cancelState } from '../domain/cancellation.js';
import { AltegioShapeError, companyDocOf, recordDocOf } from '../domain/altegio.js';
import { afterFailure, stoppingReasons } from '../domain/altegio-writeback.js';
import type { CompanyDoc, RecordDoc } from '../domain/entities.js';
import { count, logger } from '../observe.js';
import type { Ask, Priority } from './client.js';
import { linked, listedLocation } from './connector.js';
import { AltegioError, AltegioNotFound, AltegioRefused, AltegioThrottled } from './errors.js';
import { freshRecord } from './fresh.js';

/** One attempt's time limit: the inline one keeps the customer waiting. */
const attemptTimeoutMs = 3000;

/**
 * All a customer's answer waits for Altegio, fresh looks and the inline attempt together: well
 * inside the function's 10 s timeout (serverless.yml), whatever Altegio's pace. Past it, what is
 * left is the sweeper's.
 */
export const inlineBudgetMs = 3500;

/** How long a cancellation's look at Altegio that refused stands in for another look. */
export const freshRefusalForMs = 30_000;

/** When the customer's answer may wait no longer for Altegio, counted from now. */
export function inlineDeadline(): number {
  return Date.now() + inlineBudgetMs;
}

/** An attempt that ran out of its inline time between two requests: retried by the sweeper. */
class DeadlineReached extends Error {
  override name = 'DeadlineReached';
}

/** A DELETE decided on the stored copy whose record Altegio now says is no longer cancellable. */
class NoLongerCancellable extends Error {
  override name = 'NoLongerCancellable';
}

function checkDeadline(until: number): void {
  if (Date.now() >= until) throw new DeadlineReached('the inline time ran out; the sweeper sends the rest');
}

/** `work`, or DeadlineReached at `until` (the work itself goes on, its outcome unheard). */
async function beforeDeadline<T>(work: Promise<T>, until: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DeadlineReached('Altegio did not answer in the inline time')), Math.max(0, until - Date.now()));
  });
  work.catch(() => undefined);
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** The connector's one client. */
function client() {
  return linked().client;
}

/** Every request of an attempt is sent once, within the attempt's time limit: only the command decides to send again, after looking. */
function once(priority: Priority = 'writeback'): Ask {
  return { priority, attempts: 1, timeoutMs: attemptTimeoutMs };
}

/** `raw`: the record as Altegio sent it, to be stored when it names another client (lib/ports/read-through.ts). */
export type FreshCancel =
  { deleted: true } | { deleted: false; record: RecordDoc; company: CompanyDoc | null; raw: Record<string, unknown> };

function deletedIn(raw: Record<string, unknown> | null): boolean {
  return !raw || raw.deleted === true || raw.deleted === 1 || raw.deleted === '1';
}

/** Altegio's record and rules now, read at `priority`; `deleted` when Altegio has no such record. */
async function readCancelState(companyId: number, recordId: number, priority: 'fresh' | 'writeback'): Promise<FreshCancel> {
  const [raw, rules] = await Promise.all([
    freshRecord(client(), companyId, recordId, once(priority)),
    listedLocation(client(), companyId, once(priority)),
  ]);
  if (deletedIn(raw)) return { deleted: true };
  // Rules Altegio does not reveal, or a location the cabinet user does not see: not allowed (1004).
  const company = rules ? companyDocOf(rules, rules) : null;
  return { deleted: false, record: recordDocOf(raw!, company), company, raw: raw! };
}

/**
 * What a look at Altegio a moment ago said of a record, while it may stand in for a new one (see
 * cancel.ts: only a refusal is taken from it, since a refusal only hardens as the visit nears).
 */
export async function rememberedCancelState(recordId: number): Promise<{ record: RecordDoc; company: CompanyDoc | null } | null> {
  const state = await rememberedFresh(recordId);
  return state ? { record: state.record as RecordDoc, company: (state.company as CompanyDoc | null) ?? null } : null;
}

/**
 * The record and its location's rules as Altegio has them now. Null when Altegio cannot say (down,
 * throttled, out of its `fresh` share of the budget, slower than `until`): the cancellation is then
 * decided on cabinet's copy, and its DELETE looks again before it is sent. What was read is
 * remembered a while; how often one record may be looked at is the caller's limit (lib/cancel.ts).
 */
export async function freshCancelState(stored: RecordDoc, until = inlineDeadline()): Promise<FreshCancel | null> {
  try {
    const state = await beforeDeadline(readCancelState(stored.company_id, stored.id, 'fresh'), until);
    if (!state.deleted) await rememberFresh(stored.id, { record: state.record, company: state.company }, freshRefusalForMs);
    return state;
  } catch (error) {
    if (!(error instanceof AltegioError) && !(error instanceof AltegioShapeError) && !(error instanceof DeadlineReached)) throw error;
    logger.warn('altegio fresh read failed; the cancellation is decided on the stored copy', {
      record_id: stored.id,
      kind: error instanceof AltegioError ? error.kind : error instanceof DeadlineReached ? 'deadline' : 'shape',
      detail: error instanceof AltegioError ? error.detail : error.message,
    });
    return null;
  }
}

/**
 * A cancellation decided on cabinet's copy (Altegio unreadable then): before its DELETE, Altegio's
 * record is read, and a visit it has since given to another client, marked visited, moved inside
 * the window or whose location now forbids cancelling is not deleted (kept as failed, for an operator).
 */
async function stillCancellable(command: AltegioCommand): Promise<boolean> {
  const state = await readCancelState(command.company_id!, command.args.record_id!, 'writeback');
  if (state.deleted) return false;
  if (command.args.client !== undefined && hashClientOf(state.record) !== command.args.client) {
    throw new NoLongerCancellable(
      "Altegio's record names another client now; cancelled in cabinet on its stored copy, not deleted in Altegio",
    );
  }
  const { refusal } = cancelState(state.record, state.company, clock.now());
  if (refusal !== null)
    throw new NoLongerCancellable(
      `Altegio's record is no longer cancellable (${refusal}); cancelled in cabinet on its stored copy, not deleted in Altegio`,
    );
  return true;
}

function digits(phone: unknown): string {
  return String(phone ?? '').replace(/\D/g, '');
}

/** Every promise settled, not raced: nothing of an attempt is still in flight when its retry starts. */
async function allSettledOrThrow<T>(work: Array<Promise<T>>): Promise<T[]> {
  const results = await Promise.allSettled(work);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
  return results.map((r) => (r as PromiseFulfilledResult<T>).value);
}

type Card = { id: number; name: string; phone: string };

/** The client cards in one location whose phone is one of `phones` (quick_search matches parts too). */
async function cardsOf(companyId: number, phones: string[], until: number): Promise<Card[]> {
  const wanted = new Set(phones.map(digits).filter(Boolean));
  const cards = new Map<number, Card>();
  checkDeadline(until);
  const found = await allSettledOrThrow([...wanted].map((phone) => client().searchClients(companyId, phone, once())));
  for (const { data } of found) {
    for (const row of Array.isArray(data) ? (data as Array<Record<string, unknown>>) : []) {
      const id = Number(row.id);
      if (Number.isInteger(id) && id > 0 && wanted.has(digits(row.phone)))
        cards.set(id, { id, name: typeof row.name === 'string' ? row.name : '', phone: digits(row.phone) });
    }
  }
  return [...cards.values()];
}

/** Whether a phone (digits) is now another cabinet user's: a card that carries it is theirs, not this user's. */
async function ownedByAnother(phone: string, userId: number): Promise<boolean> {
  const owner = await findUserByPhone(phone);
  return owner !== null && owner.id !== userId;
}

/**
 * A profile command's cards in every location (searched side by side): those with the user's
 * phone now, found by search, and those its former phones matched, found once and kept on the
 * command: a former phone is searched by one attempt only, never
 * after it may have passed to someone else, and a kept card whose phone has since become another
 * cabinet user's is skipped.
 */
async function profileCards(command: AltegioCommand, until: number): Promise<Array<{ companyId: number; card: Card }>> {
  const { args } = command;
  const userId = args.user_id!;
  const current = digits(args.phone);
  const former = (args.phones ?? []).filter((phone) => digits(phone) && digits(phone) !== current);
  const taken = await Promise.all(former.map((phone) => ownedByAnother(digits(phone), userId)));
  const searched = [args.phone!, ...former.filter((_, i) => !taken[i])];
  const companyIds = config.altegio!.companyIds;
  const perLocation = await allSettledOrThrow(companyIds.map((companyId) => cardsOf(companyId, searched, until)));
  const found = perLocation.flatMap((cards, i) => cards.map((card) => ({ companyId: companyIds[i]!, card })));
  // Every location searched: the former phones are done with, their cards kept by id.
  await settleFormerPhones(
    command.command_id,
    former,
    found.filter(({ card }) => card.phone !== current).map(({ companyId, card }) => `${companyId}:${card.id}:${card.phone}`),
  );
  const kept = (args.cards ?? [])
    .map((entry) => entry.split(':'))
    .map(([companyId, id, phone]) => ({ companyId: Number(companyId), card: { id: Number(id), name: '', phone: phone ?? '' } }));
  for (const entry of kept) {
    if (found.some((f) => f.companyId === entry.companyId && f.card.id === entry.card.id)) continue;
    if (entry.card.phone !== current && (await ownedByAnother(entry.card.phone, userId))) continue;
    found.push(entry);
  }
  return found;
}

/**
 * The profile on every card of the user, side by side: a chain's ten locations cost one
 * location's latency (the budget still paces them), so the change usually lands inside the
 * request's bound. Every PUT is whole and idempotent: after a failure the command redoes them all.
 */
async function updateCards(command: AltegioCommand, until: number): Promise<number[]> {
  const { args } = command;
  const cards = await profileCards(command, until);
  checkDeadline(until);
  await allSettledOrThrow(
    cards.map(async ({ companyId, card }) => {
      // Altegio requires name and phone on every update; its phones are written with the plus.
      const fields = { name: args.name || card.name, phone: `+${digits(args.phone)}`, ...(args.email ? { email: args.email } : {}) };
      await rememberOwnWrite('client', card.id, fields);
      await client().updateClient(companyId, card.id, fields, once());
    }),
  );
  return cards.map(({ card }) => card.id);
}

/** One attempt of a command: what Altegio must be told, by kind. Throws what Altegio answered when it failed. */
async function perform(command: AltegioCommand, until: number): Promise<Record<string, unknown>> {
  const { args } = command;
  switch (command.kind) {
    case 'cancel':
      if (command.decided_on === 'stored' && !(await stillCancellable(command))) return { deleted: true, already: true };
      checkDeadline(until);
      try {
        await client().deleteRecord(command.company_id!, args.record_id!, once());
        return { deleted: true };
      } catch (error) {
        // Gone already (an earlier attempt whose answer was lost, or the salon deleted it): done.
        if (error instanceof AltegioNotFound) return { deleted: true, already: true };
        throw error;
      }
    case 'profile':
      return { cards: await updateCards(command, until) };
    case 'review': {
      const comment = { mark: args.mark!, text: args.text!, name: args.name! };
      // An earlier attempt (or one a crash cut short) may have been received with its answer lost:
      // look before posting again.
      if (command.attempts > 1 || command.last_attempt_at !== undefined) {
        checkDeadline(until);
        const { data } = await client().comments(command.company_id!, { staff_id: args.staff_id }, once());
        const posted = (Array.isArray(data) ? (data as Array<Record<string, unknown>>) : []).find(
          (c) =>
            Number(c.master_id) === args.staff_id &&
            Number(c.rating) === comment.mark &&
            c.text === comment.text &&
            c.user_name === comment.name,
        );
        if (posted) return { comment_id: Number(posted.id), found: true };
      }
      checkDeadline(until);
      const { data } = await client().postComment(command.company_id!, args.staff_id!, comment, once());
      return { comment_id: Number((data as { id?: unknown } | null)?.id) || null };
    }
  }
}

/** What an attempt that threw leaves the command as (lib/domain/altegio-writeback.ts decides). */
function outcomeOf(command: AltegioCommand, error: unknown): CommandOutcome {
  if (error instanceof NoLongerCancellable) return { done: false, retryAt: null, error: error.message, reason: 'not_cancellable' };
  const detail = error instanceof AltegioError ? error.detail : error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  const failure =
    error instanceof AltegioError
      ? {
          kind: error.kind,
          ...(error instanceof AltegioRefused ? { refusal: error.reason } : {}),
          ...(error instanceof AltegioThrottled ? { retryAfterS: error.retryAfterS } : {}),
        }
      : { kind: 'other' as const };
  const next = afterFailure(failure, command.attempts, clock.now());
  return 'retryAt' in next
    ? { done: false, retryAt: next.retryAt, error: detail }
    : { done: false, retryAt: null, error: detail, reason: next.reason };
}

export type RunResult = 'done' | 'retrying' | 'failed' | 'busy' | 'superseded';

/** One attempt of the command, if no one else is running it; its outcome recorded, counted and logged. */
export async function runCommand(id: string, until = Number.POSITIVE_INFINITY): Promise<RunResult> {
  const command = await claimCommand(id);
  if (!command) return 'busy';
  const line = { command_id: id, kind: command.kind, attempt: command.attempts };
  let outcome: CommandOutcome;
  try {
    // A kind turned off since the command was written is not sent; it waits, failed, for a replay.
    outcome = writebackOn(command.kind)
      ? { done: true, result: await perform(command, until) }
      : { done: false, retryAt: null, error: `write-back of ${command.kind} is off (CABINET_ALTEGIO_WRITEBACK)`, reason: 'turned_off' };
  } catch (error) {
    outcome = outcomeOf(command, error);
  }
  if (!(await recordOutcome(command, outcome))) return 'superseded';
  if (outcome.done) {
    count('AltegioWritebacksDone');
    logger.info('altegio write-back done', line);
    return 'done';
  }
  if (outcome.retryAt !== null) {
    count('AltegioWritebacksRetried');
    logger.warn('altegio write-back will be retried', {
      ...line,
      error: outcome.error,
      retry_in_s: Math.round((outcome.retryAt - clock.now()) / 1000),
    });
    return 'retrying';
  }
  const stopped = (stoppingReasons as readonly string[]).includes(outcome.reason);
  count(stopped ? 'AltegioWritebacksStopped' : 'AltegioWritebacksFailed');
  logger.error(stopped ? 'altegio write-back stopped: an operator must act' : 'altegio write-back failed', {
    ...line,
    reason: outcome.reason,
    error: outcome.error,
  });
  return 'failed';
}

/**
 * Right after the change's transaction: the customer's answer waits for this, until `until` at
 * the latest, and never fails for it. An attempt still going then is not waited for: it stops
 * before its next request and the sweeper sends the rest.
 */
export async function runInline(id: string, until = inlineDeadline()): Promise<void> {
  try {
    await beforeDeadline(runCommand(id, until), until);
  } catch (error) {
    // The command is in the table: the sweeper runs it once its lease ends.
    logger.warn('altegio write-back not tried inline; left to the sweeper', {
      command_id: id,
      error: error instanceof Error ? error.name : String(error),
    });
  }
}

/**
 * The sweeper's run: every command whose (re)try is due, one after the other (they share one
 * budget), for at most `forMs` (the function's timeout is 120 s); the rest wait for the next run.
 */
export async function sweepAltegioCommands(limit = 100, forMs = 90_000): Promise<{ due: number; done: number }> {
  const until = Date.now() + forMs;
  const ids = await dueCommandIds(limit);
  let done = 0;
  for (const id of ids) {
    if (Date.now() > until) break;
    if ((await runCommand(id)) === 'done') done++;
  }
  return { due: ids.length, done };
}

/** An operator's replay of a failed command: back in line, then one attempt now. */
export async function replayCommand(id: string): Promise<{ requeued: boolean; result: RunResult | null; command: AltegioCommand | null }> {
  const replayed = await replayFailedCommand(id, runCommand);
  return { requeued: replayed !== null, result: replayed?.result ?? null, command: await getCommand(id) };
}
