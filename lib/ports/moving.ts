// Moving an appointment's connected part (lib/ports/connected/move.ts), loaded once when connected (lib/ports/mode.ts).
import { chosen } from './mode.js';

const part: { value?: Promise<typeof import('./connected/move.js') | null> } = {};

/** Altegio's move; null standalone. */
export function moving() {
  return chosen(part, null, () => import('./connected/move.js'));
}
