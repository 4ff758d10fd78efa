// The one place the deployment's mode is decided: connected to Altegio when configured
// (lib/config.ts `altegio`), else standalone; decided once per process, on first use. Connected
// mode's parts are loaded then by dynamic import, and only when connected, so a standalone function
// never evaluates the connector (lib/altegio) at all. Each part is its own module, and each loader
// a function of its own, so a function's bundle (and its IAM role, scripts/iam.ts) carries only
// the parts it uses.
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

const cancelPart: { value?: Promise<typeof import('./connected/cancel.js') | null> } = {};
const writebackPart: { value?: Promise<typeof import('./connected/writeback.js') | null> } = {};
const ingestPart: { value?: Promise<typeof import('./connected/ingest.js') | null> } = {};

/** A cancellation's part in connected mode; null standalone. */
export function cancelling() {
  return chosen(cancelPart, null, () => import('./connected/cancel.js'));
}

/** A change's write-back to Altegio; null standalone. */
export function writingBack() {
  return chosen(writebackPart, null, () => import('./connected/writeback.js'));
}

/** A webhook delivery's part in connected mode; null standalone. */
export function ingesting() {
  return chosen(ingestPart, null, () => import('./connected/ingest.js'));
}
