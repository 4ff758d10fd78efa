// The contract's envelopes (docs/contract.md section 1). Functions return a Reply; only this file knows
// how a Reply, or an error, looks on the wire.
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { HttpError } from '../errors.js';

/** `B`: the body's type; a function declares it as `Reply<AnswerOf<'its-operation'>>` (lib/schemas/responses). */
export interface Reply<B = unknown> {
  status: number;
  body: B;
  /** A file of the reference page instead of an envelope (lib/docs/assets.ts). */
  file?: FileBody;
  /** Extra response headers (a redirect's `location`). */
  headers?: Record<string, string>;
  /** Text sent as it is instead of the body's JSON (a page, a calendar file); its type in `headers`. */
  text?: string;
}

export interface FileBody {
  type: string;
  bytes: Buffer | null; // null: 304, the client's copy is current
  etag: string;
  gzip: boolean;
  policy?: string;
}

/** A success with data: `{success: true, data, meta: []}`. */
export function ok<T>(data: T, status = 200): Reply<{ success: true; data: T; meta: [] }> {
  return { status, body: { success: true, data, meta: [] } };
}

/** An acknowledgement with nothing to return: no `data` key, as the vendor documents. */
export function ack<M extends 'Accepted' | 'Created'>(message: M, status: 202 | 201): Reply<{ success: true; meta: { message: M } }> {
  return { status, body: { success: true, meta: { message } } };
}

/** 302 to `location` (relative, so the API works under any mount prefix), with an envelope body. */
export function redirect(location: string): Reply<{ success: true; data: { location: string }; meta: [] }> {
  return { status: 302, body: { success: true, data: { location }, meta: [] }, headers: { location } };
}

const baseHeaders = {
  'content-type': 'application/json; charset=utf-8',
  // Responses carry personal data and one-time links: never cache them, never sniff them.
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
};

export function render(reply: Reply, headers: Record<string, string> = {}): APIGatewayProxyStructuredResultV2 {
  if (reply.file) return renderFile(reply.status, reply.file);
  return {
    statusCode: reply.status,
    headers: { ...baseHeaders, ...reply.headers, ...headers },
    body: reply.text ?? JSON.stringify(reply.body),
  };
}

function renderFile(status: number, file: FileBody): APIGatewayProxyStructuredResultV2 {
  const headers: Record<string, string> = {
    'content-type': file.type,
    // Public and the same for everyone; revalidated by ETag after a deploy changes it.
    'cache-control': 'public, max-age=300',
    etag: file.etag,
    vary: 'accept-encoding',
    'x-content-type-options': 'nosniff',
    ...(file.gzip ? { 'content-encoding': 'gzip' } : {}),
    ...(file.policy ? { 'content-security-policy': file.policy } : {}),
  };
  if (!file.bytes) return { statusCode: 304, headers };
  return { statusCode: status, headers, body: file.bytes.toString('base64'), isBase64Encoded: true };
}

export function renderError(error: HttpError): APIGatewayProxyStructuredResultV2 {
  const meta = error.errors ? { message: error.message, errors: error.errors } : { message: error.message };
  return render({ status: error.status, body: { success: false, data: null, meta } }, error.headers);
}

export function renderInternalError(): APIGatewayProxyStructuredResultV2 {
  return renderError(new HttpError(500, 'Internal error.'));
}
