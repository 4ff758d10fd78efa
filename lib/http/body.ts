// The JSON body of operations that take one. Malformed JSON, a non-JSON content type and a body
// of the wrong JSON type (a scalar or `null`: every operation takes an object) are the client's
// mistake (400), and the raw text is kept because webhook signatures cover the exact bytes.
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { BadRequest, PayloadTooLarge } from '../errors.js';

export interface ParsedBody {
  raw: Buffer;
  value: unknown;
}

function isJsonType(contentType: string | undefined): boolean {
  // Real PHP clients always send a type, but a missing one is read as JSON rather than refused.
  if (contentType === undefined) return true;
  const type = contentType.split(';')[0]!.trim().toLowerCase();
  return type === 'application/json' || /^application\/[\w.+-]+\+json$/.test(type);
}

/**
 * The largest body any operation takes. Altegio's fattest webhook (a record with its services,
 * staff and client) is a few KB; refusing more early keeps a hostile body from costing CPU.
 */
export const maxBodyBytes = 64 * 1024;

const wrongType = () => new BadRequest('The body must be a JSON object.');

/**
 * API Gateway always hands the body on as text. The local stack (serverless offline) hands a
 * falsy JSON value on as that value (`0`, `false`), and JSON `null` as no body at all, which only
 * its Content-Length still tells apart from an empty one: both are a body of the wrong type.
 */
function sentText(event: APIGatewayProxyEventV2): string {
  const body = event.body as unknown;
  if (typeof body === 'string') return body;
  if (body === undefined || body === null) {
    if (Number(event.headers['content-length'] ?? 0) > 0) throw wrongType();
    return '';
  }
  throw wrongType();
}

export function parseBody(event: APIGatewayProxyEventV2): ParsedBody {
  const raw = Buffer.from(sentText(event), event.isBase64Encoded ? 'base64' : 'utf8');
  if (raw.length > maxBodyBytes) throw new PayloadTooLarge(maxBodyBytes);
  if (raw.length === 0) return { raw, value: {} };
  if (!isJsonType(event.headers['content-type'])) throw new BadRequest('Content-Type must be application/json.');
  let value: unknown;
  try {
    value = JSON.parse(raw.toString('utf8'));
  } catch {
    throw new BadRequest('Malformed JSON body.');
  }
  // Arrays go on to the schema, which names what it expected (Altegio may batch webhook events).
  if (value === null || typeof value !== 'object') throw wrongType();
  return { raw, value };
}
