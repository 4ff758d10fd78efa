// Sends one SMS: POSTed as JSON `{to, text, purpose}` to CABINET_SMS_URL, where any 2xx means
// sent (CONTRACT.md section 7). Without a gateway, a local run prints the message; real Lambda
// refuses instead, because printing would put login codes into CloudWatch. A redirect is not
// followed (issue 13, finding 6): it would post the code to wherever it points; a 3xx is a
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
  if (!config.smsUrl) {
    if (config.onLambda) throw new ServiceUnavailable('SMS sending is not configured.');
    console.log(`[sms] to +${sms.to} (${sms.purpose}): ${sms.text}`);
    return;
  }
  const response = await fetch(config.smsUrl, {
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
