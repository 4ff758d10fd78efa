// `application/x-www-form-urlencoded` bodies (jQuery's default, a plain HTML form) read into the
// same object a JSON body gives, so the same schema checks them. Brackets nest the way jQuery's
// `$.param` writes them: `client[name]=Ivan` is `{client: {name}}`, `ids[]=1&ids[]=2` is a list,
// `services[0][id]=1` a list of objects; a key given twice is a list. Every value stays a string:
// a field whose schema takes a number takes one written in digits, any other keeps its text
// (`code=012345` keeps its zero). See docs/compatibility.md.
import { BadRequest } from '../errors.js';

type Node = string | Node[] | { [key: string]: Node };

/** Deeper than any body of ours; a hostile key cannot make the walk expensive. */
const maxDepth = 6;
const maxFields = 1000;
const maxIndex = 999;

const malformed = (why: string) => new BadRequest(`Malformed form body: ${why}.`);

/** `a[b][]` → ['a', 'b', '']; a key that is not of that shape is taken whole. */
function segments(key: string): string[] {
  const match = /^([^[\]]+)((?:\[[^[\]]*\])*)$/.exec(key);
  if (!match) return [key];
  const rest = [...match[2]!.matchAll(/\[([^[\]]*)\]/g)].map((m) => m[1]!);
  return [match[1]!, ...rest];
}

const forbidden = new Set(['__proto__', 'prototype', 'constructor']);

/** A group's fields live on an object without a prototype, so `toString=x` is a field like any other. */
const group = (next: string | undefined): Node => (next === '' || /^\d+$/.test(next!) ? [] : Object.create(null));

function place(container: { [key: string]: Node } | Node[], path: string[], value: string): void {
  const [head, ...rest] = path as [string, ...string[]];
  if (forbidden.has(head)) throw malformed(`the field name ${head} is not allowed`);
  if (Array.isArray(container)) {
    // `[]` appends; `[3]` is a position (jQuery writes lists of objects so).
    const index = head === '' ? container.length : /^\d+$/.test(head) ? Number(head) : NaN;
    if (!Number.isInteger(index) || index > maxIndex) throw malformed('a list index must be a number up to 999');
    if (rest.length === 0) {
      if (container[index] !== undefined) throw malformed('a list item is given twice');
      container[index] = value;
      return;
    }
    container[index] ??= group(rest[0]);
    const next = container[index]!;
    if (typeof next === 'string') throw malformed('a field is both a value and a group');
    return place(next, rest, value);
  }
  if (head === '') throw malformed('a field has an empty name');
  if (rest.length === 0) {
    const had = container[head];
    if (had === undefined) container[head] = value;
    else if (typeof had === 'string') container[head] = [had, value];
    else if (Array.isArray(had) && had.every((v) => typeof v === 'string')) had.push(value);
    else throw malformed(`${head} is both a value and a group`);
    return;
  }
  container[head] ??= group(rest[0]);
  const next = container[head]!;
  if (typeof next === 'string') throw malformed(`${head} is both a value and a group`);
  place(next, rest, value);
}

/** Holes a sparse index left (`a[5]` alone) are closed up, so a list holds only what was sent. */
function compact(node: Node): Node {
  if (typeof node === 'string') return node;
  if (Array.isArray(node)) return node.filter((item) => item !== undefined).map(compact);
  return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, compact(value)]));
}

export function parseForm(text: string): Record<string, Node> {
  const params = new URLSearchParams(text);
  const body: Record<string, Node> = Object.create(null);
  let fields = 0;
  for (const [key, value] of params) {
    if (++fields > maxFields) throw malformed(`more than ${maxFields} fields`);
    const path = segments(key);
    if (path.length > maxDepth) throw malformed(`${path[0]} is nested too deep`);
    place(body, path, value);
  }
  return compact(body) as Record<string, Node>;
}
