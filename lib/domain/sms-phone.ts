// Who may be sent an SMS code: numbers that are valid by the `mobile` metadata, which knows only
// mobile (and mobile-or-fixed) ranges. Landlines cannot receive a code, and toll-free, premium and
// shared-cost numbers are how SMS pumping earns, so they are refused before anything is charged.
// The same E.164 digits come out as from lib/domain/phone.ts for every number that passes here.
//
// And only numbers of the countries allowed: pumping earns on expensive
// destinations (satellite +8816, +232, +675…) that a salon's clients do not have. The country is
// libphonenumber's, by number range, not the calling code: +7 7xx is Kazakhstan, not Russia, a +1
// 876 number is Jamaica, not the US, a +44 7911 number is Guernsey. A non-geographic number
// (satellite, international networks) has no country and is never allowed.
import { isSupportedCountry, parsePhoneNumberFromString } from 'libphonenumber-js/mobile';
import { countriesWith, type LocationCountry } from './country-rule.js';
import { normalizeWith } from './phone-rule.js';
import { ErrorCode, refusal, type Refusal } from './refusals.js';

const countries = /* @__PURE__ */ countriesWith({ isSupportedCountry, parsePhoneNumberFromString });

/**
 * A location's country (lib/domain/country-rule.ts) told with the `mobile` set this bundle carries
 * anyway: the same as lib/domain/countries.ts gives, except that a landline of a calling code several
 * countries share (+44 20… is GB there, unknown here) tells nothing when the `country` name does not.
 */
export function smsCountryOfLocation(l: LocationCountry): string | null {
  return countries.countryOfLocation(l);
}

/** The countries whose numbers a location's codes may go to: its own first, then the operator's list. */
export function smsCountries(locationCountry: string, extra: readonly string[]): string[] {
  return [...new Set([locationCountry, ...extra])];
}

const notMobile = (): Refusal => refusal(ErrorCode.invalidPhone, 'phone: not a mobile number that can receive SMS');

/**
 * Refuses, before the location is looked up (in connected mode a call to Altegio), what no
 * location's country could make a mobile: under 4 or over 17 digits, or written with `+` and not a
 * valid mobile of any country. The same refusal as checkSmsPhone's, which checks what passes here
 * against the location's own country; null when it may pass.
 */
export function checkPossibleSmsPhone(input: string): Refusal | null {
  const trimmed = input.trim();
  const digits = trimmed.match(/\p{Nd}/gu)?.length ?? 0;
  if (digits < 4 || digits > 17 || trimmed.length > 32) return notMobile();
  if (trimmed.startsWith('+') && !parsePhoneNumberFromString(trimmed)?.isValid()) return notMobile();
  return null;
}

/** The phone as E.164 digits, or the refusal 431 when it is no mobile of an allowed country. */
export function checkSmsPhone(input: string, region: string, allowed: readonly string[]): string | Refusal {
  const phone = normalizeWith(parsePhoneNumberFromString, input, region);
  if (!phone) return notMobile();
  const country = parsePhoneNumberFromString(`+${phone}`)?.country;
  if (!country || !allowed.includes(country)) {
    return refusal(ErrorCode.invalidPhone, `phone: SMS codes are sent only to numbers of ${allowed.join(', ')}`);
  }
  return phone;
}
