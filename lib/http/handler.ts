// The ONE place a middy chain is built. Every function goes through the same steps, in this order:
// CORS (a preflight is answered here, before anything else; every answer gets its Allow-Origin) →
// observe (one log line per request, the metrics flushed) → normalise headers → a page's guard
// (pages only) → parse the JSON body (only operations that take one) → authenticate → validate
// against the operation's schema → the function → the envelope, or a page's HTML. Errors thrown
// anywhere end in the one onError below; nothing else catches.
import middy, { type MiddlewareObj } from '@middy/core';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type * as z from 'zod';
import { clock } from '../clock.js';
import { config } from '../config.js';
import { findPartner, type Partner } from '../db/partners.js';
import { findUserByToken } from '../db/sessions.js';
import type { User } from '../domain/users.js';
import { isAuthentic, signatureHeader, type WebhookCredentials, type WebhookPolicy } from '../domain/signature.js';
import { HttpError, Unauthorized } from '../errors.js';
import { beginInvocation, endInvocation, logger } from '../observe.js';
import { parseAuthorization, type Credentials } from './auth.js';
import { parseBody, type ParsedBody } from './body.js';
import { allowOrigin, isPreflight, preflight } from './cors.js';
import { asHttpError, toEnvelope } from './errors.js';
import { render, type Reply } from './response.js';
import { webhookSecret } from '../secret-store.js';
import { validate } from './validate.js';

type Event = APIGatewayProxyEventV2;
type Result = APIGatewayProxyStructuredResultV2;

/**
 * - partner: `Authorization: Bearer <partner token>` of a registered partner.
 * - partner+user: also `, User <user token>` of a live user token.
 * - partner+optional-user: a user token may be given; if it is, it must be live.
 * - webhook: the booking platform's HMAC signature or `?secret=` (it holds no partner token).
 * - none: public (the reference page, the catch-all 404).
 */
export type AuthMode = 'partner' | 'partner+user' | 'partner+optional-user' | 'webhook' | 'none';

export interface CabinetContext {
  partner: Partner | null;
  user: User | null;
  credentials: Credentials | null;
  sourceIp: string;
  requestId: string;
  /** The path as the client sent it, and the headers (lower-cased): for the reference page. */
  path: string;
  headers: Record<string, string | undefined>;
}

export interface HandlerOptions<S extends z.ZodType> {
  /** The function's name in serverless.yml: the `operation` of its log lines. */
  operation: string;
  auth: AuthMode;
  schema: S;
  /** Parse a JSON body; operations without one ignore whatever body is sent. */
  body?: boolean;
  /** A page for a person (HTML), not an envelope for a program: its errors are pages too. */
  page?: PageMode;
}

/** How a page-serving function answers where the API answers with its envelope. */
export interface PageMode {
  /** The page an error is shown as, in the language the request asks for. */
  errorPage: (error: HttpError, event: Event) => Reply;
  /** Runs before the body is read: throws what the request must not get past (a post from another site). */
  guard?: (event: Event) => void;
}

interface State {
  body: ParsedBody;
  cabinet: CabinetContext;
  input?: unknown;
}

// The chain's steps hand their results on through the Lambda context object.
type StateContext = Context & { cabinetState: State; cabinetStartedAt: number };
type Middleware = MiddlewareObj<Event, Result, Error, Context>;

function stateOf(context: Context): State {
  return (context as StateContext).cabinetState;
}

export function outcomeOf(status: number): string {
  if (status < 400) return 'ok';
  if (status === 401 || status === 403) return 'denied';
  if (status === 429) return 'limited';
  if (status < 500) return 'rejected';
  return status === 500 ? 'error' : 'unavailable';
}

// Runs first and finishes last, so it sees the response the error step made. It logs the route's
// template, never the path: paths carry record hashes and review tokens.
function observeStep(operation: string): Middleware {
  const finish = ({ event, context, response }: { event: Event; context: Context; response?: Result | null }) => {
    const status = response?.statusCode ?? 500;
    const latencyMs = Math.round((performance.now() - (context as StateContext).cabinetStartedAt) * 100) / 100;
    logger.info('request', { route: event.routeKey, status, outcome: outcomeOf(status), latency_ms: latencyMs });
    endInvocation();
  };
  return {
    before: ({ event, context }) => {
      (context as StateContext).cabinetStartedAt = performance.now();
      beginInvocation(context, { operation, request_id: event.requestContext.requestId });
    },
    after: finish,
    onError: finish,
  };
}

const originOf = (event: Event) => event.headers?.origin ?? event.headers?.Origin;

// Outermost: a preflight is answered before the log line, authentication or validation (the
// browser sends no credentials with it), and every other answer, errors too, carries Allow-Origin.
const withAllowOrigin = (request: { event: Event; response?: Result | null }) => {
  if (request.response)
    request.response.headers = { ...request.response.headers, ...allowOrigin(config.corsOrigins, originOf(request.event)) };
};
const corsStep: Middleware = {
  before: ({ event }) => (isPreflight(event.requestContext?.http?.method) ? preflight(config.corsOrigins, originOf(event)) : undefined),
  after: withAllowOrigin,
  onError: withAllowOrigin,
};

const noBody: ParsedBody = { raw: Buffer.alloc(0), value: undefined };

function parseStep(withBody: boolean): Middleware {
  return {
    before: ({ event, context }) => {
      (context as StateContext).cabinetState = {
        body: withBody ? parseBody(event) : noBody,
        cabinet: {
          partner: null,
          user: null,
          credentials: parseAuthorization(event.headers.authorization),
          sourceIp: event.requestContext.http.sourceIp,
          requestId: event.requestContext.requestId,
          path: event.rawPath,
          headers: event.headers,
        },
      };
    },
  };
}

function webhookCredentials(event: Event): WebhookCredentials {
  const { headers } = event;
  const timestamped = { id: headers['webhook-id'], timestamp: headers['webhook-timestamp'], signature: headers['webhook-signature'] };
  const dated = Object.values(timestamped).some((value) => value !== undefined);
  return { signature: headers[signatureHeader], querySecret: event.queryStringParameters?.secret, ...(dated ? { timestamped } : {}) };
}

// `timestamped` refuses what a captured delivery can replay: the body-only signature, and `?secret=`
// too unless connected (Altegio cannot sign, and what it pushes without a version is read again).
function webhookPolicy(): WebhookPolicy {
  const strict = config.webhookSignatures === 'timestamped';
  return { nowS: Math.floor(clock.now() / 1000), bodyOnly: !strict, querySecret: !strict || config.altegio !== null };
}

function authStep(mode: AuthMode): Middleware {
  return {
    before: async ({ event, context }) => {
      const state = stateOf(context);
      if (mode === 'webhook') {
        if (!isAuthentic(await webhookSecret(), state.body.raw, webhookCredentials(event), webhookPolicy())) throw new Unauthorized();
      } else if (mode !== 'none') {
        const { partnerToken, userToken } = state.cabinet.credentials ?? {};
        // The partner lookup runs beside the user's, not before it.
        const [partner, user] = await Promise.all([
          partnerToken ? findPartner(partnerToken) : null,
          userToken && mode !== 'partner' ? findUserByToken(userToken) : null,
        ]);
        if (!partner) throw new Unauthorized();
        if (mode !== 'partner' && !user && (userToken || mode === 'partner+user')) throw new Unauthorized();
        state.cabinet.partner = partner;
        state.cabinet.user = user;
      }
    },
  };
}

function validateStep(schema: z.ZodType): Middleware {
  return {
    before: ({ event, context }) => {
      const parts = { path: event.pathParameters ?? {}, query: event.queryStringParameters ?? {} };
      const state = stateOf(context);
      state.input = validate(schema, { ...parts, body: state.body.value });
    },
  };
}

// Every error, whatever threw it, is mapped in one place (./errors.ts): an API answers with its
// envelope, a page shows the same status as a page, never a stack.
function errorStep(page?: PageMode): Middleware {
  return {
    onError: (request) => {
      if (!page) request.response = toEnvelope(request.error);
      else request.response = render(page.errorPage(asHttpError(request.error) ?? new HttpError(500, 'Internal error.'), request.event));
    },
  };
}

const guardStep = (guard: (event: Event) => void): Middleware => ({ before: ({ event }) => guard(event) });

export function cabinetHandler<S extends z.ZodType>(
  fn: (input: z.output<S>, cabinet: CabinetContext) => Promise<Reply>,
  options: HandlerOptions<S>,
) {
  const chain = middy<Event, Result, Error, Context>()
    .use(corsStep)
    .use(observeStep(options.operation))
    .use(errorStep(options.page))
    .use(httpHeaderNormalizer());
  if (options.page?.guard) chain.use(guardStep(options.page.guard));
  return chain
    .use(parseStep(options.body ?? false))
    .use(authStep(options.auth))
    .use(validateStep(options.schema))
    .handler(async (_event, context) => {
      const { input, cabinet } = stateOf(context);
      return render(await fn(input as z.output<S>, cabinet));
    });
}
