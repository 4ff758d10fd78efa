// The location port as use cases and functions take it: the table's (lib/ports/table.ts)
// standalone, read-through (lib/ports/read-through.ts) connected; chosen by lib/ports/mode.ts, once.
import { chosen } from './mode.js';
import { tableLocations } from './table.js';
import type { LocationReads } from './types.js';

const loaded: { value?: Promise<LocationReads> } = {};

export function locations(): Promise<LocationReads> {
  return chosen(loaded, tableLocations, async () => (await import('./connected/reads.js')).locations);
}
