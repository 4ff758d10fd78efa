// The location ports as use cases and functions take them: the table's (lib/ports/table.ts)
// standalone, read-through (lib/ports/read-through.ts) connected; chosen by lib/ports/mode.ts, once.
import { chosen } from './mode.js';
import { tableLocations } from './table.js';
import type { LocationReads } from './types.js';

const loaded: { value?: Promise<LocationReads> } = {};
const loadedForCodes: { value?: Promise<LocationReads> } = {};

export function locations(): Promise<LocationReads> {
  return chosen(loaded, tableLocations, async () => (await import('./connected/locations.js')).locations);
}

/** For the functions that send SMS codes. */
export function codeLocations(): Promise<LocationReads> {
  return chosen(loadedForCodes, tableLocations, async () => (await import('./connected/code-locations.js')).locations);
}
