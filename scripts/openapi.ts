// The OpenAPI 3.1 document, generated: routes from serverless.yml, request shapes from the very zod
// schemas the chain validates with, error codes from lib/errors.ts. Only what code cannot say is
// written here (summaries, who may call, statuses, examples). `npm run openapi` rewrites
// docs/openapi.json; test/unit/openapi.test.ts fails when the checked-in file is stale.
import { readFileSync, writeFileSync } from 'node:fs';
import { parse } from 'yaml';
import * as z from 'zod';
import { ErrorCode } from '../lib/errors.js';
import { bookCodeSchema, userAuthSchema, userDataSchema } from '../lib/schemas/identity.js';
import { bookingAuthSchema, phoneConfirmationSchema, updatePasswordSchema, updateUserSchema } from '../lib/schemas/profile.js';
import { listUserRecordsSchema, recordPathSchema } from '../lib/schemas/records.js';
import { reviewPathSchema, submitReviewSchema } from '../lib/schemas/reviews.js';
import { webhookSchema } from '../lib/schemas/webhook.js';

type Auth = 'partner' | 'partner+user' | 'partner+optional-user' | 'webhook';

interface Operation {
  summary: string;
  schema: z.ZodType;
  auth: Auth;
  success: { status: number; description: string; example: unknown };
  errors: number[];
  body?: unknown;
}

const ack = (message: string) => ({ success: true, meta: { message } });
const okData = (data: unknown) => ({ success: true, data, meta: [] });
const user = { id: 1, user_token: '2082ab3ae8d959d11d13a21c46f0ef33', name: 'Ivan', phone: '79161234567', login: '79161234567', email: '', avatar: '' };

const operations: Record<string, Operation> = {
  'altegio-webhook': {
    summary: 'Altegio webhook: locations, team members, services, clients and appointments pushed in', schema: webhookSchema, auth: 'webhook',
    success: { status: 200, description: 'Accepted; `applied` is false for a delivery older than, or the same as, what is stored', example: okData({ resource: 'record', resource_id: 1001, applied: true, record_hash: 'f98be95d7ffdabc4a5da2f2b1088f4c2' }) },
    errors: [400, 401, 413, 422, 503], body: { company_id: 1, resource: 'record', resource_id: 1001, status: 'update', data: { datetime: '2026-12-01T14:00:00+03:00', services: [], client: { phone: '+79161234567' } } },
  },
  'send-book-code': {
    summary: 'Send an SMS login code', schema: bookCodeSchema, auth: 'partner',
    success: { status: 201, description: 'Sent', example: ack('Created') }, errors: [401, 404, 422, 429, 502, 503], body: { phone: '+79161234567', fullname: 'Ivan' },
  },
  'user-auth': {
    summary: 'Log in with the SMS code (creates the user on first login)', schema: userAuthSchema, auth: 'partner',
    success: { status: 201, description: 'The user with a fresh user token', example: okData(user) }, errors: [401, 422, 429, 503], body: { phone: '79161234567', code: '123456' },
  },
  'booking-auth': {
    summary: 'Log in with a password (login = phone or email)', schema: bookingAuthSchema, auth: 'partner',
    success: { status: 201, description: 'The user with a fresh user token', example: okData(user) }, errors: [401, 422, 429, 503], body: { login: '79161234567', password: 'correct horse' },
  },
  'get-user-data': {
    summary: 'The signed-in user (with "0": the token, a vendor artefact)', schema: userDataSchema, auth: 'partner+user',
    success: { status: 200, description: 'The user', example: okData({ '0': user.user_token, ...user }) }, errors: [401, 503],
  },
  'update-user': {
    summary: 'Change name, email, and phone (with its confirmation code)', schema: updateUserSchema, auth: 'partner+user',
    success: { status: 202, description: 'Changed', example: ack('Accepted') }, errors: [400, 401, 413, 422, 503], body: { name: 'Ivan I.', phone: '+79161112233', confirmation_code: '482913' },
  },
  'update-password': {
    summary: 'Set or change the password; every earlier token stops working', schema: updatePasswordSchema, auth: 'partner+user',
    success: { status: 200, description: 'The new user token', example: okData({ user_token: 'd41d8cd98f00b204e9800998ecf8427e' }) }, errors: [400, 401, 413, 422, 429, 503], body: { old_password: 'correct horse', new_password: 'battery staple' },
  },
  'send-phone-confirmation': {
    summary: "Send an SMS code to the user's new phone", schema: phoneConfirmationSchema, auth: 'partner+user',
    success: { status: 202, description: 'Sent', example: ack('Accepted') }, errors: [401, 404, 422, 429, 502, 503],
  },
  'get-user-record': {
    summary: 'An appointment, by its link hash or to its own client', schema: recordPathSchema, auth: 'partner+optional-user',
    success: { status: 200, description: 'The appointment (an array of one), with `cancel_deadline` and `can_cancel` beyond the contract', example: okData([{ id: 1001, datetime: '2026-12-01T14:00:00+03:00', deleted: false, cancel_deadline: '2026-12-01T13:00:00+03:00', can_cancel: true }]) },
    errors: [401, 404, 503],
  },
  'delete-user-record': {
    summary: "Cancel an appointment under the location's rules", schema: recordPathSchema, auth: 'partner+optional-user',
    success: { status: 200, description: 'Cancelled (again, if it was)', example: okData(null) }, errors: [401, 404, 422, 503],
  },
  'list-user-records': {
    summary: "The signed-in user's appointments, newest first", schema: listUserRecordsSchema, auth: 'partner+user',
    success: { status: 200, description: 'A page of appointments', example: okData([{ id: 1001 }, { id: 987 }]) }, errors: [401, 422, 503],
  },
  'get-review-form': {
    summary: 'The feedback form of a visit', schema: reviewPathSchema, auth: 'partner',
    success: { status: 200, description: 'What the form shows', example: okData({ is_review_submitted: false, page_title: 'Demo Barbershop: how was your visit?' }) }, errors: [401, 404, 503],
  },
  'submit-review': {
    summary: 'Review a visit (once)', schema: submitReviewSchema, auth: 'partner+optional-user',
    success: { status: 200, description: 'Stored; the team member as rated now', example: okData({ is_review_submitted: true, master: { id: 21, rating: 4.81, votes_count: 26, comments_count: 10 } }) },
    errors: [400, 401, 404, 413, 422, 503], body: { rating: 5, text: 'Great', tips_amount: 100, redirect_prefix: 'https://salon.example/thanks' },
  },
};

const statusText: Record<number, string> = {
  400: 'Malformed JSON, or a body that is not JSON', 401: 'Authentication needed.', 404: 'Not found.', 413: 'Request body too large (at most 64 KB)',
  422: 'Validation or a business rule; `meta.errors` lists each with its code', 429: 'Too many requests. (`Retry-After` in seconds)',
  502: 'The SMS gateway failed; nothing was charged', 503: 'Service temporarily unavailable. Please retry. (`Retry-After`)',
};

const security: Record<Auth, Array<Record<string, string[]>>> = {
  partner: [{ partner: [] }],
  'partner+user': [{ partnerAndUser: [] }],
  'partner+optional-user': [{ partner: [] }, { partnerAndUser: [] }],
  webhook: [{ webhookSignature: [] }, { webhookSecret: [] }],
};

function jsonSchema(schema: z.ZodType): Record<string, any> {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, any>;
  return rest;
}

function parameters(schema: Record<string, any>, where: 'path' | 'query') {
  const part = schema.properties?.[where];
  if (!part?.properties) return [];
  return Object.entries(part.properties as Record<string, unknown>).map(([name, s]) => ({
    name, in: where, required: where === 'path' || (part.required ?? []).includes(name), schema: s,
  }));
}

function operationObject(name: string, op: Operation, method: string, path: string) {
  const schema = jsonSchema(op.schema);
  const pathParams = parameters(schema, 'path').filter((p) => path.includes(`{${p.name}}`));
  const body = schema.properties?.body;
  return {
    operationId: `${name}${path.includes('{record_hash}') || !path.includes('{record_id}') ? '' : '-by-id'}`,
    summary: op.summary,
    security: security[op.auth],
    parameters: [...pathParams, ...parameters(schema, 'query')],
    ...(body ? { requestBody: { required: true, content: { 'application/json': { schema: body, ...(op.body ? { example: op.body } : {}) } } } } : {}),
    responses: {
      [op.success.status]: { description: op.success.description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Success' }, example: op.success.example } } },
      ...Object.fromEntries(op.errors.map((status) => [status, { $ref: `#/components/responses/E${status}` }])),
    },
    'x-function': name,
  };
}

export function buildOpenApi() {
  const file = parse(readFileSync(new URL('../serverless.yml', import.meta.url), 'utf8')) as { functions: Record<string, { events?: Array<{ httpApi?: { method: string; path: string } | string }> }> };
  const paths: Record<string, Record<string, unknown>> = {};
  for (const [name, fn] of Object.entries(file.functions)) {
    const op = operations[name];
    for (const { httpApi } of fn.events ?? []) {
      if (!op || !httpApi || typeof httpApi === 'string' || !httpApi.path.startsWith('/v1/')) continue;
      const path = httpApi.path.slice(3);
      (paths[path] ??= {})[httpApi.method.toLowerCase()] = operationObject(name, op, httpApi.method, path);
    }
  }
  const errorCodes = Object.entries(ErrorCode).map(([name, code]) => `${code} (${name})`).join(', ');
  return {
    openapi: '3.1.0',
    info: {
      title: 'cabinet: the Client Personal Cabinet API',
      version: '1.0.0',
      description: `Altegio-compatible (formerly YCLIENTS). Every path is served under both server prefixes. Error codes in \`meta.errors[].code\`: ${errorCodes}. See docs/compatibility.md for the vendor's quirks kept or decided.`,
    },
    servers: [{ url: '/api/v1', description: 'Altegio style' }, { url: '/v1', description: 'newer docs style' }],
    paths,
    components: {
      securitySchemes: {
        partner: { type: 'http', scheme: 'bearer', description: '`Authorization: Bearer <partner token>`' },
        partnerAndUser: { type: 'apiKey', in: 'header', name: 'Authorization', description: '`Authorization: Bearer <partner token>, User <user token>`' },
        webhookSignature: { type: 'apiKey', in: 'header', name: 'X-Cabinet-Signature', description: '`sha256=<hex HMAC-SHA256 of the raw body under the webhook secret>`' },
        webhookSecret: { type: 'apiKey', in: 'query', name: 'secret', description: "Altegio's own mechanism: the webhook secret itself" },
      },
      schemas: {
        Success: { type: 'object', required: ['success'], properties: { success: { const: true }, data: {}, meta: {} } },
        Error: {
          type: 'object', required: ['success', 'data', 'meta'],
          properties: {
            success: { const: false }, data: { type: 'null' },
            meta: { type: 'object', required: ['message'], properties: { message: { type: 'string' }, errors: { type: 'array', items: { type: 'object', required: ['code', 'message'], properties: { code: { type: 'integer' }, message: { type: 'string' } } } } } },
          },
        },
      },
      responses: Object.fromEntries(
        Object.entries(statusText).map(([status, description]) => [
          `E${status}`,
          { description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' }, example: { success: false, data: null, meta: status === '422' ? { message: 'code: wrong or expired SMS code', errors: [{ code: 432, message: 'code: wrong or expired SMS code' }] } : { message: description.replace(/ \(.*\)$/, '') } } } } },
        ]),
      ),
    },
  };
}

if (process.argv[1]?.endsWith('openapi.ts')) {
  writeFileSync(new URL('../docs/openapi.json', import.meta.url), `${JSON.stringify(buildOpenApi(), null, 2)}\n`);
  console.log('docs/openapi.json written');
}
