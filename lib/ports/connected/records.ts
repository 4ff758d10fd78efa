// Connected mode's record port (lib/ports/read-through.ts), alone in its module so that what
// loads it (lib/ports/mode.ts) bundles only it.
export { readThroughRecords as records } from '../read-through.js';
