// The OpenAPI 3.1 document, generated: routes from serverless.yml, request shapes from the very zod
// schemas the chain validates with, error codes from lib/errors.ts. Only what code cannot say is
// written here (summaries, who may call, statuses, examples). `npm run openapi` rewrites
// docs/openapi.json; test/unit/openapi.test.ts fails when the checked-in file is stale.
import { readFileSync, writeFileSync } from 'node:fs';
import { parse } from 'yaml';
import * as z from 'zod';
import { ErrorCode } from '../lib/domain/refusals.js';
import { bookCodeSchema, userAuthSchema, userDataSchema } from '../lib/schemas/identity.js';
import { bookingAuthSchema, phoneConfirmationSchema, updatePasswordSchema, updateUserSchema } from '../lib/schemas/profile.js';
import { listUserRecordsSchema, recordPathSchema } from '../lib/schemas/records.js';
import { bookDatesSchema, bookRecordPathSchema, bookTimesSchema, moveRecordSchema } from '../lib/schemas/reschedule.js';
import { reviewPathSchema, submitReviewSchema } from '../lib/schemas/reviews.js';
import { webhookSchema } from '../lib/schemas/webhook.js';
import { answers, models } from '../lib/schemas/responses/index.js';
import { examples } from '../lib/schemas/responses/examples.js';
import { webhookDocs } from './openapi-webhook.js';

type Auth = 'partner' | 'partner+user' | 'partner+optional-user' | 'webhook';
type Tag = 'identity' | 'profile' | 'appointments' | 'reviews' | 'webhooks';

interface Operation {
  tag: Tag;
  summary: string;
  /** The route without `{record_hash}` (a caller holding a user token) is its own operation. */
  byIdSummary?: string;
  schema: z.ZodType;
  auth: Auth;
  /** What the success means; its status, model and example come from lib/schemas/responses. */
  success: string;
  errors: number[];
  body?: unknown;
  /** Where the validator's schema cannot say it: the body's schema and its named examples. */
  bodyDoc?: { schema: unknown; examples: Record<string, unknown> };
}

const operations: Record<keyof typeof answers, Operation> = {
  'altegio-webhook': {
    tag: 'webhooks',
    summary: 'Altegio webhook: locations, team members, services, clients and appointments pushed in',
    schema: webhookSchema,
    auth: 'webhook',
    success: 'Accepted; `applied` is false for a delivery older than, or the same as, what is stored',
    errors: [400, 401, 413, 422, 503],
  },
  'send-book-code': {
    tag: 'identity',
    summary: 'Send an SMS login code',
    schema: bookCodeSchema,
    auth: 'partner',
    success: 'Sent',
    errors: [400, 401, 404, 413, 422, 429, 502, 503],
    body: { phone: '+79161234567', fullname: 'Ivan' },
  },
  'user-auth': {
    tag: 'identity',
    summary: 'Log in with the SMS code (creates the user on first login)',
    schema: userAuthSchema,
    auth: 'partner',
    success: 'The user with a fresh user token',
    errors: [400, 401, 413, 422, 429, 503],
    body: { phone: '79161234567', code: '123456' },
  },
  'booking-auth': {
    tag: 'identity',
    summary: 'Log in with a password (login = phone or email)',
    schema: bookingAuthSchema,
    auth: 'partner',
    success: 'The user with a fresh user token',
    errors: [400, 401, 413, 422, 429, 503],
    body: { login: '79161234567', password: 'correct horse' },
  },
  'get-user-data': {
    tag: 'profile',
    summary: 'The signed-in user (with "0": the token, a vendor artefact)',
    schema: userDataSchema,
    auth: 'partner+user',
    success: 'The user',
    errors: [401, 503],
  },
  'update-user': {
    tag: 'profile',
    summary: 'Change name, email, and phone (with its confirmation code)',
    schema: updateUserSchema,
    auth: 'partner+user',
    success: 'Changed',
    errors: [400, 401, 413, 422, 429, 503],
    body: { name: 'Ivan I.', phone: '+79161112233', confirmation_code: '482913' },
  },
  'update-password': {
    tag: 'profile',
    summary: 'Set or change the password; every earlier token stops working',
    schema: updatePasswordSchema,
    auth: 'partner+user',
    success: 'The new user token',
    errors: [400, 401, 413, 422, 429, 503],
    body: { old_password: 'correct horse', new_password: 'battery staple' },
  },
  'send-phone-confirmation': {
    tag: 'profile',
    summary: "Send an SMS code to the user's new phone",
    schema: phoneConfirmationSchema,
    auth: 'partner+user',
    success: 'Sent',
    errors: [401, 404, 422, 429, 502, 503],
  },
  'get-user-record': {
    tag: 'appointments',
    summary: 'An appointment, by its link hash or to its own client',
    schema: recordPathSchema,
    auth: 'partner+optional-user',
    byIdSummary: 'An appointment of the signed-in user, by id alone (also with a trailing `/`)',
    success: 'The appointment (an array of one), with `cancel_deadline` and `can_cancel` beyond the contract',
    errors: [401, 404, 503],
  },
  'delete-user-record': {
    tag: 'appointments',
    summary: "Cancel an appointment under the location's rules, by its link hash or as its own client",
    schema: recordPathSchema,
    auth: 'partner+optional-user',
    byIdSummary: "Cancel an appointment of the signed-in user, by id alone, under the location's rules",
    success: 'Cancelled (again, if it was)',
    errors: [401, 404, 422, 429, 503],
  },
  'list-user-records': {
    tag: 'appointments',
    summary: "The signed-in user's appointments, newest first",
    schema: listUserRecordsSchema,
    auth: 'partner+user',
    success: 'A page of appointments',
    errors: [401, 422, 503],
  },
  'get-review-form': {
    tag: 'reviews',
    summary: 'The feedback form of a visit',
    schema: reviewPathSchema,
    auth: 'partner',
    success: 'What the form shows',
    errors: [401, 404, 503],
  },
  'submit-review': {
    tag: 'reviews',
    summary: 'Review a visit (once)',
    schema: submitReviewSchema,
    auth: 'partner+optional-user',
    success: 'Stored; the team member as rated now',
    errors: [400, 401, 404, 413, 422, 503],
    body: { rating: 5, text: 'Great', tips_amount: 100, redirect_prefix: 'https://salon.example/thanks' },
  },
  'get-book-record': {
    tag: 'appointments',
    summary: 'An appointment as an object (the online-booking route), by its link hash or to its own client',
    schema: bookRecordPathSchema,
    auth: 'partner+optional-user',
    byIdSummary: 'An appointment of the signed-in user as an object, by id alone (also with a trailing `/`)',
    success: 'The appointment, with `can_reschedule` and `reschedule_deadline` beyond the contract',
    errors: [401, 404, 503],
  },
  'get-book-dates': {
    tag: 'appointments',
    summary:
      "A team member's dates with a free time (`date_from` and `date_to`, at most 93 days; or `date`: its month; neither: this month)",
    schema: bookDatesSchema,
    auth: 'partner',
    success: 'The free and the working dates',
    errors: [401, 404, 422, 503],
  },
  'get-book-times': {
    tag: 'appointments',
    summary:
      "A team member's free start times on a date; with `record_id` (and its `record_hash`, or as its client) the " +
      'times that appointment may move to',
    schema: bookTimesSchema,
    auth: 'partner+optional-user',
    success: 'The free times, in order',
    errors: [401, 404, 422, 503],
  },
  'move-book-record': {
    tag: 'appointments',
    summary: "Move an appointment to a free time under the location's rules, as its own client or with `record_hash` in the body",
    schema: moveRecordSchema,
    auth: 'partner+optional-user',
    success: 'The moved appointment (unchanged when it already had that time)',
    errors: [400, 401, 404, 413, 422, 503],
    body: { datetime: '2026-12-03T15:00:00+03:00', comment: 'after work', record_hash: 'f98be95d7ffdabc4a5da2f2b1088f4c2' },
  },
};

const statusText: Record<number, string> = {
  400: 'Malformed JSON or form, or a body that is neither',
  401: 'Authentication needed.',
  404: 'Not found.',
  413: 'Request body too large (at most 64 KB)',
  422: 'Validation or a business rule; `meta.errors` lists each with its code',
  429: 'Too many requests. (`Retry-After` in seconds)',
  500: 'Internal error. (our fault; nothing more is said)',
  502: 'The SMS gateway refused (nothing charged) or did not answer in time (it may have sent it: every limit stays charged)',
  503: 'Service temporarily unavailable. Please retry. (`Retry-After`)',
};

// The user token travels in the partner's header (`Bearer <partner>, User <user>`), which OpenAPI
// cannot say with one scheme: two schemes give the reference page two inputs, and its
// requestInterceptor (lib/docs/assets.ts) joins them into the one header.
const security: Record<Auth, Array<Record<string, string[]>>> = {
  partner: [{ partner: [] }],
  'partner+user': [{ partner: [], user: [] }],
  'partner+optional-user': [{ partner: [] }, { partner: [], user: [] }],
  webhook: [{ webhookTimestamped: [] }, { webhookSignature: [] }, { webhookSecret: [] }],
};

const safeInteger = 9007199254740991;

/** Without `$schema`/`$id`, and without the bounds zod gives every integer (they say nothing). */
function tidy(node: unknown): any {
  if (Array.isArray(node)) return node.map(tidy);
  if (!node || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === '$schema' || key === '$id') continue;
    if ((key === 'minimum' && value === -safeInteger) || (key === 'maximum' && value === safeInteger)) continue;
    out[key] = tidy(value);
  }
  return out;
}

function jsonSchema(schema: z.ZodType): Record<string, any> {
  return tidy(z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }));
}

/** The response models, each under its name, referring to one another by `$ref`. */
function responseModels(): Record<string, unknown> {
  const { schemas } = z.toJSONSchema(models, { io: 'output', uri: (id) => `#/components/schemas/${id}` });
  return tidy(schemas);
}

const modelName = (schema: z.ZodType) => models.get(schema)!.id;

function parameters(schema: Record<string, any>, where: 'path' | 'query') {
  const part = schema.properties?.[where];
  if (!part?.properties) return [];
  return Object.entries(part.properties as Record<string, unknown>).map(([name, s]) => ({
    name,
    in: where,
    required: where === 'path' || (part.required ?? []).includes(name),
    schema: s,
  }));
}

const errorResponses = (statuses: number[]) =>
  Object.fromEntries([...statuses, 500].sort().map((status) => [status, { $ref: `#/components/responses/E${status}` }]));

function operationObject(name: keyof typeof answers, op: Operation, path: string) {
  const schema = jsonSchema(op.schema);
  const pathParams = parameters(schema, 'path').filter((p) => path.includes(`{${p.name}}`));
  const body = op.bodyDoc?.schema ?? schema.properties?.body;
  const example = op.bodyDoc ? { examples: op.bodyDoc.examples } : op.body ? { example: op.body } : {};
  const byId = !path.includes('{record_hash}') && path.includes('{record_id}') && op.byIdSummary !== undefined;
  const answer = answers[name];
  return {
    operationId: `${name}${byId ? '-by-id' : ''}`,
    tags: [op.tag],
    summary: byId && op.byIdSummary ? op.byIdSummary : op.summary,
    security: byId ? security['partner+user'] : security[op.auth],
    parameters: [...pathParams, ...parameters(schema, 'query')],
    ...(body
      ? {
          requestBody: {
            required: true,
            content: { 'application/json': { schema: body, ...example }, 'application/x-www-form-urlencoded': { schema: body } },
          },
        }
      : {}),
    responses: {
      [answer.status]: {
        description: op.success,
        content: { 'application/json': { schema: { $ref: `#/components/schemas/${modelName(answer.schema)}` }, example: examples[name] } },
      },
      ...errorResponses(op.errors),
    },
    'x-function': name,
  };
}

// The reference page itself, at the root of the host rather than under an API prefix.
const atRoot = [{ url: '/', description: 'the host itself' }];

function docsPaths() {
  const file = (description: string) => ({ description, content: { 'text/html': { schema: { type: 'string' } } } });
  const common = { tags: ['docs'], security: [], 'x-function': 'api-docs' };
  return {
    '/': {
      servers: atRoot,
      get: {
        ...common,
        operationId: 'docs-root',
        summary: 'Redirects to the reference page',
        parameters: [],
        responses: { 302: { description: 'To `docs`', headers: { Location: { schema: { type: 'string' } } } } },
      },
    },
    '/docs': {
      servers: atRoot,
      get: {
        ...common,
        operationId: 'docs-page',
        summary: 'This reference page (also at `/docs/`)',
        parameters: [],
        responses: { 200: file('The page'), ...errorResponses([]) },
      },
    },
    '/docs/{asset}': {
      servers: atRoot,
      get: {
        ...common,
        operationId: 'docs-file',
        summary: 'A file of the reference page: `openapi.json` is this document',
        parameters: [
          {
            name: 'asset',
            in: 'path',
            required: true,
            schema: { type: 'string', enum: ['openapi.json', 'init.js', 'swagger-ui-bundle.js', 'swagger-ui.css', 'favicon-32x32.png'] },
          },
        ],
        responses: {
          200: {
            description: 'The file',
            content: {
              'application/json': { schema: { type: 'object' } },
              'text/javascript': { schema: { type: 'string' } },
              'text/css': { schema: { type: 'string' } },
            },
          },
          304: { description: "The client's copy is current (`If-None-Match`)" },
          ...errorResponses([404, 422]),
        },
      },
    },
  };
}

export function buildOpenApi() {
  const webhook = webhookDocs(jsonSchema);
  operations['altegio-webhook'].bodyDoc = { schema: webhook.body, examples: webhook.examples };
  const file = parse(readFileSync(new URL('../serverless.yml', import.meta.url), 'utf8')) as {
    functions: Record<string, { events?: Array<{ httpApi?: { method: string; path: string } | string }> }>;
  };
  const paths: Record<string, Record<string, unknown>> = {};
  for (const [name, fn] of Object.entries(file.functions)) {
    if (!Object.hasOwn(operations, name)) continue;
    const op = operations[name as keyof typeof answers];
    for (const { httpApi } of fn.events ?? []) {
      if (!httpApi || typeof httpApi === 'string' || !httpApi.path.startsWith('/v1/')) continue;
      const path = httpApi.path.slice(3);
      (paths[path] ??= {})[httpApi.method.toLowerCase()] = operationObject(name as keyof typeof answers, op, path);
    }
  }
  const errorCodes = Object.entries(ErrorCode)
    .map(([name, code]) => `${code} (${name})`)
    .join(', ');
  return {
    openapi: '3.1.0',
    info: {
      title: 'cabinet: the Client Personal Cabinet API',
      version: '1.0.0',
      description:
        `Altegio-compatible (formerly YCLIENTS). Every path is served under both server prefixes. ` +
        `Authorization: \`Bearer <partner token>\`, and where a user is signed in \`Bearer <partner ` +
        `token>, User <user token>\` in the same header (on this page: *Authorize*, then fill in both). ` +
        `Error codes in \`meta.errors[].code\`: ${errorCodes}. See docs/compatibility.md for the ` +
        `vendor's quirks kept or decided. A typed TypeScript client generated from this document is in ` +
        `clients/typescript/.`,
    },
    servers: [
      { url: '/api/v1', description: 'Altegio style' },
      { url: '/v1', description: 'newer docs style' },
    ],
    tags: [
      { name: 'identity', description: 'Getting a user token: an SMS code, or a password' },
      { name: 'profile', description: 'The signed-in user: name, email, phone, password' },
      { name: 'appointments', description: 'Opening, listing, cancelling and moving appointments' },
      { name: 'reviews', description: 'The feedback form of a visit, and the review' },
      { name: 'webhooks', description: 'What the booking platform pushes in' },
      { name: 'docs', description: 'This reference' },
    ],
    paths: { ...paths, ...docsPaths() },
    components: {
      securitySchemes: {
        partner: {
          type: 'http',
          scheme: 'bearer',
          description: 'The partner token: `Authorization: Bearer <partner token>`. Every operation but the webhook needs it.',
        },
        user: {
          type: 'apiKey',
          in: 'header',
          name: 'Authorization',
          description:
            'The user token (from logging in). It travels in the same `Authorization` header, after the ' +
            'partner token: `Bearer <partner token>, User <user token>`. This page joins the two inputs; a ' +
            'client must send them joined.',
        },
        webhookTimestamped: {
          type: 'apiKey',
          in: 'header',
          name: 'webhook-signature',
          description:
            'Standard Webhooks, with `webhook-id` and `webhook-timestamp` (seconds): `v1,<base64 ' +
            'HMAC-SHA256 of "<id>.<timestamp>.<raw body>" keyed with the webhook secret\'s UTF-8 bytes>`. ' +
            'Refused (401) more than 5 minutes from now; an id already accepted is answered 200 with ' +
            'nothing applied.',
        },
        webhookSignature: {
          type: 'apiKey',
          in: 'header',
          name: 'X-Cabinet-Signature',
          description:
            '`sha256=<hex HMAC-SHA256 of the raw body under the webhook secret>`. Replayable: refused when ' +
            'the deployment sets `CABINET_WEBHOOK_SIGNATURES=timestamped`.',
        },
        webhookSecret: { type: 'apiKey', in: 'query', name: 'secret', description: "Altegio's own mechanism: the webhook secret itself" },
      },
      schemas: { ...responseModels(), ...webhook.schemas },
      responses: Object.fromEntries(
        Object.entries(statusText).map(([status, description]) => [
          `E${status}`,
          {
            description,
            content: {
              'application/json': {
                schema: { $ref: '#/components/schemas/Error' },
                example: {
                  success: false,
                  data: null,
                  meta:
                    status === '422'
                      ? { message: 'code: wrong or expired SMS code', errors: [{ code: 432, message: 'code: wrong or expired SMS code' }] }
                      : { message: description.replace(/ \(.*\)$/, '') },
                },
              },
            },
          },
        ]),
      ),
    },
  };
}

if (process.argv[1]?.endsWith('openapi.ts')) {
  writeFileSync(new URL('../docs/openapi.json', import.meta.url), `${JSON.stringify(buildOpenApi(), null, 2)}\n`);
  console.log('docs/openapi.json written');
}
