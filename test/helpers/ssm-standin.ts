// SSM Parameter Store on 127.0.0.1, for tests of a deployed stage's secrets (CABINET_SECRETS_PATH).
// AWS itself cannot run here; this is a real HTTP server speaking SSM's JSON protocol
// (`AmazonSSM.GetParameter`), reached by the real SDK client through Powertools Parameters, which
// the SDK sends here because of AWS_ENDPOINT_URL_SSM. It records every request (the parameter, whether
// it asked to decrypt, the access key it was signed with) and can be taken down on command.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { listenOnLoopback } from './loopback.js';

export interface SsmRequest {
  target: string;
  name: string;
  decrypt: boolean;
  signedWith: string;
}

export interface SsmStandin {
  url: string;
  /** Parameter name → value; change it to rotate, delete it to make the parameter absent. */
  stored: Record<string, string>;
  requests: SsmRequest[];
  /** SSM failing (500): for every parameter, or for those whose name matches. */
  down: boolean | RegExp;
  close(): Promise<void>;
}

export async function startSsm(stored: Record<string, string>): Promise<SsmStandin> {
  const standin = { stored, requests: [] as SsmRequest[], down: false } as SsmStandin;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req
      .on('data', (c: Buffer) => chunks.push(c))
      .on('end', () => {
        const input = JSON.parse(Buffer.concat(chunks).toString() || '{}') as { Name: string; WithDecryption?: boolean };
        standin.requests.push({
          target: String(req.headers['x-amz-target']),
          name: input.Name,
          decrypt: input.WithDecryption === true,
          signedWith: /Credential=(\w+)\//.exec(String(req.headers.authorization))?.[1] ?? '',
        });
        const reply = (status: number, body: unknown) =>
          res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' }).end(JSON.stringify(body));
        if (standin.down === true || (standin.down instanceof RegExp && standin.down.test(input.Name)))
          return reply(500, { __type: 'InternalServerError', message: 'down' });
        const value = standin.stored[input.Name];
        if (value === undefined) return reply(400, { __type: 'ParameterNotFound', message: '' });
        reply(200, { Parameter: { Name: input.Name, Type: 'SecureString', Value: value, Version: 1 } });
      });
  });
  await listenOnLoopback(server);
  standin.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  standin.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return standin;
}
