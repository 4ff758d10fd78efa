// Free times' connected part (lib/ports/connected/calendar.ts), loaded once when connected (lib/ports/mode.ts).
import { chosen } from './mode.js';

const part: { value?: Promise<typeof import('./connected/calendar.js') | null> } = {};

/** Altegio's calendar of a team member; null standalone. */
export function calendars() {
  return chosen(part, null, () => import('./connected/calendar.js'));
}
