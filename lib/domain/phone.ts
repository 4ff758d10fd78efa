// Phones are kept and compared as E.164 digits (docs/contract.md section 1): `79161234567` for
// `+7 916 123-45-67`, `8 (916) 123-45-67` (RU) or Altegio's own `79161234567`. The `min` metadata
// (lengths and prefixes per country) is enough to normalise; lib/domain/sms-phone.ts decides who
// may be sent a code.
import { parsePhoneNumberFromString } from 'libphonenumber-js/min';
import { normalizeWith } from './phone-rule.js';
import { ErrorCode, refusal, type Refusal } from './refusals.js';

export function normalizePhone(input: string, region: string): string | null {
  return normalizeWith(parsePhoneNumberFromString, input, region);
}

/** The phone as E.164 digits, or the refusal 431. */
export function checkPhone(input: string, region: string): string | Refusal {
  return normalizePhone(input, region) ?? refusal(ErrorCode.invalidPhone, 'phone: not a valid phone number');
}
