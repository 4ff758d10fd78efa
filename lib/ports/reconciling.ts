// The reconcile's connected part (lib/ports/connected/reconcile.ts), loaded once when connected (lib/ports/mode.ts).
import { chosen } from './mode.js';

const part: { value?: Promise<typeof import('./connected/reconcile.js') | null> } = {};

/** The reconcile of Altegio's changes; null standalone. */
export function reconciling() {
  return chosen(part, null, () => import('./connected/reconcile.js'));
}
