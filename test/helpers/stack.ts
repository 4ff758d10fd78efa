// `npm start` as a child process, as a user runs it, on a data folder and ports of its own; and the
// operator scripts run beside it the way the README shows (no settings repeated: only the data
// folder, which a user shares by working in the same directory).
import { spawn, type ChildProcess } from 'node:child_process';
import { runNode, sameSystemClock, type Ran } from './child.js';

export interface Stack {
  base: string;
  partnerToken: string;
  webhookSecret: string;
  eventsSecret: string;
  /** Everything it printed, stdout and stderr, so far. */
  output: () => string;
  stop: () => Promise<number | null>;
  child: ChildProcess;
}

export function baseEnv(dataDir: string, extra: Record<string, string> = {}): Record<string, string | undefined> {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    CABINET_DATA_DIR: dataDir,
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    ...extra,
  };
}

/** Starts `npm start` (scripts/start.ts) and waits for its banner; rejects with its output if it exits first. */
export function startStack(env: Record<string, string | undefined>, args: string[] = []): Promise<Stack> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts', ...args], {
    cwd: process.cwd(),
    env: sameSystemClock(env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    // Stopped if it does not come up: a stack left running kept jest from exiting after a failure.
    const timer = setTimeout(() => {
      child.kill('SIGINT');
      reject(new Error(`npm start did not come up:\n${output}`));
    }, 90_000);
    const take = (chunk: Buffer) => {
      output += chunk.toString();
      const banner = output.match(
        new RegExp(
          /cabinet is running on (\S+) [\s\S]*?partner token: +(\S+)[\s\S]*?/.source +
            /webhook secret: +(\S+)[\s\S]*?events secret: +(\S+)[\s\S]*?Ctrl-C stops it\./.source,
        ),
      );
      if (banner) {
        clearTimeout(timer);
        resolve({
          base: banner[1]!,
          partnerToken: banner[2]!,
          webhookSecret: banner[3]!,
          eventsSecret: banner[4]!,
          child,
          output: () => output,
          stop: async () => {
            if (child.exitCode === null) child.kill('SIGINT');
            return exited;
          },
        });
      }
    };
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`npm start exited with ${code}:\n${output}`));
    });
  });
}

/** `npm run NAME -- args` as the README shows it (package.json runs `tsx scripts/NAME.ts`). */
export function runScript(name: 'events' | 'partner', args: string[], env: Record<string, string | undefined>): Promise<Ran> {
  return runNode([`scripts/${name}.ts`, ...args], env);
}
