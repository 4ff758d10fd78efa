// What an integrator reads about the webhook is what the webhook does. docs/webhooks.md and the
// OpenAPI document list, per resource, the fields the validator reads (no more, no fewer: a
// newcomer once had to guess `timezone_name`, `staff_id` and `client.phone`), and every example
// either shows passes the very validator the handler runs.
import { readFileSync } from 'node:fs';
import * as z from 'zod';
import { validate } from '../../lib/http/validate.js';
import { recordService } from '../../lib/schemas/altegio.js';
import { dataSchemas, envelope, webhookSchema } from '../../lib/schemas/webhook.js';
import { webhookExamples } from '../../lib/schemas/webhook-examples.js';

const document = JSON.parse(readFileSync(new URL('../../docs/openapi.json', import.meta.url), 'utf8'));
const guide = readFileSync(new URL('../../docs/webhooks.md', import.meta.url), 'utf8');
const resources = Object.keys(dataSchemas) as Array<keyof typeof dataSchemas>;
const body = document.paths['/webhooks/altegio'].post.requestBody.content['application/json'];
const schemas = document.components.schemas;

/** The webhook's own validation of one body, as the handler runs it: the 422's messages, or none. */
function refusals(event: unknown): string[] {
  try {
    validate(webhookSchema, { path: {}, query: {}, body: event });
    return [];
  } catch (error) {
    return ((error as { errors?: Array<{ message: string }> }).errors ?? [{ message: String(error) }]).map((e) => e.message);
  }
}

const fieldsOf = (schema: z.ZodObject) => Object.keys(schema.shape).sort();

describe('the OpenAPI document of the webhook', () => {
  it('types `data` per `resource`: a discriminated oneOf with one event per resource the cabinet shows', () => {
    expect(body.schema.anyOf[0]).toEqual({ $ref: '#/components/schemas/WebhookEvent' });
    const { oneOf, discriminator } = schemas.WebhookEvent;
    expect(discriminator.propertyName).toBe('resource');
    expect(Object.keys(discriminator.mapping).sort()).toEqual([...resources].sort());
    expect(oneOf).toHaveLength(resources.length);
    for (const resource of resources) {
      const event = schemas[discriminator.mapping[resource].split('/').pop()];
      expect(event.properties.resource.const).toBe(resource);
      const data = schemas[event.oneOf[0].properties.data.$ref.split('/').pop()];
      expect(Object.keys(data.properties).sort()).toEqual(fieldsOf(dataSchemas[resource]));
    }
  });

  it('has examples that pass the webhook validator, each naming only fields the document lists', () => {
    const named = Object.entries(body.examples as Record<string, { value: unknown }>);
    expect(named.map(([name]) => name)).toEqual(expect.arrayContaining([...resources, 'record-delete', 'batch']));
    for (const [name, { value }] of named) {
      for (const event of Array.isArray(value) ? value : [value]) {
        expect({ name, refusals: refusals(event) }).toEqual({ name, refusals: [] });
        if (!resources.includes(event.resource) || event.status === 'delete') continue;
        const documented = Object.keys(schemas[`${event.resource[0].toUpperCase()}${event.resource.slice(1)}Data`].properties);
        expect({ name, unknown: Object.keys(event.data).filter((key) => !documented.includes(key)) }).toEqual({ name, unknown: [] });
      }
    }
  });

  it('documents nothing the validator would refuse it for: a wrong example fails', () => {
    expect(refusals({ ...webhookExamples.record, data: { ...webhookExamples.record.data, datetime: undefined } })).toEqual([
      'data.datetime: required',
    ]);
  });
});

describe('docs/webhooks.md', () => {
  const blocks = [...guide.matchAll(/```json\n([\s\S]*?)\n```/g)].map((m) => JSON.parse(m[1]!));

  it('shows every example, and every example it shows passes the webhook validator', () => {
    expect(blocks).toEqual(expect.arrayContaining(Object.values(webhookExamples).filter((e) => e.resource !== 'goods')));
    for (const block of blocks)
      expect({ block: block.resource, refusals: refusals(block) }).toEqual({ block: block.resource, refusals: [] });
  });

  /** The backticked names in the first column of the table under `heading`. */
  function tableFields(heading: RegExp): string[] {
    const start = guide.search(heading);
    expect(start).toBeGreaterThanOrEqual(0);
    const rest = guide.slice(start).split('\n').slice(1);
    const next = rest.findIndex((line) => line.startsWith('## '));
    const rows = rest.slice(0, next < 0 ? undefined : next).filter((line) => line.startsWith('| `'));
    return rows.flatMap((row) => [...row.split('|')[1]!.matchAll(/`([^`]+)`/g)].map((m) => m[1]!));
  }

  it('lists exactly the envelope fields the validator reads', () => {
    expect(tableFields(/^## The event$/m).sort()).toEqual(fieldsOf(envelope));
  });

  it.each(resources)('lists exactly the fields of %s that the validator reads', (resource) => {
    const listed = tableFields(new RegExp(`^## ${resource}: `, 'm'));
    expect(listed.filter((f) => !f.includes('.')).sort()).toEqual(fieldsOf(dataSchemas[resource]));
    if (resource === 'record') {
      expect(
        listed
          .filter((f) => f.startsWith('services[].'))
          .map((f) => f.slice('services[].'.length))
          .sort(),
      ).toEqual(fieldsOf(recordService));
    }
  });
});
