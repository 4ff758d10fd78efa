// Verifies a delivered event as a subscriber would: with the `standardwebhooks` library and the
// events secret, never with anything of the cabinet's own.
import { Webhook } from 'standardwebhooks';
import type { Delivery } from './subscriber.js';
import { testEventsSecret } from './table.js';

export function standardHeaders(delivery: Delivery): Record<string, string> {
  const pick = (name: string) => String(delivery.headers[name] ?? '');
  return {
    'webhook-id': pick('webhook-id'),
    'webhook-timestamp': pick('webhook-timestamp'),
    'webhook-signature': pick('webhook-signature'),
  };
}

/** The event's payload if it verifies under `secret` now; throws WebhookVerificationError if not. */
export function verifyEvent(delivery: Delivery, secret = testEventsSecret): unknown {
  return new Webhook(secret).verify(delivery.raw, standardHeaders(delivery));
}
