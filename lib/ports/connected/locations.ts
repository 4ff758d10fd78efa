// Connected mode's location port (lib/ports/read-through.ts), alone in its module so that what
// loads it (lib/ports/mode.ts) bundles only it.
export { readThroughLocations as locations } from '../read-through.js';
