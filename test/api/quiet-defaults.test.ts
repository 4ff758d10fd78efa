// With CABINET_METRICS=off and the level at WARN (what test/helpers/quiet-logs.ts sets for every
// test file), a request writes neither its request line nor a metric line, though it counts one.
import { captureAllLogs, jsonLines } from '../helpers/logs.js';
import { given } from '../helpers/fixture.js';
import { request } from '../helpers/api.js';
import { partnerHeaders as partner } from '../helpers/sign-in.js';

await given();

it('writes no request line and no metric line', async () => {
  expect([process.env.CABINET_LOG_LEVEL, process.env.CABINET_METRICS]).toEqual(['WARN', 'off']);
  const logs = captureAllLogs();
  try {
    // A password login for nobody: answered 422, and counted as a failed login.
    const response = await request('POST', '/v1/booking/auth', {
      headers: partner,
      body: { login: '79160004001', password: 'whatever-it-is' },
    });
    expect(response.status).toBe(422);
  } finally {
    logs.restore();
  }
  expect(jsonLines(logs.lines)).toEqual([]);
});
