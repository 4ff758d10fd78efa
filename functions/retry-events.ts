// Every minute: tries again each event whose retry is due (and any the stream left undelivered).
import { deliverDue } from '../lib/events/deliver.js';
import { observed } from '../lib/observe.js';

export const handler = observed('retry-events', async (_schedule: void): Promise<{ due: number }> => ({ due: await deliverDue() }));
