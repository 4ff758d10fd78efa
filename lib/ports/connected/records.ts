// Connected mode's record port (lib/ports/read-through.ts), chosen by lib/ports/records.ts.
export { readThroughRecords as records } from '../read-through.js';
