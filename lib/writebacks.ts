// The write-back sweeper's run, as functions/retry-altegio.ts asks for it. Commands are connected
// mode's alone (standalone never writes one), so standalone this loads nothing of the connector and
// finds nothing due.
import { sweeping } from './ports/sweeping.js';

export async function sweepAltegioCommands(): Promise<{ due: number; done: number }> {
  const part = await sweeping();
  return part ? part.sweepAltegioCommands() : { due: 0, done: 0 };
}
