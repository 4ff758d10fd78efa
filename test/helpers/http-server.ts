// A real HTTP server on 127.0.0.1 in front of the real handlers, for a browser: each request is
// routed and run through `invoke()`, as `request()` does (API Gateway itself cannot run here), and
// the handler's result is written back as API Gateway would write it.
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { bodyBytes, invoke } from './api.js';
import { listenOnLoopback } from './loopback.js';

export interface ApiServer {
  url: string;
  close: () => Promise<void>;
}

async function readBody(req: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return chunks.length ? Buffer.concat(chunks).toString('utf8') : undefined;
}

export async function startApiServer(): Promise<ApiServer> {
  const server = createServer(async (req, res) => {
    const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : (v ?? '')]));
    const rawBody = await readBody(req);
    const result = await invoke(req.method!, req.url!, { headers, ...(rawBody !== undefined ? { rawBody } : {}), sourceIp: '127.0.0.1' });
    res.writeHead(result.statusCode ?? 200, result.headers as Record<string, string>);
    res.end(bodyBytes(result));
  });
  await listenOnLoopback(server);
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
