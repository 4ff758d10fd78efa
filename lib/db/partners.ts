// Partner tokens, as every request looks them up (registering and revoking: partner-admin.ts):
// kept only as SHA-256 digests. Looking a token up by its digest is the
// constant-time comparison here: what the table compares is a digest, which tells an attacker
// nothing about how close a guess came.
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { clock } from '../clock.js';
import { sha256Hex } from '../domain/secrets.js';
import { db, tableName } from './client.js';
import { keys } from './keys.js';

export interface Partner {
  name: string;
}

// Partners change rarely and every request names one, so a warm container remembers the ones it
// has seen for a minute: one DynamoDB round trip less on almost every request. Only hits are kept
// (guessed tokens cannot fill it); a revocation is seen at once here, within a minute elsewhere.
export const known = new Map<string, { partner: Partner; until: number }>();
const rememberMs = 60_000;
const rememberAtMost = 1000;

export async function findPartner(token: string): Promise<Partner | null> {
  const digest = sha256Hex(token);
  const hit = known.get(digest);
  if (hit && hit.until > clock.now()) return hit.partner;
  const { Item } = await db.send(new GetCommand({ TableName: tableName, Key: keys.partner(digest) }));
  const partner = Item && !Item.revoked ? { name: String(Item.name) } : null;
  if (!partner) known.delete(digest);
  else {
    if (known.size >= rememberAtMost) known.clear();
    known.set(digest, { partner, until: clock.now() + rememberMs });
  }
  return partner;
}
