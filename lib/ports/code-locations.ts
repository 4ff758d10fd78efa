// The location port of the functions that send SMS codes: the table's (lib/ports/table.ts)
// standalone, read-through without the location entity's reads (lib/ports/read-through.ts)
// connected; chosen by lib/ports/mode.ts, once. Apart from lib/ports/locations.ts, so that these
// functions' bundles carry no chunk of the other.
import { chosen } from './mode.js';
import { tableLocations } from './table.js';
import type { LocationReads } from './types.js';

const loaded: { value?: Promise<LocationReads> } = {};

/** For the functions that send SMS codes. */
export function codeLocations(): Promise<LocationReads> {
  return chosen(loaded, tableLocations, async () => (await import('./connected/code-locations.js')).locations);
}
