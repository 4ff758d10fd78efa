// The webhook's request body in the OpenAPI document: one event, typed per `resource` (a
// discriminated `oneOf`) from the very zod schemas the webhook validates `data` with; an event of
// a resource the cabinet does not show; or, connected to Altegio, an array of events. The
// validator itself picks the schema by `resource` inside a transform, which JSON Schema cannot
// see, so the document is built here from its parts. docs/webhooks.md says the same in words.
import * as z from 'zod';
import { lastChangeDate } from '../lib/schemas/altegio.js';
import { dataSchemas, envelope, maxEventsPerBody } from '../lib/schemas/webhook.js';
import { webhookExamples } from '../lib/schemas/webhook-examples.js';

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const titled = (resource: string) => `${resource[0]!.toUpperCase()}${resource.slice(1)}`;

function eventSchema(resource: string, envelopeJson: Record<string, any>) {
  const { company_id, resource_id, status } = envelopeJson.properties;
  return {
    type: 'object',
    description:
      `A ${resource} event. \`create\`/\`update\` carry the ${resource}'s state in \`data\`; ` +
      `\`delete\` removes it and reads only \`data.last_change_date\`.`,
    required: envelopeJson.required,
    properties: { company_id, resource: { type: 'string', const: resource }, resource_id, status },
    oneOf: [
      {
        required: ['status', 'data'],
        properties: { status: { type: 'string', enum: ['create', 'update'] }, data: ref(`${titled(resource)}Data`) },
      },
      { required: ['status'], properties: { status: { type: 'string', const: 'delete' }, data: ref('DeletedData') } },
    ],
  };
}

/** `tidy` drops what the document does not want of zod's JSON Schema; `jsonSchema` is the script's own. */
export function webhookDocs(jsonSchema: (schema: z.ZodType) => Record<string, any>) {
  const envelopeJson = jsonSchema(envelope);
  const resources = Object.keys(dataSchemas) as Array<keyof typeof dataSchemas>;
  const schemas: Record<string, unknown> = {};
  for (const resource of resources) {
    schemas[`${titled(resource)}Data`] = {
      ...jsonSchema(dataSchemas[resource]),
      description: `The \`data\` of a ${resource} event (docs/webhooks.md).`,
    };
    schemas[`${titled(resource)}Event`] = eventSchema(resource, envelopeJson);
  }
  schemas.DeletedData = {
    description:
      'The `data` of a `delete`: only `last_change_date` is read (the version of the deletion); anything else, `[]` too, is ignored.',
    properties: { last_change_date: jsonSchema(lastChangeDate) },
  };
  schemas.WebhookEvent = {
    description: 'One event of a resource the cabinet shows, typed by `resource`.',
    oneOf: resources.map((r) => ref(`${titled(r)}Event`)),
    discriminator: {
      propertyName: 'resource',
      mapping: Object.fromEntries(resources.map((r) => [r, `#/components/schemas/${titled(r)}Event`])),
    },
  };
  schemas.OtherEvent = {
    type: 'object',
    description: 'An event of a resource the cabinet does not show (goods, categories, …): answered 200 with `applied: false` and ignored.',
    required: envelopeJson.required,
    properties: {
      ...envelopeJson.properties,
      resource: { type: 'string', minLength: 1, maxLength: 64, not: { enum: resources } },
      data: {},
    },
  };
  const one = { anyOf: [ref('WebhookEvent'), ref('OtherEvent')] };
  const body = {
    anyOf: [
      ...one.anyOf,
      {
        type: 'array',
        items: one,
        minItems: 1,
        maxItems: maxEventsPerBody,
        description: 'Connected to Altegio only: up to 100 events, each applied on its own, in order.',
      },
    ],
  };
  const examples = Object.fromEntries(
    Object.entries(webhookExamples).map(([name, value]) => [name, { summary: `${value.resource} ${value.status}`, value }]),
  );
  return {
    body,
    schemas,
    examples: {
      ...examples,
      batch: { summary: 'an array (connected to Altegio only)', value: [webhookExamples.service, webhookExamples.record] },
    },
  };
}
