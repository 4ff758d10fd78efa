// Partner tokens on DynamoDB Local: found by digest, never stored in plain, revocable.
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { useFreshTable } from '../helpers/table.js';

const { tableName } = await useFreshTable();
const { db } = await import('../../lib/db/client.js');
const { findPartner, mintPartnerToken, registerPartner, revokePartner } = await import('../../lib/db/partners.js');

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

  it('stop working when revoked; revoking an unknown token says so', async () => {
    const token = mintPartnerToken();
    await registerPartner(token, 'leaving');
    expect(await revokePartner(token)).toBe(true);
    expect(await findPartner(token)).toBeNull();
    expect(await revokePartner(mintPartnerToken())).toBe(false);
  });
});
