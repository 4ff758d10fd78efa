// A page's change comes only from cabinet's own pages (docs/contract.md section 10): a form on another
// site could otherwise cancel an appointment whose link it learnt. The browser's Sec-Fetch-Site is
// judged first: under `Referrer-Policy: no-referrer` Chromium sends `Origin: null` with the page's
// own form posts, so Origin alone would refuse the customer. Where a browser sends no
// Sec-Fetch-Site, an Origin must be cabinet's own. A request with neither is no browser's form
// post from another site (a script or curl, which could send anything anyway). Pure: no I/O.

export interface OriginFacts {
  secFetchSite: string | undefined;
  origin: string | undefined;
  /** The Host the request was sent to, and the scheme it came by (API Gateway's X-Forwarded-Proto). */
  host: string | undefined;
  proto: string | undefined;
  /** Cabinet's configured public base URL. */
  publicUrl: string;
}

function ownOrigins({ host, proto, publicUrl }: OriginFacts): string[] {
  const own = [new URL(publicUrl).origin];
  if (host) own.push(`${proto === 'http' ? 'http' : 'https'}://${host.toLowerCase()}`);
  // The local stack is reached over plain HTTP on a loopback address.
  if (host && /^(127\.0\.0\.1|localhost|\[::1\])(:\d+)?$/i.test(host)) own.push(`http://${host.toLowerCase()}`);
  return own;
}

export function fromOwnPage(facts: OriginFacts): boolean {
  const site = facts.secFetchSite?.trim().toLowerCase();
  if (site !== undefined && site !== '') return site === 'same-origin' || site === 'none';
  if (facts.origin === undefined) return true;
  return ownOrigins(facts).includes(facts.origin.trim().toLowerCase());
}
