// Jest's node environment, holding back what the service writes straight to stdout and stderr
// (Powertools' log and metric lines, as in Lambda) while a test runs. A passing test's output is
// dropped; a failing test's is printed after it, where it helps to see why; so is everything held
// when a hook fails or the file fails to load. Tests that check logs capture them as before
// (test/helpers/logs.ts), on top of this.
// Jest loads this file through require(), outside its ESM module mapping, as the global setup.
import { TestEnvironment as NodeEnvironment } from 'jest-environment-node';
import { Writable } from 'node:stream';
import type { Circus } from '@jest/types';

export default class QuietEnvironment extends NodeEnvironment {
  private held: string[] = [];
  private started = false;

  override async setup(): Promise<void> {
    await super.setup();
    // The test file's own process.stdout and process.stderr, not the real ones: jest's reporter
    // writes to those meanwhile, and its lines must not be held.
    for (const name of ['stdout', 'stderr']) {
      const hold = new Writable({
        decodeStrings: false,
        write: (chunk: unknown, _encoding, done) => {
          this.held.push(String(chunk));
          done();
        },
      });
      Object.defineProperty(this.global.process, name, { value: hold, configurable: true, writable: true });
    }
  }

  override async teardown(): Promise<void> {
    if (!this.started) this.show('while the test file loaded');
    await super.teardown();
  }

  handleTestEvent(event: Circus.Event): void {
    if (event.name === 'run_start') this.started = true;
    if (event.name === 'hook_failure') this.show(`up to the failing ${event.hook.type} hook`);
    if (event.name === 'test_done') {
      if (event.test.errors.length > 0) this.show(`during "${fullName(event.test)}", which failed`);
      this.held = [];
    }
  }

  private show(when: string): void {
    if (this.held.length === 0) return;
    process.stderr.write(`\n----- what the service wrote ${when} -----\n${this.held.join('')}----- end -----\n`);
    this.held = [];
  }
}

function fullName(test: Circus.TestEntry): string {
  const names = [test.name];
  for (let block = test.parent; block && block.name !== 'ROOT_DESCRIBE_BLOCK'; block = block.parent!) names.unshift(block.name);
  return names.join(' › ');
}
