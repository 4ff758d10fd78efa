// How a typed phone becomes E.164 digits, given a libphonenumber parser. Kept apart from the
// parsers so that each operation's bundle carries only the metadata it uses.
import type { CountryCode, PhoneNumber } from 'libphonenumber-js/core';

type Parse = (text: string, region?: CountryCode) => PhoneNumber | undefined;

export function normalizeWith(parse: Parse, input: string, region: string): string | null {
  const trimmed = input.trim();
  if (trimmed.length === 0 || trimmed.length > 32) return null;
  const local = parse(trimmed, region as CountryCode);
  if (local?.isValid()) return local.number.slice(1);
  // Altegio writes international numbers as bare digits, without the plus.
  const digits = trimmed.replace(/[\s()-]/g, '');
  if (!/^\d+$/.test(digits)) return null;
  const international = parse(`+${digits}`);
  return international?.isValid() ? international.number.slice(1) : null;
}
