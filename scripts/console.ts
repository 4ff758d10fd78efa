// What `npm start` prints while it runs, for a person reading it: one line per request (time,
// method, the route's template, status, milliseconds, outcome), the `[sms]` and `[event]` lines
// set apart, and the handlers' warnings and errors in a few words. A request line never shows
// what a path or query carries (link hashes, review tokens, phones, `?secret=`): the route's
// template stands in for the path, and a path that matches no route has its long segments masked.
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { outcomeOf } from '../lib/http/handler.js';

interface Template {
  method: string;
  template: string;
  pattern: RegExp;
}

function loadTemplates(): Template[] {
  const file = parse(readFileSync(new URL('../serverless.yml', import.meta.url), 'utf8')) as {
    functions: Record<string, { events?: Array<{ httpApi?: unknown }> }>;
  };
  return Object.values(file.functions).flatMap((fn) =>
    (fn.events ?? []).flatMap(({ httpApi }) => {
      if (typeof httpApi !== 'object' || httpApi === null) return [];
      const { method, path } = httpApi as { method: string; path: string };
      // A parameter is one non-empty segment, as serverless offline (hapi) and API Gateway match it.
      const source = path
        .split('/')
        .map((s) => (/^\{\w+\+\}$/.test(s) ? '.+' : /^\{\w+\}$/.test(s) ? '[^/]+' : s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
        .join('/');
      return [{ method: method.toUpperCase(), template: path, pattern: new RegExp(`^${source}$`) }];
    }),
  );
}

let templates: Template[] | undefined;

/**
 * The template of the route that serves the request (`/v1/user/records/{record_id}/{record_hash}`),
 * or the path with what could be a secret masked. One trailing slash is dropped before matching, as
 * serverless offline does: `DELETE /v1/user/records/101/` is served by `/v1/user/records/{record_id}`.
 */
export function shownPath(method: string, url: string): string {
  const asked = url.split('?')[0] || '/';
  const path = asked.length > 1 && asked.endsWith('/') ? asked.slice(0, -1) : asked;
  templates ??= loadTemplates();
  const route = templates.find((t) => (t.method === method || t.method === '*') && t.pattern.test(path));
  if (route) return route.template;
  // No route: the catch-all's 404. Segments long enough to be a hash or a token, or with digits
  // enough to be a phone, are masked; what is left tells a typo apart.
  return asked
    .split('/')
    .map((s) => (s.length >= 12 || /\d{5,}/.test(s) ? '…' : s.slice(0, 40)))
    .join('/');
}

const tty = process.stdout.isTTY === true;
const paint = (code: string, text: string) => (tty ? `\u001b[${code}m${text}\u001b[0m` : text);

const clock = () => new Date().toTimeString().slice(0, 8);

export function requestLine(method: string, url: string, status: number, ms: number): string {
  const outcome = outcomeOf(status);
  const shown = `${clock()} ${method.padEnd(6)} ${shownPath(method, url)} ${status} ${Math.round(ms)}ms ${outcome}`;
  return status >= 500 ? paint('31', shown) : status >= 400 ? paint('33', shown) : shown;
}

/** `[sms] …` and `[event] …`: what a newcomer looks for (the login code, the review link). */
export function highlight(line: string): string {
  return paint('1;36', line);
}

/** Fields of a handler's log line a person reading the console has no use for. */
const noise = new Set([
  'level',
  'message',
  'timestamp',
  'service',
  'cold_start',
  'function_arn',
  'function_memory_size',
  'function_name',
  'function_request_id',
  'xray_trace_id',
  'sampling_rate',
  'request_id',
  'deployment',
]);

export interface ConsoleOptions {
  /** Metric lines (CloudWatch's embedded format) are shown only when asked for. */
  metrics: boolean;
}

/**
 * What one line of a handler's output becomes on the console, or null to drop it: the handlers'
 * request lines are dropped (the front prints each request once, with its path shown safely),
 * their other lines shortened to level, message and fields; serverless offline's own lines (its
 * request paths, durations, stacks) never pass.
 */
export function consoleLine(line: string, options: ConsoleOptions): string | null {
  const text = line.trim();
  if (/^\[(sms|event)\] /.test(line)) return highlight(line);
  if (/^\[[a-z]+\] /.test(line)) return line;
  if (!/^\{.*\}$/.test(text)) return null;
  let fields: Record<string, unknown>;
  try {
    fields = JSON.parse(text) as Record<string, unknown>;
  } catch {
    return null;
  }
  if ('_aws' in fields) return options.metrics ? line : null;
  if (fields.message === 'request' && 'route' in fields) return null;
  const level = String(fields.level ?? 'INFO');
  const rest = Object.entries(fields)
    .filter(([key]) => !noise.has(key))
    .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`);
  const shown = `${clock()} ${level.padEnd(5)} ${String(fields.message ?? '')}${rest.length ? ` (${rest.join(', ')})` : ''}`;
  return level === 'ERROR' ? paint('31', shown) : level === 'WARN' ? paint('33', shown) : shown;
}
