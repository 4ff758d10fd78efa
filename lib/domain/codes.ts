// SMS codes (docs/contract.md section 5): 6 digits from a CSPRNG, kept only as a keyed digest bound to
// their purpose, their subject (nobody yet for a login, the user for a phone change) and the
// phone; 10 minutes of life; single use; at most 5 wrong attempts.
import { randomInt } from 'node:crypto';
import { ErrorCode, refusal, type Refusal } from './refusals.js';
import { hmacHex } from './secrets.js';

export type CodePurpose = 'login' | 'phone_change';

export const codeLifetimeMs = 10 * 60 * 1000;
export const maxCodeAttempts = 5;

export interface CodeBinding {
  purpose: CodePurpose;
  /** `-` for a login (no user yet), else the user id the code was issued to. */
  subject: string;
  phone: string;
}

export function generateCode(): string {
  return String(randomInt(0, 1_000_000)).padStart(6, '0');
}

export function codeDigest(key: string, binding: CodeBinding, code: string): string {
  return hmacHex(key, `${binding.purpose}|${binding.subject}|${binding.phone}|${code.trim()}`);
}

export function smsText(purpose: CodePurpose, code: string): string {
  return purpose === 'login'
    ? `${code} is your login code. It is valid for 10 minutes. Do not share it with anyone.`
    : `${code} is your code to confirm this phone number. It is valid for 10 minutes. Do not share it with anyone.`;
}

/** The refusal 432: wrong, expired, used or worn-out code (one answer for all, so none is told apart). */
export function wrongCode(field: string): Refusal {
  return refusal(ErrorCode.wrongSmsCode, `${field}: wrong or expired SMS code`);
}
