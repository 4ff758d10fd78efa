// The retry of Altegio write-back commands that are due (lib/writebacks.ts): connected mode's alone.
export { sweepAltegioCommands } from '../../altegio/writeback.js';
