// DynamoDB round trips per operation, counted by a middleware on the one SDK client. A count is
// deterministic, so test/integration/round-trips.test.ts asserts the same numbers.
import type { Seeded } from './fixtures.js';
import { invocationFor } from './fixtures.js';

export interface TripRow {
  name: string;
  trips: number;
  commands: string[];
  status: number;
}

/** Counts the DynamoDB requests `work` makes, by command name, in order. */
export async function countTrips(work: () => Promise<unknown>): Promise<string[]> {
  const { dynamo } = await import('../lib/db/client.js');
  const seen: string[] = [];
  const name = `count-${Math.random()}`;
  dynamo.middlewareStack.add(
    (next, context) => async (args) => {
      seen.push(String(context.commandName).replace(/Command$/, ''));
      return next(args);
    },
    { step: 'initialize', name },
  );
  try {
    await work();
  } finally {
    dynamo.middlewareStack.remove(name);
  }
  return seen;
}

export async function roundTrips(seeded: Seeded, names: string[]): Promise<TripRow[]> {
  const { lambdaContext } = await import('../test/helpers/api.js');
  const rows: TripRow[] = [];
  for (const name of names) {
    const { handler } = await import(`../functions/${name}.js`);
    const event = invocationFor(name, seeded, 900 + rows.length).event;
    let status = 0;
    const commands = await countTrips(async () => {
      status = (await handler(event, lambdaContext(name)))?.statusCode ?? 0;
    });
    rows.push({ name, trips: commands.length, commands, status });
  }
  return rows;
}
