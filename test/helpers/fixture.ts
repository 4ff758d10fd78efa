// The one fixture of a test file: given the environment the service reads, the clock, and a table of
// the file's own. The file imports the service at its top, as any module does; `given` then sets
// the environment, has lib/config.ts read it again (and rebuild what was built from it: the
// DynamoDB client, the logger), makes the table and sets the clock, before the file's first test.
import { rereadConfig } from '../../lib/config.js';
import { dynamo } from '../../lib/db/client.js';
import { registerPartner } from '../../lib/db/partner-admin.js';
import { ensureTable } from '../../lib/db/table.js';
import { calendars } from '../../lib/ports/calendars.js';
import { cancelling } from '../../lib/ports/cancelling.js';
import { codeLocations } from '../../lib/ports/code-locations.js';
import { ingesting } from '../../lib/ports/ingesting.js';
import { locations } from '../../lib/ports/locations.js';
import { moving } from '../../lib/ports/moving.js';
import { reconciling } from '../../lib/ports/reconciling.js';
import { records } from '../../lib/ports/records.js';
import { sweeping } from '../../lib/ports/sweeping.js';
import { writingBack } from '../../lib/ports/writing-back.js';
import { runClockFrom, stopClock, type StoppedClock } from './clock.js';

const connectedParts: Array<() => Promise<unknown>> = [
  records,
  locations,
  codeLocations,
  cancelling,
  writingBack,
  ingesting,
  sweeping,
  reconciling,
  calendars,
  moving,
];
import { freshTableName, testEventsSecret, testInternalKey, testPartnerToken, testSecret } from './table.js';

export interface Given {
  /** The file's settings, on top of the test keys; `undefined` unsets one. */
  env?: Record<string, string | undefined>;
  /** The service's clock: stopped at an instant (the file moves it with `time`), or running from one. Unset: the real clock. */
  clock?: { stoppedAt: number | string } | { runningFrom: string };
  /** false: no table of the file's own (a file that names one in `env`, or needs none). */
  table?: boolean;
}

export interface Service {
  /** The table the service uses: the file's own (empty but for the test partner) unless asked for none. */
  tableName: string;
}

export async function given(setup: Given & { clock: { stoppedAt: number | string } }): Promise<Service & { time: StoppedClock }>;
export async function given(setup?: Given): Promise<Service>;
export async function given(setup: Given = {}): Promise<Service & { time?: StoppedClock }> {
  const tableName = setup.table === false ? undefined : freshTableName();
  const env: Record<string, string | undefined> = {
    ...(tableName
      ? {
          CABINET_TABLE: tableName,
          CABINET_WEBHOOK_SECRET: testSecret,
          CABINET_INTERNAL_KEY: testInternalKey,
          CABINET_EVENTS_SECRET: testEventsSecret,
        }
      : {}),
    ...setup.env,
  };
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  const config = rereadConfig();
  if (tableName) {
    await ensureTable(dynamo, tableName);
    await registerPartner(testPartnerToken, 'test partner');
  }
  // Connected, every connected part is loaded now, as a warm container holds it: loaded on its first
  // use inside a test, where the runner compiles it then, a part would shift the timing that the
  // budget and concurrency tests measure (in Lambda a chunk loads in milliseconds). One at a time:
  // jest's ESM loader fails on overlapping imports that run at once.
  if (config.altegio) for (const load of connectedParts) await load();
  if (setup.clock && 'stoppedAt' in setup.clock) return { tableName: config.tableName, time: stopClock(setup.clock.stoppedAt) };
  if (setup.clock) runClockFrom(setup.clock.runningFrom);
  return { tableName: config.tableName };
}
