// Every minute: tries again each event whose retry is due (and any the stream left undelivered).
import { deliverDue } from '../lib/events/deliver.js';

export async function handler(): Promise<{ due: number }> {
  return { due: await deliverDue() };
}
