// The record port as use cases and functions take it: the table's (lib/ports/table.ts) standalone,
// read-through (lib/ports/read-through.ts) connected; chosen by lib/ports/mode.ts, once.
import { records as readThroughRecords } from './connected/records.js';
import { chosen } from './mode.js';
import { tableRecords } from './table.js';
import type { RecordReads } from './types.js';

const picked: { value?: Promise<RecordReads> } = {};

export function records(): Promise<RecordReads> {
  return chosen(picked, tableRecords, () => readThroughRecords);
}
