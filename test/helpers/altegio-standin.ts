// The Altegio stand-in: a real HTTP server on 127.0.0.1 playing a salon's Altegio account, with
// Altegio's exchanges as its B2B REST API v1 (under /api/v1) has them:
// Altegio's envelope, numbers as strings where Altegio sends them so, a record `datetime` whose
// offset is wrong for the location, both tokens checked on every route, `POST /auth`, 204 with no
// body on DELETE, 429 with and without Retry-After, faults on command per route, a log of every
// request, and webhooks pushed to the URLs registered with `hooks_settings`. State is in memory.
// Used by the tests and (later) the demo; where Altegio's real behaviour is unknown (P8) the
// choice made here is marked "ours".
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { clock } from '../../lib/clock.js';
import { listenOnLoopback } from './loopback.js';

type Json = Record<string, unknown>;

export interface StandinOptions {
  partnerToken?: string;
  userToken?: string;
  login?: string;
  password?: string;
  /** Its own rate limit, like Altegio's published 5/s and 200/min per address; 0: none. */
  rps?: number;
  rpm?: number;
  /** The Retry-After (seconds) its 429s carry; null: none, as seen on the live API. */
  retryAfter?: number | null;
  /** The offset written into every record's `datetime`, whatever the location's zone (the quirk). */
  datetimeOffset?: string;
  /** How long it takes to answer every request (the bench: Altegio's latency). */
  latencyMs?: number;
}

export type Fault =
  | { kind: 'status'; status: number }
  | { kind: 'drop' }
  | { kind: 'delay'; ms: number }
  | { kind: 'revoked' }
  | { kind: 'licence' }
  | { kind: 'rights' }
  | { kind: 'throttle'; retryAfter?: number | null }
  /** Never answers and never acts: the request is received and that is all (a caller that dies waiting). */
  | { kind: 'hang' }
  /** Acts, then never answers: the change is made and its answer lost, so the caller's time limit runs out. */
  | { kind: 'lost' };

export interface LoggedRequest {
  at: number;
  method: string;
  /** `GET /record/:company_id/:record_id`: what faults are set on. */
  route: string;
  path: string;
  query: Record<string, string>;
  status: number;
  authorization: string;
  accept: string;
  contentType: string;
  body: unknown;
}

export interface Salon {
  company: Json;
  /** The online-booking cancel rules, served only by `GET /companies?id=&my=1` (P7.7). */
  rules: Json | null;
  staff: Map<number, Json>;
  services: Json[];
  clients: Map<number, Json>;
  records: Map<number, Json>;
  comments: Json[];
  hooks: Json;
  /** Working intervals by `<staff_id>#<date>`: `[{from: '10:00', to: '19:00'}]` (wall clock at the location). */
  schedules: Map<string, Json[]>;
}

export interface PushedWebhook {
  url: string;
  body: unknown;
  status: number;
  /** What the receiver answered, parsed when it was JSON. */
  reply?: unknown;
}

const envelope = (data: unknown, meta: unknown = []) => ({ success: true, data, meta });
const failure = (message: string, extra: Json = {}) => ({ success: false, data: null, meta: { message, ...extra } });

/** A wall-clock time in Belgrade, the stand-in's first location (UTC+1 in winter), `hours` from now: a record's `date`. */
export function belgradeIn(hours: number): string {
  return new Date(clock.now() + hours * 3600_000 + 3600_000).toISOString().slice(0, 19).replace('T', ' ');
}

/** Altegio's `last_change_date` style: local time at +01:00, offset without a colon. */
export function altegioStamp(ms: number): string {
  return `${new Date(ms + 3600_000).toISOString().slice(0, 19)}+0100`;
}

const hookFlags = [
  'salon',
  'service_category',
  'service',
  'good',
  'master',
  'client',
  'record',
  'goods_operations_sale',
  'goods_operations_receipt',
  'goods_operations_consumable',
  'goods_operations_stolen',
  'goods_operations_move',
  'finances_operation',
  'self_sending',
];

export class AltegioStandin {
  url = '';
  readonly log: LoggedRequest[] = [];
  readonly pushed: PushedWebhook[] = [];
  readonly salons = new Map<number, Salon>();
  partnerToken: string;
  userToken: string;
  login: string;
  password: string;
  rps: number;
  rpm: number;
  retryAfter: number | null;
  datetimeOffset: string;
  latencyMs: number;
  private readonly faults: Array<{ route: string; fault: Fault; times: number; when?: (query: Record<string, string>) => boolean }> = [];
  private readonly denied = new Set<string>();
  private readonly sockets = new Set<Socket>();
  private readonly pending = new Set<Promise<unknown>>();
  private readonly server = createServer((req, res) => void this.handle(req, res));
  private sequence = 100_000;
  private tokenGeneration = 1;

  constructor(options: StandinOptions = {}) {
    this.partnerToken = options.partnerToken ?? 'standin-partner-token';
    this.userToken = options.userToken ?? 'standin-user-token-1';
    this.login = options.login ?? 'admin@salon.test';
    this.password = options.password ?? 'pw';
    this.rps = options.rps ?? 5;
    this.rpm = options.rpm ?? 200;
    this.retryAfter = options.retryAfter === undefined ? null : options.retryAfter;
    this.datetimeOffset = options.datetimeOffset ?? '+01:00';
    this.latencyMs = options.latencyMs ?? 0;
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
  }

  async start(): Promise<this> {
    await listenOnLoopback(this.server);
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/api/v1`;
    return this;
  }

  async close(): Promise<void> {
    await this.idle();
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Waits for the webhooks it is pushing. */
  async idle(): Promise<void> {
    while (this.pending.size) await Promise.allSettled([...this.pending]);
  }

  // ---- commands a test gives -------------------------------------------------------------------

  /** The next `times` requests on `route` (`GET /record/:company_id/:record_id`, or `*`) meet `fault`. */
  fault(route: string, fault: Fault, times = 1): void {
    this.faults.push({ route, fault, times });
  }

  /** As `fault`, for the requests on `route` whose query `when` accepts (`page: '2'` of `GET /records`). */
  faultWhen(route: string, when: (query: Record<string, string>) => boolean, fault: Fault, times = 1): void {
    this.faults.push({ route, fault, times, when });
  }

  clearFaults(): void {
    this.faults.length = 0;
  }

  /** The cabinet user loses the right to `route` (403 "Not enough rights"). */
  deny(route: string): void {
    this.denied.add(route);
  }

  /** The user's password changed: Altegio regenerates the user token, the old one gets 401 (A14). */
  changePassword(password: string): void {
    this.password = password;
    this.userToken = `standin-user-token-${++this.tokenGeneration}`;
  }

  /** The user's API key is regenerated (an admin reset it): the old one gets 401, login still works. */
  regenerateToken(): void {
    this.userToken = `standin-user-token-${++this.tokenGeneration}`;
  }

  requests(route?: string): LoggedRequest[] {
    return route ? this.log.filter((r) => r.route === route) : this.log;
  }

  // ---- the salon's data ------------------------------------------------------------------------

  addSalon(id: number, company: Json = {}, rules: Json | null = {}): Salon {
    const salon: Salon = {
      company: {
        id,
        title: `Salon ${id}`,
        public_title: `Salon ${id}`,
        short_descr: 'Hair',
        country_id: 1,
        country: 'Serbia',
        city_id: 2,
        city: 'Belgrade',
        timezone: 1,
        timezone_name: 'Europe/Belgrade',
        address: 'Knez Mihailova 1',
        zip: '11000',
        coordinate_lat: 44.8176,
        coordinate_lon: 20.4569,
        site: 'https://salon.test',
        phone: '+381111234567',
        phones: [],
        currency_short_title: 'EUR',
        phone_confirmation: true,
        active_staff_count: 2,
        main_group_id: 0,
        logo: '',
        ...company,
      },
      rules:
        rules === null
          ? null
          : {
              allow_delete_record: true,
              allow_change_record: true,
              allow_delete_record_delay_step: 18000,
              allow_change_record_delay_step: 10800,
              ...rules,
            },
      staff: new Map(),
      services: [],
      clients: new Map(),
      records: new Map(),
      comments: [],
      schedules: new Map(),
      hooks: Object.fromEntries([['urls', []], ['active', 0], ...hookFlags.map((f) => [f, 0])]),
    };
    this.salons.set(id, salon);
    return salon;
  }

  salon(id: number): Salon {
    const salon = this.salons.get(id);
    if (!salon) throw new Error(`the stand-in has no location ${id}`);
    return salon;
  }

  /** A team member as `GET /staff` has it: `weight`, `hidden`, `fired`, `status` as strings. */
  addStaff(companyId: number, id: number, fields: Json = {}): Json {
    const staff = {
      id,
      api_id: null,
      name: `Master ${id}`,
      specialization: 'stylist',
      position: { id: 1, title: 'Master' },
      show_rating: 1,
      rating: 4.8,
      votes_count: 12,
      comments_count: 7,
      avatar: 'https://img.test/a.png',
      avatar_big: 'https://img.test/a-big.png',
      weight: '10',
      information: '',
      hidden: '0',
      fired: '0',
      status: '0',
      ...fields,
    };
    this.salon(companyId).staff.set(id, staff);
    return staff;
  }

  /** A service as `GET /company/{id}/services` has it: every number a string. */
  addService(companyId: number, id: number, fields: Json = {}): Json {
    const service = {
      id: String(id),
      salon_service_id: String(id + 322_000),
      title: `Service ${id}`,
      category_id: '4',
      price_min: '1000.00',
      price_max: '1200.00',
      discount: '0',
      comment: '',
      weight: '0',
      active: '1',
      api_id: '',
      staff: [],
      ...fields,
    };
    this.salon(companyId).services.push(service);
    return service;
  }

  addClient(companyId: number, id: number, fields: Json = {}): Json {
    const client = { id, name: `Client ${id}`, phone: '+13155550175', email: '', last_change_date: altegioStamp(clock.now()), ...fields };
    this.salon(companyId).clients.set(id, client);
    return client;
  }

  /**
   * A record in `GET /record`'s shape. `date` is the location's wall clock; `datetime` carries the
   * stand-in's fixed offset, which is wrong wherever the zone's offset differs (P7.4).
   */
  addRecord(
    companyId: number,
    id: number,
    fields: { date: string; staff_id: number; client_id?: number; service_ids?: number[] } & Json,
  ): Json {
    const salon = this.salon(companyId);
    const { client_id, service_ids = [], date, staff_id, ...rest } = fields;
    const staff = salon.staff.get(fields.staff_id);
    const client = client_id === undefined ? null : salon.clients.get(client_id);
    const services = service_ids.map((sid) => salon.services.find((s) => Number(s.id) === sid)).filter(Boolean) as Json[];
    const record: Json = {
      id,
      company_id: companyId,
      staff_id,
      services: services.map((s) => ({
        id: Number(s.id),
        title: s.title,
        cost: String(Number(s.price_min)),
        first_cost: Number(s.price_min),
        discount: 0,
        amount: 1,
      })),
      staff: staff
        ? {
            id: staff.id,
            name: staff.name,
            specialization: staff.specialization,
            position: staff.position,
            avatar: staff.avatar,
            avatar_big: staff.avatar_big,
            rating: staff.rating,
            votes_count: staff.votes_count,
          }
        : null,
      client: client ? { id: client.id, name: client.name, phone: client.phone, email: client.email } : null,
      clients_count: 1,
      date,
      datetime: `${date.replace(' ', 'T')}${this.datetimeOffset}`,
      create_date: altegioStamp(clock.now() - 86_400_000),
      comment: '',
      visit_attendance: 0,
      attendance: 0,
      confirmed: 1,
      seance_length: 3600,
      length: 3600,
      sms_remain_hours: 2,
      email_remain_hours: 24,
      master_request: 1,
      api_id: '',
      online: true,
      visit_id: id + 1000,
      deleted: false,
      prepaid: false,
      prepaid_confirmed: false,
      last_change_date: altegioStamp(clock.now()),
      short_link: `https://alteg.io/c/${id}`,
      activity_id: 0,
      documents: [],
      ...rest,
    };
    salon.records.set(id, record);
    return record;
  }

  /** A team member's working intervals on a date (none: not working), as the salon's admin sets them. */
  setSchedule(companyId: number, staffId: number, date: string, slots: Array<{ from: string; to: string }>): void {
    this.salon(companyId).schedules.set(`${staffId}#${date}`, slots);
  }

  /** Changes a record in Altegio (as the salon's admin would), stamping a new `last_change_date`. */
  updateRecord(companyId: number, id: number, fields: Json): Json {
    const record = this.salon(companyId).records.get(id);
    if (!record) throw new Error(`no record ${id}`);
    Object.assign(record, fields, { last_change_date: altegioStamp(clock.now()) });
    if (typeof fields.date === 'string') record.datetime = `${fields.date.replace(' ', 'T')}${this.datetimeOffset}`;
    return record;
  }

  /** POSTs an event (or several, as one array body) to every URL the location registered. */
  async pushWebhook(companyId: number, events: Json | Json[]): Promise<PushedWebhook[]> {
    const hooks = this.salon(companyId).hooks;
    if (!hooks.active) return [];
    const urls = (hooks.urls as string[]) ?? [];
    return Promise.all(urls.map((url) => this.track(this.post(url, events))));
  }

  private track<T>(promise: Promise<T>): Promise<T> {
    this.pending.add(promise);
    void promise.finally(() => this.pending.delete(promise)).catch(() => undefined);
    return promise;
  }

  private async post(url: string, body: unknown): Promise<PushedWebhook> {
    let status: number;
    let reply: unknown;
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
        redirect: 'manual',
      });
      status = response.status;
      const text = await response.text();
      try {
        reply = JSON.parse(text);
      } catch {
        reply = text;
      }
    } catch {
      status = 0;
    }
    const pushed = { url, body, status, reply };
    this.pushed.push(pushed);
    return pushed;
  }

  /** What Altegio sends back about a change made through the API, when `self_sending` is on. */
  private echo(companyId: number, resource: string, resourceId: number, status: string, data: Json): void {
    const hooks = this.salon(companyId).hooks;
    if (!hooks.self_sending || !hooks[resource === 'staff' ? 'master' : resource]) return;
    void this.pushWebhook(companyId, { company_id: companyId, resource, resource_id: resourceId, status, data });
  }

  // ---- the HTTP side ---------------------------------------------------------------------------

  private readonly routes: Array<
    [string, RegExp, string, (m: string[], q: URLSearchParams, body: Json, log: LoggedRequest) => [number, unknown]]
  > = [
    ['POST', /^\/auth$/, '/auth', (_m, _q, body) => this.auth(body)],
    ['GET', /^\/companies$/, '/companies', (_m, q) => this.companies(q)],
    ['GET', /^\/company\/(\d+)$/, '/company/:company_id', ([cid]) => this.withSalon(cid!, (s) => [200, envelope(s.company)])],
    [
      'GET',
      /^\/company\/(\d+)\/services$/,
      '/company/:company_id/services',
      ([cid]) => this.withSalon(cid!, (s) => [200, envelope(s.services, { total_count: s.services.length })]),
    ],
    [
      'GET',
      /^\/staff\/(\d+)\/(\d+)$/,
      '/staff/:company_id/:staff_id',
      ([cid, sid]) => this.withSalon(cid!, (s) => found(s.staff.get(Number(sid)))),
    ],
    ['GET', /^\/records\/(\d+)$/, '/records/:company_id', ([cid], q) => this.withSalon(cid!, (s) => this.records(s, q))],
    [
      'GET',
      /^\/record\/(\d+)\/(\d+)$/,
      '/record/:company_id/:record_id',
      ([cid, rid]) => this.withSalon(cid!, (s) => found(s.records.get(Number(rid)))),
    ],
    [
      'PUT',
      /^\/record\/(\d+)\/(\d+)$/,
      '/record/:company_id/:record_id',
      ([cid, rid], _q, body) => this.withSalon(cid!, (s) => this.putRecord(s, Number(rid), body)),
    ],
    [
      'GET',
      /^\/company\/(\d+)\/staff\/schedule$/,
      '/company/:company_id/staff/schedule',
      ([cid], q) => this.withSalon(cid!, (s) => this.staffSchedule(s, q)),
    ],
    [
      'DELETE',
      /^\/record\/(\d+)\/(\d+)$/,
      '/record/:company_id/:record_id',
      ([cid, rid]) => this.withSalon(cid!, (s) => this.deleteRecord(s, Number(rid))),
    ],
    [
      'POST',
      /^\/company\/(\d+)\/clients\/search$/,
      '/company/:company_id/clients/search',
      ([cid], _q, body) => this.withSalon(cid!, (s) => this.searchClients(s, body)),
    ],
    [
      'GET',
      /^\/client\/(\d+)\/(\d+)$/,
      '/client/:company_id/:client_id',
      ([cid, id]) => this.withSalon(cid!, (s) => found(s.clients.get(Number(id)))),
    ],
    [
      'PUT',
      /^\/client\/(\d+)\/(\d+)$/,
      '/client/:company_id/:client_id',
      ([cid, id], _q, body) => this.withSalon(cid!, (s) => this.updateClient(s, Number(id), body)),
    ],
    [
      'POST',
      /^\/comments\/(\d+)\/(\d+)$/,
      '/comments/:company_id/:staff_id',
      ([cid, sid], _q, body) => this.withSalon(cid!, (s) => this.postComment(s, Number(sid), body)),
    ],
    ['GET', /^\/comments\/(\d+)$/, '/comments/:company_id', ([cid], q) => this.withSalon(cid!, (s) => this.comments(s, q))],
    ['GET', /^\/hooks_settings\/(\d+)$/, '/hooks_settings/:company_id', ([cid]) => this.withSalon(cid!, (s) => [200, envelope(s.hooks)])],
    [
      'POST',
      /^\/hooks_settings\/(\d+)$/,
      '/hooks_settings/:company_id',
      ([cid], _q, body) => this.withSalon(cid!, (s) => this.setHooks(s, body)),
    ],
  ];

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const at = Date.now();
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    if (this.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, this.latencyMs));
    const url = new URL(req.url ?? '/', 'http://standin');
    const path = url.pathname.replace(/^\/api\/v1/, '');
    const method = req.method ?? 'GET';
    const match = this.routes
      .map(([m, pattern, template, run]) => ({ m, found: pattern.exec(path), template, run }))
      .find((r) => r.m === method && r.found);
    let body: unknown;
    try {
      body = raw ? JSON.parse(raw) : undefined;
    } catch {
      body = raw;
    }
    const entry: LoggedRequest = {
      at,
      method,
      route: `${method} ${match?.template ?? path}`,
      path,
      query: Object.fromEntries(url.searchParams),
      status: 0,
      authorization: String(req.headers.authorization ?? ''),
      accept: String(req.headers.accept ?? ''),
      contentType: String(req.headers['content-type'] ?? ''),
      body,
    };
    this.log.push(entry);
    const send = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
      entry.status = status;
      if (payload === undefined) {
        res.writeHead(status, headers);
        res.end();
        return;
      }
      const text = typeof payload === 'string' ? payload : JSON.stringify(payload);
      res.writeHead(status, { 'content-type': typeof payload === 'string' ? 'text/html' : 'application/json', ...headers });
      res.end(text);
    };

    const fault = this.takeFault(entry.route, entry.query);
    if (fault?.kind === 'delay') await new Promise((resolve) => setTimeout(resolve, fault.ms));
    if (fault?.kind === 'hang') {
      entry.status = -2;
      return;
    }
    if (fault?.kind === 'drop') {
      entry.status = -1;
      req.socket.destroy();
      return;
    }
    if (fault?.kind === 'status')
      return send(
        fault.status,
        fault.status >= 500 ? `<html><body><h1>${fault.status}</h1></body></html>` : failure('An error has occurred.'),
      );
    if (fault?.kind === 'throttle') return this.throttled(send, fault.retryAfter === undefined ? this.retryAfter : fault.retryAfter);
    if (this.overLimit(entry)) return this.throttled(send, this.retryAfter);
    if (fault?.kind === 'revoked') return send(401, failure('Authentication needed.'));
    if (fault?.kind === 'licence')
      return send(403, failure(`Необходимо продлить лицензию в филиале с id: ${/\/(\d+)/.exec(path)?.[1] ?? ''}`));
    if (fault?.kind === 'rights' || this.denied.has(entry.route)) return send(403, failure('Not enough rights'));

    // Ours: the vendor Accept is marked required in the docs, so the stand-in insists on it.
    if (entry.accept !== 'application/vnd.api.v2+json') return send(400, failure('Accept must be application/vnd.api.v2+json'));
    const auth = /^Bearer\s+([^,\s]+)(?:\s*,\s*User\s+(\S+))?$/.exec(entry.authorization);
    const partnerOk = auth?.[1] === this.partnerToken;
    const userOk = auth?.[2] === this.userToken;
    if (!partnerOk || (match?.template !== '/auth' && !userOk)) return send(401, failure('Authentication needed.'));
    if (!match) return send(404, failure('Не найдено'));
    const [status, payload] = match.run(
      match.found!.slice(1),
      url.searchParams,
      (body && typeof body === 'object' ? body : {}) as Json,
      entry,
    );
    if (fault?.kind === 'lost') {
      entry.status = -3;
      return;
    }
    send(status, payload);
  }

  private takeFault(route: string, query: Record<string, string> = {}): Fault | undefined {
    const index = this.faults.findIndex((f) => (f.route === route || f.route === '*') && (!f.when || f.when(query)));
    if (index < 0) return undefined;
    const entry = this.faults[index]!;
    if (--entry.times <= 0) this.faults.splice(index, 1);
    return entry.fault;
  }

  /** Its own limit, counted over every request it answered within the last clock second and minute. */
  private overLimit(entry: LoggedRequest): boolean {
    const at = entry.at;
    const answered = this.log.slice(0, this.log.indexOf(entry)).filter((r) => r.status !== 429);
    const second = Math.floor(at / 1000);
    const minute = Math.floor(at / 60_000);
    if (this.rps && answered.filter((r) => Math.floor(r.at / 1000) === second).length >= this.rps) return true;
    return Boolean(this.rpm && answered.filter((r) => Math.floor(r.at / 60_000) === minute).length >= this.rpm);
  }

  private throttled(send: (s: number, p: unknown, h?: Record<string, string>) => void, retryAfter: number | null): void {
    send(429, failure('Too many requests'), retryAfter === null ? {} : { 'retry-after': String(retryAfter) });
  }

  private withSalon(companyId: string, run: (salon: Salon) => [number, unknown]): [number, unknown] {
    const salon = this.salons.get(Number(companyId));
    return salon ? run(salon) : [404, failure('Не указан филиал.')];
  }

  private auth(body: Json): [number, unknown] {
    if (body.login !== this.login || body.password !== this.password) return [401, failure('Authentication needed.')];
    return [
      201,
      envelope({
        id: 123456,
        user_token: this.userToken,
        name: 'Admin',
        phone: '+13155550175',
        login: 'admin',
        email: this.login,
        avatar: '',
        is_approved: true,
        is_email_confirmed: false,
      }),
    ];
  }

  private companies(q: URLSearchParams): [number, unknown] {
    const wanted = q.get('id') ? ([this.salons.get(Number(q.get('id')))].filter(Boolean) as Salon[]) : [...this.salons.values()];
    // Ours: the cancel rules come only with `my=1` (the "managing user" extras), and only if revealed.
    const my = q.get('my') === '1';
    return [
      200,
      envelope(
        wanted.map((s) => ({ ...s.company, ...(my && s.rules ? s.rules : {}) })),
        { total_count: wanted.length },
      ),
    ];
  }

  private records(salon: Salon, q: URLSearchParams): [number, unknown] {
    const count = Number(q.get('count') ?? 25);
    const page = Number(q.get('page') ?? 1);
    const changedAfter = q.get('changed_after') ? Date.parse(q.get('changed_after')!) : undefined;
    const rows = [...salon.records.values()]
      .filter((r) => q.get('with_deleted') === '1' || !r.deleted)
      .filter((r) => !q.get('start_date') || String(r.date).slice(0, 10) >= q.get('start_date')!)
      .filter((r) => !q.get('end_date') || String(r.date).slice(0, 10) <= q.get('end_date')!)
      .filter((r) => changedAfter === undefined || Date.parse(String(r.last_change_date)) >= changedAfter)
      .filter((r) => !q.get('client_id') || (r.client as Json | null)?.id === Number(q.get('client_id')))
      .filter((r) => !q.get('staff_id') || r.staff_id === Number(q.get('staff_id')))
      .sort((a, b) => String(a.date).localeCompare(String(b.date)) || Number(a.id) - Number(b.id));
    return [200, envelope(rows.slice((page - 1) * count, page * count), { page, total_count: rows.length })];
  }

  private deleteRecord(salon: Salon, id: number): [number, unknown] {
    const record = salon.records.get(id);
    // Ours (P8.4 is open): a record already deleted is not found.
    if (!record || record.deleted) return [404, failure('Не найдено')];
    Object.assign(record, { deleted: true, last_change_date: altegioStamp(clock.now()) });
    this.echo(Number(salon.company.id), 'record', id, 'delete', record);
    return [204, undefined];
  }

  /** Records of a team member that are not cancelled, as wall-clock intervals of their dates. */
  private busyOf(salon: Salon, staffId: number, date: string): Array<{ id: number; from: string; to: string }> {
    const clockOf = (seconds: number) =>
      `${String(Math.floor(seconds / 3600)).padStart(2, '0')}:${String(Math.floor((seconds % 3600) / 60)).padStart(2, '0')}:00`;
    return [...salon.records.values()]
      .filter((r) => !r.deleted && Number(r.staff_id) === staffId && String(r.date).slice(0, 10) === date)
      .map((r) => {
        const [h, m] = String(r.date).slice(11, 16).split(':').map(Number) as [number, number];
        const start = h * 3600 + m * 60;
        return { id: Number(r.id), from: clockOf(start), to: clockOf(start + Number(r.seance_length ?? r.length ?? 0)) };
      });
  }

  /** `GET /company/{id}/staff/schedule` (the B2B schedule list): working intervals, and with `include[]=busy_intervals` the records. */
  private staffSchedule(salon: Salon, q: URLSearchParams): [number, unknown] {
    const from = q.get('start_date');
    const to = q.get('end_date');
    if (!from || !to)
      return [
        422,
        failure('An error has occurred.', { errors: [{ field: 'start_date', message: 'start_date and end_date are required' }] }),
      ];
    const wanted = q.getAll('staff_ids[]').map(Number);
    const busy = q.getAll('include[]').includes('busy_intervals');
    const rows: Json[] = [];
    for (const [key, slots] of salon.schedules) {
      const [staffId, date] = [Number(key.split('#')[0]), key.split('#')[1]!];
      if (date < from || date > to || (wanted.length && !wanted.includes(staffId))) continue;
      const intervals = this.busyOf(salon, staffId, date).map((b) => ({ entity_type: 'record', entity_id: b.id, from: b.from, to: b.to }));
      rows.push({ staff_id: staffId, date, slots, ...(busy ? { busy_intervals: intervals } : {}), off_day_type: slots.length ? null : 1 });
    }
    rows.sort((a, b) => String(a.date).localeCompare(String(b.date)) || Number(a.staff_id) - Number(b.staff_id));
    return [200, envelope(rows, { count: rows.length })];
  }

  /**
   * `PUT /record/{company_id}/{record_id}`: a full update (a field Altegio requires missing: 422). With
   * `save_if_busy: false` a time that is not working or overlaps another record of the team member is
   * refused (ours: status and text of the refusal are not documented; this is the 433 of the booking API).
   */
  private putRecord(salon: Salon, id: number, body: Json): [number, unknown] {
    const record = salon.records.get(id);
    if (!record || record.deleted) return [404, failure('Не найдено')];
    const missing = ['staff_id', 'services', 'client', 'datetime', 'seance_length'].filter((f) => body[f] === undefined);
    if (missing.length)
      return [
        422,
        failure('An error has occurred.', { errors: missing.map((f) => ({ field: f, message: `The ${f} field is required.` })) }),
      ];
    const date = `${String(body.datetime).slice(0, 10)} ${String(body.datetime).slice(11, 19)}`;
    const staffId = Number(body.staff_id);
    const length = Number(body.seance_length);
    const seconds = (text: string) => Number(text.slice(0, 2)) * 3600 + Number(text.slice(3, 5)) * 60;
    const start = seconds(date.slice(11));
    const working = (salon.schedules.get(`${staffId}#${date.slice(0, 10)}`) ?? []).some(
      (slot) => seconds(String(slot.from)) <= start && start + length <= seconds(String(slot.to)),
    );
    const taken = this.busyOf(salon, staffId, date.slice(0, 10)).some(
      (b) => b.id !== id && seconds(b.from) < start + length && start < seconds(b.to),
    );
    if (body.save_if_busy === false && (!working || taken)) {
      return [
        422,
        failure('An error has occurred.', {
          errors: [
            {
              code: 433,
              message: `Team Member (${staffId}) cannot be booked on ${date}. The selected time is already taken or is not working.`,
            },
          ],
        }),
      ];
    }
    Object.assign(record, {
      staff_id: staffId,
      date,
      datetime: `${date.replace(' ', 'T')}${this.datetimeOffset}`,
      seance_length: length,
      length,
      last_change_date: altegioStamp(clock.now()),
    });
    if (typeof body.comment === 'string') record.comment = body.comment;
    this.echo(Number(salon.company.id), 'record', id, 'update', record);
    return [201, envelope(record)];
  }

  private searchClients(salon: Salon, body: Json): [number, unknown] {
    const filters = Array.isArray(body.filters) ? (body.filters as Json[]) : [];
    const value = String((filters.find((f) => f.type === 'quick_search')?.state as Json | undefined)?.value ?? '');
    const digits = value.replace(/\D/g, '');
    const fields = Array.isArray(body.fields) ? (body.fields as string[]) : ['id', 'name', 'phone', 'email'];
    const hits = [...salon.clients.values()].filter((c) => digits && String(c.phone).replace(/\D/g, '').includes(digits));
    return [
      200,
      envelope(
        hits.map((c) => Object.fromEntries(fields.map((f) => [f, c[f]]))),
        { total_count: hits.length },
      ),
    ];
  }

  private updateClient(salon: Salon, id: number, body: Json): [number, unknown] {
    const client = salon.clients.get(id);
    if (!client) return [404, failure('Не найдено')];
    const missing = ['name', 'phone'].filter((f) => typeof body[f] !== 'string' || !body[f]);
    if (missing.length)
      return [
        422,
        failure('An error has occurred.', { errors: missing.map((f) => ({ field: f, message: `The ${f} field is required.` })) }),
      ];
    Object.assign(client, body, { last_change_date: altegioStamp(clock.now()) });
    this.echo(Number(salon.company.id), 'client', id, 'update', client);
    return [200, envelope(client)];
  }

  private postComment(salon: Salon, staffId: number, body: Json): [number, unknown] {
    const staff = salon.staff.get(staffId);
    if (!staff) return [404, failure('Не указан сотрудник.')];
    const mark = Number(body.mark);
    if (!Number.isInteger(mark) || mark < 1 || mark > 5 || typeof body.text !== 'string' || typeof body.name !== 'string') {
      return [422, failure('An error has occurred.', { errors: [{ message: 'mark, text and name are required' }] })];
    }
    const comment = {
      id: ++this.sequence,
      salon_id: salon.company.id,
      type: 1,
      master_id: staffId,
      text: body.text,
      date: new Date(clock.now()).toISOString(),
      rating: mark,
      user_id: 0,
      user_name: body.name,
      user_avatar: '/images/no-master.png',
      record_id: 0,
    };
    salon.comments.push(comment);
    // Ours (P8.5 is open): a comment counts as a vote at once.
    const votes = Number(staff.votes_count) + 1;
    Object.assign(staff, {
      rating: Math.round(((Number(staff.rating) * (votes - 1) + mark) / votes) * 100) / 100,
      votes_count: votes,
      comments_count: Number(staff.comments_count) + 1,
    });
    return [201, envelope(comment)];
  }

  private comments(salon: Salon, q: URLSearchParams): [number, unknown] {
    const list = salon.comments.filter((c) => !q.get('staff_id') || c.master_id === Number(q.get('staff_id')));
    return [200, envelope(list, { total_count: list.length })];
  }

  private setHooks(salon: Salon, body: Json): [number, unknown] {
    const errors = [
      ...(Array.isArray(body.urls) && body.urls.every((u) => typeof u === 'string')
        ? []
        : [{ field: 'urls', message: 'urls is required' }]),
      ...([0, 1].includes(Number(body.active)) && body.active !== undefined ? [] : [{ field: 'active', message: 'active is required' }]),
    ];
    if (errors.length) return [422, failure('An error has occurred.', { errors })];
    for (const key of ['urls', 'active', ...hookFlags])
      if (body[key] !== undefined) salon.hooks[key] = key === 'urls' ? body[key] : Number(body[key]);
    return [201, envelope(salon.hooks)];
  }
}

function found(item: Json | undefined): [number, unknown] {
  return item ? [200, envelope(item)] : [404, failure('Не найдено')];
}

/** The second location's own fields: in Moscow, with Moscow's zone, currency, address and phone. */
export const moscowSalon = {
  title: 'Salon Moscow',
  country_id: 7,
  country: 'Russia',
  city_id: 1,
  city: 'Moscow',
  timezone: 3,
  timezone_name: 'Europe/Moscow',
  address: 'Tverskaya 12',
  zip: '125009',
  coordinate_lat: 55.7616,
  coordinate_lon: 37.6094,
  phone: '+74951234567',
  currency_short_title: 'RUB',
};

/**
 * A sample salon: location 4564 in Belgrade with its cancel rules,
 * team member 9 "Alex", service 1 "Haircut", client Ann and her record 596792980 on 1 Dec 2026 at
 * 14:00 local; and location 4565 in Moscow, where the stand-in's +01:00 offset is always wrong.
 */
export async function startStandin(options: StandinOptions = {}): Promise<AltegioStandin> {
  const standin = await new AltegioStandin(options).start();
  standin.addSalon(4564, { title: 'Salon Belgrade' });
  standin.addStaff(4564, 9, { name: 'Alex' });
  standin.addService(4564, 1, { title: 'Haircut', staff: [{ id: '9', seance_length: '3600' }] });
  standin.addClient(4564, 18936825, { name: 'Ann', phone: '+13155550175', email: 'ann@example.com' });
  standin.addRecord(4564, 596792980, { date: '2026-12-01 14:00:00', staff_id: 9, client_id: 18936825, service_ids: [1] });
  standin.addSalon(4565, moscowSalon, { allow_delete_record_delay_step: 7200 });
  standin.addStaff(4565, 21, { name: 'Vera' });
  standin.addService(4565, 2, {
    title: 'Manicure',
    price_min: '2000.00',
    price_max: '2500.00',
    staff: [{ id: '21', seance_length: '5400' }],
  });
  standin.addClient(4565, 77001, { name: 'Ann', phone: '+13155550175', email: 'ann@example.com' });
  standin.addRecord(4565, 596800001, { date: '2026-12-03 10:30:00', staff_id: 21, client_id: 77001, service_ids: [2] });
  return standin;
}
