// The sweeper's run (functions/retry-events.ts, every minute), apart from delivery itself so that
// the stream's deliverer carries none of its table access.
import { clock } from '../clock.js';
import { config } from '../config.js';
import { catchUpSubscribers, expireWaiting } from '../db/event-sweep.js';
import { count, logger } from '../observe.js';
import { deliverDue, subscriberId } from './deliver.js';

export interface SweepResult {
  /** Events tried because they were due. */
  due: number;
  /** Events queued for subscribers that did not have them (none existed, or one was added). */
  queued: number;
  /** Events no subscriber had within the retention, given up. */
  expired: number;
}

/**
 * The sweeper's run (every minute): gives up what no subscriber had within the retention, queues
 * what the current subscribers lack, then tries what is due.
 */
export async function sweep(subscribers: readonly string[] = config.eventsUrls): Promise<SweepResult> {
  const retentionDays = config.eventsRetentionDays;
  const cutoff = clock.now() - retentionDays * 86_400_000;
  const expired = await expireWaiting(cutoff);
  if (expired) {
    count('EventsExpired', expired);
    logger.warn('events expired: no subscriber had them within the retention', { expired, retention_days: retentionDays });
  }
  const { queued, added } = await catchUpSubscribers(subscribers.map(subscriberId), cutoff);
  if (queued) logger.info('events queued for subscribers that do not have them', { queued, subscribers_added: added });
  return { due: await deliverDue(100, subscribers), queued, expired };
}
