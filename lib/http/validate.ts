// Turns a schema failure into the contract's 422: one meta.errors item (code 1001) per field,
// each message naming the field and what is wrong with it ("phone: required", "email: not an
// email"), so a client developer sees at once what to fix. A message a schema gives itself
// ("must be a company id") wins over these.
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

const article = (type: string) => (/^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`);
const typeNames: Record<string, string> = { int: 'whole number', nan: 'number' };

const formats: Record<string, string> = { email: 'not an email', url: 'not a URL', uuid: 'not a UUID', datetime: 'not a date and time', date: 'not a date' };

function sizeMessage(issue: { code: 'too_small' | 'too_big'; origin: string; minimum?: unknown; maximum?: unknown; inclusive?: boolean }): string {
  const small = issue.code === 'too_small';
  const limit = Number(small ? issue.minimum : issue.maximum);
  if (issue.origin === 'string') {
    if (small && limit === 1) return 'must not be empty';
    return `must be at ${small ? 'least' : 'most'} ${limit} character${limit === 1 ? '' : 's'} long`;
  }
  if (issue.origin === 'array' || issue.origin === 'set') return `must have at ${small ? 'least' : 'most'} ${limit} item${limit === 1 ? '' : 's'}`;
  if (issue.inclusive === false) return `must be ${small ? 'more' : 'less'} than ${limit}`;
  return `must be at ${small ? 'least' : 'most'} ${limit}`;
}

type Issue = z.core.$ZodRawIssue | z.core.$ZodIssue;

/** What a field's problem is, in a few words; undefined keeps zod's own message. */
function describe(issue: Issue): string | undefined {
  if ('input' in issue && issue.input === undefined && (issue.code === 'invalid_type' || issue.code === 'invalid_union')) return 'required';
  switch (issue.code) {
    case 'invalid_type':
      return `must be ${article(typeNames[issue.expected] ?? issue.expected)}`;
    case 'invalid_union': {
      // A branch that got past the type check says best what is wrong ("must be a number").
      const branches = issue.errors ?? [];
      const deeper = branches.find((b) => b.length > 0 && !b.every((i) => i.code === 'invalid_type' && i.path.length === 0));
      if (deeper) return deeper[0]!.message;
      const expected = [...new Set(branches.flat().flatMap((i) => (i.code === 'invalid_type' ? [typeNames[i.expected] ?? i.expected] : [])))];
      return expected.length ? `must be ${expected.map(article).join(' or ')}` : undefined;
    }
    case 'invalid_format':
      return formats[issue.format] ?? `is not in the expected format (${issue.format})`;
    case 'too_small':
    case 'too_big':
      return sizeMessage(issue as Parameters<typeof sizeMessage>[0]);
    case 'invalid_value':
      return `must be one of: ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'unrecognized_keys':
      return `unknown field${issue.keys.length === 1 ? '' : 's'}: ${issue.keys.join(', ')}`;
    case 'not_multiple_of':
      return `must be a multiple of ${String(issue.divisor)}`;
    default:
      return undefined;
  }
}

export function validate<S extends z.ZodType>(schema: S, parts: RequestParts): z.output<S> {
  const result = schema.safeParse(parts, { error: (issue) => describe(issue) });
  if (result.success) return result.data;
  throw new Unprocessable(
    result.error.issues.map((issue) => ({
      code: ErrorCode.invalidField,
      message: `${fieldName(issue.path)}: ${issue.message}`,
    })),
  );
}
