// SSM Parameter Store's GetParameter, the one SSM call cabinet makes, signed with SigV4 by the
// SDK's own signer and sent with node-fetch. Not the SDK's SSM client: its models of every SSM
// operation and error (about 80 KB minified) came with it into each function that reads a secret,
// and took the request-path bundles past their size target (docs/performance.md). Behaviour kept
// from it: the SDK's credential chain (in the deployed bundles, the role's keys from the
// environment: lib/db/lambda-credentials.ts), its endpoint (AWS_ENDPOINT_URL_SSM, else the
// region's), up to 3 attempts with backoff on throttling, 5xx and network failures, and a 2 s
// bound on each attempt.
import { defaultProvider } from '@aws-sdk/credential-provider-node';
import { SignatureV4 } from '@smithy/signature-v4';
import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';
import fetch from 'node-fetch';
import { buildFromConfig } from './config.js';

/** An SSM error by the name SSM gives it (`ParameterNotFound`, `AccessDeniedException`…): a string no bundler renames. */
export class SsmError extends Error {
  override name = 'SsmError';
  constructor(
    readonly code: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

type Data = string | ArrayBuffer | ArrayBufferView;
const bytes = (data: Data) =>
  typeof data === 'string'
    ? data
    : ArrayBuffer.isView(data)
      ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
      : new Uint8Array(data);

/** The signer's hash, from node:crypto. */
class Sha256 {
  private readonly hash: Hash | Hmac;
  constructor(secret?: Data) {
    this.hash = secret === undefined ? createHash('sha256') : createHmac('sha256', bytes(secret));
  }
  update(data: Data): void {
    this.hash.update(bytes(data));
  }
  digest(): Promise<Uint8Array> {
    return Promise.resolve(this.hash.digest());
  }
}

let endpoint: URL;
let signer: SignatureV4;
buildFromConfig((config) => {
  endpoint = new URL(config.ssmEndpoint ?? `https://ssm.${config.region}.amazonaws.com/`);
  signer = new SignatureV4({ service: 'ssm', region: config.region, credentials: defaultProvider(), sha256: Sha256 });
});
const attempts = 3;
const attemptTimeoutMs = 2000;

async function attempt(body: string): Promise<{ status: number; answer: Record<string, unknown> }> {
  const request = await signer.sign({
    method: 'POST',
    protocol: endpoint.protocol,
    hostname: endpoint.hostname,
    port: endpoint.port ? Number(endpoint.port) : undefined,
    path: endpoint.pathname,
    query: {},
    body,
    headers: { host: endpoint.host, 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AmazonSSM.GetParameter' },
  });
  const response = await fetch(endpoint, {
    method: 'POST',
    headers: request.headers,
    body,
    redirect: 'manual',
    signal: AbortSignal.timeout(attemptTimeoutMs),
  });
  const text = await response.text();
  const answer = (() => {
    try {
      return JSON.parse(text) as Record<string, unknown>;
    } catch {
      return {};
    }
  })();
  return { status: response.status, answer };
}

/** SSM's error name: `__type`, without the namespace some answers put before `#`. */
const codeOf = (answer: Record<string, unknown>, status: number) =>
  String(answer.__type ?? `Http${status}`)
    .split('#')
    .pop()!;
const retried = (status: number, code: string) => status >= 500 || status === 429 || /Throttl|TooManyUpdates/.test(code);

/** A parameter's value, decrypted; undefined when SSM says it does not exist. Other failures throw SsmError. */
export async function getParameter(name: string): Promise<string | undefined> {
  const body = JSON.stringify({ Name: name, WithDecryption: true });
  let last = new SsmError('Unknown', 'no attempt made');
  for (let i = 0; i < attempts; i++) {
    if (i > 0) await new Promise((resolve) => setTimeout(resolve, Math.random() * 100 * 2 ** i));
    try {
      const { status, answer } = await attempt(body);
      if (status === 200) return String((answer.Parameter as { Value?: unknown } | undefined)?.Value ?? '');
      const code = codeOf(answer, status);
      if (code === 'ParameterNotFound') return undefined;
      last = new SsmError(code, String(answer.message ?? answer.Message ?? `SSM answered ${status}`));
      if (!retried(status, code)) break;
    } catch (error) {
      // A timeout or a dropped connection: tried again.
      const name = (error as Error).name === 'AbortError' ? 'TimeoutError' : (error as Error).name;
      last = new SsmError(name, (error as Error).message, { cause: error });
    }
  }
  throw last;
}
