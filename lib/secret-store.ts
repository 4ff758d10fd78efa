// Secret values, read where they live. On a deployed stage (CABINET_SECRETS_PATH set by
// serverless.yml) they are SSM Parameter Store SecureStrings, read at run time and decrypted by
// Powertools Parameters, each cached for five minutes: a warm function asks SSM at most once per
// secret per five minutes, and a rotated value is in use everywhere within five minutes. They are
// never in the Lambda environment or the CloudFormation template. Anywhere else (the local stack,
// tests) they come from the environment, through lib/config.ts.
//
// Each secret has its own getter with its name written out: scripts/iam.ts finds the getters a
// function's code reaches and grants ssm:GetParameter on exactly those parameters.
import { SSMProvider } from '@aws-lambda-powertools/parameters/ssm';
import { SSMClient } from '@aws-sdk/client-ssm';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { config } from './config.js';
import { ServiceUnavailable } from './errors.js';
import { logger } from './observe.js';

export type SecretName = 'webhook-secret' | 'events-secret' | 'internal-key' | 'legacy-hash-secret'
  | 'altegio-partner-token' | 'altegio-user-token' | 'altegio-password' | 'sms-url';

const maxAgeS = 300;

function fromEnvironment(name: SecretName): string | undefined {
  switch (name) {
    case 'webhook-secret': return config.webhookSecret;
    case 'events-secret': return config.eventsSecret;
    case 'internal-key': return config.internalKey;
    case 'legacy-hash-secret': return config.legacyHashSecret;
    case 'altegio-partner-token': return config.altegio?.partnerToken;
    case 'altegio-user-token': return config.altegio?.userToken;
    case 'altegio-password': return config.altegio?.password;
    case 'sms-url': return config.smsUrl;
  }
}

let provider: SSMProvider | undefined;
// Powertools does not cache an absent parameter; the optional ones are asked for once per maxAge too.
const absentUntil = new Map<string, number>();

function ssm(): SSMProvider {
  // A hung SSM costs a request seconds, not the Lambda's whole timeout (as for DynamoDB).
  provider ??= new SSMProvider({
    awsSdkV3Client: new SSMClient({ region: config.region, requestHandler: new NodeHttpHandler({ requestTimeout: 2000, connectionTimeout: 1000, throwOnRequestTimeout: true }) }),
  });
  return provider;
}

async function fromSsm(parameter: string): Promise<string | undefined> {
  if ((absentUntil.get(parameter) ?? 0) > Date.now()) return undefined;
  try {
    return await ssm().get(parameter, { decrypt: true, maxAge: maxAgeS });
  } catch (error) {
    // By the name SSM's answer carries (`__type`), a string: a bundler renames the SDK's classes,
    // so comparing with `ParameterNotFound.name` held in the source and failed in every bundle.
    if (((error as Error).cause as Error | undefined)?.name === 'ParameterNotFound') {
      absentUntil.set(parameter, Date.now() + maxAgeS * 1000);
      return undefined;
    }
    // The parameter's name only: never a value.
    logger.warn('secret unavailable', { parameter, error: ((error as Error).cause as Error | undefined)?.name ?? (error as Error).name });
    throw new ServiceUnavailable('Service temporarily unavailable. Please retry.', 1);
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

/** Connected mode (CONTRACT 8): the partner token Altegio issued to the marketplace developer. */
export const altegioPartnerToken = () => secretValue('altegio-partner-token');
/** The API token of the salon user invited for cabinet (unless cabinet logs in as it). */
export const altegioUserToken = () => secretValue('altegio-user-token');
/** That user's password, with CABINET_ALTEGIO_LOGIN: cabinet mints its own user token with it. */
export const altegioPassword = () => secretValue('altegio-password');

/** The SMS gateway's URL: a secret, as it carries the gateway's key. */
export const smsGatewayUrl = () => secretValue('sms-url');

/** For tests: forget what was read, as a new container would. */
export function forgetSecrets(): void {
  provider?.clearCache();
  absentUntil.clear();
}
