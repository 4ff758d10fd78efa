// Who may be sent an SMS code: numbers that are valid by the `mobile` metadata, which knows only
// mobile (and mobile-or-fixed) ranges. Landlines cannot receive a code, and toll-free, premium and
// shared-cost numbers are how SMS pumping earns, so they are refused before anything is charged.
// The same E.164 digits come out as from lib/domain/phone.ts for every number that passes here.
import { parsePhoneNumberFromString } from 'libphonenumber-js/mobile';
import { ErrorCode, Unprocessable } from '../errors.js';
import { normalizeWith } from './phone-rule.js';

export function requireSmsPhone(input: string, region: string): string {
  const phone = normalizeWith(parsePhoneNumberFromString, input, region);
  if (!phone) throw new Unprocessable([{ code: ErrorCode.invalidPhone, message: 'phone: not a mobile number that can receive SMS' }]);
  return phone;
}
