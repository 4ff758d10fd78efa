// Captures what the service logs through console.error (its warnings and errors), so a test can
// check what an operator would see, and that no secret is in it, instead of printing it.
import { jest } from '@jest/globals';

export function captureErrors(): { lines: string[]; restore: () => void } {
  const lines: string[] = [];
  const spy = jest.spyOn(console, 'error').mockImplementation((...args: unknown[]) => void lines.push(args.map(String).join(' ')));
  return { lines, restore: () => spy.mockRestore() };
}

/** Captures every console channel the service could write to. */
export function captureAllLogs(): { lines: string[]; restore: () => void } {
  const lines: string[] = [];
  const spies = (['log', 'info', 'warn', 'error', 'debug'] as const).map((method) =>
    jest.spyOn(console, method).mockImplementation((...args: unknown[]) => void lines.push(args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' '))),
  );
  return { lines, restore: () => spies.forEach((spy) => spy.mockRestore()) };
}
