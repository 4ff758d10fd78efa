// Connected mode's location port for the functions that send SMS codes (lib/ports/read-through.ts):
// without the location entity's reads, which would carry a second set of phone metadata.
export { readThroughCodeLocations as locations } from '../read-through.js';
