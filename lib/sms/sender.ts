// Sends one SMS: POSTed as JSON `{to, text, purpose}` to CABINET_SMS_URL, where any 2xx means
// sent (docs/contract.md section 7). Without a gateway, a local run prints the message; real Lambda
// refuses instead, because printing would put login codes into CloudWatch. A redirect is not
// followed : it would post the code to wherever it points; a 3xx is a
// failed send like any other not-2xx.
import fetch from 'node-fetch';
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
    logger.warn('sms gateway unreachable', { error: error.name });
    throw new BadGateway(failed);
  });
  await response.arrayBuffer().catch(() => undefined);
  if (!response.ok) {
    logger.warn('sms gateway refused', { status: response.status });
    throw new BadGateway(failed);
  }
}
