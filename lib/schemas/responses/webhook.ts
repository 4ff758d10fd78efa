// What the webhook answers the booking platform (lib/ingest.ts).
import * as z from 'zod';
import { errorItem, success } from './envelope.js';
import { model } from './registry.js';

export const ingested = model(
  'Ingested',
  'What one delivery did.',
  z.strictObject({
    resource: z.string(),
    resource_id: z.int(),
    applied: z
      .boolean()
      .describe('false for a delivery older than, or the same as, what is stored, and for resources the cabinet does not show'),
    record_hash: z.string().optional().describe("the appointment's link hash, for a record whose links use ours"),
  }),
);

export const refusedEvent = model(
  'RefusedEvent',
  'An event of an array body that was refused, alone: the others were applied.',
  z.strictObject({
    resource: z.string().optional(),
    resource_id: z.int().optional(),
    applied: z.literal(false),
    errors: z.array(errorItem).min(1).describe('each field that is wrong (code 1001), as a 422 would list them'),
  }),
);

export const ingestedBatch = model(
  'IngestedBatch',
  'Connected to Altegio, a body may be an array of events (docs/contract.md 8.6): what each did, in the order sent.',
  z.array(z.union([ingested, refusedEvent])),
);

export const ingestedReply = success('IngestedReply', 'Accepted.', z.union([ingested, ingestedBatch]));
