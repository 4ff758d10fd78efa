// Cold start per function: a fresh `node` imports the deployed bundle and serves one request
// against DynamoDB Local, against a hello-world bundle built the same way, in the same run.
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { bundle, median, root, type Bundle, type Stack } from './common.js';
import { invocationFor, type Seeded } from './fixtures.js';

export interface ColdRow {
  name: string;
  initMs: number;
  ratio: number;
  importMs: number;
  firstRequestMs: number;
  status: number;
}

export const coldRuns = 15;

function once(file: string, event: unknown, env: Record<string, string>) {
  const child = new URL('cold-child.mjs', import.meta.url).pathname;
  // From an empty folder: the bundle alone, as in its Lambda zip, with no node_modules to fall back on.
  const out = execFileSync(process.execPath, [child, file, JSON.stringify(event)], {
    cwd: tmpdir(),
    env: { PATH: process.env.PATH, ...env },
    encoding: 'utf8',
  });
  const line = out
    .split('\n')
    .reverse()
    .find((l) => l.startsWith('BENCH '));
  if (!line) throw new Error(`no result from ${file}: ${out}`);
  return JSON.parse(line.slice(6)) as { init: number; importMs: number; firstRequestMs: number; status: number };
}

export async function coldStarts(
  stack: Stack,
  seeded: Seeded,
  bundles: Bundle[],
): Promise<{ hello: ColdRow; bare: ColdRow; rows: ColdRow[] }> {
  const hello = await bundle('hello', new URL('bench/hello.ts', root).pathname);
  const bare = await bundle('bare-dynamodb', new URL('bench/bare-dynamodb.ts', root).pathname);
  const samples = new Map<string, Array<ReturnType<typeof once>>>();
  // Round-robin, so that whatever else the machine does spreads over every function alike.
  for (let run = 0; run < coldRuns; run++) {
    for (const b of [hello, bare, ...bundles]) {
      const event = b === hello || b === bare ? {} : invocationFor(b.name, seeded, run).event;
      samples.set(b.name, [...(samples.get(b.name) ?? []), once(b.file, event, stack.env)]);
    }
  }
  const row = (name: string): ColdRow => {
    const s = samples.get(name)!;
    return {
      name,
      initMs: median(s.map((x) => x.init)),
      ratio: 0,
      importMs: median(s.map((x) => x.importMs)),
      firstRequestMs: median(s.map((x) => x.firstRequestMs)),
      status: s.at(-1)!.status,
    };
  };
  const helloRow = row('hello');
  const rows = bundles.map((b) => row(b.name)).map((r) => ({ ...r, ratio: r.initMs / helloRow.initMs }));
  const bareRow = row('bare-dynamodb');
  return { hello: { ...helloRow, ratio: 1 }, bare: { ...bareRow, ratio: bareRow.initMs / helloRow.initMs }, rows };
}
