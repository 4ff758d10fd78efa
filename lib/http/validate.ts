// Turns a schema failure into the contract's 422: one meta.errors item (code 1001) per field,
// each message naming the field, so a client developer sees at once what to fix.
import type * as z from 'zod';
import { ErrorCode, Unprocessable } from '../errors.js';

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
  const result = schema.safeParse(parts);
  if (result.success) return result.data;
  throw new Unprocessable(
    result.error.issues.map((issue) => ({
      code: ErrorCode.invalidField,
      message: `${fieldName(issue.path)}: ${issue.message}`,
    })),
  );
}
