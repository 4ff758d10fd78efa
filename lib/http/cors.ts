// CORS (docs/contract.md section 11): a salon's web app calls cabinet from its own origin, with the
// tokens in `Authorization`. Cabinet's own code answers the preflight, in every function, so that
// behind API Gateway's `$default` route (which also receives every `OPTIONS`) it answers as on the
// local stack. No cookies are used, so `*` is safe and the default; a list restricts it.
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';

export type Origins = '*' | readonly string[];

const allowMethods = 'GET,POST,PUT,DELETE,OPTIONS';
// What clients send: the tokens, a JSON or form body, the vendor Accept types, the webhook's signature.
const allowHeaders = 'Authorization,Content-Type,Accept,Accept-Language,X-Cabinet-Signature';
// How long a browser may reuse a preflight's answer (Chromium caps it at two hours).
const maxAgeS = '7200';

/**
 * The Allow-Origin for a request from `origin`. An origin not in the list gets the list's first one,
 * which the browser compares, refuses and blocks: never nothing, as a proxy in front (serverless
 * offline) fills an absent header with the caller's origin.
 */
export function allowOrigin(allowed: Origins, origin: string | undefined): Record<string, string> {
  if (allowed === '*') return { 'access-control-allow-origin': '*' };
  const match = origin !== undefined && allowed.includes(origin);
  return { 'access-control-allow-origin': match ? origin : allowed[0]!, vary: 'origin' };
}

export function isPreflight(method: string | undefined): boolean {
  return method?.toUpperCase() === 'OPTIONS';
}

/** The answer to a preflight, on any path, known or not. */
export function preflight(allowed: Origins, origin: string | undefined): APIGatewayProxyStructuredResultV2 {
  return {
    statusCode: 204,
    headers: {
      ...allowOrigin(allowed, origin),
      'access-control-allow-methods': allowMethods,
      'access-control-allow-headers': allowHeaders,
      'access-control-max-age': maxAgeS,
      'cache-control': 'no-store',
    },
    body: '',
  };
}
