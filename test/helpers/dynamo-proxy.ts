// A proxy in front of DynamoDB Local that fails on command, the way DynamoDB fails in production:
// throttling (400 ThrottlingException), its own 500s, requests that never get an answer, and
// dropped connections; 'unprocessed' answers every BatchGetItem with all its keys left unprocessed
// (what DynamoDB does when throttling a batch) and forwards the rest. 'conflict' answers each
// TransactWriteItems (optionally only those with an item matching `conflictOn`) the way DynamoDB
// cancels a transaction that collided with a concurrent one, which DynamoDB Local never does, and
// forwards everything else. 'pass' forwards everything; `passFirst` lets that many of the requests
// the mode would fail through before failing, `failNext` fails that many, then passes. `delayMs`
// holds every request that long before it goes on, as a table far away would.
import { randomUUID } from 'node:crypto';
import { createServer, request as forward } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { listenOnLoopback } from './loopback.js';

export type FaultMode = 'pass' | 'throttle' | 'error500' | 'hang' | 'drop' | 'unprocessed' | 'conflict';

export interface DynamoProxy {
  endpoint: string;
  mode: FaultMode;
  /** With a failing mode: fail only this many requests, then pass. Unset: fail all. */
  failNext?: number;
  /** With a failing mode: first let this many requests through, then fail. */
  passFirst?: number;
  /**
   * With 'conflict': only a transaction with an item whose request JSON contains this string
   * conflicts, and those items are the ones named TransactionConflict (the others None). A key
   * value quoted, JSON.stringify(pk), matches that value whole. Unset: every transaction conflicts,
   * on its first item.
   */
  conflictOn?: string;
  /**
   * With 'conflict' and `conflictOn`: single-item writes (PutItem, UpdateItem, DeleteItem) matching
   * it fail too, as DynamoDB fails a write to an item an ongoing transaction holds
   * (400 TransactionConflictException).
   */
  conflictWrites?: boolean;
  /** Every request waits this long before it is answered or forwarded (0: none). */
  delayMs?: number;
  /** Requests seen, and how many were failed. */
  seen: number;
  /** Every request seen, in order: its operation (`GetItem`, …) and its JSON body, to tell what work a request made. */
  requests: Array<{ operation: string; body: string; status?: number }>;
  failed: number;
  close: () => Promise<void>;
}

const throttled = JSON.stringify({
  __type: 'com.amazonaws.dynamodb.v20120810#ThrottlingException',
  message: 'Rate of requests exceeds the allowed throughput.',
});
const internal = JSON.stringify({ __type: 'com.amazonaws.dynamodb.v20120810#InternalServerError', message: 'Internal server error' });

/**
 * DynamoDB's answer to a transaction cancelled by a conflict, byte for byte in shape: HTTP 400, one
 * reason per item in request order, `None` for the items that were fine, and the message listing
 * the codes (the same shape DynamoDB Local gives for ConditionalCheckFailed, with DynamoDB's
 * documented code and message for a conflict; TransactionConflict reasons carry no Item).
 */
export function conflictAnswer(conflicting: boolean[]): string {
  const reasons = conflicting.map((hit) =>
    hit ? { Code: 'TransactionConflict', Message: 'Transaction is ongoing for the item' } : { Code: 'None' },
  );
  return JSON.stringify({
    __type: 'com.amazonaws.dynamodb.v20120810#TransactionCanceledException',
    CancellationReasons: reasons,
    Message: `Transaction cancelled, please refer cancellation reasons for specific reasons [${reasons.map((r) => r.Code).join(', ')}]`,
  });
}

const writeConflict = JSON.stringify({
  __type: 'com.amazonaws.dynamodb.v20120810#TransactionConflictException',
  message: 'Transaction is ongoing for the item',
});
const singleWrites = ['.PutItem', '.UpdateItem', '.DeleteItem'];

/** Which items of a TransactWriteItems request conflict; null when the transaction does not. */
function conflicting(body: Buffer, match: string | undefined): boolean[] | null {
  const items = (JSON.parse(body.toString('utf8')) as { TransactItems: unknown[] }).TransactItems;
  if (match === undefined) return items.map((_, i) => i === 0);
  const hits = items.map((item) => JSON.stringify(item).includes(match));
  return hits.some(Boolean) ? hits : null;
}

export async function startDynamoProxy(target: string): Promise<DynamoProxy> {
  const upstream = new URL(target);
  const sockets = new Set<Socket>();
  const proxy: DynamoProxy = {
    endpoint: '',
    mode: 'pass',
    seen: 0,
    failed: 0,
    requests: [],
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => (proxy.delayMs ? void setTimeout(handle, proxy.delayMs) : handle()));
    const handle = () => {
      proxy.seen++;
      const target = String(req.headers['x-amz-target'] ?? '');
      const seen: DynamoProxy['requests'][number] = {
        operation: target.slice(target.lastIndexOf('.') + 1),
        body: Buffer.concat(chunks).toString('utf8'),
      };
      proxy.requests.push(seen);
      const conflicts =
        proxy.mode === 'conflict' && target.endsWith('.TransactWriteItems') ? conflicting(Buffer.concat(chunks), proxy.conflictOn) : null;
      const write =
        proxy.mode === 'conflict' &&
        proxy.conflictWrites === true &&
        proxy.conflictOn !== undefined &&
        singleWrites.some((name) => target.endsWith(name)) &&
        Buffer.concat(chunks).toString('utf8').includes(proxy.conflictOn);
      const applies =
        proxy.mode === 'unprocessed'
          ? target.endsWith('.BatchGetItem')
          : proxy.mode === 'conflict'
            ? conflicts !== null || write
            : proxy.mode !== 'pass';
      const passing = applies && proxy.passFirst !== undefined && proxy.passFirst > 0;
      if (passing) proxy.passFirst!--;
      const failing = applies && !passing && (proxy.failNext === undefined || proxy.failNext > 0);
      if (failing) {
        proxy.failed++;
        if (proxy.failNext !== undefined) proxy.failNext--;
        if (proxy.mode === 'hang') return;
        if (proxy.mode === 'drop') return void req.socket.destroy();
        if (proxy.mode === 'conflict') {
          res.writeHead(400, { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': randomUUID() });
          return void res.end(conflicts ? conflictAnswer(conflicts) : writeConflict);
        }
        if (proxy.mode === 'unprocessed') {
          const asked = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { RequestItems: unknown };
          res.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' });
          return void res.end(JSON.stringify({ Responses: {}, UnprocessedKeys: asked.RequestItems }));
        }
        res.writeHead(proxy.mode === 'throttle' ? 400 : 500, { 'content-type': 'application/x-amz-json-1.0' });
        return void res.end(proxy.mode === 'throttle' ? throttled : internal);
      }
      const out = forward(
        { host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: req.headers },
        (answer) => {
          seen.status = answer.statusCode;
          res.writeHead(answer.statusCode ?? 500, answer.headers);
          answer.pipe(res);
        },
      );
      out.on('error', () => res.destroy());
      out.end(Buffer.concat(chunks));
    };
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await listenOnLoopback(server);
  proxy.endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return proxy;
}
