// The body of operations that take one: JSON, or a form (`application/x-www-form-urlencoded`,
// jQuery's default; lib/http/form.ts), both read into the object the operation's schema checks.
// Malformed JSON, any other content type and a body of the wrong JSON type (a scalar or `null`:
// every operation takes an object) are the client's mistake (400), and the raw text is kept
// because webhook signatures cover the exact bytes.
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { BadRequest, PayloadTooLarge } from '../errors.js';
import { parseForm } from './form.js';

export interface ParsedBody {
  raw: Buffer;
  value: unknown;
}

function bodyType(contentType: string | undefined): 'json' | 'form' | null {
  // Real PHP clients always send a type, but a missing one is read as JSON rather than refused.
  if (contentType === undefined) return 'json';
  const type = contentType.split(';')[0]!.trim().toLowerCase();
  if (type === 'application/json' || /^application\/[\w.+-]+\+json$/.test(type)) return 'json';
  return type === 'application/x-www-form-urlencoded' ? 'form' : null;
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
  const type = bodyType(event.headers['content-type']);
  if (type === null) throw new BadRequest('Content-Type must be application/json or application/x-www-form-urlencoded.');
  if (type === 'form') return { raw, value: parseForm(raw.toString('utf8')) };
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
