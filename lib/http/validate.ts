// Turns a schema failure into the contract's 422: one meta.errors item (code 1001) per field,
// each message naming the field and what is wrong with it ("phone: required", "email: not an
// email"), so a client developer sees at once what to fix. A message a schema gives itself
// ("must be a company id") wins over these.
import type * as z from 'zod';
import { ErrorCode } from '../domain/refusals.js';
import { Unprocessable } from '../errors.js';
import { issueMessage } from '../schemas/messages.js';

export interface RequestParts {
  path: Record<string, string | undefined>;
  query: Record<string, string | undefined>;
  body: unknown;
}

function fieldName(path: PropertyKey[]): string {
  // The request parts (body/query/path) are our own wrapping; a client knows only its fields.
  const field = path.slice(1).map(String).join('.');
  return field || String(path[0] ?? 'request');
}

export function validate<S extends z.ZodType>(schema: S, parts: RequestParts): z.output<S> {
  const result = schema.safeParse(parts, { error: issueMessage });
  if (result.success) return result.data;
  throw new Unprocessable(
    result.error.issues.map((issue) => ({
      code: ErrorCode.invalidField,
      message: `${fieldName(issue.path)}: ${issue.message}`,
    })),
  );
}
