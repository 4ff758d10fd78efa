// A webhook delivery's part in connected mode (lib/ports/connected/ingest.ts), loaded once when connected (lib/ports/mode.ts).
import { chosen } from './mode.js';

const part: { value?: Promise<typeof import('./connected/ingest.js') | null> } = {};

/** A webhook delivery's part in connected mode; null standalone. */
export function ingesting() {
  return chosen(part, null, () => import('./connected/ingest.js'));
}
