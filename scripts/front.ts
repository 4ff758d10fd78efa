// What stands in front of `serverless offline` in `npm start`, so that the local stack answers the
// way the contract says (docs/contract.md section 1) where serverless offline does not:
// - a path whose percent-escapes do not decode (`%ZZ`, a lone `%`, invalid UTF-8) gets the
//   envelope's 400, not serverless offline's own body;
// - a function that times out or crashes (serverless offline answers HTTP API failures with 200 and
//   the error's stack trace and file paths) gets the envelope's 503 (timeout) or 500, with no stack;
// - a browser's request is answered with the functions' CORS headers only (lib/http/cors.ts), as
//   API Gateway (with no CORS of its own) answers: serverless offline turns a preflight's 204 into
//   200 and adds `Access-Control-Allow-Credentials: true` and its own expose list, which go.
// Everything else passes through unchanged, from the caller's own address (`callerAddress`). It
// listens on 127.0.0.1 only. It also prints the console's one line per request (scripts/console.ts)
// and serves the local inbox (`/_local/inbox`, scripts/inbox.ts), which exists only here: no
// function answers it, so AWS has none.
import { createServer, request as forward, type IncomingHttpHeaders, type IncomingMessage, type Server } from 'node:http';
import { consoleLine, requestLine } from './console.js';
import { inboxPage, type Inbox } from './inbox.js';

const envelopeHeaders = {
  'content-type': 'application/json; charset=utf-8',
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
};

function envelope(status: number, message: string, extra: Record<string, string> = {}) {
  return {
    status,
    headers: { ...envelopeHeaders, ...extra },
    body: Buffer.from(JSON.stringify({ success: false, data: null, meta: { message } })),
  };
}

/** Whether the path's percent-escapes decode (to UTF-8), as API Gateway needs to route it. */
export function pathDecodes(url: string): boolean {
  try {
    decodeURIComponent(url.split('?')[0] ?? '');
    return true;
  } catch {
    return false;
  }
}

/** What serverless offline adds to an answer to a request with an Origin, and the functions never send. */
function withoutOfflineCors(method: string | undefined, status: number, headers: IncomingHttpHeaders, body: Buffer) {
  const { 'access-control-allow-credentials': _credentials, 'access-control-expose-headers': _expose, ...rest } = headers;
  // Every OPTIONS reaches a function, which answers 204 with no body; offline makes it a 200.
  const preflight = method === 'OPTIONS' && status === 200 && body.length === 0;
  return { status: preflight ? 204 : status, headers: rest };
}

/** serverless offline's own failure body: `{errorMessage, errorType, stackTrace}`; no function of ours answers so. */
function offlineFailure(body: Buffer): { errorType: string; timeout: boolean } | null {
  if (body.length > 1_000_000 || body[0] !== 0x7b) return null;
  try {
    const parsed = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
    if (!('stackTrace' in parsed) && !('errorType' in parsed)) return null;
    const errorType = String(parsed.errorType ?? 'Error');
    return { errorType, timeout: errorType === 'LambdaTimeoutError' || /\[504\]|timeout/i.test(String(parsed.errorMessage ?? '')) };
  } catch {
    return null;
  }
}

function line(fields: Record<string, unknown>): void {
  process.stdout.write(`${consoleLine(JSON.stringify(fields), { metrics: false })}\n`);
}

export interface FrontOptions {
  inbox?: Inbox;
  /** Where the request lines go; none: not printed. */
  print?: (line: string) => void;
}

const pageHeaders = {
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; frame-ancestors 'none'",
};

/**
 * The inbox shows login codes and review links: it answers only a browser on this machine that
 * names it by a loopback host, so a web page elsewhere cannot read it by rebinding a name of its own.
 */
function loopbackHost(incoming: IncomingMessage): boolean {
  return /^(127\.0\.0\.1|localhost|\[::1\])(:\d+)?$/i.test(incoming.headers.host ?? '');
}

function inboxReply(incoming: IncomingMessage, inbox: Inbox, port: number) {
  const path = (incoming.url ?? '/').split('?')[0];
  if (path !== '/_local/inbox' && path !== '/_local/inbox.json') return null;
  if (incoming.method !== 'GET' && incoming.method !== 'HEAD') return envelope(404, 'Not found.');
  if (!loopbackHost(incoming)) return envelope(403, 'Access denied.');
  const base = `http://${incoming.headers.host ?? `127.0.0.1:${port}`}`;
  if (path === '/_local/inbox.json') {
    const body = { sms: inbox.sms, events: inbox.events, receives_events: inbox.receivesEvents };
    return { status: 200, headers: { ...envelopeHeaders }, body: Buffer.from(JSON.stringify(body)) };
  }
  return {
    status: 200,
    headers: { ...pageHeaders, 'content-type': 'text/html; charset=utf-8' },
    body: Buffer.from(inboxPage(inbox, base)),
  };
}

/**
 * serverless offline gives a function the address its own connection comes from as `sourceIp` (it
 * reads no header, so none a caller sends can forge it): the request goes on from the caller's own
 * loopback address, and each local caller has its own SMS and login budget, as on API Gateway.
 */
function callerAddress(incoming: IncomingMessage): string | undefined {
  const address = incoming.socket.remoteAddress ?? '';
  return /^127\.\d+\.\d+\.\d+$/.test(address) ? address : undefined;
}

export function startFront(port: number, upstreamPort: number, options: FrontOptions = {}): Promise<Server> {
  const server = createServer((incoming, outgoing) => {
    const started = performance.now();
    const send = (reply: { status: number; headers: Record<string, string> | IncomingHttpHeaders; body: Buffer }) => {
      outgoing.writeHead(reply.status, reply.headers).end(reply.body);
      options.print?.(requestLine(incoming.method ?? 'GET', incoming.url ?? '/', reply.status, performance.now() - started));
    };
    const local = options.inbox ? inboxReply(incoming, options.inbox, port) : null;
    if (local) {
      incoming.resume();
      return send(local);
    }
    if (!pathDecodes(incoming.url ?? '/')) {
      incoming.resume();
      return send(envelope(400, 'Malformed path: a percent-escape does not decode.'));
    }
    const upstream = forward(
      {
        host: '127.0.0.1',
        port: upstreamPort,
        localAddress: callerAddress(incoming),
        method: incoming.method,
        path: incoming.url,
        headers: incoming.headers,
      },
      (answer) => {
        const chunks: Buffer[] = [];
        answer.on('data', (chunk: Buffer) => chunks.push(chunk));
        answer.on('end', () => {
          const body = Buffer.concat(chunks);
          const failure = answer.headers['content-encoding'] ? null : offlineFailure(body);
          if (!failure) return send({ ...withoutOfflineCors(incoming.method, answer.statusCode ?? 502, answer.headers, body), body });
          line({ level: 'ERROR', message: failure.timeout ? 'function timed out' : 'function failed', error: failure.errorType });
          send(
            failure.timeout
              ? envelope(503, 'Service temporarily unavailable. Please retry.', { 'retry-after': '1' })
              : envelope(500, 'Internal error.'),
          );
        });
      },
    );
    upstream.on('error', () => send(envelope(503, 'Service temporarily unavailable. Please retry.', { 'retry-after': '1' })));
    incoming.pipe(upstream);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}
