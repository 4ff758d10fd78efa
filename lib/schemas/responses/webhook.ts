// What the webhook answers the booking platform (lib/ingest.ts).
import * as z from 'zod';
import { success } from './envelope.js';
import { model } from './registry.js';

export const ingested = model('Ingested', 'What one delivery did.', z.strictObject({
  resource: z.string(),
  resource_id: z.int(),
  applied: z.boolean().describe('false for a delivery older than, or the same as, what is stored, and for resources the cabinet does not show'),
  record_hash: z.string().optional().describe("the appointment's link hash, for a record whose links use ours"),
}));

export const ingestedReply = success('IngestedReply', 'Accepted.', ingested);
