import { createHmac } from 'node:crypto';
import { isAuthentic, sign } from '../../lib/domain/signature.js';

const secret = 'a-webhook-secret-of-some-length';
const body = Buffer.from('{"company_id":1,"resource":"record"}');

describe('webhook signature', () => {
  it('is the hex HMAC-SHA256 of the raw body, prefixed with sha256=', () => {
    const expected = createHmac('sha256', secret).update(body).digest('hex');
    expect(sign(secret, body)).toBe(`sha256=${expected}`);
  });

  it('accepts the right signature, in any hex case', () => {
    expect(isAuthentic(secret, body, { signature: sign(secret, body) })).toBe(true);
    expect(isAuthentic(secret, body, { signature: sign(secret, body).toUpperCase().replace('SHA256', 'sha256') })).toBe(true);
  });

  it('refuses a tampered body, another secret, a truncated signature or none', () => {
    expect(isAuthentic(secret, Buffer.from('{"company_id":2,"resource":"record"}'), { signature: sign(secret, body) })).toBe(false);
    expect(isAuthentic(secret, body, { signature: sign('another-secret-entirely', body) })).toBe(false);
    expect(isAuthentic(secret, body, { signature: sign(secret, body).slice(0, 40) })).toBe(false);
    expect(isAuthentic(secret, body, {})).toBe(false);
  });

  it("accepts Altegio's ?secret= query parameter only when it is the secret", () => {
    expect(isAuthentic(secret, body, { querySecret: secret })).toBe(true);
    expect(isAuthentic(secret, body, { querySecret: `${secret}x` })).toBe(false);
  });

  it('refuses everything when no secret is configured (fails closed)', () => {
    expect(isAuthentic(undefined, body, { signature: sign('', body) })).toBe(false);
    expect(isAuthentic(undefined, body, { querySecret: '' })).toBe(false);
  });
});
