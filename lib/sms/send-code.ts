// Issuing an SMS code: charge the limits, store the code's digest, send it. If the gateway clearly
// refused it (no connection, or an answer that is not 2xx), the code is discarded (it must never
// work unseen) and the limits are refunded (nobody was sent anything). If it may have been sent (no
// answer in time, the connection lost after the request), every limit stays charged and the code
// stays valid: a slow gateway may be sending it, and must not make sending unlimited.
import { config } from '../config.js';
import { generateCode, smsText, type CodeBinding } from '../domain/codes.js';
import { regionOf, type CompanyDoc } from '../domain/entities.js';
import { derivedKey } from '../domain/secrets.js';
import { checkSmsPhone, smsCountries } from '../domain/sms-phone.js';
import { internalKey } from '../secret-store.js';
import { discardCode, storeCode } from '../db/codes.js';
import { findCompanyOfGroup, type StoredEntity } from '../db/entities.js';
import { TooManyRequests, unlessRefused } from '../errors.js';
import { chargeLimits } from '../limits/limiter.js';
import { count, logger } from '../observe.js';
import { smsBudgets, smsLimits, type SmsRequester } from '../limits/policies.js';
import { SmsMaybeSent, sendSms } from './sender.js';

/** The key of code digests: derived from the internal key, which no sender or subscriber holds. */
export async function codeDigestKey(): Promise<string> {
  const key = await internalKey();
  if (!key) throw new Error('CABINET_INTERNAL_KEY is not set; SMS codes cannot be issued');
  return derivedKey(key, 'sms-code/v1');
}

/**
 * The E.164 digits of a phone this location may text a code to: a mobile of the location's own
 * country or of one in CABINET_SMS_COUNTRIES; anything else is 422 code 431, before any charge.
 */
/** The location a group stands for: its first by id, its country and its budget (the table's, in either mode). */
export function locationOfGroup(groupId: number): Promise<StoredEntity<CompanyDoc> | null> {
  return findCompanyOfGroup(groupId);
}

export function smsRecipient(input: string, location: CompanyDoc): string {
  const country = regionOf(location, config.defaultCountry);
  return unlessRefused(checkSmsPhone(input, country, smsCountries(country, config.smsCountries)));
}

const spentMessage = 'Too many requests. No more SMS codes can be sent here today: log in with your password, or with a code already sent.';

/**
 * A refusal by a daily budget says so (a user can still log in by password or with a code already
 * sent: neither draws on a budget), and tells the operator which budget, by location, never by phone.
 */
function refusal(error: TooManyRequests, locationId: number): TooManyRequests {
  count('SmsRefusedByLimit');
  const spent = error.limits.flatMap((scope) => smsBudgets[scope] ?? []);
  if (spent.length === 0) return error;
  count('SmsBudgetSpent');
  logger.warn('SMS budget spent', { location_id: locationId, budget: spent.join(',') });
  return new TooManyRequests(Number(error.headers['retry-after']), error.limits, spentMessage);
}

export async function sendCode(
  binding: CodeBinding,
  requester: Omit<SmsRequester, 'phone'>,
  extra?: Record<string, string>,
): Promise<void> {
  const key = await codeDigestKey();
  const charge = await chargeLimits(smsLimits({ ...requester, phone: binding.phone })).catch((error: unknown) => {
    throw error instanceof TooManyRequests ? refusal(error, requester.locationId) : error;
  });
  const code = generateCode();
  try {
    await storeCode(key, binding, code, extra);
    await sendSms({ to: binding.phone, text: smsText(binding.purpose, code), purpose: binding.purpose });
    count('SmsSent');
  } catch (error) {
    count('SmsFailed');
    if (!(error instanceof SmsMaybeSent)) await Promise.all([discardCode(binding, code, key).catch(() => undefined), charge.refund()]);
    throw error;
  }
}
