// `npm run events -- failed` lists the events kept as failed (every delivery attempt used up);
// `npm run events -- replay ID… | --all` puts them back in line and tries them at once;
// `npm run events -- show ID` prints one. Locally it works on the running `npm start`'s table with
// its secrets and subscribers (scripts/stack.ts); with CABINET_DYNAMODB_ENDPOINT=aws and
// CABINET_TABLE, on a deployed one (as `npm run partner` does). Each says what it did, and exits 1
// when it did nothing (nothing failed, no such event, nothing delivered) or failed.
import './plain-errors.js';
import { runOnStack, scriptArgs } from './stack.js';

const usage = 'usage: npm run events -- failed | show ID | replay ID… | replay --all';

await runOnStack(import.meta.url, async () => {
  const [command, ...rest] = scriptArgs();
  if (!(command === 'failed' || (command === 'show' && rest[0]) || (command === 'replay' && rest.length))) {
    console.error(usage);
    return 2;
  }
  const { config } = await import('../lib/config.js');
  const { dynamo } = await import('../lib/db/client.js');
  const { failedEventIds, getEvent, replayFailedEvent } = await import('../lib/db/events.js');
  const { assertCanSign, deliverEvent, subscriberId } = await import('../lib/events/deliver.js');
  const { withTable } = await import('./with-table.js');
  const table = config.tableName;

  async function listFailed(): Promise<number> {
    const ids = await failedEventIds(1000);
    if (!ids.length) {
      console.log(`No failed events in table ${table}.`);
      return 1;
    }
    for (const id of ids) {
      const event = await getEvent(id);
      if (event)
        console.log(
          `${id}  ${new Date(event.created_at).toISOString()}  ${event.body?.resource} ${event.body?.status} ` +
            `${event.body?.resource_id}  attempts: ${event.attempts}`,
        );
    }
    console.log(`${ids.length} failed event(s) in table ${table}.`);
    return 0;
  }

  async function show(id: string): Promise<number> {
    const event = await getEvent(id);
    if (!event) {
      console.error(`No event ${id} in table ${table}.`);
      return 1;
    }
    const { payload: _sameAsBody, ...shown } = event;
    console.log(JSON.stringify(shown, null, 2));
    return 0;
  }

  async function replay(ids: string[]): Promise<number> {
    // Checked before any event is touched: a replay that cannot send leaves everything as it was.
    await assertCanSign();
    const subscribers = config.eventsUrls;
    if (!subscribers.length) {
      console.error(
        'No subscriber is configured (CABINET_EVENTS_URL is unset for this stack), so a replay would deliver to no ' +
          'one. Nothing was replayed; the events stay failed.',
      );
      return 1;
    }
    if (!ids.length) {
      console.log(`No failed events to replay in table ${table}.`);
      return 1;
    }
    let delivered = 0;
    for (const id of ids) {
      if (!(await replayFailedEvent(id, (failed) => deliverEvent(failed)))) {
        console.log(`${id}: not a failed event (or no such event); left as it is.`);
        continue;
      }
      const event = await getEvent(id);
      if (event?.state === 'delivered') {
        delivered++;
        console.log(`${id}: delivered; every subscriber (${subscribers.length}) has it.`);
      } else {
        const missing = subscribers.filter((url) => !event?.delivered_to.includes(subscriberId(url))).length;
        console.log(
          `${id}: not delivered to ${missing} of ${subscribers.length} subscriber(s); it is retried with backoff (state ${event?.state}).`,
        );
      }
    }
    console.log(`Replayed ${ids.length} event(s): ${delivered} delivered.`);
    return delivered === ids.length ? 0 : 1;
  }

  return withTable(config, dynamo, async () => {
    if (command === 'failed') return listFailed();
    if (command === 'show') return show(rest[0]!);
    return replay(rest[0] === '--all' ? await failedEventIds(1000) : rest);
  });
});
