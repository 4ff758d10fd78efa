// The contract's envelopes (section 1): a success carries `data` and `meta: []`, an acknowledgement
// only `meta.message`, an error `data: null` and `meta.message` with, for 422, the coded `errors`.
import * as z from 'zod';
import { ErrorCode } from '../../errors.js';
import { model } from './registry.js';

/** `{success: true, data, meta: []}` around `data`, as the model `name`. */
export function success<S extends z.ZodType>(name: string, description: string, data: S) {
  return model(name, description, z.strictObject({ success: z.literal(true), data, meta: z.tuple([]) }));
}

/** `{success: true, meta: {message}}`: no `data` key, as the vendor documents. */
export function acknowledgement<M extends 'Accepted' | 'Created'>(name: string, message: M) {
  return model(
    name,
    `An acknowledgement with nothing to return: \`meta.message\` is "${message}", and there is no \`data\` key.`,
    z.strictObject({ success: z.literal(true), meta: z.strictObject({ message: z.literal(message) }) }),
  );
}

export const errorItem = model(
  'ErrorItem',
  `One reason a request was refused. Codes: ${Object.entries(ErrorCode)
    .map(([name, code]) => `${code} ${name}`)
    .join(', ')}.`,
  z.strictObject({ code: z.literal(Object.values(ErrorCode)), message: z.string() }),
);

export const errorEnvelope = model(
  'Error',
  'Every refusal and failure: `meta.message` says what is wrong (a generic text on 5xx); 422 lists each reason in `meta.errors`.',
  z.strictObject({
    success: z.literal(false),
    data: z.null(),
    meta: z.strictObject({ message: z.string(), errors: z.array(errorItem).min(1).optional() }),
  }),
);
