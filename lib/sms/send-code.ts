// Issuing an SMS code: charge the limits, store the code's digest, send it. If the SMS cannot be
// sent, the code is discarded (it must never work unseen) and the limits are refunded (nobody was
// sent anything), and the caller gets the sender's error.
import { generateCode, smsText, type CodeBinding } from '../domain/codes.js';
import { derivedKey } from '../domain/secrets.js';
import { internalKey } from '../secret-store.js';
import { discardCode, storeCode } from '../db/codes.js';
import { TooManyRequests } from '../errors.js';
import { chargeLimits } from '../limits/limiter.js';
import { count } from '../observe.js';
import { smsLimits, type SmsRequester } from '../limits/policies.js';
import { sendSms } from './sender.js';

/** The key of code digests: derived from the internal key, which no sender or subscriber holds. */
export async function codeDigestKey(): Promise<string> {
  const key = await internalKey();
  if (!key) throw new Error('CABINET_INTERNAL_KEY is not set; SMS codes cannot be issued');
  return derivedKey(key, 'sms-code/v1');
}

export async function sendCode(binding: CodeBinding, requester: Omit<SmsRequester, 'phone'>, extra?: Record<string, string>): Promise<void> {
  const key = await codeDigestKey();
  const charge = await chargeLimits(smsLimits({ ...requester, phone: binding.phone })).catch((error: unknown) => {
    if (error instanceof TooManyRequests) count('SmsRefusedByLimit');
    throw error;
  });
  const code = generateCode();
  try {
    await storeCode(key, binding, code, extra);
    await sendSms({ to: binding.phone, text: smsText(binding.purpose, code), purpose: binding.purpose });
    count('SmsSent');
  } catch (error) {
    count('SmsFailed');
    await Promise.all([discardCode(binding, code, key).catch(() => undefined), charge.refund()]);
    throw error;
  }
}
