// The one outbox (lib/db/outbox.ts) holds the same lifecycle for both kinds it carries, an outbound
// event and an Altegio write-back command: one claim at a time however many race for it, a lease
// that keeps others out until it ends, an attempt that leaves the item due later or failed, and an
// operator's replay that runs a failed item once more and nothing else.
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { given } from '../helpers/fixture.js';
import { db } from '../../lib/db/client.js';
import * as outbox from '../../lib/db/outbox.js';
import { eventPut } from '../../lib/db/events.js';
import {
  cancelCommandPut,
  claimCommand,
  commandId,
  getCommand,
  profileCommandUpdate,
  recordOutcome,
} from '../../lib/db/altegio-commands.js';

const { time } = await given({ clock: { stoppedAt: '2026-12-01T08:00:00Z' } });
let next = 0;

/** A new item of each kind, written as a change's transaction writes it; returns its id. */
const kinds = {
  event: {
    box: outbox.eventOutbox,
    async create(): Promise<string> {
      const put = eventPut({ company_id: 1, resource: 'record', resource_id: ++next, status: 'update', data: {} });
      await db.send(new TransactWriteCommand({ TransactItems: [put] }));
      return String((put.Put.Item as Record<string, unknown>).event_id);
    },
  },
  command: {
    box: outbox.commandOutbox,
    async create(): Promise<string> {
      const recordId = ++next;
      await db.send(new TransactWriteCommand({ TransactItems: [cancelCommandPut(1, recordId)] }));
      return commandId('cancel', 1, recordId);
    },
  },
};

describe.each(Object.entries(kinds))('the outbox, for an %s', (_kind, { box, create }) => {
  it('gives an item to exactly one of many claims racing for it, and again only once the lease has ended', async () => {
    const id = await create();
    const claims = await Promise.all(Array.from({ length: 8 }, () => outbox.claim(box, id)));
    expect(claims.filter(Boolean)).toHaveLength(1);
    time.advance(59_000);
    expect(await outbox.claim(box, id)).toBeNull();
    time.advance(2000);
    expect(await outbox.claim(box, id)).not.toBeNull();
  });

  it('is not due before its first sweep, then is; a retry is due at its time, not before', async () => {
    const id = await create();
    expect(await outbox.dueIds(box, 1000)).not.toContain(id);
    time.advance(30_000);
    expect(await outbox.dueIds(box, 1000)).toContain(id);
    await outbox.claim(box, id);
    await outbox.settle(box, id, { state: 'retrying', retryAt: time.now() + 60_000 });
    expect(await outbox.dueIds(box, 1000)).not.toContain(id);
    time.advance(60_000);
    expect(await outbox.dueIds(box, 1000)).toContain(id);
    // Released with the outcome: the next attempt claims it at once.
    expect(await outbox.claim(box, id)).not.toBeNull();
  });

  it('keeps a failed item for an operator: not due, not claimable; a replay runs it once, with its attempts counted afresh', async () => {
    const id = await create();
    await outbox.claim(box, id);
    await outbox.settle(box, id, { state: 'failed' }, { set: { attempts: 7 } });
    expect(await outbox.failedIds(box, 1000)).toContain(id);
    expect(await outbox.claim(box, id)).toBeNull();
    time.advance(3_600_000);
    expect(await outbox.dueIds(box, 1000)).not.toContain(id);

    const attempts: string[] = [];
    const replayed = await outbox.replay(box, id, async (replayedId) => {
      attempts.push(replayedId);
      return (await outbox.claim(box, replayedId))?.attempts;
    });
    expect(replayed).toEqual({ result: box.countsOnClaim ? 1 : 0 });
    expect(attempts).toEqual([id]);
    expect(await outbox.failedIds(box, 1000)).not.toContain(id);
    // Not failed any more: a second replay runs nothing.
    expect(await outbox.replay(box, id, async () => attempts.push('again'))).toBeNull();
    expect(attempts).toEqual([id]);
  });
});

describe('the outbox, for a profile command changed while an attempt ran', () => {
  it('does not let the attempt finish it: it is due again at once, with the change', async () => {
    const change = (name: string) => profileCommandUpdate(42, { name, phone: '79990000042', email: '' }, ['79990000042']);
    const put = (name: string) => db.send(new TransactWriteCommand({ TransactItems: [change(name)] }));
    await put('Before');
    const id = commandId('profile', 42);
    const attempt = (await claimCommand(id))!;
    await put('After');
    expect(await recordOutcome(attempt, { done: true })).toBe(false);
    expect(await outbox.dueIds(outbox.commandOutbox, 1000)).toContain(id);
    expect(await getCommand(id)).toMatchObject({ state: 'pending', args: { name: 'After' } });
  });
});
