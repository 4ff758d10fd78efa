// Standalone (no CABINET_ALTEGIO_PARTNER_TOKEN), nothing of CONTRACT 8.6 applies: an array body is
// refused as before, and a record's `datetime` is stored as it was sent.
import { testSecret, useFreshTable } from '../helpers/table.js';

await useFreshTable();
const { request } = await import('../helpers/api.js');
const { recordEvent } = await import('../helpers/altegio.js');
const { getEntity } = await import('../../lib/db/entities.js');

const send = (body: unknown) => request('POST', `/v1/webhooks/altegio?secret=${testSecret}`, { body });

describe('webhooks, standalone', () => {
  it('refuses an array body with the same 422 as before', async () => {
    const reply = await send([recordEvent(700001)]);
    expect(reply.status).toBe(422);
    expect(reply.body.meta.errors).toEqual([{ code: 1001, message: 'body: Invalid input: expected object, received array' }]);
    expect(await getEntity('record', 700001)).toBeNull();
  });

  it("stores a record's datetime as sent, whatever its location's zone", async () => {
    const reply = await send(recordEvent(700002, { date: '2026-07-01 14:00:00', datetime: '2026-07-01T14:00:00+01:00' }));
    expect(reply.status).toBe(200);
    expect((await getEntity('record', 700002))?.doc).toMatchObject({ datetime: '2026-07-01T14:00:00+01:00' });
  });
});
