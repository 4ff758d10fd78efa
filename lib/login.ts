// Logging in with an SMS code (CONTRACT.md section 2): one transaction spends the code and issues
// the token (and makes the user on a first login). Only a lost race for a new phone's first login
// is tried again, as the user the winner made.
import { countWrongGuess, codeExtras, useCodeItem } from './db/codes.js';
import { findUserByPhone, loginWithCode } from './db/users.js';
import { wrongCodeError, type CodeBinding } from './domain/codes.js';
import type { User } from './domain/users.js';
import { ServiceUnavailable } from './errors.js';
import { count } from './observe.js';
import { codeDigestKey } from './sms/send-code.js';

export async function logInWithCode(phone: string, code: string): Promise<{ user: User; token: string }> {
  const binding: CodeBinding = { purpose: 'login', subject: '-', phone };
  for (let attempt = 0; attempt < 2; attempt++) {
    const existing = await findUserByPhone(phone);
    // A first login names the user after the `fullname` given with the code, if any.
    const name = existing ? '' : String((await codeExtras(binding)).fullname ?? '');
    const outcome = await loginWithCode(phone, existing, useCodeItem(await codeDigestKey(), binding, code), name);
    if (outcome === 'wrong-code') {
      count('LoginsFailed');
      await countWrongGuess(binding);
      throw wrongCodeError('code');
    }
    if (outcome === 'raced') continue;
    count('Logins');
    return outcome;
  }
  throw new ServiceUnavailable('Please try again.', 1);
}
