// The response models, named: each registered schema becomes one entry of the OpenAPI document's
// components.schemas (scripts/openapi.ts), and other models refer to it by that name.
import * as z from 'zod';

export const models = z.registry<{ id: string; description?: string }>();

/** A model of the document: `id` is its name under components.schemas. */
export function model<S extends z.ZodType>(id: string, description: string, schema: S): S {
  models.add(schema, { id, description });
  return schema;
}
