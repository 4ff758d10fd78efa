// The local stack's partner token and secrets: the configured ones, else ones made on the first
// start and kept beside the local data (git-ignored, readable by its owner only), so a restart
// keeps links, codes and tokens. One key per purpose, as on AWS: the webhook secret (for senders),
// the events secret (for subscribers) and the internal key (for no one: never printed).
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../lib/config.js';

export interface LocalSecrets {
  partnerToken: string;
  webhookSecret: string;
  eventsSecret: string;
  internalKey: string;
  /** Local data from before the internal key: its records' hashes were minted under the webhook secret. */
  legacyHashSecret?: string;
}

export function localSecrets(config: Config): LocalSecrets {
  const file = join(config.dataDir, 'local-secrets.json');
  const kept: Partial<LocalSecrets> = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {};
  const webhookSecret = config.webhookSecret ?? kept.webhookSecret ?? randomBytes(32).toString('base64url');
  // A kept webhook secret without a kept internal key: data from before the split, whose links
  // must keep coming back to their sender (docs/operations.md, key migration).
  const legacyHashSecret =
    config.legacyHashSecret ?? kept.legacyHashSecret ?? (kept.webhookSecret && !kept.internalKey ? kept.webhookSecret : undefined);
  const secrets: LocalSecrets = {
    partnerToken: config.partnerToken ?? kept.partnerToken ?? randomBytes(32).toString('base64url'),
    webhookSecret,
    eventsSecret: config.eventsSecret ?? kept.eventsSecret ?? `whsec_${randomBytes(32).toString('base64')}`,
    internalKey: config.internalKey ?? kept.internalKey ?? randomBytes(32).toString('base64url'),
    ...(legacyHashSecret ? { legacyHashSecret } : {}),
  };
  mkdirSync(config.dataDir, { recursive: true });
  writeFileSync(file, JSON.stringify({ ...kept, ...secrets }, null, 2), { mode: 0o600 });
  return secrets;
}

/** A new local partner token in place of the kept one (which was revoked), kept from now on. */
export function renewPartnerToken(config: Config): string {
  const file = join(config.dataDir, 'local-secrets.json');
  const partnerToken = randomBytes(32).toString('base64url');
  writeFileSync(file, JSON.stringify({ ...JSON.parse(readFileSync(file, 'utf8')), partnerToken }, null, 2), { mode: 0o600 });
  return partnerToken;
}

/** What the local stack's handlers get in their environment. */
export function secretsEnv(secrets: LocalSecrets): Record<string, string> {
  return {
    CABINET_WEBHOOK_SECRET: secrets.webhookSecret,
    CABINET_EVENTS_SECRET: secrets.eventsSecret,
    CABINET_INTERNAL_KEY: secrets.internalKey,
    ...(secrets.legacyHashSecret ? { CABINET_LEGACY_HASH_SECRET: secrets.legacyHashSecret } : {}),
  };
}

/** A copy-paste pair of requests: push an appointment in, then open it from the link hash its reply gives. */
export function exampleRequest(base: string, secrets: LocalSecrets): string {
  const event = {
    company_id: 1,
    resource: 'record',
    resource_id: 1001,
    status: 'create',
    data: { datetime: '2026-12-01T14:00:00+03:00', length: 3600, services: [{ id: 1, title: 'Haircut', cost: 1500, amount: 1 }] },
  };
  return [
    `H=$(curl -s -X POST '${base}/v1/webhooks/altegio?secret=${secrets.webhookSecret}' -H 'Content-Type: application/json' \\`,
    `  -d '${JSON.stringify(event)}' | sed 's/.*"record_hash":"\\([0-9a-f]*\\)".*/\\1/')`,
    `curl -s "${base}/v1/user/records/${event.resource_id}/$H" -H 'Authorization: Bearer ${secrets.partnerToken}'`,
  ].join('\n');
}
