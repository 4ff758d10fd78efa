// Captures what the service logs, so a test can check what an operator would see, and that no
// secret is in it, instead of printing it. Powertools' logger and metrics write to the process's
// stdout and stderr directly (as in Lambda), other code to the console: both are captured.
import { expect, jest } from '@jest/globals';
import { config } from '../../lib/config.js';

type Capture = { lines: string[]; restore: () => void };

function capture(streams: NodeJS.WriteStream[], methods: Array<'log' | 'info' | 'warn' | 'error' | 'debug'>): Capture {
  const lines: string[] = [];
  const take = (text: string) => lines.push(...text.split('\n').filter((line) => line.trim() !== ''));
  const spies = [
    ...streams.map((stream) => jest.spyOn(stream, 'write').mockImplementation(((chunk: unknown) => (take(String(chunk)), true)) as never)),
    ...methods.map((method) =>
      jest
        .spyOn(console, method)
        .mockImplementation((...args: unknown[]) => void take(args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' '))),
    ),
  ];
  return { lines, restore: () => spies.forEach((spy) => spy.mockRestore()) };
}

/** Warnings and errors: stderr and console.error. */
export function captureErrors(): Capture {
  return capture([process.stderr], ['error']);
}

/** Every channel the service could write to. */
export function captureAllLogs(): Capture {
  return capture([process.stdout, process.stderr], ['log', 'info', 'warn', 'error', 'debug']);
}

/** The JSON lines among what was captured (Powertools' log lines and metric lines). */
export function jsonLines(lines: string[]): Array<Record<string, any>> {
  return lines.flatMap((line) => {
    try {
      const value = JSON.parse(line);
      return value && typeof value === 'object' ? [value] : [];
    } catch {
      return [];
    }
  });
}

/** The sum of one metric over the metric lines, checking each is well-formed EMF in our namespace. */
export function metric(lines: Array<Record<string, any>>, name: string): number {
  return lines
    .filter((l) => l._aws)
    .reduce((sum, l) => {
      const [directive] = l._aws.CloudWatchMetrics;
      expect(directive.Namespace).toBe('cabinet');
      expect(directive.Dimensions).toEqual([expect.arrayContaining(['service', 'deployment'])]);
      expect(l).toMatchObject({ service: 'cabinet', deployment: config.tableName });
      if (!directive.Metrics.some((m: { Name: string }) => m.Name === name)) return sum;
      // A metric added more than once in an invocation is one line with an array of data points.
      return sum + [l[name]].flat().reduce((a: number, b: number) => a + b, 0);
    }, 0);
}
