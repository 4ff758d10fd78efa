// Setting and changing a password (docs/contract.md 3.3), under the rule that keeps a stolen token from
// keeping the account (docs/security.md): without the old password, only a token from
// an SMS-code login of the last CABINET_FRESH_LOGIN_S seconds may set one. The owner, who gets the
// SMS, can therefore always take the account back; a token alone, once it is older, cannot.
import { config } from './config.js';
import { clock } from './clock.js';
import { findUserByEmail, findUserByPhone, issueToken, setPassword } from './db/users.js';
import { hashPassword, verifyNothing, verifyPassword } from './domain/passwords.js';
import { normalizePhone } from './domain/phone.js';
import { emailKey, isFreshCodeLogin, type User } from './domain/users.js';
import { count } from './observe.js';
import { ErrorCode } from './domain/refusals.js';
import { Unprocessable } from './errors.js';
import { chargeLimits } from './limits/limiter.js';
import { passwordLimits } from './limits/policies.js';

const wrongOld = () => new Unprocessable([{ code: ErrorCode.wrongOldPassword, message: 'old_password: wrong password' }]);

/** The fresh-login window in words, for the answers that need one (1009). */
export function window(seconds: number): string {
  return seconds % 60 === 0 ? `${seconds / 60} minutes` : `${seconds} seconds`;
}

const freshLoginNeeded = () =>
  new Unprocessable([
    {
      code: ErrorCode.freshLoginNeeded,
      message: `old_password: needed, unless signed in with an SMS code in the last ${window(config.freshLoginS)}`,
    },
  ]);

/** Sets the new password; answers the new token (every earlier token of the user is dead). */
export async function changePassword(user: User, oldPassword: string | undefined, newPassword: string, ip: string): Promise<string> {
  const given = oldPassword ? oldPassword : undefined;
  if (user.password_hash && given !== undefined) {
    // Guessing the old password with a stolen token counts against the account's login limits.
    await chargeLimits(passwordLimits(ip, { userId: user.id }));
    if (!(await verifyPassword(given, user.password_hash))) throw wrongOld();
  } else if (!isFreshCodeLogin(user.session, clock.now(), config.freshLoginS)) {
    throw user.password_hash ? wrongOld() : freshLoginNeeded();
  }
  const token = await setPassword(user, await hashPassword(newPassword));
  if (!token) throw wrongOld(); // changed meanwhile: the old password checked may be old no more
  return token;
}

const wrongLogin = () => new Unprocessable([{ code: ErrorCode.wrongLogin, message: 'Wrong login or password.' }]);

/**
 * Password login (docs/contract.md section 2) by phone or email. The account is found first (two reads
 * at most), so its limit is the account's whichever name was typed. A login with no password to
 * check still costs a decoy scrypt, so that it answers in the time a wrong password does; those
 * decoys draw on one deployment-wide budget, which refuses (429) before any scrypt when a flood
 * of random logins spends it, while logins of real accounts go on under their own limits.
 */
export async function logInWithPassword(given: string, password: string, ip: string): Promise<{ user: User; token: string }> {
  const byEmail = given.includes('@');
  const login = byEmail ? emailKey(given) : (normalizePhone(given, config.defaultCountry) ?? given);
  const user = byEmail ? await findUserByEmail(login) : await findUserByPhone(login);
  const hash = user?.password_hash;
  await chargeLimits(passwordLimits(ip, user ? { userId: user.id } : { login }, !hash));
  const right = hash ? await verifyPassword(password, hash) : await verifyNothing(password);
  count(user && right ? 'Logins' : 'LoginsFailed');
  if (!user || !right) throw wrongLogin();
  return { user, token: await issueToken(user) };
}
