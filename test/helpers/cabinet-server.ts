// Cabinet's API on a real port of 127.0.0.1, each request routed as API Gateway would and run by
// the real handler (test/helpers/api.ts): so the Altegio stand-in can push webhooks to it.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { bodyBytes, invoke } from './api.js';

export interface CabinetServer {
  url: string;
  close(): Promise<void>;
}

export async function startCabinetServer(port = 0): Promise<CabinetServer> {
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)]));
    const result = await invoke(req.method!, req.url!, { headers, rawBody: Buffer.concat(chunks).toString('utf8'), sourceIp: '127.0.0.1' });
    res.writeHead(result.statusCode ?? 200, result.headers as Record<string, string>);
    res.end(bodyBytes(result));
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
