// A proxy in front of DynamoDB Local that fails on command, the way DynamoDB fails in production:
// throttling (400 ThrottlingException), its own 500s, requests that never get an answer, and
// dropped connections; 'unprocessed' answers every BatchGetItem with all its keys left unprocessed
// (what DynamoDB does when throttling a batch) and forwards the rest. 'pass' forwards everything; `passFirst` lets that many through before
// failing, `failNext` fails that many, then passes.
import { createServer, request as forward } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export type FaultMode = 'pass' | 'throttle' | 'error500' | 'hang' | 'drop' | 'unprocessed';

export interface DynamoProxy {
  endpoint: string;
  mode: FaultMode;
  /** With a failing mode: fail only this many requests, then pass. Unset: fail all. */
  failNext?: number;
  /** With a failing mode: first let this many requests through, then fail. */
  passFirst?: number;
  /** Requests seen, and how many were failed. */
  seen: number;
  failed: number;
  close: () => Promise<void>;
}

const throttled = JSON.stringify({ __type: 'com.amazonaws.dynamodb.v20120810#ThrottlingException', message: 'Rate of requests exceeds the allowed throughput.' });
const internal = JSON.stringify({ __type: 'com.amazonaws.dynamodb.v20120810#InternalServerError', message: 'Internal server error' });

export async function startDynamoProxy(target: string): Promise<DynamoProxy> {
  const upstream = new URL(target);
  const sockets = new Set<Socket>();
  const proxy: DynamoProxy = {
    endpoint: '', mode: 'pass', seen: 0, failed: 0,
    close: () => new Promise((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    }),
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      proxy.seen++;
      const passing = proxy.passFirst !== undefined && proxy.passFirst > 0;
      if (passing) proxy.passFirst!--;
      const batch = String(req.headers['x-amz-target'] ?? '').endsWith('.BatchGetItem');
      const failing = proxy.mode !== 'pass' && !passing && (proxy.failNext === undefined || proxy.failNext > 0) && (proxy.mode !== 'unprocessed' || batch);
      if (failing) {
        proxy.failed++;
        if (proxy.failNext !== undefined) proxy.failNext--;
        if (proxy.mode === 'hang') return;
        if (proxy.mode === 'drop') return void req.socket.destroy();
        if (proxy.mode === 'unprocessed') {
          const asked = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { RequestItems: unknown };
          res.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' });
          return void res.end(JSON.stringify({ Responses: {}, UnprocessedKeys: asked.RequestItems }));
        }
        res.writeHead(proxy.mode === 'throttle' ? 400 : 500, { 'content-type': 'application/x-amz-json-1.0' });
        return void res.end(proxy.mode === 'throttle' ? throttled : internal);
      }
      const out = forward({ host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: req.headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 500, answer.headers);
        answer.pipe(res);
      });
      out.on('error', () => res.destroy());
      out.end(Buffer.concat(chunks));
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  proxy.endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return proxy;
}
