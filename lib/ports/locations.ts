// The location ports as use cases and functions take them: the table's (lib/ports/table.ts)
// standalone, read-through (lib/ports/read-through.ts) connected; chosen by lib/ports/mode.ts, once.
import { locations as readThroughCodeLocations } from './connected/code-locations.js';
import { locations as readThroughLocations } from './connected/locations.js';
import { chosen } from './mode.js';
import { tableLocations } from './table.js';
import type { LocationReads } from './types.js';

const picked: { value?: Promise<LocationReads> } = {};
const pickedForCodes: { value?: Promise<LocationReads> } = {};

export function locations(): Promise<LocationReads> {
  return chosen(picked, tableLocations, () => readThroughLocations);
}

/** For the functions that send SMS codes. */
export function codeLocations(): Promise<LocationReads> {
  return chosen(pickedForCodes, tableLocations, () => readThroughCodeLocations);
}
