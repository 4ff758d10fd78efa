// Every minute, in connected mode: runs each Altegio write-back command (a cancellation's DELETE, a
// profile's PUTs, a review's POST) whose retry is due, or that an inline attempt never finished
// (a crash, a restart). Standalone, it does nothing.
import { sweepAltegioCommands } from '../lib/writebacks.js';
import { observed } from '../lib/observe.js';

export const handler = observed('retry-altegio', async (_schedule: void): Promise<{ due: number; done: number }> => sweepAltegioCommands());
