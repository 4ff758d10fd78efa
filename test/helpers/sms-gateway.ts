// A real HTTP SMS gateway on 127.0.0.1 that records what it is sent, and can be told to fail
// (answer 500), to hang (never answer) or to drop the connection, to test what the cabinet does
// when the gateway does.
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
  mode: 'ok' | 'fail' | 'hang' | 'drop';
  /** The code in the last SMS sent to `to`. */
  lastCode: (to: string) => string;
  close: () => Promise<void>;
}

export async function startSmsGateway(): Promise<SmsGateway> {
  const sockets = new Set<Socket>();
  const gateway: SmsGateway = {
    url: '',
    received: [],
    mode: 'ok',
    lastCode: (to) => {
      const sms = [...gateway.received].reverse().find((m) => m.to === to);
      const code = sms?.text.match(/\b\d{6}\b/)?.[0];
      if (!code) throw new Error(`no SMS with a code was sent to ${to}`);
      return code;
    },
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
      response.writeHead(gateway.mode === 'ok' ? 200 : 500, { 'content-type': 'application/json' });
      response.end(gateway.mode === 'ok' ? '{"status":"queued"}' : '{"error":"down"}');
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await listenOnLoopback(server);
  gateway.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/sms`;
  return gateway;
}
