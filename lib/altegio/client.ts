// The one Altegio client (docs/contract.md section 8). Every request
// takes budget first (lib/altegio/budget.ts), carries both tokens and the vendor Accept, is
// abandoned after a timeout and never follows a redirect. Network errors, 5xx and 429 are retried
// with backoff and jitter inside a bounded total wait; a 429 is never retried at once. A user
// token minted with login/password is cached and minted again once after a 401. What is returned
// is Altegio's `data`, unwrapped from its `{success, data, meta}` envelope, still in Altegio's shape:
// lib/domain/altegio.ts maps it. No token, query or body ever reaches a log line.
// The partner token, user token and password are read from the secret store before each request
// (cached there for 5 minutes: SSM SecureStrings on a deployed stage, the environment elsewhere),
// so a rotated value is in use within 5 minutes without a restart.
import type { Readable } from 'node:stream';
import fetch, { FetchError, type Response } from 'node-fetch';
import { config, type AltegioConfig } from '../config.js';
import { cappedRetryAfterS } from '../domain/altegio-writeback.js';
import { backoffMs } from '../domain/backoff.js';
import { logger } from '../observe.js';
import { altegioPartnerToken, altegioPassword, altegioUserToken, type SecretName } from '../secret-store.js';
import {
  AltegioAuthRevoked,
  AltegioError,
  AltegioNotConfigured,
  AltegioNotFound,
  AltegioRefused,
  AltegioRejected,
  AltegioThrottled,
  AltegioUnreachable,
} from './errors.js';

/** Who is asking, highest first (docs/contract.md 8.5): a customer's write-back, a customer's read, a backfill. */
export type Priority = 'writeback' | 'read' | 'backfill' | 'fresh';

export interface BudgetGate {
  /** Resolves when one request may be sent now; throws AltegioBusy past its wait bound. */
  take(priority: Priority): Promise<void>;
}

export interface Credentials {
  partnerToken: string;
  userToken?: string | undefined;
  password?: string | undefined;
}

/** Where the secrets come from, asked before every request; it may throw (a missing or unreadable secret). */
export type CredentialSource = () => Promise<Credentials>;

export interface ClientOptions {
  baseUrl: string;
  /** Fixed credentials (tests); a deployment's come from `credentials`. */
  partnerToken?: string;
  userToken?: string | undefined;
  password?: string | undefined;
  credentials?: CredentialSource;
  login?: string | undefined;
  budget: BudgetGate;
  /** One attempt's time limit. */
  timeoutMs?: number;
  /** Attempts per call, the first included. */
  attempts?: number;
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  /** Wait after a 429 that says nothing (Altegio's never seen to send Retry-After). */
  throttleDefaultMs?: number;
  /** The most one call may spend waiting between attempts; past it the last error is thrown. */
  maxWaitMs?: number;
}

/** How long one call may take: attempts, each attempt's time limit, and the total wait between attempts. Per call, not per client. */
export interface CallBounds {
  /** Attempts, the first included. */
  attempts?: number;
  /** One attempt's time limit. */
  timeoutMs?: number;
  /** The most this call may spend waiting between attempts; past it the last error is thrown. */
  maxWaitMs?: number;
}

/** Who asks, and within which bounds: a priority alone takes the client's default bounds. */
export type Ask = Priority | (CallBounds & { priority?: Priority });

function callOf(ask: Ask | undefined): CallOptions {
  return typeof ask === 'object' ? ask : { priority: ask };
}

export interface CallOptions extends CallBounds {
  priority?: Priority;
  query?: Record<string, string | number | undefined>;
  body?: unknown;
}

export interface Answer<T = unknown> {
  status: number;
  data: T;
  /** Altegio's `meta`, `[]` already turned into `{}`. */
  meta: Record<string, unknown>;
}

const defaults = { timeoutMs: 5000, attempts: 4, backoffBaseMs: 250, backoffMaxMs: 4000, throttleDefaultMs: 2000, maxWaitMs: 10_000 };

/** A path for log lines: ids become `:id`, so a line groups by route and carries no query. */
function routeOf(path: string): string {
  return path.replace(/\/\d+/g, '/:id');
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** `Retry-After` as seconds or an HTTP date, in ms, at most 5 minutes; undefined when absent, unreadable or zero. */
export function retryAfterMs(header: string | null, now = Date.now()): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return seconds > 0 ? cappedRetryAfterS(seconds) * 1000 : undefined;
  const at = Date.parse(header);
  return Number.isFinite(at) && at > now ? cappedRetryAfterS((at - now) / 1000) * 1000 : undefined;
}

interface Envelope {
  success?: unknown;
  data?: unknown;
  meta?: unknown;
}

function metaOf(envelope: Envelope | undefined): Record<string, unknown> {
  const meta = envelope?.meta;
  return meta && typeof meta === 'object' && !Array.isArray(meta) ? (meta as Record<string, unknown>) : {};
}

/**
 * The largest answer read. Altegio's largest pages (200 records, a location's whole service list)
 * are a few hundred KB to about 1 MB; a function has 512 MB, and an answer is held as bytes, text
 * and parsed JSON at once. Past this the answer is refused unread, never buffered.
 */
export const answerLimitBytes = 8 * 1024 * 1024;

class AnswerTooLarge extends Error {
  override name = 'AnswerTooLarge';
}

async function envelopeOf(response: Response): Promise<Envelope | undefined> {
  if (Number(response.headers.get('content-length')) > answerLimitBytes) {
    // Closes the connection: the rest is never downloaded.
    (response.body as Readable | null)?.destroy();
    throw new AnswerTooLarge();
  }
  const text = await response.text().catch((error: unknown) => {
    if (error instanceof FetchError && error.type === 'max-size') throw new AnswerTooLarge();
    return '';
  });
  if (!text) return undefined;
  try {
    const parsed: unknown = JSON.parse(text);
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Envelope) : undefined;
  } catch {
    return undefined;
  }
}

/** One attempt's verdict: the answer, or an error and whether (and after how long) to try again. */
type Verdict = { answer: Answer } | { error: AltegioError; retryInMs?: number | 'backoff'; relogin?: boolean };

type Settings = Required<Omit<ClientOptions, 'partnerToken' | 'userToken' | 'login' | 'password' | 'credentials'>> &
  Pick<ClientOptions, 'login'>;

export class AltegioClient {
  private readonly options: Settings;
  private readonly credentials: CredentialSource;
  /**
   * The user token in use and its generation, so parallel 401s re-login once. `configured` when it
   * is the stored one (not minted): a rotated stored token then replaces it.
   */
  private token: { value: Promise<string>; generation: number; configured?: string } | undefined;
  private generation = 0;
  /** A stored user token Altegio refused, not used again while a login can mint another. */
  private refused: string | undefined;

  constructor(options: ClientOptions) {
    const { partnerToken, userToken, password, credentials, ...rest } = options;
    this.options = { ...defaults, ...rest, baseUrl: options.baseUrl.replace(/\/+$/, '') };
    this.credentials = credentials ?? (() => Promise.resolve({ partnerToken: partnerToken ?? '', userToken, password }));
  }

  /** Whether a 401 can be healed by minting a new user token. */
  private canLogin(credentials: Credentials): boolean {
    return Boolean(this.options.login && credentials.password);
  }

  /** A secret that cannot be read (SSM down) is as Altegio unreachable: callers serve what is cached, or retry later. */
  private async readCredentials(): Promise<Credentials> {
    try {
      return await this.credentials();
    } catch (error) {
      if (error instanceof AltegioError) throw error;
      throw new AltegioUnreachable('the Altegio credentials could not be read from the secret store', undefined, 1, { cause: error });
    }
  }

  async request<T = unknown>(method: string, path: string, call: CallOptions = {}): Promise<Answer<T>> {
    return (await this.withRetries(method, path, call, 'user')) as Answer<T>;
  }

  private async withRetries(method: string, path: string, call: CallOptions, auth: 'user' | 'partner'): Promise<Answer> {
    const priority = call.priority ?? 'read';
    const deadline = Date.now() + (call.maxWaitMs ?? this.options.maxWaitMs);
    const attempts = call.attempts ?? this.options.attempts;
    let relogged = false;
    for (let attempt = 1; ; attempt++) {
      const credentials = await this.readCredentials();
      await this.options.budget.take(priority);
      const token = auth === 'user' ? await this.currentToken(call, credentials) : undefined;
      const verdict = await this.attempt(method, path, call, credentials.partnerToken, token?.value);
      if ('answer' in verdict) return verdict.answer;
      const { error } = verdict;
      if (verdict.relogin && token && this.canLogin(credentials) && !relogged) {
        relogged = true;
        this.forget(token.generation);
        logger.warn('altegio user token refused; minting a new one', { route: routeOf(path) });
        continue;
      }
      if (verdict.retryInMs === undefined) throw error;
      const waitMs = verdict.retryInMs === 'backoff' ? this.backoffMs(attempt) : verdict.retryInMs;
      if (attempt >= attempts || Date.now() + waitMs > deadline) throw error;
      logger.warn('altegio retry', {
        method,
        route: routeOf(path),
        kind: error.kind,
        status: error.upstreamStatus,
        attempt,
        waitMs: Math.round(waitMs),
      });
      await sleep(waitMs);
    }
  }

  private backoffMs(attempt: number): number {
    // Half fixed, half random: spread out, yet never a retry at once.
    return backoffMs({ firstMs: this.options.backoffBaseMs, factor: 2, capMs: this.options.backoffMaxMs, jitter: true }, attempt);
  }

  private async attempt(
    method: string,
    path: string,
    call: CallOptions,
    partnerToken: string,
    userToken: string | undefined,
  ): Promise<Verdict> {
    const url = new URL(this.options.baseUrl + path);
    for (const [name, value] of Object.entries(call.query ?? {})) if (value !== undefined) url.searchParams.set(name, String(value));
    const headers = {
      authorization: userToken === undefined ? `Bearer ${partnerToken}` : `Bearer ${partnerToken}, User ${userToken}`,
      accept: 'application/vnd.api.v2+json',
      'content-type': 'application/json',
    };
    const route = routeOf(path);
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers,
        redirect: 'manual',
        signal: AbortSignal.timeout(call.timeoutMs ?? this.options.timeoutMs),
        size: answerLimitBytes,
        ...(call.body !== undefined ? { body: JSON.stringify(call.body) } : {}),
      });
    } catch (error) {
      const name = (error as Error).name;
      const detail = `${method} ${route}: ${name === 'TimeoutError' || name === 'AbortError' ? 'no answer in time' : 'network error'}`;
      return { error: new AltegioUnreachable(detail, undefined, undefined, { cause: error }), retryInMs: 'backoff' };
    }
    const status = response.status;
    let envelope: Envelope | undefined;
    try {
      envelope = await envelopeOf(response);
    } catch (error) {
      if (!(error instanceof AnswerTooLarge)) throw error;
      // Not retried: the same request would bring the same answer.
      logger.warn('altegio answer over the size limit; refused unread', { method, route, status, limitBytes: answerLimitBytes });
      return { error: new AltegioUnreachable(`${method} ${route}: ${status} answer over ${answerLimitBytes} bytes`, status) };
    }
    const message = typeof metaOf(envelope).message === 'string' ? (metaOf(envelope).message as string) : '';
    const detail = `${method} ${route}: ${status}${message ? ` ${message}` : ''}`;
    if (status >= 200 && status < 300) {
      if (status === 204 || (envelope === undefined && method === 'DELETE')) return { answer: { status, data: null, meta: {} } };
      if (envelope?.success !== true)
        return { error: new AltegioUnreachable(`${method} ${route}: ${status} without Altegio's envelope`, status) };
      return { answer: { status, data: envelope.data ?? null, meta: metaOf(envelope) } };
    }
    if (status >= 300 && status < 400)
      return { error: new AltegioUnreachable(`${method} ${route}: redirected (${status}); check CABINET_ALTEGIO_URL`, status) };
    if (status === 429) {
      const hinted = retryAfterMs(response.headers.get('retry-after'));
      const waitMs = (hinted ?? this.options.throttleDefaultMs) + Math.random() * 250;
      return { error: new AltegioThrottled(detail, status, waitMs / 1000), retryInMs: waitMs };
    }
    if (status >= 500) return { error: new AltegioUnreachable(detail, status), retryInMs: 'backoff' };
    if (status === 401) return { error: new AltegioAuthRevoked(detail, status), relogin: true };
    if (status === 402 || status === 403) {
      const licence = status === 402 || /лиценз|licen[cs]e/i.test(message);
      return { error: new AltegioRefused(detail, status, licence ? 'licence' : 'rights') };
    }
    if (status === 404) return { error: new AltegioNotFound(detail, status) };
    return { error: new AltegioRejected(detail, status, metaOf(envelope).errors) };
  }

  private async currentToken(call: CallOptions, credentials: Credentials): Promise<{ value: string; generation: number }> {
    const configured = credentials.userToken;
    const replaceable = !this.token || (this.token.configured !== undefined && this.token.configured !== configured);
    if (configured && configured !== this.refused && replaceable) {
      this.token = { value: Promise.resolve(configured), generation: ++this.generation, configured };
    }
    if (!this.token) {
      if (!this.canLogin(credentials))
        throw new AltegioAuthRevoked('the configured user token was refused and no login/password is configured', 401);
      const generation = ++this.generation;
      const value = this.mint(call, credentials.password!);
      this.token = { value, generation };
      // A failed login is not cached: the next call tries again.
      value.catch(() => this.forget(generation));
    }
    const { value, generation } = this.token;
    return { value: await value, generation };
  }

  private forget(generation: number): void {
    if (this.token?.generation !== generation) return;
    if (this.token.configured) this.refused = this.token.configured;
    this.token = undefined;
  }

  /** Within the bounds of the call that needed the token. */
  private async mint(call: CallOptions, password: string): Promise<string> {
    const { priority, attempts, timeoutMs, maxWaitMs } = call;
    const answer = await this.withRetries(
      'POST',
      '/auth',
      { priority, attempts, timeoutMs, maxWaitMs, body: { login: this.options.login, password } },
      'partner',
    );
    const token = (answer.data as { user_token?: unknown } | null)?.user_token;
    if (typeof token !== 'string' || !token) throw new AltegioUnreachable('POST /auth: no user_token in the answer', answer.status);
    logger.info('altegio user token minted');
    return token;
  }

  // The endpoints cabinet uses, each one request.
  companyRules(companyId: number, ask?: Ask) {
    return this.request<unknown[]>('GET', '/companies', { ...callOf(ask), query: { id: companyId, my: 1 } });
  }
  company(companyId: number, ask?: Ask) {
    return this.request('GET', `/company/${companyId}`, callOf(ask));
  }
  staff(companyId: number, staffId: number, ask?: Ask) {
    return this.request('GET', `/staff/${companyId}/${staffId}`, callOf(ask));
  }
  services(companyId: number, ask?: Ask) {
    return this.request<unknown[]>('GET', `/company/${companyId}/services`, callOf(ask));
  }
  record(companyId: number, recordId: number, ask?: Ask) {
    return this.request('GET', `/record/${companyId}/${recordId}`, callOf(ask));
  }
  records(companyId: number, query: CallOptions['query'], ask?: Ask) {
    return this.request<unknown[]>('GET', `/records/${companyId}`, { ...callOf(ask), query });
  }
  deleteRecord(companyId: number, recordId: number, ask: Ask = 'writeback') {
    return this.request<null>('DELETE', `/record/${companyId}/${recordId}`, callOf(ask));
  }
  /** A location's client cards matching a phone (E.164 digits). */
  searchClients(companyId: number, phone: string, ask?: Ask) {
    return this.request<unknown[]>('POST', `/company/${companyId}/clients/search`, {
      ...callOf(ask),
      body: {
        page: 1,
        page_size: 50,
        fields: ['id', 'name', 'phone', 'email'],
        operation: 'AND',
        filters: [{ type: 'quick_search', state: { value: phone } }],
      },
    });
  }
  client(companyId: number, clientId: number, ask?: Ask) {
    return this.request('GET', `/client/${companyId}/${clientId}`, callOf(ask));
  }
  /** Altegio requires `name` and `phone` on every update. */
  updateClient(companyId: number, clientId: number, fields: { name: string; phone: string; email?: string }, ask: Ask = 'writeback') {
    return this.request('PUT', `/client/${companyId}/${clientId}`, { ...callOf(ask), body: fields });
  }
  comments(companyId: number, query: CallOptions['query'], ask?: Ask) {
    return this.request<unknown[]>('GET', `/comments/${companyId}`, { ...callOf(ask), query });
  }
  postComment(companyId: number, staffId: number, comment: { mark: number; text: string; name: string }, ask: Ask = 'writeback') {
    return this.request('POST', `/comments/${companyId}/${staffId}`, { ...callOf(ask), body: comment });
  }
  hooks(companyId: number, ask?: Ask) {
    return this.request<Record<string, unknown>>('GET', `/hooks_settings/${companyId}`, callOf(ask));
  }
  setHooks(companyId: number, settings: Record<string, unknown>, ask?: Ask) {
    return this.request<Record<string, unknown>>('POST', `/hooks_settings/${companyId}`, { ...callOf(ask), body: settings });
  }
}

/** Where an operator puts a secret: its SSM parameter on a deployed stage, else its variable. */
function whereOf(name: SecretName): string {
  if (config.secretsPath) return `${config.secretsPath}${name}`;
  return `CABINET_${name.replace(/-/g, '_').toUpperCase()}`;
}

/**
 * The deployment's credentials from the secret store. On a deployed stage they could not be checked
 * at start (lib/config.ts): what is missing is refused here, on first use, naming where it belongs.
 */
async function storedCredentials(altegio: AltegioConfig): Promise<Credentials> {
  const [partnerToken, userToken, password] = await Promise.all([
    altegioPartnerToken(),
    altegioUserToken(),
    altegio.login ? altegioPassword() : undefined,
  ]);
  const problem = !partnerToken
    ? `${whereOf('altegio-partner-token')} is not set`
    : altegio.login && !password
      ? `CABINET_ALTEGIO_LOGIN is set but ${whereOf('altegio-password')} is not`
      : !altegio.login && !userToken
        ? `connected mode needs ${whereOf('altegio-user-token')}, or CABINET_ALTEGIO_LOGIN and ${whereOf('altegio-password')}`
        : undefined;
  if (problem) {
    logger.error('altegio credentials missing', { problem });
    throw new AltegioNotConfigured(`credentials: ${problem} (docs/altegio.md, running on AWS)`, undefined);
  }
  return { partnerToken: partnerToken!, userToken, password };
}

/** The client of a connected deployment's configuration. */
export function clientOf(altegio: AltegioConfig, budget: BudgetGate, overrides: Partial<ClientOptions> = {}): AltegioClient {
  return new AltegioClient({
    baseUrl: altegio.baseUrl,
    login: altegio.login,
    credentials: () => storedCredentials(altegio),
    budget,
    ...overrides,
  });
}

export { AltegioError };
