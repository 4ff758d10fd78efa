// The contract's envelopes (CONTRACT.md section 1). Functions return a Reply; only this file knows
// how a Reply, or an error, looks on the wire.
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { HttpError } from '../errors.js';

export interface Reply {
  status: number;
  body: unknown;
}

/** A success with data: `{success: true, data, meta: []}`. */
export function ok(data: unknown, status = 200): Reply {
  return { status, body: { success: true, data, meta: [] } };
}

/** An acknowledgement with nothing to return: no `data` key, as the vendor documents. */
export function ack(message: 'Accepted' | 'Created', status: 202 | 201): Reply {
  return { status, body: { success: true, meta: { message } } };
}

const baseHeaders = {
  'content-type': 'application/json; charset=utf-8',
  // Responses carry personal data and one-time links: never cache them, never sniff them.
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
};

export function render(reply: Reply, headers: Record<string, string> = {}): APIGatewayProxyStructuredResultV2 {
  return { statusCode: reply.status, headers: { ...baseHeaders, ...headers }, body: JSON.stringify(reply.body) };
}

export function renderError(error: HttpError): APIGatewayProxyStructuredResultV2 {
  const meta = error.errors ? { message: error.message, errors: error.errors } : { message: error.message };
  return render({ status: error.status, body: { success: false, data: null, meta } }, error.headers);
}

export function renderInternalError(): APIGatewayProxyStructuredResultV2 {
  return renderError(new HttpError(500, 'Internal error.'));
}
