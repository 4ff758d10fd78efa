// Sends one SMS: POSTed as JSON `{to, text, purpose}` to the gateway's URL (CABINET_SMS_URL; on a
// deployed stage the SecureString `sms-url`, as the URL carries the gateway's key), where any 2xx
// means sent (docs/contract.md section 7). Without a gateway, a local run prints the message; real Lambda
// refuses instead, because printing would put login codes into CloudWatch. A redirect is not
// followed: it would post the code to wherever it points; a 3xx is a
// failed send like any other not-2xx.
import fetch from 'node-fetch';
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
    logger.warn('sms gateway unreachable', { error: error.name });
    throw new BadGateway(failed);
  });
  await response.arrayBuffer().catch(() => undefined);
  if (!response.ok) {
    logger.warn('sms gateway refused', { status: response.status });
    throw new BadGateway(failed);
  }
}
