// Changing a user's name, email and phone (CONTRACT.md 3.2). The change itself is one transaction
// (lib/db/users.ts); this decides what it must contain, turns its outcome into the contract's
// errors, and retries from a fresh read when the user changed meanwhile.
import type * as z from 'zod';
import { runInline, writebackOn } from './altegio/writeback.js';
import { clock } from './clock.js';
import { config } from './config.js';
import { commandId, profileCommandUpdate } from './db/altegio-commands.js';
import { countWrongGuess, useCodeItem } from './db/codes.js';
import { getUser, updateProfile, type ProfileChange } from './db/users.js';
import { wrongCodeError, type CodeBinding } from './domain/codes.js';
import { requirePhone } from './domain/phone.js';
import { emailKey, isFreshCodeLogin, type User } from './domain/users.js';
import { ErrorCode, ServiceUnavailable, Unauthorized, Unprocessable } from './errors.js';
import { chargeLimits } from './limits/limiter.js';
import { window } from './password.js';
import { emailChangeLimits } from './limits/policies.js';
import type { updateUserSchema } from './schemas/profile.js';
import { codeDigestKey } from './sms/send-code.js';

type Body = z.output<typeof updateUserSchema>['body'];

function missingCode(): Unprocessable {
  return new Unprocessable([{ code: ErrorCode.invalidField, message: 'confirmation_code: required to change the phone' }]);
}

// The phone is the account's identity (SMS login, password reset): only a token that just proved it
// may move it, so a token stolen later cannot take the account to another phone (docs/security.md, finding 3).
function freshLoginNeeded(): Unprocessable {
  return new Unprocessable([{ code: ErrorCode.freshLoginNeeded, message: `phone: changing it needs a sign-in with an SMS code in the last ${window(config.freshLoginS)}` }]);
}

function taken(field: 'phone' | 'email'): Unprocessable {
  return new Unprocessable([{ code: ErrorCode.phoneTaken, message: `${field}: already used by another user` }]);
}

function changeFor(user: User, body: Body, phone: string | undefined, codeKey: string): { change: ProfileChange; binding?: CodeBinding } {
  const change: ProfileChange = { ...(body.name !== undefined ? { name: body.name } : {}), ...(body.email !== undefined ? { email: body.email } : {}) };
  if (phone === undefined || phone === user.phone) return { change };
  if (!body.confirmation_code) throw missingCode();
  const binding: CodeBinding = { purpose: 'phone_change', subject: String(user.id), phone };
  return { change: { ...change, phone: { value: phone, code: useCodeItem(codeKey, binding, body.confirmation_code) } }, binding };
}

export async function changeProfile(user: User, body: Body): Promise<void> {
  const phone = body.phone === undefined ? undefined : requirePhone(body.phone, config.defaultCountry);
  if (phone !== undefined && phone !== user.phone && !isFreshCodeLogin(user.session, clock.now(), config.freshLoginS)) throw freshLoginNeeded();
  // Every asked-for change of the address counts, taken or not: the answer tells whether it is taken.
  if (body.email !== undefined && emailKey(body.email) !== emailKey(user.email)) await chargeLimits(emailChangeLimits(user.id));
  for (let attempt = 0; attempt < 3; attempt++) {
    const current = attempt === 0 ? user : await getUser(user.id);
    if (!current || current.generation !== user.generation) throw new Unauthorized();
    const { change, binding } = changeFor(current, body, phone, phone === undefined ? '' : await codeDigestKey());
    // Connected with `profile` on: each of the user's client cards in Altegio gets the new name, phone and email.
    const writeback = writebackOn('profile') ? (now: { name: string; phone: string; email: string }) => [profileCommandUpdate(current.id, now, [current.phone])] : undefined;
    const outcome = await updateProfile(current, change, writeback);
    if (outcome === 'ok') {
      if (writeback && (change.name !== undefined || change.email !== undefined || change.phone)) await runInline(commandId('profile', current.id));
      return;
    }
    if (outcome === 'wrong-code') {
      await countWrongGuess(binding!);
      throw wrongCodeError('confirmation_code');
    }
    if (outcome !== 'stale') throw taken(outcome === 'phone-taken' ? 'phone' : 'email');
  }
  throw new ServiceUnavailable('The profile was changed meanwhile. Please try again.', 1);
}
