// Every response a test receives through `invoke()` (so through `request()` and the browser's HTTP
// server too) is checked against docs/openapi.json and the response models it was generated from
// (lib/schemas/responses): the status must be one the document lists for the route, a success
// must match its operation's model field for field (no field missing, none extra, none of another
// type), and a refusal the error envelope. A reply that drifts from the document fails the test
// that received it.
import { readFileSync } from 'node:fs';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import * as z from 'zod';
import { answers, errorEnvelope } from '../../lib/schemas/responses/index.js';

export class ResponseDrift extends Error {
  override name = 'ResponseDrift';
}

interface DocumentedOperation {
  responses: Record<string, unknown>;
}

const document = JSON.parse(readFileSync(new URL('../../docs/openapi.json', import.meta.url), 'utf8')) as {
  paths: Record<string, Record<string, DocumentedOperation>>;
};

/** The document's operation for an API Gateway route key (`GET /api/v1/user/records`). */
function documented(routeKey: string): DocumentedOperation | undefined {
  const [method, template] = routeKey.split(' ') as [string, string];
  const path = template.replace(/^\/(api\/)?v1(?=\/)/, '').replace(/^\/docs\/docs\//, '/docs/');
  return document.paths[path]?.[method.toLowerCase()];
}

function bodyOf(result: APIGatewayProxyStructuredResultV2): unknown {
  const text = Buffer.from(result.body ?? '', result.isBase64Encoded ? 'base64' : 'utf8').toString('utf8');
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export function checkResponse(functionName: string, routeKey: string, result: APIGatewayProxyStructuredResultV2): void {
  const status = result.statusCode ?? 200;
  const where = `${routeKey} (${functionName}) answered ${status}`;
  const fail = (why: string) => {
    throw new ResponseDrift(`${where}: ${why}`);
  };
  // The customer's pages (docs/pages.md) are for a person, outside the API and docs/openapi.json:
  // HTML (the calendar file: iCalendar), never the envelope, and never a 5xx with a stack.
  if (functionName.startsWith('page-')) {
    const type = String((result.headers ?? {})['content-type']);
    if (!/^text\/(html|calendar); charset=utf-8$/.test(type)) fail(`content-type ${type}, not a page`);
    if (type.startsWith('text/calendar') && status !== 200) fail('only a found appointment is a calendar file');
    return;
  }
  if (routeKey === '$default') {
    // 204: a browser's preflight (docs/contract.md section 11), which reaches the catch-all on any path.
    if (status !== 404 && status !== 204) fail('the catch-all answers only 404, or 204 to a preflight');
    if (status === 204 && result.body) fail("a preflight's answer has no body");
    if (status === 204) return;
  } else {
    const operation = documented(routeKey);
    if (!operation) fail('the route is not in docs/openapi.json');
    if (!Object.hasOwn(operation!.responses, String(status)))
      fail(`docs/openapi.json lists only ${Object.keys(operation!.responses).join(', ')} for it`);
  }
  // The reference page's files (and its redirect) are documented by status only.
  if (functionName === 'api-docs' && status < 400) return;
  const headers = (result.headers ?? {}) as Record<string, string>;
  if (headers['content-type'] !== 'application/json; charset=utf-8') fail(`content-type ${headers['content-type']}, not JSON`);
  const answer = (answers as Record<string, { status: number; schema: z.ZodType }>)[functionName];
  if (status < 400 && answer?.status !== status) fail(`its success is documented as ${answer?.status}`);
  const schema = status < 400 ? answer!.schema : errorEnvelope;
  const checked = schema.safeParse(bodyOf(result));
  if (!checked.success) fail(`the body drifts from its model in docs/openapi.json:\n${z.prettifyError(checked.error)}`);
}
