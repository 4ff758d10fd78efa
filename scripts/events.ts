// `npm run events -- failed` lists the events kept as failed (every delivery attempt used up);
// `npm run events -- replay ID… | --all` puts them back in line and tries them at once.
// `npm run events -- show ID` prints one. Works on the local table, or a deployed one with
// CABINET_DYNAMODB_ENDPOINT=aws and CABINET_TABLE (as `npm run partner` does).
import { config } from '../lib/config.js';
import { dynamo } from '../lib/db/client.js';
import { failedEventIds, getEvent, requeueFailed } from '../lib/db/events.js';
import { deliverEvent } from '../lib/events/deliver.js';
import { withTable } from './with-table.js';

const usage = 'usage: npm run events -- failed | show ID | replay ID… | replay --all';

async function replay(ids: string[]): Promise<void> {
  for (const id of ids) {
    if (!(await requeueFailed(id))) {
      console.log(`${id}: not a failed event; left as it is`);
      continue;
    }
    await deliverEvent(id);
    console.log(`${id}: ${(await getEvent(id))?.state}`);
  }
}

const [command, ...rest] = process.argv.slice(2);
await withTable(config, dynamo, async () => {
  if (command === 'failed') {
    for (const id of await failedEventIds(1000)) {
      const event = (await getEvent(id))!;
      console.log(`${id}  ${new Date(event.created_at).toISOString()}  ${event.body?.resource} ${event.body?.status} ${event.body?.resource_id}  attempts: ${event.attempts}`);
    }
  } else if (command === 'show' && rest[0]) {
    console.log(JSON.stringify(await getEvent(rest[0]), null, 2));
  } else if (command === 'replay' && rest.length) {
    await replay(rest[0] === '--all' ? await failedEventIds(1000) : rest);
  } else {
    console.error(usage);
    process.exitCode = 2;
  }
});
