// What the local console makes of a request and of the handlers' lines (scripts/console.ts).
import { consoleLine, requestLine, shownPath } from '../../scripts/console.js';

describe('a request line', () => {
  it.each([
    ['GET', '/v1/user/records/101/0b1261e8a62bdfd482f185ab89d13f43', '/v1/user/records/{record_id}/{record_hash}'],
    ['GET', '/api/v1/master_record_review/f6CjjIw7TBpoPQ1KYztx0w?x=1', '/api/v1/master_record_review/{record_token}'],
    ['POST', '/v1/webhooks/altegio?secret=jkxMeBAlmhMgvmp4eysgQ6mJpizYAFzAN87wxuTcYrc', '/v1/webhooks/altegio'],
    ['GET', '/v1/booking/user/phone_confirmation?phone=79161234567&company_id=1', '/v1/booking/user/phone_confirmation'],
    ['GET', '/v1/no/such/f6CjjIw7TBpoPQ1KYztx0w/79161234567', '/v1/no/such/…/…'],
    // The route that serves it: offline drops the trailing slash, so the empty hash is no parameter.
    ['DELETE', '/v1/user/records/101/', '/v1/user/records/{record_id}'],
    ['GET', '/api/v1/user/records/101/?x=1', '/api/v1/user/records/{record_id}'],
    ['GET', '/docs/', '/docs'],
  ])('%s %s is shown as %s', (method, url, shown) => {
    expect(shownPath(method, url)).toBe(shown);
  });

  it('has the time, method, route, status, ms and outcome', () => {
    expect(requestLine('DELETE', '/v1/user/records/7', 422, 12.4)).toMatch(
      /^\d\d:\d\d:\d\d DELETE \/v1\/user\/records\/\{record_id\} 422 12ms rejected$/,
    );
    expect(requestLine('POST', '/v1/user/auth', 429, 3)).toMatch(/ 429 3ms limited$/);
  });
});

describe("a handler's line", () => {
  const json = (fields: object) =>
    JSON.stringify({ timestamp: '2026-12-01T00:00:00Z', service: 'cabinet', function_name: 'x', cold_start: true, ...fields });

  it("drops the request lines (the front prints each request) and offline's own lines", () => {
    expect(consoleLine(json({ level: 'INFO', message: 'request', route: 'GET /v1/x', status: 200 }), { metrics: false })).toBeNull();
    expect(consoleLine('(λ: get-user-record) RequestId: 1 Duration: 3 ms', { metrics: false })).toBeNull();
    expect(consoleLine('GET /v1/user/records/1/secret-hash (λ: x)', { metrics: false })).toBeNull();
  });

  it('shows metric lines only when asked for', () => {
    const metric = JSON.stringify({ _aws: { CloudWatchMetrics: [] }, EventsDelivered: 1 });
    expect(consoleLine(metric, { metrics: false })).toBeNull();
    expect(consoleLine(metric, { metrics: true })).toBe(metric);
  });

  it('shortens a warning to its level, message and fields', () => {
    expect(consoleLine(json({ level: 'WARN', message: 'table unavailable', error: 'ThrottlingException' }), { metrics: false })).toMatch(
      /^\d\d:\d\d:\d\d WARN {2}table unavailable \(error=ThrottlingException\)$/,
    );
  });

  it('passes the [sms] and [event] lines on', () => {
    expect(consoleLine('[sms] to +79161234567 (login): 123456 is your login code.', { metrics: false })).toBe(
      '[sms] to +79161234567 (login): 123456 is your login code.',
    );
  });
});
