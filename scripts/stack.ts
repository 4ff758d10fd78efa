// The local stack as the operator scripts see it. `npm start` writes `stack.json` into the data
// folder (0600, in a 0700 folder): its process, its ports, and the settings its handlers run with
// (the kept secrets among them, as in local-secrets.json beside it). `npm run partner`, `events`
// and `altegio` read it and run their work in a child process with exactly those settings, on the
// stack's own DynamoDB Local; with no stack running they start DynamoDB Local on the same data for
// the moment (never a second one on a folder in use: scripts/local-dynamodb.ts locks it), with the
// settings the stack last ran with. With CABINET_DYNAMODB_ENDPOINT set (`aws`, or a URL) none of
// this applies: the script works on that table as configured.
import { spawn } from 'node:child_process';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Config } from '../lib/config.js';
import { freePort, isAnswering, makePrivate, processAlive, startLocalDynamo, type LocalDynamo } from './local-dynamodb.js';

export interface StackState {
  /** The `npm start` process; absent once it stopped. */
  pid?: number;
  port: number;
  dynamodbPort: number;
  /** What the handlers run with, beyond the user's shell: table, secrets, subscribers. */
  env: Record<string, string>;
  /** The demo's console subscriber, alive only while the stack runs. */
  demoEventsUrl?: string;
}

const stateName = 'stack.json';

/**
 * `npm start -- --demo --altegio` keeps its data (DynamoDB, secrets, stack.json) in a folder of its
 * own inside the data folder: its team members, records and events never mix with the other demo's.
 */
export function altegioDemoDir(dataDir: string): string {
  return join(dataDir, 'altegio-demo');
}

/** Settings of the shell that describe one run, not the stack: never carried from one to the other. */
const notCarried = new Set([
  'CABINET_DYNAMODB_ENDPOINT',
  'CABINET_DYNAMODB_PORT',
  'CABINET_DATA_DIR',
  'CABINET_LOG_LEVEL',
  'CABINET_METRICS',
]);

/** The stack's settings out of the environment its handlers get. */
export function stackSettings(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(
    Object.entries(env).filter(
      (entry): entry is [string, string] =>
        entry[0].startsWith('CABINET_') && !notCarried.has(entry[0]) && entry[1] !== undefined && entry[1] !== '',
    ),
  );
}

export function writeStackState(dataDir: string, state: StackState): void {
  makePrivate(resolve(dataDir));
  const file = join(dataDir, stateName);
  writeFileSync(file, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
}

export function readStackState(dataDir: string): StackState | null {
  try {
    return JSON.parse(readFileSync(join(dataDir, stateName), 'utf8')) as StackState;
  } catch {
    return null;
  }
}

/** On stop of the stack `pid`: the settings stay (the next script uses them), the process and the demo subscriber go. */
export function markStopped(dataDir: string, pid: number): void {
  const state = readStackState(dataDir);
  if (state?.pid === pid) writeStackState(dataDir, { port: state.port, dynamodbPort: state.dynamodbPort, env: state.env });
}

const childFlag = '--on-local-stack';

/** The script's own arguments. */
export function scriptArgs(): string[] {
  return process.argv.slice(2).filter((arg) => arg !== childFlag);
}

/** Whether the user left the DynamoDB endpoint to the local default (and so means the local stack). */
function meansLocalStack(config: Config): boolean {
  return config.dynamodbEndpoint === `http://127.0.0.1:${config.dynamodbLocalPort}`;
}

/**
 * Runs `work` (which returns the exit code) on the local stack's settings, as described above, and
 * exits with its code. `script` is the calling script's own path (import.meta.url).
 */
export async function runOnStack(script: string, work: () => Promise<number>): Promise<never> {
  const { config, environment } = await import('../lib/config.js');
  if (process.argv.includes(childFlag) || !meansLocalStack(config)) process.exit(await work());
  // The running stack, whichever demo it is; none running: the data `npm start` uses.
  const states = [config.dataDir, altegioDemoDir(config.dataDir)].map(readStackState);
  const live = states.find((found) => found?.pid !== undefined && processAlive(found.pid));
  const state = live ?? states[0];
  const shell = environment();
  const running = live !== undefined;
  let embedded: LocalDynamo | undefined;
  let endpoint: string;
  let settings: Record<string, string> = state?.env ?? {};
  if (running) {
    endpoint = `http://127.0.0.1:${state!.dynamodbPort}`;
    if (!(await isAnswering(endpoint)))
      fail(
        `The local stack (process ${state!.pid}) is running, but its DynamoDB on ` +
          `port ${state!.dynamodbPort} does not answer. Stop it (Ctrl-C) and start it again.`,
      );
    for (const [name, value] of Object.entries(settings)) {
      if (shell[name] !== undefined && shell[name] !== value)
        fail(
          `${name} in this shell is not the one the running local stack uses: unset it to work on the ` +
            `stack (its own is used), or stop the stack first.`,
        );
    }
    if (state!.demoEventsUrl && !settings.CABINET_EVENTS_URL) settings = { ...settings, CABINET_EVENTS_URL: state!.demoEventsUrl };
    // Its address (CABINET_PUBLIC_URL's default, for `npm run altegio -- connect`).
    if (shell.PORT === undefined) settings = { ...settings, PORT: String(state!.port) };
    process.stderr.write(
      `On the running local stack (http://127.0.0.1:${state!.port}, ` + `table ${settings.CABINET_TABLE ?? config.tableName}).\n`,
    );
  } else {
    embedded = await startLocalDynamo({ port: await freePort(), dataDir: join(config.dataDir, 'dynamodb') });
    endpoint = embedded.endpoint;
    process.stderr.write(
      `No local stack is running: working on ${join(config.dataDir, 'dynamodb')} ` +
        `directly${state ? ', with the settings it last ran with' : ''}.\n`,
    );
  }
  try {
    const env = { ...shell, ...settings, CABINET_DYNAMODB_ENDPOINT: endpoint };
    const code = await new Promise<number>((done, reject) => {
      const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(script), ...scriptArgs(), childFlag], {
        env,
        stdio: 'inherit',
      });
      child.once('error', reject);
      child.once('exit', (exitCode, signal) => done(exitCode ?? (signal ? 1 : 0)));
    });
    await embedded?.stop();
    process.exit(code);
  } catch (error) {
    await embedded?.stop();
    throw error;
  }
}

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(2);
}
