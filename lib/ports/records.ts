// The record port as use cases and functions take it: the table's (lib/ports/table.ts) standalone,
// read-through (lib/ports/read-through.ts) connected; chosen by lib/ports/mode.ts, once.
import { chosen } from './mode.js';
import { tableRecords } from './table.js';
import type { RecordReads } from './types.js';

const loaded: { value?: Promise<RecordReads> } = {};

export function records(): Promise<RecordReads> {
  return chosen(loaded, tableRecords, async () => (await import('./connected/reads.js')).records);
}
