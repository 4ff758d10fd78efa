// Sends one SMS: POSTed as JSON `{to, text, purpose}` to the gateway's URL (CABINET_SMS_URL; on a
// deployed stage the SecureString `sms-url`, as the URL carries the gateway's key), where any 2xx
// means sent (docs/contract.md section 7). Without a gateway, a local run prints the message; real Lambda
// refuses instead, because printing would put login codes into CloudWatch. A redirect is not
// followed: it would post the code to wherever it points; a 3xx is a
// failed send like any other not-2xx.
//
// A failure is either a clear refusal before anything was sent (no connection could be made, or the
// gateway answered, and not 2xx), or it leaves the SMS possibly sent (no answer in time, or the
// connection lost after the request was written): the caller keeps every limit charged for the
// second kind, since a gateway slow to answer may be sending all the same.
import fetch, { FetchError } from 'node-fetch';
import { config } from '../config.js';
import type { CodePurpose } from '../domain/codes.js';
import { BadGateway, ServiceUnavailable } from '../errors.js';
import { logger } from '../observe.js';
import { smsGatewayUrl } from '../secret-store.js';

export interface Sms {
  /** E.164 digits. */
  to: string;
  text: string;
  purpose: CodePurpose;
}

const failed = 'The SMS could not be sent. Please try again later.';

/** The gateway may have sent the SMS: it did not answer in time, or the connection broke after the request went out. */
export class SmsMaybeSent extends BadGateway {
  constructor() {
    super('The SMS may not have been sent. If it does not arrive, please try again later.');
  }
}

/** Errors of making the connection: the request was never written, so nothing can have been sent. */
const neverConnected = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH', 'EADDRNOTAVAIL']);

function sendFailure(error: Error): BadGateway {
  const code = error instanceof FetchError ? error.code : undefined;
  return code !== undefined && neverConnected.has(code) ? new BadGateway(failed) : new SmsMaybeSent();
}

export async function sendSms(sms: Sms): Promise<void> {
  const url = await smsGatewayUrl();
  if (!url) {
    if (config.onLambda) throw new ServiceUnavailable('SMS sending is not configured.');
    console.log(`[sms] to +${sms.to} (${sms.purpose}): ${sms.text}`);
    return;
  }
  // The environment's value was checked at start-up; the parameter's only now (never logged: it holds the key).
  if (!/^https?:\/\/\S+$/.test(url)) {
    logger.error('sms-url is not an http(s) URL');
    throw new ServiceUnavailable('SMS sending is not configured.');
  }
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(sms),
    redirect: 'manual',
    signal: AbortSignal.timeout(config.smsTimeoutMs),
  }).catch((error: Error) => {
    // Neither the phone nor the text: the text holds the code.
    const failure = sendFailure(error);
    logger.warn('sms gateway unreachable', { error: error.name, maybe_sent: failure instanceof SmsMaybeSent });
    throw failure;
  });
  await response.arrayBuffer().catch(() => undefined);
  if (!response.ok) {
    logger.warn('sms gateway refused', { status: response.status });
    throw new BadGateway(failed);
  }
}
