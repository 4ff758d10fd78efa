// A change's write-back to Altegio (lib/ports/connected/writeback.ts), loaded once when connected (lib/ports/mode.ts).
import { chosen } from './mode.js';

const part: { value?: Promise<typeof import('./connected/writeback.js') | null> } = {};

/** A change's write-back to Altegio; null standalone. */
export function writingBack() {
  return chosen(part, null, () => import('./connected/writeback.js'));
}
