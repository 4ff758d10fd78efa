// The write-back retry's connected part (lib/ports/connected/sweep.ts), loaded once when connected (lib/ports/mode.ts).
import { chosen } from './mode.js';

const part: { value?: Promise<typeof import('./connected/sweep.js') | null> } = {};

/** The sweep of due write-back commands; null standalone. */
export function sweeping() {
  return chosen(part, null, () => import('./connected/sweep.js'));
}
