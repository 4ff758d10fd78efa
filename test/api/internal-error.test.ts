// When something of ours fails (here: the table does not exist), the client gets the generic 500
// envelope, and the operator gets one log line without the request's secrets.
import { captureErrors, jsonLines } from '../helpers/logs.js';
import { testPartnerToken } from '../helpers/table.js';
import { given } from '../helpers/fixture.js';
import { request } from '../helpers/api.js';

await given({
  table: false,
  env: { CABINET_TABLE: 'cabinet-test-no-such-table', CABINET_WEBHOOK_SECRET: 'test-webhook-secret-0123456789' },
});

describe('an internal failure', () => {
  it('answers 500 with the generic envelope, no stack, no internal message', async () => {
    const logs = captureErrors();
    try {
      const response = await request('GET', '/v1/user/records/1/abc', { headers: { authorization: `Bearer ${testPartnerToken}` } });
      expect(response.status).toBe(500);
      expect(response.body).toEqual({ success: false, data: null, meta: { message: 'Internal error.' } });
      expect(response.text).not.toMatch(/ResourceNotFound|at |\.ts/);
    } finally {
      logs.restore();
    }
    const logged = jsonLines(logs.lines);
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({
      level: 'ERROR',
      message: 'unhandled error',
      error: 'ResourceNotFoundException',
      operation: 'get-user-record',
    });
    expect(logs.lines.join('\n')).not.toContain(testPartnerToken);
  });
});
