// What stands in front of `serverless offline` in `npm start`, so that the local stack answers the
// way the contract says (CONTRACT.md section 1) where serverless offline does not:
// - a path whose percent-escapes do not decode (`%ZZ`, a lone `%`, invalid UTF-8) gets the
//   envelope's 400, not serverless offline's own body;
// - a function that times out or crashes (serverless offline answers HTTP API failures with 200 and
//   the error's stack trace and file paths) gets the envelope's 503 (timeout) or 500, with no stack.
// Everything else passes through unchanged. It listens on 127.0.0.1 only.
import { createServer, request as forward, type IncomingHttpHeaders, type Server } from 'node:http';

const envelopeHeaders = { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' };

function envelope(status: number, message: string, extra: Record<string, string> = {}) {
  return { status, headers: { ...envelopeHeaders, ...extra }, body: Buffer.from(JSON.stringify({ success: false, data: null, meta: { message } })) };
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
  process.stdout.write(`${JSON.stringify({ timestamp: new Date().toISOString(), service: 'cabinet', ...fields })}\n`);
}

export function startFront(port: number, upstreamPort: number): Promise<Server> {
  const server = createServer((incoming, outgoing) => {
    const send = (reply: { status: number; headers: Record<string, string> | IncomingHttpHeaders; body: Buffer }) => outgoing.writeHead(reply.status, reply.headers).end(reply.body);
    if (!pathDecodes(incoming.url ?? '/')) {
      incoming.resume();
      return send(envelope(400, 'Malformed path: a percent-escape does not decode.'));
    }
    const upstream = forward({ host: '127.0.0.1', port: upstreamPort, method: incoming.method, path: incoming.url, headers: incoming.headers }, (answer) => {
      const chunks: Buffer[] = [];
      answer.on('data', (chunk: Buffer) => chunks.push(chunk));
      answer.on('end', () => {
        const body = Buffer.concat(chunks);
        const failure = answer.headers['content-encoding'] ? null : offlineFailure(body);
        if (!failure) return send({ status: answer.statusCode ?? 502, headers: answer.headers, body });
        line({ level: 'ERROR', message: failure.timeout ? 'function timed out' : 'function failed', error: failure.errorType });
        send(failure.timeout ? envelope(503, 'Service temporarily unavailable. Please retry.', { 'retry-after': '1' }) : envelope(500, 'Internal error.'));
      });
    });
    upstream.on('error', () => send(envelope(503, 'Service temporarily unavailable. Please retry.', { 'retry-after': '1' })));
    incoming.pipe(upstream);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}
