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
import { ErrorCode, Unprocessable } from '../errors.js';
import { countriesWith, type LocationCountry } from './country-rule.js';
import { normalizeWith } from './phone-rule.js';

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

function notMobile(): Unprocessable {
  return new Unprocessable([{ code: ErrorCode.invalidPhone, message: 'phone: not a mobile number that can receive SMS' }]);
}

/**
 * Refuses, before the location is looked up (in connected mode a call to Altegio), what no
 * location's country could make a mobile: under 4 or over 17 digits, or written with `+` and not a
 * valid mobile of any country. The same answer as requireSmsPhone's, which checks what passes here
 * against the location's own country.
 */
export function requirePossibleSmsPhone(input: string): void {
  const trimmed = input.trim();
  const digits = trimmed.match(/\p{Nd}/gu)?.length ?? 0;
  if (digits < 4 || digits > 17 || trimmed.length > 32) throw notMobile();
  if (trimmed.startsWith('+') && !parsePhoneNumberFromString(trimmed)?.isValid()) throw notMobile();
}

export function requireSmsPhone(input: string, region: string, allowed: readonly string[]): string {
  const phone = normalizeWith(parsePhoneNumberFromString, input, region);
  if (!phone) throw notMobile();
  const country = parsePhoneNumberFromString(`+${phone}`)?.country;
  if (!country || !allowed.includes(country)) {
    throw new Unprocessable([{ code: ErrorCode.invalidPhone, message: `phone: SMS codes are sent only to numbers of ${allowed.join(', ')}` }]);
  }
  return phone;
}
