// Logging in with an SMS code (docs/contract.md section 2). The code is checked first and alone, so a
// wrong one makes the same single table request whether or not the phone has an account, and no
// user id is allocated for it (docs/security.md). Then one transaction spends the code
// and issues the token (and makes the user on a first login). Only a lost race for a new phone's
// first login is tried again, as the user the winner made.
import { config } from './config.js';
import { spendTriedCode, tryCode } from './db/codes.js';
import { getEntity } from './db/entities.js';
import { findUserByPhone, loginWithCode } from './db/users.js';
import { wrongCode as wrongCodeRefusal, type CodeBinding } from './domain/codes.js';
import { regionOf, type CompanyDoc } from './domain/entities.js';
import { checkPhone } from './domain/phone.js';
import type { User } from './domain/users.js';
import { refused, ServiceUnavailable, unlessRefused } from './errors.js';
import { count } from './observe.js';
import { codeDigestKey } from './sms/send-code.js';

function wrongCode(): never {
  count('LoginsFailed');
  throw refused(wrongCodeRefusal('code'));
}

/** The phone a login names, read with the country of the location given (as the table holds it: only a hint, never asked of Altegio). */
export async function loginPhone(phone: string, companyId: number | undefined): Promise<string> {
  const company = companyId ? await getEntity<CompanyDoc>('company', companyId) : null;
  return unlessRefused(checkPhone(phone, regionOf(company?.doc ?? null, config.defaultCountry)));
}

export async function logInWithCode(phone: string, code: string): Promise<{ user: User; token: string }> {
  const binding: CodeBinding = { purpose: 'login', subject: '-', phone };
  const digestKey = await codeDigestKey();
  const tried = await tryCode(digestKey, binding, code);
  if (!tried) wrongCode();
  for (let attempt = 0; attempt < 2; attempt++) {
    const existing = await findUserByPhone(phone);
    // A first login names the user after the `fullname` given with the code, if any.
    const name = existing ? '' : String(tried.fullname ?? '');
    const outcome = await loginWithCode(phone, existing, spendTriedCode(digestKey, binding, code), name);
    // The right code, spent meanwhile by a concurrent login with it (or replaced by a new one).
    if (outcome === 'wrong-code') wrongCode();
    if (outcome === 'raced') continue;
    count('Logins');
    return outcome;
  }
  throw new ServiceUnavailable('Please try again.', 1);
}
