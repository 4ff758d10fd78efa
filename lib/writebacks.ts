// The write-back sweeper's run, as functions/retry-altegio.ts asks for it: the use case of the
// outbox of Altegio commands (lib/altegio/writeback.ts runs each command), so that no function
// reaches into the connector itself.
export { sweepAltegioCommands } from './altegio/writeback.js';
