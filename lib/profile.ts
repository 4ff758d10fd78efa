// Changing a user's name, email and phone (docs/contract.md 3.2). The change itself is one transaction
// (lib/db/users.ts); this decides what it must contain, turns its outcome into the contract's
// errors, and retries from a fresh read when the user changed meanwhile.
import type * as z from 'zod';
import { clock } from './clock.js';
import { config, writebackOn } from './config.js';
import { commandId, getCommand, profileCommandUpdate } from './db/altegio-commands.js';
import { spendTriedCode, tryCode } from './db/codes.js';
import { getUser, updateProfile, type ProfileChange } from './db/users.js';
import { wrongCode, type CodeBinding } from './domain/codes.js';
import { checkPhone } from './domain/phone.js';
import { emailKey, isFreshCodeLogin, type User } from './domain/users.js';
import { ErrorCode } from './domain/refusals.js';
import { refused, ServiceUnavailable, Unauthorized, Unprocessable, unlessRefused } from './errors.js';
import { chargeLimits } from './limits/limiter.js';
import { window } from './password.js';
import { emailChangeLimits, profileWritebackLimits } from './limits/policies.js';
import { writingBack } from './ports/writing-back.js';
import type { updateUserSchema } from './schemas/profile.js';
import { codeDigestKey } from './sms/send-code.js';

type Body = z.output<typeof updateUserSchema>['body'];

/**
 * A name or email change within this long of the profile command's last attempt is not sent at
 * once: it waits in the command for the sweeper, which sends only the latest values, once. A phone change
 * is always sent at once (its SMS code limits it already).
 */
const writebackDebounceMs = 60_000;

/** Whether the command of a user's profile was tried too recently for another attempt inline. */
async function triedJustNow(id: string): Promise<boolean> {
  const last = (await getCommand(id))?.last_attempt_at;
  return last !== undefined && clock.now() - last < writebackDebounceMs;
}

function missingCode(): Unprocessable {
  return new Unprocessable([{ code: ErrorCode.invalidField, message: 'confirmation_code: required to change the phone' }]);
}

// The phone is the account's identity (SMS login, password reset): only a token that just proved it
// may move it, so a token stolen later cannot take the account to another phone (docs/security.md).
function freshLoginNeeded(): Unprocessable {
  return new Unprocessable([
    {
      code: ErrorCode.freshLoginNeeded,
      message: `phone: changing it needs a sign-in with an SMS code in the last ${window(config.freshLoginS)}`,
    },
  ]);
}

function taken(field: 'phone' | 'email'): Unprocessable {
  return new Unprocessable([{ code: ErrorCode.phoneTaken, message: `${field}: already used by another user` }]);
}

type SpendCode = ReturnType<typeof spendTriedCode>;

/**
 * A phone change's code, checked as a login's is: its attempt counted first (a conditional
 * increment, so no more than 5 are ever checked however many guesses race), then compared. The
 * right code comes back as the conditional delete that spends it in the change's transaction.
 */
async function checkedCode(user: User, body: Body, phone: string): Promise<SpendCode> {
  if (!body.confirmation_code) throw missingCode();
  const key = await codeDigestKey();
  const binding: CodeBinding = { purpose: 'phone_change', subject: String(user.id), phone };
  if (!(await tryCode(key, binding, body.confirmation_code))) throw refused(wrongCode('confirmation_code'));
  return spendTriedCode(key, binding, body.confirmation_code);
}

function changeFor(body: Body, phone: string | undefined, code: SpendCode | undefined): ProfileChange {
  const change: ProfileChange = {
    ...(body.name !== undefined ? { name: body.name } : {}),
    ...(body.email !== undefined ? { email: body.email } : {}),
  };
  return phone !== undefined && code ? { ...change, phone: { value: phone, code } } : change;
}

export async function changeProfile(user: User, body: Body): Promise<void> {
  const phone = body.phone === undefined ? undefined : unlessRefused(checkPhone(body.phone, config.defaultCountry));
  if (phone !== undefined && phone !== user.phone && !isFreshCodeLogin(user.session, clock.now(), config.freshLoginS))
    throw freshLoginNeeded();
  // Every asked-for change of the address counts, taken or not: the answer tells whether it is taken.
  const limits = body.email !== undefined && emailKey(body.email) !== emailKey(user.email) ? emailChangeLimits(user.id) : [];
  // Connected: each change is written to every location's cards, so a user's changes a day are few.
  const changes =
    (body.name !== undefined && body.name !== user.name) ||
    (body.email !== undefined && body.email !== user.email) ||
    (phone !== undefined && phone !== user.phone);
  if (changes && writebackOn('profile')) limits.push(...profileWritebackLimits(user.id));
  // One charge: a change refused by one limit uses up neither.
  if (limits.length) await chargeLimits(limits);
  let code: SpendCode | undefined;
  for (let attempt = 0; attempt < 3; attempt++) {
    const current = attempt === 0 ? user : await getUser(user.id);
    if (!current || current.generation !== user.generation) throw new Unauthorized();
    const moves = phone !== undefined && phone !== current.phone;
    if (moves) code ??= await checkedCode(current, body, phone);
    const change = changeFor(body, phone, moves ? code : undefined);
    // Connected with `profile` on: each of the user's client cards in Altegio gets the new name, phone and email.
    const writeback = writebackOn('profile')
      ? (now: { name: string; phone: string; email: string }) => [profileCommandUpdate(current.id, now, [current.phone])]
      : undefined;
    const outcome = await updateProfile(current, change, writeback);
    if (outcome === 'ok') {
      const id = commandId('profile', current.id);
      if (
        writeback &&
        (change.name !== undefined || change.email !== undefined || change.phone) &&
        (change.phone || !(await triedJustNow(id)))
      )
        await (await writingBack())?.runInline(id);
      return;
    }
    // The right code, spent or replaced meanwhile: its attempt is already counted.
    if (outcome === 'wrong-code') throw refused(wrongCode('confirmation_code'));
    if (outcome !== 'stale') throw taken(outcome === 'phone-taken' ? 'phone' : 'email');
  }
  throw new ServiceUnavailable('The profile was changed meanwhile. Please try again.', 1);
}
