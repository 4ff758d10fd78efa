// Runs the project's own code in a child process, as an operator or a scheduler would: a script, or
// one call of a function's handler, with an environment of its own (lib/config.ts reads it once).
import { spawn } from 'node:child_process';

export interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * The variables of a faked system clock (libfaketime's, as `faketime -f '+400d' npm test` sets
 * them), when the suite runs under one: a child is the service under test and must see the date the
 * test sees, or what it signs or stamps looks 400 days old to the test.
 */
export function sameSystemClock(env: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const faked = Object.entries(process.env).filter(([name]) => name === 'LD_PRELOAD' || name.startsWith('FAKETIME'));
  return { ...env, ...Object.fromEntries(faked) };
}

/** Runs `node --import tsx <args>` in the repository, with `env` (nothing of this process's own env but PATH and HOME unless given). */
export function runNode(args: string[], env: Record<string, string | undefined>, timeoutMs = 60_000): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', ...args], {
      cwd: process.cwd(),
      env: sameSystemClock(env),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', reject);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** One run of a function's handler (functions/NAME.ts) in a fresh process: a new deployment's first call. */
export function runHandler(name: string, env: Record<string, string | undefined>): Promise<Ran> {
  const code = `const { handler } = await import('./functions/${name}.ts'); console.log(JSON.stringify(await handler()));`;
  return runNode(['--input-type=module', '-e', code], env);
}
