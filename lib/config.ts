// The only reader of process.env. Everything is read and checked once, when the module loads
// (a Lambda cold start, a script start), so a bad value fails loudly at start-up instead of on some
// later request. Tests read it again with their own environment (rereadConfig).

import { eventSecretFor, parseEventSecrets } from './domain/signature.js';

export class ConfigError extends Error {
  override name = 'ConfigError';
}

type Env = Record<string, string | undefined>;

function text(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value ? value : undefined;
}

function port(env: Env, name: string, fallback: number): number {
  const raw = text(env, name);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > 65535) {
    throw new ConfigError(`${name} must be a port number (1-65535), got "${raw}"`);
  }
  return value;
}

function secret(env: Env, name: string): string | undefined {
  const value = text(env, name);
  // A short secret is guessable; refusing it here beats discovering it after a breach.
  if (value !== undefined && value.length < 16) {
    throw new ConfigError(`${name} must be at least 16 characters long`);
  }
  return value;
}

/** Real Lambda sets AWS_LAMBDA_FUNCTION_NAME; serverless offline sets it too, and IS_OFFLINE. */
function onLambda(env: Env): boolean {
  return Boolean(env.AWS_LAMBDA_FUNCTION_NAME) && !env.IS_OFFLINE;
}

/**
 * Unset: in real Lambda the SDK's regional endpoint, anywhere else the embedded DynamoDB of
 * `npm start`. `aws`: the regional endpoint from anywhere (an operator's `npm run partner`).
 */
function dynamodbEndpoint(env: Env, localPort: number): string | undefined {
  const value = text(env, 'CABINET_DYNAMODB_ENDPOINT');
  if (value === 'aws') return undefined;
  if (value !== undefined && !/^https?:\/\/[^\s/]+/.test(value)) {
    throw new ConfigError(`CABINET_DYNAMODB_ENDPOINT must be an http(s) URL or "aws", got "${value}"`);
  }
  return value ?? (onLambda(env) ? undefined : `http://127.0.0.1:${localPort}`);
}

function count(env: Env, name: string, fallback: number, min = 1): number {
  const raw = text(env, name);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) throw new ConfigError(`${name} must be a whole number >= ${min}, got "${raw}"`);
  return value;
}

function url(env: Env, name: string): string | undefined {
  const value = text(env, name);
  if (value !== undefined && !/^https?:\/\/\S+$/.test(value)) throw new ConfigError(`${name} must be an http(s) URL`);
  return value;
}

function urls(env: Env, name: string): string[] {
  const list = (text(env, name) ?? '')
    .split(',')
    .map((u) => u.trim())
    .filter(Boolean);
  for (const item of list)
    if (!/^https?:\/\/\S+$/.test(item)) throw new ConfigError(`${name} must be comma-separated http(s) URLs, got "${item}"`);
  return list;
}

function country(env: Env, name: string, fallback: string): string {
  const value = (text(env, name) ?? fallback).toUpperCase();
  if (!/^[A-Z]{2}$/.test(value)) throw new ConfigError(`${name} must be an ISO 3166 two-letter country code, got "${value}"`);
  return value;
}

function countries(env: Env, name: string): string[] {
  const list = (text(env, name) ?? '')
    .split(',')
    .map((c) => c.trim().toUpperCase())
    .filter(Boolean);
  for (const item of list)
    if (!/^[A-Z]{2}$/.test(item)) throw new ConfigError(`${name} must be comma-separated ISO 3166 two-letter country codes, got "${item}"`);
  return [...new Set(list)];
}

function eventsSecret(env: Env, subscribers: readonly string[]): string | undefined {
  const value = text(env, 'CABINET_EVENTS_SECRET');
  try {
    const parsed = parseEventSecrets(value);
    const unknown = Object.keys(parsed.byUrl).find((u) => !subscribers.includes(u));
    if (unknown !== undefined) throw new Error(`it names a subscriber that is not in CABINET_EVENTS_URL: ${new URL(unknown).origin}`);
    // Unset, or from SSM (CABINET_SECRETS_PATH), the value is not known here: the deliverer checks it
    // (`npm start` keeps one of its own). A value that leaves a subscriber out is a mistake to refuse now.
    const unsigned =
      value === undefined || text(env, 'CABINET_SECRETS_PATH') ? undefined : subscribers.find((u) => !eventSecretFor(parsed, u));
    if (unsigned !== undefined)
      throw new Error(`no secret signs the events of ${new URL(unsigned).origin} (set whsec_… for all, or <url>=whsec_…)`);
  } catch (error) {
    throw new ConfigError(`CABINET_EVENTS_SECRET: ${(error as Error).message}`, { cause: error });
  }
  return value;
}

/**
 * The web origins browsers may call from (docs/contract.md section 11): `*`, any (no cookies are used,
 * tokens travel in a header), or comma-separated origins (`https://salon.example`, no path).
 */
function corsOrigins(env: Env): '*' | string[] {
  const raw = text(env, 'CABINET_CORS_ORIGINS') ?? '*';
  if (raw === '*') return '*';
  const list = raw
    .split(',')
    .map((o) => o.trim())
    .filter(Boolean);
  for (const item of list)
    if (!/^https?:\/\/[^/\s*]+$/.test(item))
      throw new ConfigError(`CABINET_CORS_ORIGINS must be "*" or comma-separated origins (scheme://host[:port], no path), got "${item}"`);
  if (list.length === 0) throw new ConfigError('CABINET_CORS_ORIGINS must be "*" or name at least one origin');
  return Object.freeze([...new Set(list)]) as string[];
}

/** An SSM parameter path: the secrets' names are appended to it. */
function ssmPath(env: Env, name: string): string | undefined {
  const value = text(env, name);
  if (value !== undefined && !/^\/[\w.\-/]*\/$/.test(value))
    throw new ConfigError(`${name} must be an SSM path that starts and ends with "/", got "${value}"`);
  return value;
}

/** One key per purpose: a key given for two purposes is refused, not quietly used. */
function distinct<T extends Record<string, string | undefined>>(keys: T): T {
  const given = Object.entries(keys).filter(([, v]) => v !== undefined);
  for (const [i, [name, value]] of given.entries()) {
    const twin = given.slice(i + 1).find(([, v]) => v === value);
    if (twin) throw new ConfigError(`${name} and ${twin[0]} must be different secrets (one key per purpose)`);
  }
  return keys;
}

const logLevels = ['DEBUG', 'INFO', 'WARN', 'ERROR', 'SILENT'] as const;

function logLevel(env: Env): (typeof logLevels)[number] {
  const value = (text(env, 'CABINET_LOG_LEVEL') ?? 'INFO').toUpperCase();
  const known = logLevels.find((level) => level === value);
  if (!known) throw new ConfigError(`CABINET_LOG_LEVEL must be one of ${logLevels.join(', ')}, got "${value}"`);
  return known;
}

function onOff(env: Env, name: string, fallback: boolean): boolean {
  const value = text(env, name)?.toLowerCase();
  if (value === undefined) return fallback;
  if (value !== 'on' && value !== 'off') throw new ConfigError(`${name} must be "on" or "off", got "${value}"`);
  return value === 'on';
}

function webhookSignatures(env: Env): 'any' | 'timestamped' {
  const value = text(env, 'CABINET_WEBHOOK_SIGNATURES')?.toLowerCase() ?? 'any';
  if (value !== 'any' && value !== 'timestamped')
    throw new ConfigError(`CABINET_WEBHOOK_SIGNATURES must be "any" or "timestamped", got "${value}"`);
  return value;
}

// Connected mode (docs/contract.md section 8) is switched on by the locations it serves,
// CABINET_ALTEGIO_COMPANY_IDS, which is not a secret (a deployed stage passes it as a serverless param).
// Without it every CABINET_ALTEGIO_* variable must be unset: a half-configured connection that
// silently ran standalone would look like it works.
const writebackKinds = ['cancel', 'profile', 'review'] as const;
export type WritebackKind = (typeof writebackKinds)[number];

function writeback(env: Env): WritebackKind[] {
  const raw = (text(env, 'CABINET_ALTEGIO_WRITEBACK') ?? 'cancel').toLowerCase();
  if (raw === 'none') return [];
  const list = raw
    .split(',')
    .map((k) => k.trim())
    .filter(Boolean);
  for (const kind of list) {
    if (!writebackKinds.includes(kind as WritebackKind)) {
      throw new ConfigError(`CABINET_ALTEGIO_WRITEBACK must be "none" or any of ${writebackKinds.join(', ')}, got "${kind}"`);
    }
  }
  return [...new Set(list as WritebackKind[])];
}

function companyIds(raw: string): number[] {
  const ids = raw
    .split(',')
    .map((id) => id.trim())
    .filter(Boolean);
  for (const id of ids)
    if (!/^[1-9]\d{0,14}$/.test(id)) throw new ConfigError(`CABINET_ALTEGIO_COMPANY_IDS must be comma-separated location ids, got "${id}"`);
  if (ids.length === 0) throw new ConfigError('CABINET_ALTEGIO_COMPANY_IDS must name at least one location id');
  return [...new Set(ids.map(Number))];
}

function altegio(env: Env) {
  const rawIds = text(env, 'CABINET_ALTEGIO_COMPANY_IDS');
  const baseUrl = (url(env, 'CABINET_ALTEGIO_URL') ?? 'https://api.alteg.io/api/v1').replace(/\/+$/, '');
  const login = text(env, 'CABINET_ALTEGIO_LOGIN');
  const rps = count(env, 'CABINET_ALTEGIO_RPS', 3);
  const rpm = count(env, 'CABINET_ALTEGIO_RPM', 150);
  const writebackList = writeback(env);
  if (rawIds === undefined) {
    const stray = Object.keys(env).filter((name) => name.startsWith('CABINET_ALTEGIO_') && text(env, name) !== undefined);
    if (stray.length > 0)
      throw new ConfigError(
        `${stray.join(', ')} set but CABINET_ALTEGIO_COMPANY_IDS is not: set it (the locations served) to connect to ` +
          `Altegio, or unset them to run standalone`,
      );
    return null;
  }
  const ids = companyIds(rawIds);
  // The credentials. Deployed (CABINET_SECRETS_PATH), they are SSM SecureStrings, unknown here: they
  // are read, and checked, where they are used (lib/secret-store.ts altegioCredentials), and these
  // variables are ignored, as the other secrets' are. Anywhere else they are checked now.
  const fromSsm = text(env, 'CABINET_SECRETS_PATH') !== undefined;
  const partnerToken = fromSsm ? undefined : text(env, 'CABINET_ALTEGIO_PARTNER_TOKEN');
  const userToken = fromSsm ? undefined : text(env, 'CABINET_ALTEGIO_USER_TOKEN');
  const password = fromSsm ? undefined : text(env, 'CABINET_ALTEGIO_PASSWORD');
  if (!fromSsm) {
    if (partnerToken === undefined)
      throw new ConfigError('CABINET_ALTEGIO_PARTNER_TOKEN is required when CABINET_ALTEGIO_COMPANY_IDS is set (connected mode)');
    if ((login === undefined) !== (password === undefined))
      throw new ConfigError('CABINET_ALTEGIO_LOGIN and CABINET_ALTEGIO_PASSWORD go together: set both or neither');
    if (userToken === undefined && login === undefined) {
      throw new ConfigError('connected mode needs CABINET_ALTEGIO_USER_TOKEN, or CABINET_ALTEGIO_LOGIN and CABINET_ALTEGIO_PASSWORD');
    }
  }
  return Object.freeze({
    baseUrl,
    partnerToken,
    userToken,
    login,
    password,
    companyIds: Object.freeze(ids),
    writeback: Object.freeze(writebackList),
    rps,
    rpm,
  });
}

export function readConfig(env: Env) {
  const dynamodbLocalPort = port(env, 'CABINET_DYNAMODB_PORT', 8000);
  const subscribers = urls(env, 'CABINET_EVENTS_URL');
  const keys = distinct({
    CABINET_WEBHOOK_SECRET: secret(env, 'CABINET_WEBHOOK_SECRET'),
    CABINET_INTERNAL_KEY: secret(env, 'CABINET_INTERNAL_KEY'),
    CABINET_EVENTS_SECRET: eventsSecret(env, subscribers),
  });
  return Object.freeze({
    onLambda: onLambda(env),
    /** Port of the local API served by `npm start`. */
    port: port(env, 'PORT', 3000),
    /** Port of the embedded DynamoDB Local started by `npm start` and `npm run partner`. */
    dynamodbLocalPort,
    /** Where the embedded DynamoDB keeps its data between runs (git-ignored). */
    dataDir: text(env, 'CABINET_DATA_DIR') ?? '.data',
    /** DynamoDB table name; on AWS serverless.yml sets it to the stack's table. */
    tableName: text(env, 'CABINET_TABLE') ?? 'cabinet-local',
    /** Where DynamoDB is; undefined means the SDK's regional endpoint. */
    dynamodbEndpoint: dynamodbEndpoint(env, dynamodbLocalPort),
    region: text(env, 'AWS_REGION') ?? 'us-east-1',
    /** How long one DynamoDB request may take before it is abandoned (and retried by the SDK). */
    dynamodbTimeoutMs: count(env, 'CABINET_DYNAMODB_TIMEOUT_MS', 2000),
    /** Partner token registered at local start-up (deployments mint theirs with `npm run partner`). */
    partnerToken: secret(env, 'CABINET_PARTNER_TOKEN'),
    /** Authenticates inbound webhooks, and nothing else. */
    webhookSecret: keys.CABINET_WEBHOOK_SECRET,
    /** `timestamped`: only replay-proof webhook signatures (docs/contract.md, webhook signatures); `any` also the body-only one. */
    webhookSignatures: webhookSignatures(env),
    /** Signs outbound events (Standard Webhooks): `whsec_…`, and/or `<subscriber URL>=whsec_…` items. */
    eventsSecret: keys.CABINET_EVENTS_SECRET,
    /** Keys minted record hashes and SMS code digests; never leaves the service. */
    internalKey: keys.CABINET_INTERNAL_KEY,
    /** The webhook secret from before the internal key: re-delivered old records get their hash back. */
    legacyHashSecret: secret(env, 'CABINET_LEGACY_HASH_SECRET'),
    /** Deployed stages: the SSM path of the secrets, read at run time (lib/secret-store.ts), not from here. */
    secretsPath: ssmPath(env, 'CABINET_SECRETS_PATH'),
    /** Where SSM is (tests' stand-in); unset: the region's endpoint. */
    ssmEndpoint: url(env, 'AWS_ENDPOINT_URL_SSM'),
    /** SMS gateway; unset: messages are printed (local runs only: real Lambda refuses to send). */
    smsUrl: url(env, 'CABINET_SMS_URL'),
    smsTimeoutMs: count(env, 'CABINET_SMS_TIMEOUT_MS', 5000),
    /** docs/contract.md section 5. */
    smsLimits: Object.freeze({
      phoneCooldownS: count(env, 'CABINET_SMS_PHONE_COOLDOWN_S', 60),
      phonePerDay: count(env, 'CABINET_SMS_PHONE_PER_DAY', 5),
      ipPerHour: count(env, 'CABINET_SMS_IP_PER_HOUR', 10),
      userPerHour: count(env, 'CABINET_SMS_USER_PER_HOUR', 5),
      companyPerDay: count(env, 'CABINET_SMS_COMPANY_PER_DAY', 500),
      /** All locations together, so many locations cannot multiply the bill. */
      deploymentPerDay: count(env, 'CABINET_SMS_DEPLOYMENT_PER_DAY', 5000),
    }),
    /** Countries whose numbers get codes at every location, besides the location's own country. */
    smsCountries: Object.freeze(countries(env, 'CABINET_SMS_COUNTRIES')),
    /** Login attempts (code or password) one client IP may make per hour. */
    loginIpPerHour: count(env, 'CABINET_LOGIN_IP_PER_HOUR', 30),
    /** Password login attempts for one login (phone or email) per hour, from anywhere. */
    loginPerHour: count(env, 'CABINET_LOGIN_PER_HOUR', 10),
    /** Password attempts, deployment-wide per minute, for logins that have no password to check. */
    loginUncheckedPerMinute: count(env, 'CABINET_LOGIN_UNCHECKED_PER_MINUTE', 60),
    /** How long after an SMS-code login its token may set a password without the old one. */
    freshLoginS: count(env, 'CABINET_FRESH_LOGIN_S', 600),
    /** Email changes one user may ask for per day, taken or not: each tells whether an address is taken. */
    emailChangesPerDay: count(env, 'CABINET_EMAIL_CHANGES_PER_DAY', 10),
    /** Connected: profile changes of one user per day that write back to Altegio (each reaches every location). */
    profileWritebacksPerDay: count(env, 'CABINET_PROFILE_WRITEBACKS_PER_DAY', 20),
    /** Subscribers of outbound events (docs/contract.md section 6); none: events are kept, sent nowhere. */
    eventsUrls: Object.freeze(subscribers),
    eventsTimeoutMs: count(env, 'CABINET_EVENTS_TIMEOUT_MS', 5000),
    /** Delivery attempts per event before it is kept as failed (for `npm run events -- replay`). */
    eventsMaxAttempts: count(env, 'CABINET_EVENTS_MAX_ATTEMPTS', 12),
    /** Wait before the first retry; it doubles with each attempt, up to an hour. */
    eventsRetryBaseS: count(env, 'CABINET_EVENTS_RETRY_BASE_S', 30),
    /** How long events are kept for subscribers that do not have them yet (none configured, or added later). */
    eventsRetentionDays: count(env, 'CABINET_EVENTS_RETENTION_DAYS', 14),
    /** How long a review link (record_token) stays valid after the visit is marked. */
    reviewTokenTtlDays: count(env, 'CABINET_REVIEW_TOKEN_TTL_DAYS', 30),
    /** The least severe log line written: INFO has one line per request; SILENT writes none. */
    logLevel: logLevel(env),
    /** Metrics (CloudWatch's embedded metric format, written as log lines); `off` drops them. */
    metrics: onOff(env, 'CABINET_METRICS', true),
    /** CABINET_METRICS set to `on` outright: only then does `npm start` make and show metric lines. */
    metricsAsked: env.CABINET_METRICS !== undefined && onOff(env, 'CABINET_METRICS', true),
    /** Region for phones written without a country code, where the location does not say. */
    defaultCountry: country(env, 'CABINET_DEFAULT_COUNTRY', 'RU'),
    /** Connected to Altegio (docs/contract.md section 8); null: standalone. */
    altegio: altegio(env),
    /** Origins a browser may call cabinet from: `*` or a list. */
    corsOrigins: corsOrigins(env),
    /** Cabinet's public base URL, for the webhook `npm run altegio -- connect` registers. */
    publicUrl: (url(env, 'CABINET_PUBLIC_URL') ?? `http://127.0.0.1:${port(env, 'PORT', 3000)}`).replace(/\/+$/, ''),
  });
}

export type Config = ReturnType<typeof readConfig>;

/** The settings, read and checked when this module loads. */
export let config: Config = readConfig(process.env);

const rebuilds: Array<(config: Config) => void> = [];

/**
 * For what a module builds once from the settings (the DynamoDB client, the logger): built now, and
 * built again whenever the settings are read again, so nothing keeps settings that are gone.
 */
export function buildFromConfig(build: (config: Config) => void): void {
  build(config);
  rebuilds.push(build);
}

/**
 * Reads the environment again, as a cold start would, and rebuilds what was built from it. The
 * service never calls it (a process keeps the settings it started with); a test file calls it,
 * through its fixture, after setting its own environment.
 */
export function rereadConfig(): Config {
  config = readConfig(process.env);
  for (const rebuild of rebuilds) rebuild(config);
  return config;
}

/** The whole environment, for a script that starts a child process with it (scripts/stack.ts). */
export function environment(): Env {
  return { ...process.env };
}

export type AltegioConfig = NonNullable<Config['altegio']>;

/** Whether this kind of write-back is on, for this location (only configured locations are Altegio's to know). */
export function writebackOn(kind: WritebackKind, companyId?: number | null): boolean {
  const altegio = config.altegio;
  if (!altegio || !altegio.writeback.includes(kind)) return false;
  return companyId === undefined || companyId === null || altegio.companyIds.includes(companyId);
}
