// The local stack as a user meets it: `npm start` as a child process on a data
// folder and ports of its own, exercised over HTTP, its console scanned; the operator scripts run
// beside it as the README shows, with none of its settings repeated. A real subscriber and a real
// SMS gateway (one that never answers, to make a function time out) on 127.0.0.1.
import { createServer, request as httpRequest, type Server } from 'node:http';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jest } from '@jest/globals';
import { freePort } from '../../scripts/local-dynamodb.js';
import { sign } from '../../lib/domain/signature.js';
import { verifyEvent } from '../helpers/events.js';
import { startSubscriber } from '../helpers/subscriber.js';
import { baseEnv, runScript, startStack, type Stack } from '../helpers/stack.js';
import { listenOnLoopback } from '../helpers/loopback.js';

jest.setTimeout(120_000);

const dataDir = mkdtempSync(join(tmpdir(), 'cabinet-stack-'));
const subscriber = await startSubscriber();
subscriber.down = true;
// An SMS gateway that takes every request and never answers: the function sending a code times out.
const hanging: Server = createServer(() => undefined);
await listenOnLoopback(hanging);
const [port, dynamodbPort] = [await freePort(), await freePort()];
const stackEnv = baseEnv(dataDir, {
  PORT: String(port),
  CABINET_DYNAMODB_PORT: String(dynamodbPort),
  CABINET_EVENTS_URL: subscriber.url,
  CABINET_EVENTS_MAX_ATTEMPTS: '1',
  CABINET_SMS_URL: `http://127.0.0.1:${(hanging.address() as AddressInfo).port}/sms`,
  CABINET_SMS_TIMEOUT_MS: '60000',
  CABINET_LOGIN_IP_PER_HOUR: '2',
});
/** What a user's second shell has: nothing of the stack's settings, only the same working folder. */
const shell = baseEnv(dataDir);

let stack: Stack;
const outputs: string[] = [];
/** Strings that must never reach the console: link hashes, review tokens, minted tokens. */
const secrets: string[] = [];

afterAll(async () => {
  if (stack) outputs.push(stack.output());
  await stack?.stop();
  hanging.closeAllConnections();
  await Promise.all([subscriber.close(), new Promise((resolve) => hanging.close(resolve))]);
  rmSync(dataDir, { recursive: true, force: true });
});

const company = 7101;
async function webhook(body: unknown): Promise<{ status: number; body: any }> {
  const raw = JSON.stringify(body);
  const response = await fetch(`${stack.base}/v1/webhooks/altegio`, {
    method: 'POST',
    body: raw,
    headers: { 'content-type': 'application/json', 'x-cabinet-signature': sign(stack.webhookSecret, raw) },
  });
  return { status: response.status, body: await response.json() };
}
async function call(method: string, path: string, token = stack.partnerToken, body?: unknown) {
  const response = await fetch(`${stack.base}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return {
    status: response.status,
    text,
    body: (() => {
      try {
        return JSON.parse(text);
      } catch {
        return null;
      }
    })(),
  };
}

/** Addresses the port listens on, from the kernel's own tables (Linux). */
function listening(onPort: number): string[] {
  const found: string[] = [];
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const row of readFileSync(table, 'utf8').split('\n').slice(1)) {
      const [, local, , state] = row.trim().split(/\s+/);
      if (!local || state !== '0A') continue;
      const [address, hexPort] = local.split(':');
      if (parseInt(hexPort!, 16) === onPort) found.push(address!);
    }
  }
  return found;
}
const loopback = new Set(['0100007F', '0000000000000000FFFF00000100007F', '00000000000000000000000001000000']);

beforeAll(async () => {
  stack = await startStack(stackEnv);
  expect(
    (
      await webhook({
        company_id: company,
        resource: 'company',
        resource_id: company,
        status: 'update',
        data: {
          title: 'Local',
          timezone_name: 'Europe/Moscow',
          country_code: 'RU',
          allow_delete_record: true,
          allow_delete_record_delay_step: 0,
        },
      })
    ).status,
  ).toBe(200);
});

describe('DynamoDB Local and its data', () => {
  it('listens on 127.0.0.1 only', () => {
    const addresses = listening(dynamodbPort);
    expect(addresses.length).toBeGreaterThan(0);
    for (const address of addresses) expect(loopback).toContain(address);
  });

  it('keeps its data folder private to the user: folders 0700, files 0600', () => {
    const check = (dir: string) => {
      expect(statSync(dir).mode & 0o777).toBe(0o700);
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) check(path);
        else expect([name, statSync(path).mode & 0o777]).toEqual([name, 0o600]);
      }
    };
    check(dataDir);
    expect(readdirSync(join(dataDir, 'dynamodb'))).toContain('shared-local-instance.db');
  });
});

describe('answers in the envelope where serverless offline would not', () => {
  it.each(['%ZZ', '%', '%C3%28', '%E2%82'])('a path with %s: 400 in the envelope', async (escape) => {
    const answer = await call('GET', `/v1/user/records/1/${escape}`);
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({ success: false, data: null, meta: { message: expect.any(String) } });
  });

  it('a function that times out: 503 in the envelope, no stack trace, no file path', async () => {
    const answer = await call('POST', `/v1/book_code/${company}`, stack.partnerToken, { phone: '+79161230001', fullname: 'Ivan' });
    expect(answer.status).toBe(503);
    expect(answer.body).toEqual({ success: false, data: null, meta: { message: expect.any(String) } });
    expect(answer.text).not.toMatch(/stack|\.ts|\.js|\/work\/|node_modules/i);
  });
});

// The same path as behind API Gateway's $default on AWS: cabinet's own chain answers the preflight.
describe('a browser on another origin', () => {
  const origin = 'http://127.0.0.1:5173';
  it.each(['/v1/user/auth', '/api/v1/user/records', '/v1/no/such/route'])(
    'gets its preflight of %s answered 204 with the allow headers',
    async (path) => {
      const response = await fetch(`${stack.base}${path}`, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' },
      });
      expect(response.status).toBe(204);
      expect(response.headers.get('access-control-allow-origin')).toBe('*');
      expect(response.headers.get('access-control-allow-headers')?.toLowerCase()).toEqual(expect.stringContaining('authorization'));
      expect(Number(response.headers.get('access-control-max-age'))).toBeGreaterThan(0);
      // Nothing of serverless offline's own CORS: no cookies are used, so none are allowed.
      expect(response.headers.get('access-control-allow-credentials')).toBeNull();
    },
  );

  it('gets Access-Control-Allow-Origin on an answer', async () => {
    const response = await fetch(`${stack.base}/v1/user/records`, { headers: { origin, authorization: `Bearer ${stack.partnerToken}` } });
    expect(response.status).toBe(401);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
  });
});

/** A request made from `address` (a loopback address of this machine), as a caller there would. */
function from(address: string, path: string, body: unknown, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const sent = httpRequest(
      `${stack.base}${path}`,
      {
        method: 'POST',
        localAddress: address,
        headers: { authorization: `Bearer ${stack.partnerToken}`, 'content-type': 'application/json', ...headers },
      },
      (answer) => {
        answer.resume();
        answer.once('end', () => resolve(answer.statusCode!));
      },
    );
    sent.once('error', reject);
    sent.end(JSON.stringify(body));
  });
}

describe("each request's sourceIp is the caller's own address, as on API Gateway", () => {
  it('a caller that spent its login budget is limited, another is not, and no header changes whose budget it is', async () => {
    const wrongCode = (address: string, headers?: Record<string, string>) =>
      from(address, '/v1/user/auth', { phone: '79161230002', code: '000000' }, headers);
    for (let i = 0; i < 2; i++) expect(await wrongCode('127.0.0.2')).not.toBe(429);
    expect(await wrongCode('127.0.0.2')).toBe(429);
    expect(await wrongCode('127.0.0.2', { 'x-forwarded-for': '127.0.0.9', forwarded: 'for=127.0.0.9' })).toBe(429);
    // Another caller, claiming to be the first: its own budget, untouched.
    expect(await wrongCode('127.0.0.3', { 'x-forwarded-for': '127.0.0.2' })).not.toBe(429);
  });
});

describe('the operator scripts, run as the README shows beside the running stack', () => {
  let eventId: string;
  let recordHash: string;

  it("list a failed event with the stack's table, without a setting repeated", async () => {
    recordHash = (
      await webhook({
        company_id: company,
        resource: 'record',
        resource_id: 7201,
        status: 'create',
        data: { datetime: '2031-01-01T12:00:00+03:00', length: 3600, services: [], last_change_date: '2026-11-01T00:00:00+03:00' },
      })
    ).body.data.record_hash;
    secrets.push(recordHash);
    expect((await call('GET', `/v1/user/records/7201/${recordHash}`)).status).toBe(200);
    expect((await call('DELETE', `/v1/user/records/7201/${recordHash}`)).status).toBe(200);
    // The relay delivers it at once; the subscriber is down and one attempt is all: failed.
    let listed = { code: 1 as number | null, stdout: '', stderr: '' };
    for (let i = 0; i < 20 && listed.code !== 0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      listed = await runScript('events', ['failed'], shell);
    }
    expect(listed.code).toBe(0);
    expect(listed.stderr).toContain('On the running local stack');
    eventId = listed.stdout.match(/^(\w+) +\S+ +record update 7201/m)![1]!;
    expect(eventId).toBeDefined();
  });

  it('show one, and say so (exit 1) for one that does not exist', async () => {
    const shown = await runScript('events', ['show', eventId], shell);
    expect(shown.code).toBe(0);
    expect(JSON.parse(shown.stdout)).toMatchObject({ event_id: eventId, state: 'failed', body: { resource: 'record', resource_id: 7201 } });
    const missing = await runScript('events', ['show', 'nosuch'], shell);
    expect(missing.code).toBe(1);
    expect(missing.stdout + missing.stderr).toMatch(/No event nosuch/);
    expect(missing.stdout + missing.stderr).not.toMatch(/^null|\bat \w+ \(/m);
  });

  it("replay with the stack's secret and subscribers: delivered, signed, once", async () => {
    subscriber.down = false;
    const replayed = await runScript('events', ['replay', eventId], shell);
    expect(replayed.stdout).toMatch(new RegExp(`${eventId}: delivered`));
    expect(replayed.code).toBe(0);
    const got = subscriber.deliveries.filter((d) => d.body.resource_id === 7201);
    expect(got).toHaveLength(1);
    expect(verifyEvent(got[0]!, stack.eventsSecret)).toMatchObject({ resource_id: 7201 });
    // Nothing failed any more: it says so, and exits 1 (it did nothing).
    const none = await runScript('events', ['failed'], shell);
    expect([none.code, none.stdout.trim()]).toEqual([1, expect.stringMatching(/^No failed events/)]);
    const again = await runScript('events', ['replay', '--all'], shell);
    expect(again.code).toBe(1);
  });

  it("create a partner on the stack's own DynamoDB (no second one started), and its token works", async () => {
    const created = await runScript('partner', ['create', 'acme'], shell);
    expect(created.code).toBe(0);
    expect(created.stderr).toContain('On the running local stack');
    const token = created.stdout.trim().split('\n').pop()!;
    secrets.push(token);
    expect((await call('GET', '/v1/user/records/7201/0', token)).status).toBe(404); // known partner: not 401
    expect((await call('GET', '/v1/user/records/7201/0', 'x'.repeat(43))).status).toBe(401);
  });

  it("refuse a setting of the shell that is not the stack's, clearly", async () => {
    const refused = await runScript('events', ['failed'], { ...shell, CABINET_TABLE: 'another-table' });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/CABINET_TABLE .* not the one the running local stack uses/);
    expect(refused.stderr).not.toMatch(/\bat \w+/);
  });

  it('never start a second DynamoDB Local on the data folder in use, nor a second stack', async () => {
    const second = await startStack(
      baseEnv(dataDir, { PORT: String(await freePort()), CABINET_DYNAMODB_PORT: String(await freePort()) }),
    ).then(
      async (s) => ({ started: true, output: s.output(), code: await s.stop() }),
      (error: Error) => ({ started: false, output: error.message, code: null }),
    );
    expect(second.started).toBe(false);
    expect(second.output).toMatch(/in use by another DynamoDB Local/);
    expect(second.output).not.toMatch(/\n\s+at /);
  });
});

describe('across a restart', () => {
  it('a revoked partner token stays revoked; the stack says so and makes a new one', async () => {
    const old = stack.partnerToken;
    const revoked = await runScript('partner', ['revoke', old], shell);
    expect([revoked.code, revoked.stdout, revoked.stderr]).toEqual([
      0,
      expect.stringMatching(/^Revoked/),
      expect.stringContaining('On the running local stack'),
    ]);
    outputs.push(stack.output());
    await stack.stop();

    // Stopped: the scripts still work on the data (nothing failed: exit 1, and it says what it did).
    const offline = await runScript('events', ['failed'], shell);
    expect(offline.stderr).toContain('No local stack is running');
    expect(offline.code).toBe(1);

    stack = await startStack(stackEnv);
    expect(stack.partnerToken).not.toBe(old);
    expect(stack.output()).toMatch(/the one kept before was revoked, and stays revoked/);
    expect((await call('GET', '/v1/user/records/7201/0', old)).status).toBe(401);
    expect((await call('GET', '/v1/user/records/7201/0')).status).toBe(404);
  });
});

describe('the console', () => {
  it("shows no link hash, review token, code or minted token, and none of serverless offline's request lines", async () => {
    const reviewToken = 'rvwTokenNeverLogged0123456789abc';
    secrets.push(reviewToken);
    await call('GET', `/v1/master_record_review/${reviewToken}`);
    await call('GET', `/v1/user/records/7201/${recordHashOf()}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
    const console = [...outputs, stack.output()].join('\n');
    for (const secret of secrets) expect(console).not.toContain(secret);
    expect(console).not.toMatch(/\(λ: |RequestId: .* Duration:/);
    expect(console).not.toMatch(/stackTrace|\n\s+at .*\.(ts|js):\d+/);
    // One line per request, by route template (scripts/console.ts).
    expect(console).toMatch(/ GET +\/v1\/user\/records\/\{record_id\}\/\{record_hash\} 200 \d+ms ok\n/);
  });
});

function recordHashOf(): string {
  return secrets[0]!;
}
