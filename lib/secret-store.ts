// Secret values, read where they live. On a deployed stage (CABINET_SECRETS_PATH set by
// serverless.yml) they are SSM Parameter Store SecureStrings, read at run time and decrypted
// (lib/ssm.ts), each cached for five minutes, an absent optional one too: a warm function asks SSM
// at most once per secret per five minutes, and a rotated value is in use everywhere within five
// minutes. They are
// never in the Lambda environment or the CloudFormation template. Anywhere else (the local stack,
// tests) they come from the environment, through lib/config.ts.
//
// Each secret has its own getter with its name written out: scripts/iam.ts finds the getters a
// function's code reaches and grants ssm:GetParameter on exactly those parameters.
import { config } from './config.js';
import { ServiceUnavailable } from './errors.js';
import { logger } from './observe.js';
import { getParameter, type SsmError } from './ssm.js';

export type SecretName =
  | 'webhook-secret'
  | 'events-secret'
  | 'internal-key'
  | 'legacy-hash-secret'
  | 'altegio-partner-token'
  | 'altegio-user-token'
  | 'altegio-password'
  | 'sms-url';

const maxAgeS = 300;

function fromEnvironment(name: SecretName): string | undefined {
  switch (name) {
    case 'webhook-secret':
      return config.webhookSecret;
    case 'events-secret':
      return config.eventsSecret;
    case 'internal-key':
      return config.internalKey;
    case 'legacy-hash-secret':
      return config.legacyHashSecret;
    case 'altegio-partner-token':
      return config.altegio?.partnerToken;
    case 'altegio-user-token':
      return config.altegio?.userToken;
    case 'altegio-password':
      return config.altegio?.password;
    case 'sms-url':
      return config.smsUrl;
  }
}

// Values read, and parameters found absent (the optional ones), each kept for maxAge.
const cache = new Map<string, { value: string | undefined; until: number }>();

async function fromSsm(parameter: string): Promise<string | undefined> {
  const cached = cache.get(parameter);
  if (cached && cached.until > Date.now()) return cached.value;
  try {
    const value = await getParameter(parameter);
    cache.set(parameter, { value, until: Date.now() + maxAgeS * 1000 });
    return value;
  } catch (error) {
    // The parameter's name and SSM's error name only: never a value.
    logger.warn('secret unavailable', { parameter, error: (error as SsmError).code ?? (error as Error).name });
    throw new ServiceUnavailable('Service temporarily unavailable. Please retry.', 1, { cause: error });
  }
}

/** A secret's value; undefined when it is not configured (each caller decides what that means). */
export async function secretValue(name: SecretName): Promise<string | undefined> {
  if (!config.secretsPath) return fromEnvironment(name);
  const value = (await fromSsm(`${config.secretsPath}${name}`))?.trim();
  return value ? value : undefined;
}

/** Authenticates inbound webhooks, and nothing else. */
export const webhookSecret = () => secretValue('webhook-secret');
/** Signs outbound events; subscribers hold it (or their own one). */
export const eventsSecret = () => secretValue('events-secret');
/** Keys minted record hashes and SMS code digests; never leaves the service. */
export const internalKey = () => secretValue('internal-key');
/** Only to give re-delivered old records their hash back (docs/operations.md, key migration). */
export const legacyHashSecret = () => secretValue('legacy-hash-secret');

/** Connected mode (docs/contract.md 8): the partner token Altegio issued to the marketplace developer. */
export const altegioPartnerToken = () => secretValue('altegio-partner-token');
/** The API token of the salon user invited for cabinet (unless cabinet logs in as it). */
export const altegioUserToken = () => secretValue('altegio-user-token');
/** That user's password, with CABINET_ALTEGIO_LOGIN: cabinet mints its own user token with it. */
export const altegioPassword = () => secretValue('altegio-password');

/** The SMS gateway's URL: a secret, as it carries the gateway's key. */
export const smsGatewayUrl = () => secretValue('sms-url');

/** For tests: forget what was read, as a new container would. */
export function forgetSecrets(): void {
  cache.clear();
}
