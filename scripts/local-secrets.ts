// The local stack's partner token and webhook secret: the configured ones, else ones made on the
// first start and kept beside the local data (git-ignored), so a restart keeps links and tokens.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../lib/config.js';
import { deriveRecordHash } from '../lib/domain/record-hash.js';

export interface LocalSecrets {
  partnerToken: string;
  webhookSecret: string;
}

export function localSecrets(config: Config): LocalSecrets {
  const file = join(config.dataDir, 'local-secrets.json');
  const kept: Partial<LocalSecrets> = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {};
  const secrets = {
    partnerToken: config.partnerToken ?? kept.partnerToken ?? randomBytes(32).toString('base64url'),
    webhookSecret: config.webhookSecret ?? kept.webhookSecret ?? randomBytes(32).toString('base64url'),
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

/** A copy-paste pair of requests: push an appointment in, then open it from its link. */
export function exampleRequest(base: string, secrets: LocalSecrets): string {
  const event = {
    company_id: 1, resource: 'record', resource_id: 1001, status: 'create',
    data: { datetime: '2026-12-01T14:00:00+03:00', length: 3600, services: [{ id: 1, title: 'Haircut', cost: 1500, amount: 1 }] },
  };
  const hash = deriveRecordHash(secrets.webhookSecret, event.resource_id);
  return [
    `curl -s -X POST '${base}/v1/webhooks/altegio?secret=${secrets.webhookSecret}' -H 'Content-Type: application/json' \\`,
    `  -d '${JSON.stringify(event)}'`,
    `curl -s '${base}/v1/user/records/${event.resource_id}/${hash}' -H 'Authorization: Bearer ${secrets.partnerToken}'`,
  ].join('\n');
}
