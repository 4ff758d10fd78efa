// Connected mode's location port (lib/ports/read-through.ts), chosen by lib/ports/locations.ts.
export { readThroughLocations as locations } from '../read-through.js';
