// POST /v1/webhooks/altegio: Altegio's event envelope. The `data` of the resources the cabinet
// shows is parsed by that resource's schema, so a bad field is reported as `data.<field>`.
// Other resources (goods, categories, ...) are accepted and ignored: Altegio sends every kind to
// a hook, and refusing them would only make it retry.
import * as z from 'zod';
import { config } from '../config.js';
import { issueMessage } from './messages.js';
import { clientData, companyData, id, lastChangeDate, recordData, serviceData, staffData } from './altegio.js';
import { scheduleData } from './schedule.js';

/** The `data` of each resource the cabinet shows, by `resource` (the reference documents each). */
export const dataSchemas = {
  company: companyData,
  staff: staffData,
  service: serviceData,
  client: clientData,
  record: recordData,
  schedule: scheduleData,
};

export type IngestedResource = keyof typeof dataSchemas;

type Data = {
  [R in IngestedResource]: { resource: R; status: 'create' | 'update'; data: z.output<(typeof dataSchemas)[R]> };
}[IngestedResource];

export type WebhookEvent = {
  company_id: number;
  resource_id: number;
  /** A location whose `data` leaves its cancel rules out (Altegio's own company events may). */
  withoutRules?: true;
} & (
  | Data
  | { resource: IngestedResource; status: 'delete'; data: { last_change_date: string | null } }
  | { resource: 'other'; status: 'create' | 'update' | 'delete'; data: null; name: string }
);

/** The parses nested in this schema's transforms report in the project's style, as the outer one does. */
const inStyle = { error: issueMessage };

function isIngested(resource: string): resource is IngestedResource {
  return Object.hasOwn(dataSchemas, resource);
}

/** A delete's version: its snapshot's `last_change_date`, checked like every other (Altegio may send `data: []`). */
function lastChangeOf(data: unknown): z.ZodSafeParseResult<string | null> {
  const value = data && typeof data === 'object' ? (data as { last_change_date?: unknown }).last_change_date : null;
  return lastChangeDate.safeParse(typeof value === 'string' ? value : null, inStyle);
}

function report(ctx: z.RefinementCtx, issues: z.core.$ZodIssue[]): typeof z.NEVER {
  for (const issue of issues) ctx.addIssue({ ...issue, path: ['data', ...issue.path] } as never);
  return z.NEVER;
}

/** What every event carries around its `data`. */
export const envelope = z.object({
  company_id: id,
  resource: z.string().min(1).max(64),
  resource_id: id,
  status: z.enum(['create', 'update', 'delete']),
  data: z.unknown(),
});

export const webhookBody = envelope.transform((event, ctx): WebhookEvent => {
  const base = { company_id: event.company_id, resource_id: event.resource_id };
  if (!isIngested(event.resource)) return { ...base, resource: 'other', name: event.resource, status: event.status, data: null };
  if (event.status === 'delete') {
    const version = lastChangeOf(event.data);
    if (!version.success)
      return report(
        ctx,
        version.error.issues.map((issue) => ({ ...issue, path: ['last_change_date'] })),
      );
    return { ...base, resource: event.resource, status: 'delete', data: { last_change_date: version.data } };
  }
  const parsed = dataSchemas[event.resource].safeParse(event.data, inStyle);
  const given = event.data && typeof event.data === 'object' ? event.data : {};
  const rulesLeftOut = event.resource === 'company' && !('allow_delete_record' in given) && !('allow_delete_record_delay_step' in given);
  if (!parsed.success) return report(ctx, parsed.error.issues);
  // A schedule is the team member's: its `staff_id` is the event's `resource_id`.
  const [field, own] =
    'staff_id' in parsed.data && 'dates' in parsed.data ? ['staff_id', parsed.data.staff_id] : ['id', (parsed.data as { id?: number }).id];
  if (own !== undefined && own !== event.resource_id) {
    ctx.addIssue({ code: 'custom', path: ['data', field], message: 'must equal resource_id' });
    return z.NEVER;
  }
  return {
    ...base,
    ...(rulesLeftOut ? { withoutRules: true } : {}),
    resource: event.resource,
    status: event.status,
    data: parsed.data,
  } as WebhookEvent;
});

/** Events in one array body (Altegio may batch them, docs/contract.md 8.6); the 64 KB body limit bounds it too. */
export const maxEventsPerBody = 100;

/** One event of an array body: parsed on its own, so a bad one refuses only itself. */
export type BatchItem = { event: WebhookEvent } | { refused: { resource?: string; resource_id?: number; errors: string[] } };

function fieldOf(path: PropertyKey[]): string {
  return path.map(String).join('.') || 'event';
}

function batchItem(value: unknown): BatchItem {
  const parsed = webhookBody.safeParse(value, inStyle);
  if (parsed.success) return { event: parsed.data };
  const given = value && typeof value === 'object' ? (value as Record<string, unknown>) : {};
  const resourceId = id.safeParse(given.resource_id);
  return {
    refused: {
      ...(typeof given.resource === 'string' ? { resource: given.resource.slice(0, 64) } : {}),
      ...(resourceId.success ? { resource_id: resourceId.data } : {}),
      errors: parsed.error.issues.map((issue) => `${fieldOf(issue.path)}: ${issue.message}`),
    },
  };
}

const webhookBatch = z
  .array(z.unknown())
  .min(1, 'must hold at least one event')
  .max(maxEventsPerBody, `must hold at most ${maxEventsPerBody} events`)
  .transform((items) => items.map(batchItem));

/**
 * One event, or (connected to Altegio, docs/contract.md 8.6) an array of events. Standalone, an array is
 * refused as before. Chosen by the body's type rather than by a union, whose failure would hide
 * the field-by-field reasons a single event is refused with.
 */
export const webhookRequestBody = z.unknown().transform((value, ctx): WebhookEvent | BatchItem[] => {
  const parsed = Array.isArray(value) && config.altegio ? webhookBatch.safeParse(value, inStyle) : webhookBody.safeParse(value, inStyle);
  if (parsed.success) return parsed.data;
  for (const issue of parsed.error.issues) ctx.addIssue(issue as never);
  return z.NEVER;
});

export const webhookSchema = z.object({ body: webhookRequestBody });
