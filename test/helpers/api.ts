// Sends HTTP requests to the real handlers the way API Gateway (HTTP API, payload v2) does: the
// route is chosen from the routes serverless.yml declares, by API Gateway's rules (most specific
// first, the catch-all last), and the handler gets a full v2 event. AWS itself cannot run here;
// this stands in for API Gateway only, and everything behind it is the real code on DynamoDB Local.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { parse } from 'yaml';
import { checkResponse } from './response-check.js';

interface Route {
  functionName: string;
  method: string;
  path: string | null; // null: the catch-all `*`
}

interface ServerlessFile {
  functions: Record<string, { handler: string; events?: Array<{ httpApi?: string | { method: string; path: string } }> }>;
}

export function declaredRoutes(): Route[] {
  const file = parse(readFileSync(new URL('../../serverless.yml', import.meta.url), 'utf8')) as ServerlessFile;
  return Object.entries(file.functions).flatMap(([functionName, fn]) =>
    (fn.events ?? []).flatMap(({ httpApi }): Route[] => {
      if (httpApi === undefined) return [];
      if (httpApi === '*') return [{ functionName, method: '*', path: null }];
      if (typeof httpApi === 'string') throw new Error(`unsupported httpApi shorthand: ${httpApi}`);
      return [{ functionName, method: httpApi.method.toUpperCase(), path: httpApi.path }];
    }),
  );
}

function matchPath(template: string, path: string): Record<string, string> | null {
  const want = template.split('/');
  const got = path.split('/');
  // A greedy `{name+}` last takes one or more segments, as API Gateway's does.
  const greedy = /^\{(\w+)\+\}$/.exec(want.at(-1) ?? '');
  if (greedy) {
    const rest = got.slice(want.length - 1).join('/');
    if (got.length < want.length || rest === '') return null;
    const head = matchPath(want.slice(0, -1).join('/'), got.slice(0, want.length - 1).join('/'));
    return head && { ...head, [greedy[1]!]: safeDecode(rest) };
  }
  if (want.length !== got.length) return null;
  const params: Record<string, string> = {};
  for (const [i, segment] of want.entries()) {
    const value = got[i]!;
    const variable = /^\{(\w+)\}$/.exec(segment);
    if (!variable) {
      if (segment !== value) return null;
    } else if (value === '') {
      return null;
    } else {
      params[variable[1]!] = safeDecode(value);
    }
  }
  return params;
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

function literalCount(template: string): number {
  return template.split('/').filter((s) => s && !s.startsWith('{')).length;
}

const isGreedy = (template: string) => (template.endsWith('+}') ? 1 : 0);

// Read once: parsing serverless.yml on each request made a request cost milliseconds, and floods slow.
let routesOnce: Route[] | undefined;

export function resolveRoute(method: string, rawPath: string): { route: Route; params: Record<string, string> | undefined } {
  // API Gateway routes `/a/b/` like `/a/b`.
  const path = rawPath.length > 1 ? rawPath.replace(/\/$/, '') : rawPath;
  const routes = (routesOnce ??= declaredRoutes());
  const matches = routes
    .filter((r) => r.path !== null && (r.method === method || r.method === 'ANY'))
    .map((route) => ({ route, params: matchPath(route.path!, path) }))
    .filter((m) => m.params !== null)
    // A greedy route is the last choice among those that match, whatever its literals.
    .sort((a, b) => isGreedy(a.route.path!) - isGreedy(b.route.path!) || literalCount(b.route.path!) - literalCount(a.route.path!));
  const best = matches[0];
  if (best) return { route: best.route, params: Object.keys(best.params!).length ? best.params! : undefined };
  const fallback = routes.find((r) => r.path === null);
  if (!fallback) throw new Error(`no route for ${method} ${path} and no catch-all`);
  return { route: fallback, params: undefined };
}

export interface RequestOptions {
  headers?: Record<string, string>;
  body?: unknown;
  /** Sent as is, for malformed bodies and signatures over exact bytes. */
  rawBody?: string;
  sourceIp?: string;
  /**
   * The function's time, 10 s as in serverless.yml unless a test whose point is not time gives more:
   * a machine under load runs slower than a Lambda does.
   */
  remainingMs?: number;
}

/**
 * The headers of a form posted from one of cabinet's own pages, as Chromium sends them: the pages'
 * `Referrer-Policy: no-referrer` makes its Origin `null`, and Sec-Fetch-Site is what tells them apart.
 */
export const ownFormPost: Readonly<Record<string, string>> = {
  'content-type': 'application/x-www-form-urlencoded',
  'sec-fetch-site': 'same-origin',
  origin: 'null',
};

export interface ApiResponse {
  status: number;
  headers: Record<string, string>;
  body: any;
  text: string;
  /** The body's bytes as sent (base64 undone; still gzipped when the handler gzipped it). */
  bytes: Buffer;
}

type Handler = (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyStructuredResultV2>;

export async function loadHandler(functionName: string): Promise<Handler> {
  const module = (await import(`../../functions/${functionName}.js`)) as { handler: Handler };
  return module.handler;
}

export function lambdaContext(functionName: string, remainingMs = 10_000): Context {
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:eu-west-1:000000000000:function:cabinet-test-${functionName}`,
    memoryLimitInMB: '512',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/cabinet-test-${functionName}`,
    logStreamName: 'test',
    getRemainingTimeInMillis: () => remainingMs,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

/** A full API Gateway v2 event for a request that has been routed to `routeKey`. */
export function v2Event(
  method: string,
  url: string,
  options: RequestOptions,
  routeKey: string,
  params?: Record<string, string>,
): APIGatewayProxyEventV2 {
  const [path, query = ''] = url.split('?') as [string, string?];
  const headers: Record<string, string> = { host: 'cabinet.test', 'user-agent': 'cabinet-tests' };
  for (const [name, value] of Object.entries(options.headers ?? {})) headers[name.toLowerCase()] = value;
  const body = options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
  if (options.body !== undefined && headers['content-type'] === undefined) headers['content-type'] = 'application/json';
  const searchParams = new URLSearchParams(query);
  const queryStringParameters: Record<string, string> = {};
  // API Gateway joins repeated query keys with commas.
  for (const key of new Set(searchParams.keys())) queryStringParameters[key] = searchParams.getAll(key).join(',');
  const now = new Date();
  return {
    version: '2.0',
    routeKey,
    rawPath: path,
    rawQueryString: query,
    headers,
    ...(query ? { queryStringParameters } : {}),
    ...(params ? { pathParameters: params } : {}),
    requestContext: {
      accountId: '000000000000',
      apiId: 'cabinettest',
      domainName: 'cabinet.test',
      domainPrefix: 'cabinet',
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: options.sourceIp ?? '127.0.0.1', userAgent: 'cabinet-tests' },
      requestId: randomUUID(),
      routeKey,
      stage: '$default',
      time: now.toISOString(),
      timeEpoch: now.getTime(),
    },
    ...(body !== undefined ? { body } : {}),
    isBase64Encoded: false,
  };
}

export function buildEvent(method: string, url: string, options: RequestOptions = {}) {
  const { route, params } = resolveRoute(method, url.split('?')[0]!);
  const routeKey = route.path === null ? '$default' : `${route.method} ${route.path}`;
  return { event: v2Event(method, url, options, routeKey, params), functionName: route.functionName };
}

/** Routes a request as API Gateway would and runs the handler it reaches: the handler's own result. */
export async function invoke(method: string, url: string, options: RequestOptions = {}): Promise<APIGatewayProxyStructuredResultV2> {
  const { event, functionName } = buildEvent(method, url, options);
  const result = await (await loadHandler(functionName))(event, lambdaContext(functionName, options.remainingMs));
  // Every response the suite receives must be what docs/openapi.json says (test/helpers/response-check.ts).
  checkResponse(functionName, event.routeKey, result);
  return result;
}

/** The body's bytes as API Gateway sends them (base64 undone). */
export function bodyBytes(result: APIGatewayProxyStructuredResultV2): Buffer {
  return Buffer.from(result.body ?? '', result.isBase64Encoded ? 'base64' : 'utf8');
}

export async function request(method: string, url: string, options: RequestOptions = {}): Promise<ApiResponse> {
  const result = await invoke(method, url, options);
  const headers = (result.headers ?? {}) as Record<string, string>;
  const bytes = bodyBytes(result);
  const text = headers['content-encoding'] ? '' : bytes.toString('utf8');
  const json = /^application\/json/.test(headers['content-type'] ?? '');
  return { status: result.statusCode ?? 200, headers, text, bytes, body: json && text ? JSON.parse(text) : undefined };
}
