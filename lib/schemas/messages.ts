// The project's one style of validation message: what is wrong with a field, in a few words
// ("required", "must be a number", "must be one of: …", "must be at most 255 characters long"),
// never the validator's own wording. Every parse whose issues reach a client passes
// `issueMessage` as its error map; a message a schema gives itself ("must be a company id") wins.
import type * as z from 'zod';

const article = (type: string) => (/^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`);
const typeNames: Record<string, string> = { int: 'whole number', nan: 'number' };

const formats: Record<string, string> = {
  email: 'not an email',
  url: 'not a URL',
  uuid: 'not a UUID',
  datetime: 'not a date and time',
  date: 'not a date',
};

function sizeMessage(issue: {
  code: 'too_small' | 'too_big';
  origin: string;
  minimum?: unknown;
  maximum?: unknown;
  inclusive?: boolean;
}): string {
  const small = issue.code === 'too_small';
  const limit = Number(small ? issue.minimum : issue.maximum);
  if (issue.origin === 'string') {
    if (small && limit === 1) return 'must not be empty';
    return `must be at ${small ? 'least' : 'most'} ${limit} character${limit === 1 ? '' : 's'} long`;
  }
  if (issue.origin === 'array' || issue.origin === 'set')
    return `must have at ${small ? 'least' : 'most'} ${limit} item${limit === 1 ? '' : 's'}`;
  if (issue.inclusive === false) return `must be ${small ? 'more' : 'less'} than ${limit}`;
  return `must be at ${small ? 'least' : 'most'} ${limit}`;
}

type Issue = z.core.$ZodRawIssue | z.core.$ZodIssue;

/** What a field's problem is, in a few words: zod's error map for every parse a client sees. */
export function issueMessage(issue: Issue): string {
  if ('input' in issue && issue.input === undefined && (issue.code === 'invalid_type' || issue.code === 'invalid_union')) return 'required';
  switch (issue.code) {
    case 'invalid_type':
      return `must be ${article(typeNames[issue.expected] ?? issue.expected)}`;
    case 'invalid_union': {
      // A branch that got past the type check says best what is wrong ("must be a number").
      const branches = issue.errors ?? [];
      const atRoot = (i: z.core.$ZodIssue) => i.path.length === 0 && (i.code === 'invalid_type' || i.code === 'invalid_value');
      const deeper = branches.find((b) => b.length > 0 && !b.every(atRoot));
      if (deeper) return deeper[0]!.message;
      const flat = branches.flat();
      const types = [...new Set(flat.flatMap((i) => (i.code === 'invalid_type' ? [article(typeNames[i.expected] ?? i.expected)] : [])))];
      const values = flat.flatMap((i) => (i.code === 'invalid_value' ? i.values.map((v) => JSON.stringify(v)) : []));
      const allowed = [...types, ...(values.length ? [`one of: ${values.join(', ')}`] : [])];
      return allowed.length ? `must be ${allowed.join(' or ')}` : 'is not valid';
    }
    case 'invalid_format':
      return formats[issue.format] ?? 'is not in the expected format';
    case 'too_small':
    case 'too_big':
      return sizeMessage(issue as Parameters<typeof sizeMessage>[0]);
    case 'invalid_value':
      return `must be one of: ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'unrecognized_keys':
      return `unknown field${issue.keys.length === 1 ? '' : 's'}: ${issue.keys.join(', ')}`;
    case 'not_multiple_of':
      return `must be a multiple of ${String(issue.divisor)}`;
    case 'invalid_key':
      return 'has a key that is not valid';
    case 'invalid_element':
      return 'has an item that is not valid';
    default:
      return 'is not valid';
  }
}
