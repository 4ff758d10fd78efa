// The only reader of process.env. Everything is read and checked once, when the module loads
// (a Lambda cold start, a script start, or a test file's first import), so a bad value fails
// loudly at start-up instead of on some later request.

export class ConfigError extends Error {}

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
  const list = (text(env, name) ?? '').split(',').map((u) => u.trim()).filter(Boolean);
  for (const item of list) if (!/^https?:\/\/\S+$/.test(item)) throw new ConfigError(`${name} must be comma-separated http(s) URLs, got "${item}"`);
  return list;
}

function country(env: Env, name: string, fallback: string): string {
  const value = (text(env, name) ?? fallback).toUpperCase();
  if (!/^[A-Z]{2}$/.test(value)) throw new ConfigError(`${name} must be an ISO 3166 two-letter country code, got "${value}"`);
  return value;
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

export function readConfig(env: Env) {
  const dynamodbLocalPort = port(env, 'CABINET_DYNAMODB_PORT', 8000);
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
    /** Authenticates inbound webhooks; keys for record hashes and SMS code digests derive from it. */
    webhookSecret: secret(env, 'CABINET_WEBHOOK_SECRET'),
    /** SMS gateway; unset: messages are printed (local runs only: real Lambda refuses to send). */
    smsUrl: url(env, 'CABINET_SMS_URL'),
    smsTimeoutMs: count(env, 'CABINET_SMS_TIMEOUT_MS', 5000),
    /** CONTRACT.md section 5. */
    smsLimits: Object.freeze({
      phoneCooldownS: count(env, 'CABINET_SMS_PHONE_COOLDOWN_S', 60),
      phonePerDay: count(env, 'CABINET_SMS_PHONE_PER_DAY', 5),
      ipPerHour: count(env, 'CABINET_SMS_IP_PER_HOUR', 10),
      userPerHour: count(env, 'CABINET_SMS_USER_PER_HOUR', 5),
      companyPerDay: count(env, 'CABINET_SMS_COMPANY_PER_DAY', 500),
    }),
    /** Login attempts (code or password) one client IP may make per hour. */
    loginIpPerHour: count(env, 'CABINET_LOGIN_IP_PER_HOUR', 30),
    /** Password login attempts for one login (phone or email) per hour, from anywhere. */
    loginPerHour: count(env, 'CABINET_LOGIN_PER_HOUR', 10),
    /** Password attempts, deployment-wide per minute, for logins that have no password to check. */
    loginUncheckedPerMinute: count(env, 'CABINET_LOGIN_UNCHECKED_PER_MINUTE', 60),
    /** How long after an SMS-code login its token may set a password without the old one. */
    freshLoginS: count(env, 'CABINET_FRESH_LOGIN_S', 600),
    /** Subscribers of outbound events (CONTRACT.md section 6); none: events are kept, sent nowhere. */
    eventsUrls: Object.freeze(urls(env, 'CABINET_EVENTS_URL')),
    eventsTimeoutMs: count(env, 'CABINET_EVENTS_TIMEOUT_MS', 5000),
    /** Delivery attempts per event before it is kept as failed (for `npm run events -- replay`). */
    eventsMaxAttempts: count(env, 'CABINET_EVENTS_MAX_ATTEMPTS', 12),
    /** Wait before the first retry; it doubles with each attempt, up to an hour. */
    eventsRetryBaseS: count(env, 'CABINET_EVENTS_RETRY_BASE_S', 30),
    /** How long a review link (record_token) stays valid after the visit is marked. */
    reviewTokenTtlDays: count(env, 'CABINET_REVIEW_TOKEN_TTL_DAYS', 30),
    /** The least severe log line written: INFO has one line per request; SILENT writes none. */
    logLevel: logLevel(env),
    /** Metrics (CloudWatch's embedded metric format, written as log lines); `off` drops them. */
    metrics: onOff(env, 'CABINET_METRICS', true),
    /** Region for phones written without a country code, where the location does not say. */
    defaultCountry: country(env, 'CABINET_DEFAULT_COUNTRY', 'RU'),
  });
}

export type Config = ReturnType<typeof readConfig>;

export const config: Config = readConfig(process.env);
