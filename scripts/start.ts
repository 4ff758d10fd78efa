// `npm start`: the whole API on http://127.0.0.1:$PORT, on an embedded DynamoDB whose data
// survives a restart (docs/contract.md section 7). serverless offline listens on a port of its own
// behind scripts/front.ts, which answers what offline would answer outside the contract and prints
// one line per request; offline's own console lines (they carry request paths, so link hashes and
// review tokens) are not shown, the handlers' warnings and errors and the local stand-ins' `[sms]`
// lines are (scripts/console.ts), and `/_local/inbox` lists the SMS and events (scripts/inbox.ts).
// The stack's ports and settings go to stack.json in the data folder, for the operator scripts
// (scripts/stack.ts). Flags: `--demo` (scripts/demo.ts), `--fresh` (wipe the local data first),
// `--metrics` (make and show metric lines, as CABINET_METRICS=on does).
import './quiet-sdk.js';
import './plain-errors.js';
import { spawn, type ChildProcess } from 'node:child_process';
import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { config } from '../lib/config.js';
import { dynamo } from '../lib/db/client.js';
import { registerPartnerOnce } from '../lib/db/partner-admin.js';
import { ensureTable } from '../lib/db/table.js';
import { consoleLine } from './console.js';
import { forgetDemo, loadDemo, startConsoleSubscriber } from './demo.js';
import { altegioDemoRequested, loadAltegioDemo, startAltegioDemo, type AltegioDemo } from './altegio-demo.js';
import { startFront } from './front.js';
import { Inbox } from './inbox.js';
import { exampleRequest, localSecrets, renewPartnerToken, secretsEnv, type LocalSecrets } from './local-secrets.js';
import { freePort, JavaMissing, startLocalDynamo, type LocalDynamo } from './local-dynamodb.js';
import { altegioDemoDir, markStopped, stackSettings, writeStackState } from './stack.js';

const serverlessBin = createRequire(import.meta.url).resolve('serverless/bin/serverless.js');

const demo = process.argv.includes('--demo');
const fresh = process.argv.includes('--fresh');
// The Altegio demo's data is its own (scripts/stack.ts altegioDemoDir): the demos never mix.
const dataDir = altegioDemoRequested ? altegioDemoDir(config.dataDir) : config.dataDir;
const local = { ...config, dataDir };
const metrics = process.argv.includes('--metrics') || config.metricsAsked;
const inbox = new Inbox();

/**
 * The handlers read the same variables as this process, plus what this stack made for itself; on
 * the console, metric lines only when asked for, and not the SDK's Node-version warning.
 */
function stackEnv(secrets: LocalSecrets, eventsUrl: string | undefined): NodeJS.ProcessEnv {
  const made = { CABINET_TABLE: config.tableName, ...secretsEnv(secrets), CABINET_DYNAMODB_ENDPOINT: config.dynamodbEndpoint };
  const quiet = { CABINET_METRICS: metrics ? 'on' : 'off', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' };
  return { ...process.env, ...made, ...quiet, ...(eventsUrl ? { CABINET_EVENTS_URL: eventsUrl } : {}) };
}

function startOffline(env: NodeJS.ProcessEnv, httpPort: number, lambdaPort: number): ChildProcess {
  const args = [
    'offline',
    'start',
    '--stage',
    'local',
    '--localEnvironment',
    '--host',
    '127.0.0.1',
    '--httpPort',
    String(httpPort),
    '--lambdaPort',
    String(lambdaPort),
    '--noSponsor',
  ];
  return spawn(process.execPath, [serverlessBin, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
}

/** What AWS does with the table's stream, done locally: scripts/event-relay.ts. */
function startEventRelay(env: NodeJS.ProcessEnv): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/event-relay.ts'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  showLines(child.stdout!, process.stdout);
  showLines(child.stderr!, process.stderr);
  return child;
}

/** Passes a child's output on, line by line, as scripts/console.ts shows it; `[sms]` lines also go to the inbox. */
function showLines(stream: NodeJS.ReadableStream, out: NodeJS.WritableStream): void {
  let partial = '';
  const take = (text: string) => {
    const lines = (partial + text).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) {
      if (line.startsWith('[sms] ')) inbox.takeSmsLine(line);
      const shown = consoleLine(line, { metrics });
      if (shown !== null) out.write(`${shown}\n`);
    }
  };
  stream.on('data', (chunk: Buffer) => take(chunk.toString()));
}

/**
 * Holds offline's start-up chatter back (it is shown if start-up fails), then passes its output on
 * as `showLines` does.
 */
function whenReady(child: ChildProcess, internalPort: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let ready = false;
    const held: Buffer[] = [];
    const streams: Array<[NodeJS.ReadableStream, NodeJS.WritableStream]> = [
      [child.stdout!, process.stdout],
      [child.stderr!, process.stderr],
    ];
    const hold = (chunk: Buffer) => {
      held.push(chunk);
      if (ready || !/Server ready/.test(Buffer.concat(held).toString())) return;
      ready = true;
      // What came up to the ready line is offline's own; only what follows is shown.
      for (const [stream, out] of streams) {
        stream.off('data', hold);
        showLines(stream, out);
      }
      resolve();
    };
    for (const [stream] of streams) stream.on('data', hold);
    child.once('exit', (code) => {
      if (!ready) process.stderr.write(Buffer.concat(held));
      reject(new Error(`serverless offline exited with code ${code} before it was ready (is port ${internalPort} free?)`));
    });
  });
}

async function main(): Promise<void> {
  let secrets = localSecrets(local);
  let dynamodb: LocalDynamo | undefined;
  let offline: ChildProcess | undefined;
  let relay: ChildProcess | undefined;
  let front: Server | undefined;
  let altegioDemo: AltegioDemo | undefined;
  let env: NodeJS.ProcessEnv = {};
  let partnerNote = '';
  const stop = async (code: number) => {
    offline?.kill('SIGTERM');
    relay?.kill('SIGTERM');
    front?.close();
    await altegioDemo?.close();
    await dynamodb?.stop();
    markStopped(dataDir, process.pid);
    process.exit(code);
  };
  process.once('SIGINT', () => void stop(0));
  process.once('SIGTERM', () => void stop(0));
  // The demo's review link travels as an event: without a subscriber of one's own, print them.
  const printer = demo && config.eventsUrls.length === 0 ? await startConsoleSubscriber(inbox, secrets.eventsSecret) : undefined;
  inbox.receivesEvents = printer !== undefined;
  let offlinePort: number;
  try {
    front = await startFront(config.port, (offlinePort = await freePort()), { inbox, print: (line) => console.log(line) });
    if (fresh) {
      // The walkthrough starts over: no appointments, users, reviews or revocations are left, so
      // the kept partner token (one that may have been revoked) is replaced too.
      rmSync(join(dataDir, 'dynamodb'), { recursive: true, force: true });
      forgetDemo(dataDir);
      if (!config.partnerToken) {
        secrets = { ...secrets, partnerToken: renewPartnerToken(local) };
        partnerNote = '  (new: --fresh wiped the local data)';
      }
    }
    dynamodb = await startLocalDynamo({ port: config.dynamodbLocalPort, dataDir: join(dataDir, 'dynamodb') });
    await ensureTable(dynamo, config.tableName);
    // A token revoked with `npm run partner -- revoke` stays revoked: the kept one is replaced, a configured one is not.
    if ((await registerPartnerOnce(secrets.partnerToken, 'local')) === 'revoked') {
      if (config.partnerToken)
        partnerNote = '  (REVOKED: CABINET_PARTNER_TOKEN was revoked; unset it, or mint one with `npm run partner -- create NAME`)';
      else {
        secrets = { ...secrets, partnerToken: renewPartnerToken(local) };
        await registerPartnerOnce(secrets.partnerToken, 'local');
        partnerNote = '  (new: the one kept before was revoked, and stays revoked)';
      }
    }
    // `--demo --altegio`: the stack connected to a stand-in playing the salon's Altegio account.
    if (demo && altegioDemoRequested) {
      if (config.altegio) throw new Error('--altegio plays Altegio with a local stand-in: unset the CABINET_ALTEGIO_* variables to use it');
      altegioDemo = await startAltegioDemo();
    }
    env = { ...stackEnv(secrets, printer?.url), ...altegioDemo?.env };
    offline = startOffline(env, offlinePort, await freePort());
    offline.once('exit', (code) => void stop(code ?? 1));
    await whenReady(offline, offlinePort);
    relay = startEventRelay(env);
    writeStackState(dataDir, {
      pid: process.pid,
      port: config.port,
      dynamodbPort: config.dynamodbLocalPort,
      env: stackSettings({ ...stackEnv(secrets, undefined), ...altegioDemo?.env }),
      demoEventsUrl: printer?.url,
    });
  } catch (error) {
    const message =
      (error as NodeJS.ErrnoException).code === 'EADDRINUSE'
        ? `port ${config.port} is in use (set PORT to use another)`
        : (error as Error).message;
    console.error(error instanceof JavaMissing ? message : `Could not start: ${message}`);
    await stop(1);
  }
  const base = `http://127.0.0.1:${config.port}`;
  const eventsTo = config.eventsUrls.length
    ? config.eventsUrls.map((u) => new URL(u).origin).join(', ')
    : printer
      ? 'printed here as [event] lines (demo; CABINET_EVENTS_URL unset)'
      : `no subscribers (CABINET_EVENTS_URL unset): events are kept for the first one, up to ${config.eventsRetentionDays} days`;
  console.log(
    [
      '',
      `cabinet is running on ${base} (also under ${base}/api/v1)`,
      `  partner token:  ${secrets.partnerToken}${partnerNote}`,
      `  webhook secret: ${secrets.webhookSecret}`,
      `  events secret:  ${secrets.eventsSecret} (subscribers verify events with it: Standard Webhooks)`,
      `  API reference:  ${base}/docs`,
      `  local inbox:    ${base}/_local/inbox (the SMS messages${printer ? ' and events' : ''} of this stack; local only)`,
      `  data:           ${join(dataDir, 'dynamodb')} (private to you; DynamoDB Local on 127.0.0.1:${config.dynamodbLocalPort})`,
      `  events to:      ${eventsTo}`,
      '',
      'Example: push an appointment in (a webhook), then open it from its link:',
      exampleRequest(base, secrets),
      '',
      'Ctrl-C stops it.',
    ].join('\n'),
  );
  if (demo && altegioDemo) {
    const walkthrough = await loadAltegioDemo(base, secrets.partnerToken, env, altegioDemo).catch((error: Error) => {
      console.error(error.message);
      return stop(1);
    });
    console.log(`\n${walkthrough}\n`);
  } else if (demo) {
    const walkthrough = await loadDemo({
      base,
      partnerToken: secrets.partnerToken,
      webhookSecret: secrets.webhookSecret,
      dataDir,
      inbox: printer ? inbox : undefined,
    });
    console.log(`\n${walkthrough}\n`);
  }
}

await main();
