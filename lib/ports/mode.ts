// The one place the deployment's mode is decided: connected to Altegio when configured
// (lib/config.ts `altegio`), else standalone; decided once per process, on first use. Connected
// mode's parts (lib/ports/connected/*) are loaded then by dynamic import, and only when connected,
// so a standalone function never evaluates the connector (lib/altegio). The bundles are built with
// code splitting (serverless.yml custom.esbuild), so each part is a chunk of its own, left unread
// standalone. Each loader is a module of its own (lib/ports/*.ts): esbuild makes a chunk of every
// import() in a module a function reaches, called or not, so a function ships only the parts its
// modules can load.
import { config } from '../config.js';

let connectedMode: boolean | undefined;

/** Whether this deployment reads and writes the salon's Altegio account. */
export function isConnected(): boolean {
  connectedMode ??= config.altegio !== null;
  return connectedMode;
}

/** The table's implementation standalone, else the connected one, loaded once. */
export function chosen<T>(loaded: { value?: Promise<T> }, table: T, load: () => Promise<T>): Promise<T> {
  loaded.value ??= isConnected() ? load() : Promise.resolve(table);
  return loaded.value;
}
