// `npm start`: the whole API on http://127.0.0.1:$PORT, on an embedded DynamoDB whose data
// survives a restart (CONTRACT.md section 7).
import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { config } from '../lib/config.js';
import { dynamo } from '../lib/db/client.js';
import { registerPartner } from '../lib/db/partner-admin.js';
import { ensureTable } from '../lib/db/table.js';
import { loadDemo, startConsoleSubscriber } from './demo.js';
import { exampleRequest, localSecrets, secretsEnv, type LocalSecrets } from './local-secrets.js';
import { JavaMissing, startLocalDynamo, type LocalDynamo } from './local-dynamodb.js';

const serverlessBin = createRequire(import.meta.url).resolve('serverless/bin/serverless.js');

const demo = process.argv.includes('--demo');

/** The handlers read the same variables as this process, plus what this stack made for itself. */
function stackEnv(secrets: LocalSecrets, eventsUrl: string | undefined): NodeJS.ProcessEnv {
  const made = { CABINET_TABLE: config.tableName, ...secretsEnv(secrets), CABINET_DYNAMODB_ENDPOINT: config.dynamodbEndpoint };
  return { ...process.env, ...made, ...(eventsUrl ? { CABINET_EVENTS_URL: eventsUrl } : {}) };
}

function startOffline(env: NodeJS.ProcessEnv): ChildProcess {
  const args = ['offline', 'start', '--stage', 'local', '--localEnvironment', '--host', '127.0.0.1', '--httpPort', String(config.port), '--lambdaPort', String(config.port + 2)];
  return spawn(process.execPath, [serverlessBin, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
}

/** What AWS does with the table's stream, done locally: scripts/event-relay.ts. */
function startEventRelay(env: NodeJS.ProcessEnv): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', 'scripts/event-relay.ts'], { env, stdio: ['ignore', 'inherit', 'inherit'] });
}

/**
 * Holds offline's start-up chatter back (it is shown if start-up fails), then passes everything
 * through, so the handlers' own log lines reach the terminal.
 */
function whenReady(child: ChildProcess): Promise<void> {
  return new Promise((resolve, reject) => {
    let ready = false;
    const held: Buffer[] = [];
    const watch = (stream: NodeJS.ReadableStream, out: NodeJS.WritableStream) =>
      stream.on('data', (chunk: Buffer) => {
        if (ready) return void out.write(chunk);
        held.push(chunk);
        if (/Server ready/.test(chunk.toString())) {
          ready = true;
          resolve();
        }
      });
    watch(child.stdout!, process.stdout);
    watch(child.stderr!, process.stderr);
    child.once('exit', (code) => {
      if (!ready) process.stderr.write(Buffer.concat(held));
      reject(new Error(`serverless offline exited with code ${code} before it was ready (is port ${config.port} free?)`));
    });
  });
}

async function main(): Promise<void> {
  const secrets = localSecrets(config);
  let dynamodb: LocalDynamo | undefined;
  let offline: ChildProcess | undefined;
  let relay: ChildProcess | undefined;
  const stop = async (code: number) => {
    offline?.kill('SIGTERM');
    relay?.kill('SIGTERM');
    await dynamodb?.stop();
    process.exit(code);
  };
  process.once('SIGINT', () => void stop(0));
  process.once('SIGTERM', () => void stop(0));
  // The demo's review link travels as an event: without a subscriber of one's own, print them.
  const printer = demo && config.eventsUrls.length === 0 ? await startConsoleSubscriber() : undefined;
  const env = stackEnv(secrets, printer?.url);
  try {
    dynamodb = await startLocalDynamo({ port: config.dynamodbLocalPort, dataDir: join(config.dataDir, 'dynamodb') });
    await ensureTable(dynamo, config.tableName);
    await registerPartner(secrets.partnerToken, 'local');
    offline = startOffline(env);
    offline.once('exit', (code) => void stop(code ?? 1));
    await whenReady(offline);
    relay = startEventRelay(env);
  } catch (error) {
    console.error(error instanceof JavaMissing ? error.message : `Could not start: ${(error as Error).message}`);
    await stop(1);
  }
  const base = `http://127.0.0.1:${config.port}`;
  console.log(
    [
      '',
      `cabinet is running on ${base} (also under ${base}/api/v1)`,
      `  partner token:  ${secrets.partnerToken}`,
      `  webhook secret: ${secrets.webhookSecret}`,
      `  events secret:  ${secrets.eventsSecret} (subscribers verify events with it: Standard Webhooks)`,
      `  API reference:  ${base}/docs`,
      `  data:           ${join(config.dataDir, 'dynamodb')} (DynamoDB Local on port ${config.dynamodbLocalPort})`,
      `  events to:      ${config.eventsUrls.length ? config.eventsUrls.map((u) => new URL(u).origin).join(', ') : printer ? 'printed here as [event] lines (demo; CABINET_EVENTS_URL unset)' : 'no subscribers (CABINET_EVENTS_URL unset): events are kept, sent nowhere'}`,
      '',
      'Example: push an appointment in (a webhook), then open it from its link:',
      exampleRequest(base, secrets),
      '',
      'Ctrl-C stops it.',
    ].join('\n'),
  );
  if (demo) console.log(`\n${await loadDemo(base, secrets.partnerToken, secrets.webhookSecret)}\n`);
}

await main();
