// Every minute: gives up events no subscriber had within the retention, queues what a subscriber
// (the first, or one added) lacks, and tries again each event whose retry is due (and any the
// stream left undelivered).
import { sweep, type SweepResult } from '../lib/events/sweep.js';
import { observed } from '../lib/observe.js';

export const handler = observed('retry-events', async (_schedule: void): Promise<SweepResult> => sweep());
