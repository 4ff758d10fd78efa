// Which country a location is in, from what Altegio's company object carries: its `country` name
// (the account's language: English or Russian here) and its own phone number. Pure: no I/O. Given
// libphonenumber's functions, so that each bundle uses the metadata set it already carries
// (lib/domain/countries.ts binds `min`; the SMS functions bind `mobile`, lib/domain/sms-phone.ts).
import type { CountryCode, PhoneNumber } from 'libphonenumber-js/core';

export interface PhoneLib {
  isSupportedCountry: (code: string) => boolean;
  parsePhoneNumberFromString: (text: string, region?: CountryCode) => PhoneNumber | undefined;
}

export interface LocationCountry {
  country_code: string | null;
  country: string;
  phone: string;
  phones: string[];
}

export interface Countries {
  countryOfName(name: string): string | null;
  countryOfPhone(phone: string): string | null;
  countryOfLocation(l: LocationCountry): string | null;
}

export function countriesWith({ isSupportedCountry, parsePhoneNumberFromString }: PhoneLib): Countries {
  let byName: Map<string, string> | null = null;

  const key = (name: string) =>
    name
      .trim()
      .toLowerCase()
      .replace(/ё/g, 'е')
      .replace(/[\s.]+/g, ' ');

  /** Names Altegio writes that are not the runtime's own display names. */
  const aliases: Record<string, string> = {
    usa: 'US',
    'united states of america': 'US',
    сша: 'US',
    uk: 'GB',
    'great britain': 'GB',
    'russian federation': 'RU',
    рф: 'RU',
  };

  function names(): Map<string, string> {
    if (byName) return byName;
    byName = new Map(Object.entries(aliases));
    const locales = ['en', 'ru'].map((locale) => new Intl.DisplayNames([locale], { type: 'region', fallback: 'none' }));
    for (let a = 65; a <= 90; a++) {
      for (let b = 65; b <= 90; b++) {
        const code = String.fromCharCode(a, b);
        // Only countries whose numbers can be read (not `EU`, `UN`, `ZZ`).
        if (!isSupportedCountry(code)) continue;
        for (const locale of locales) {
          const name = locale.of(code);
          if (name && !byName.has(key(name))) byName.set(key(name), code);
        }
      }
    }
    return byName;
  }

  /** `United States`, `Россия` → `US`, `RU`; null for a name it does not know. */
  function countryOfName(name: string): string | null {
    return name.trim() ? (names().get(key(name)) ?? null) : null;
  }

  /** The country of a phone written with its country code (`+7 495 …` → `RU`); null otherwise. */
  function countryOfPhone(phone: string): string | null {
    if (!phone.trim().startsWith('+')) return null;
    return parsePhoneNumberFromString(phone.trim())?.country ?? null;
  }

  /**
   * A location's country, for the phones its clients give without a country code: its ISO
   * `country_code` (a cabinet extension), else its `country` name as Altegio writes it (English or
   * Russian), else the country of its own phone number; null when none tells.
   */
  function countryOfLocation(l: { country_code: string | null; country: string; phone: string; phones: string[] }): string | null {
    return l.country_code ?? countryOfName(l.country) ?? [l.phone, ...l.phones].map(countryOfPhone).find(Boolean) ?? null;
  }

  return { countryOfName, countryOfPhone, countryOfLocation };
}
