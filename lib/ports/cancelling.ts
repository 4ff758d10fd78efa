// A cancellation's part in connected mode (lib/ports/connected/cancel.ts), loaded once when connected (lib/ports/mode.ts).
import { chosen } from './mode.js';

const part: { value?: Promise<typeof import('./connected/cancel.js') | null> } = {};

/** A cancellation's part in connected mode; null standalone. */
export function cancelling() {
  return chosen(part, null, () => import('./connected/cancel.js'));
}
