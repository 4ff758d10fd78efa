// Phones are kept and compared as E.164 digits (CONTRACT.md section 1): `79161234567` for
// `+7 916 123-45-67`, `8 (916) 123-45-67` (RU) or Altegio's own `79161234567`.
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';
import { ErrorCode, Unprocessable } from '../errors.js';

export function normalizePhone(input: string, region: string): string | null {
  const trimmed = input.trim();
  if (trimmed.length === 0 || trimmed.length > 32) return null;
  const local = parsePhoneNumberFromString(trimmed, region as CountryCode);
  if (local?.isValid()) return local.number.slice(1);
  // Altegio writes international numbers as bare digits, without the plus.
  const digits = trimmed.replace(/[\s()-]/g, '');
  if (!/^\d+$/.test(digits)) return null;
  const international = parsePhoneNumberFromString(`+${digits}`);
  return international?.isValid() ? international.number.slice(1) : null;
}

// Kinds of number an SMS code is never sent to: they cannot receive it, or sending to them is
// how SMS pumping makes money (premium and shared-cost numbers).
const noSms = new Set(['FIXED_LINE', 'PREMIUM_RATE', 'TOLL_FREE', 'SHARED_COST', 'UAN', 'VOICEMAIL', 'PAGER']);

export function canReceiveSms(phone: string): boolean {
  const parsed = parsePhoneNumberFromString(`+${phone}`);
  return Boolean(parsed?.isValid()) && !noSms.has(parsed!.getType() ?? '');
}

/** The phone as E.164 digits, or 422 with code 431; `forSms` also refuses numbers no code is sent to. */
export function requirePhone(input: string, region: string, forSms = false): string {
  const phone = normalizePhone(input, region);
  if (!phone) throw new Unprocessable([{ code: ErrorCode.invalidPhone, message: 'phone: not a valid phone number' }]);
  if (forSms && !canReceiveSms(phone)) {
    throw new Unprocessable([{ code: ErrorCode.invalidPhone, message: 'phone: SMS cannot be sent to this number' }]);
  }
  return phone;
}
