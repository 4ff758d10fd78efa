// Which country a location is in (lib/domain/country-rule.ts), with libphonenumber's `min`
// metadata: enough to tell a country from a number, and what the phone mapping uses beside it.
import { isSupportedCountry, parsePhoneNumberFromString } from 'libphonenumber-js/min';
import { countriesWith, type LocationCountry } from './country-rule.js';

const countries = /* @__PURE__ */ countriesWith({ isSupportedCountry, parsePhoneNumberFromString });

/** `United States`, `Россия` → `US`, `RU`; null for a name it does not know. */
export function countryOfName(name: string): string | null {
  return countries.countryOfName(name);
}

/** The country of a phone written with its country code (`+7 495 …` → `RU`); null otherwise. */
export function countryOfPhone(phone: string): string | null {
  return countries.countryOfPhone(phone);
}

/**
 * A location's country, for the phones its clients give without a country code: its ISO
 * `country_code` (a cabinet extension), else its `country` name as Altegio writes it (English or
 * Russian), else the country of its own phone number; null when none tells.
 */
export function countryOfLocation(l: LocationCountry): string | null {
  return countries.countryOfLocation(l);
}
