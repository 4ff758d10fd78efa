// A real HTTP SMS gateway on 127.0.0.1 that records what it is sent, and can be told to fail
// (answer 500), to hang (never answer), to drop the connection, or to send and answer 200 only
// after `slowMs` (past the cabinet's timeout), to test what the cabinet does when the gateway does.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { listenOnLoopback } from './loopback.js';

export interface ReceivedSms {
  to: string;
  text: string;
  purpose: string;
}

export interface SmsGateway {
  url: string;
  received: ReceivedSms[];
  mode: 'ok' | 'fail' | 'hang' | 'drop' | 'slow';
  /** How long a `slow` gateway takes to answer 200 (it has sent the SMS when it received the request). */
  slowMs: number;
  /** Stops listening: connections are refused (nothing can be sent) until `listen()`. */
  refuse: () => Promise<void>;
  /** Listens again, on the same port. */
  listen: () => Promise<void>;
  /** The code in the last SMS sent to `to`. */
  lastCode: (to: string) => string;
  close: () => Promise<void>;
}

export async function startSmsGateway(): Promise<SmsGateway> {
  let port = 0;
  const sockets = new Set<Socket>();
  const gateway: SmsGateway = {
    url: '',
    received: [],
    mode: 'ok',
    slowMs: 1000,
    lastCode: (to) => {
      const sms = [...gateway.received].reverse().find((m) => m.to === to);
      const code = sms?.text.match(/\b\d{6}\b/)?.[0];
      if (!code) throw new Error(`no SMS with a code was sent to ${to}`);
      return code;
    },
    refuse: () => new Promise<void>((resolve) => server.close(() => resolve())),
    listen: () => new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve)),
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      gateway.received.push(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      if (gateway.mode === 'hang') return;
      if (gateway.mode === 'drop') return void request.socket.destroy();
      if (gateway.mode === 'slow') {
        const timer = setTimeout(
          () => response.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"queued"}'),
          gateway.slowMs,
        );
        return void response.on('close', () => clearTimeout(timer));
      }
      response.writeHead(gateway.mode === 'ok' ? 200 : 500, { 'content-type': 'application/json' });
      response.end(gateway.mode === 'ok' ? '{"status":"queued"}' : '{"error":"down"}');
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await listenOnLoopback(server);
  port = (server.address() as AddressInfo).port;
  gateway.url = `http://127.0.0.1:${port}/sms`;
  return gateway;
}
