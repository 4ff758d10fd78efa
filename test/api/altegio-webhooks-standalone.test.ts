// Standalone (no CABINET_ALTEGIO_COMPANY_IDS), nothing of docs/contract.md 8 applies: an array body is
// refused as before, a record's `datetime` is stored as it was sent, and the scheduled reconcile
// does nothing and says so.
import { captureAllLogs, jsonLines } from '../helpers/logs.js';
import { testSecret } from '../helpers/table.js';
import { given } from '../helpers/fixture.js';
import { request, lambdaContext } from '../helpers/api.js';
import { recordEvent } from '../helpers/altegio.js';
import { getEntity } from '../../lib/db/entities.js';
import { handler } from '../../functions/altegio-reconcile.js';

await given({ env: { CABINET_LOG_LEVEL: 'INFO' } });

const send = (body: unknown) => request('POST', `/v1/webhooks/altegio?secret=${testSecret}`, { body });

describe('webhooks, standalone', () => {
  it('refuses an array body with the same 422 as before', async () => {
    const reply = await send([recordEvent(700001)]);
    expect(reply.status).toBe(422);
    expect(reply.body.meta.errors).toEqual([{ code: 1001, message: 'body: must be an object' }]);
    expect(await getEntity('record', 700001)).toBeNull();
  });

  it("stores a record's datetime as sent, whatever its location's zone", async () => {
    const reply = await send(recordEvent(700002, { date: '2026-07-01 14:00:00', datetime: '2026-07-01T14:00:00+01:00' }));
    expect(reply.status).toBe(200);
    expect((await getEntity('record', 700002))?.doc).toMatchObject({ datetime: '2026-07-01T14:00:00+01:00' });
  });

  it('runs the scheduled reconcile as a no-op that says so in its log', async () => {
    const output = captureAllLogs();
    const result = await handler(undefined, lambdaContext('altegio-reconcile')).finally(() => output.restore());
    expect(result).toEqual({ connected: false, locations: [] });
    expect(jsonLines(output.lines)).toContainEqual(
      expect.objectContaining({
        level: 'INFO',
        message: 'altegio reconcile: standalone (CABINET_ALTEGIO_COMPANY_IDS is not set), nothing to do',
        operation: 'altegio-reconcile',
      }),
    );
  });
});
