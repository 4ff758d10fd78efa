// The one place the deployment's mode is decided: connected to Altegio when configured
// (lib/config.ts `altegio`), else standalone; decided once per process, on first use. Connected
// mode's parts (lib/ports/connected/*) are chosen here and nowhere else. They are imported
// statically: in an esbuild bundle a dynamic import() wraps the imported module and everything it
// reaches, the AWS SDK included, in lazy initialisers that defeat tree-shaking (about +20 KB zipped
// and a slower init for every function, measured), so standalone functions still carry and evaluate
// the connector's module code, though they never call it.
import { config } from '../config.js';
import * as cancelPart from './connected/cancel.js';
import * as ingestPart from './connected/ingest.js';
import * as writebackPart from './connected/writeback.js';

let connectedMode: boolean | undefined;

/** Whether this deployment reads and writes the salon's Altegio account. */
export function isConnected(): boolean {
  connectedMode ??= config.altegio !== null;
  return connectedMode;
}

/** The table's implementation standalone, else the connected one, chosen once. */
export function chosen<T>(picked: { value?: Promise<T> }, table: T, connected: () => T): Promise<T> {
  picked.value ??= Promise.resolve(isConnected() ? connected() : table);
  return picked.value;
}

/** A cancellation's part in connected mode; null standalone. */
export function cancelling(): Promise<typeof cancelPart | null> {
  return Promise.resolve(isConnected() ? cancelPart : null);
}

/** A change's write-back to Altegio; null standalone. */
export function writingBack(): Promise<typeof writebackPart | null> {
  return Promise.resolve(isConnected() ? writebackPart : null);
}

/** A webhook delivery's part in connected mode; null standalone. */
export function ingesting(): Promise<typeof ingestPart | null> {
  return Promise.resolve(isConnected() ? ingestPart : null);
}
