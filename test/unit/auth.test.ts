import { parseAuthorization } from '../../lib/http/auth.js';

describe('Authorization header parsing', () => {
  it('reads a partner token alone', () => {
    expect(parseAuthorization('Bearer abc123')).toEqual({ partnerToken: 'abc123' });
  });

  it('reads partner and user tokens as Altegio clients send them', () => {
    expect(parseAuthorization('Bearer p-token, User u-token')).toEqual({ partnerToken: 'p-token', userToken: 'u-token' });
  });

  it('tolerates case and spacing differences of real clients', () => {
    expect(parseAuthorization('  bearer p,user u ')).toEqual({ partnerToken: 'p', userToken: 'u' });
    expect(parseAuthorization('BEARER p ,  USER u')).toEqual({ partnerToken: 'p', userToken: 'u' });
  });

  it.each([undefined, '', 'Bearer', 'Basic dXNlcjpwYXNz', 'p-token', 'Bearer p, User', 'Bearer p, Admin u', 'Bearer a b'])(
    'refuses %p',
    (header) => {
      expect(parseAuthorization(header)).toBeNull();
    },
  );
});
