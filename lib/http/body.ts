// The JSON body of operations that take one. Malformed JSON and a non-JSON content type are the
// client's mistake (400), and the raw text is kept because webhook signatures cover the exact bytes.
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

export function parseBody(event: APIGatewayProxyEventV2): ParsedBody {
  const raw = Buffer.from(event.body ?? '', event.isBase64Encoded ? 'base64' : 'utf8');
  if (raw.length > maxBodyBytes) throw new PayloadTooLarge(maxBodyBytes);
  if (raw.length === 0) return { raw, value: {} };
  if (!isJsonType(event.headers['content-type'])) throw new BadRequest('Content-Type must be application/json.');
  try {
    return { raw, value: JSON.parse(raw.toString('utf8')) };
  } catch {
    throw new BadRequest('Malformed JSON body.');
  }
}
