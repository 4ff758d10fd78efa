// What a webhook's delivery asks of connected mode (lib/ingest.ts): Altegio's word on what the event leaves out.
export { isOwnEcho } from '../../altegio/writeback-echo.js';
export { placedInZone, readInsteadOfBody, withKeptRules } from '../../sync/locations.js';
