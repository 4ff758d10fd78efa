// A real HTTP event subscriber on 127.0.0.1: keeps every delivery (headers and raw body), and can
// be told to fail (answer 503) until told otherwise.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { listenOnLoopback } from './loopback.js';

export interface Delivery {
  headers: Record<string, string | string[] | undefined>;
  raw: string;
  body: any;
}

export interface Subscriber {
  url: string;
  deliveries: Delivery[];
  /** Requests answered with a failure. */
  refused: number;
  down: boolean;
  close: () => Promise<void>;
}

export async function startSubscriber(): Promise<Subscriber> {
  const subscriber: Subscriber = {
    url: '',
    deliveries: [],
    refused: 0,
    down: false,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      if (subscriber.down) {
        subscriber.refused++;
        response.writeHead(503).end();
        return;
      }
      const raw = Buffer.concat(chunks).toString('utf8');
      subscriber.deliveries.push({ headers: request.headers, raw, body: JSON.parse(raw) });
      response.writeHead(204).end();
    });
  });
  server.keepAliveTimeout = 1;
  await listenOnLoopback(server);
  subscriber.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/events`;
  return subscriber;
}
