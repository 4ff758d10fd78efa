// Connected mode's record and location ports (lib/ports/read-through.ts), loaded by lib/ports/records.ts
// and lib/ports/locations.ts. One module for both: they share their code, and a bundle a chunk.
export { readThroughLocations as locations, readThroughRecords as records } from '../read-through.js';
