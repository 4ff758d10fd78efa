// Parsing of `Authorization: Bearer <partner>[, User <user>]`, tolerant of case and spacing
// because real clients differ (docs/contract.md section 1).

export interface Credentials {
  partnerToken: string;
  userToken?: string;
}

const pattern = /^\s*bearer\s+([^\s,]+)\s*(?:,\s*user\s+([^\s,]+)\s*)?$/i;

export function parseAuthorization(header: string | undefined): Credentials | null {
  const match = header ? pattern.exec(header) : null;
  if (!match?.[1]) return null;
  return match[2] ? { partnerToken: match[1], userToken: match[2] } : { partnerToken: match[1] };
}
