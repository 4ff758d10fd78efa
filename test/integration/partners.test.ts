// Partner tokens on DynamoDB Local: found by digest, never stored in plain, revocable.
import { ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { withClockAt } from '../helpers/clock.js';
import { given } from '../helpers/fixture.js';
import { db } from '../../lib/db/client.js';
import { findPartner } from '../../lib/db/partners.js';
import { mintPartnerToken, registerPartner, revokePartner } from '../../lib/db/partner-admin.js';
import { keys } from '../../lib/db/keys.js';
import { sha256Hex } from '../../lib/domain/secrets.js';

const { tableName } = await given();

describe('partner tokens', () => {
  it('are minted unguessable and different each time', () => {
    const tokens = new Set(Array.from({ length: 50 }, mintPartnerToken));
    expect(tokens.size).toBe(50);
    for (const token of tokens) expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('are found after registration, and an unknown or altered token is not', async () => {
    const token = mintPartnerToken();
    await registerPartner(token, 'acme');
    expect(await findPartner(token)).toEqual({ name: 'acme' });
    expect(await findPartner(`${token}x`)).toBeNull();
    expect(await findPartner(mintPartnerToken())).toBeNull();
  });

  it('are kept only as digests: the table never holds the token itself', async () => {
    const token = mintPartnerToken();
    await registerPartner(token, 'digest-check');
    const { Items = [] } = await db.send(new ScanCommand({ TableName: tableName }));
    expect(JSON.stringify(Items)).not.toContain(token);
    expect(Items.some((item) => item.name === 'digest-check')).toBe(true);
  });

  it('are remembered for a minute by a warm container, so a revoked token still works for that long elsewhere', async () => {
    await withClockAt('2026-11-23T10:00:00Z', async (time) => {
      const token = mintPartnerToken();
      await registerPartner(token, 'remembered');
      expect(await findPartner(token)).toEqual({ name: 'remembered' });
      // Revoked by another container (straight in the table), not through this one:
      await db.send(
        new UpdateCommand({
          TableName: tableName,
          Key: keys.partner(sha256Hex(token)),
          UpdateExpression: 'SET revoked = :y',
          ExpressionAttributeValues: { ':y': true },
        }),
      );
      time.advance(59_000);
      expect(await findPartner(token)).toEqual({ name: 'remembered' });
      time.advance(1_001);
      expect(await findPartner(token)).toBeNull();
    });
  });

  it('stop working when revoked; revoking an unknown token says so', async () => {
    const token = mintPartnerToken();
    await registerPartner(token, 'leaving');
    expect(await revokePartner(token)).toBe(true);
    expect(await findPartner(token)).toBeNull();
    expect(await revokePartner(mintPartnerToken())).toBe(false);
  });
});
