// `npm start -- --demo`: once the stack is up, pushes a demo location, team member, services and a
// client with an upcoming and a past (visited) appointment through the real webhook, and prints
// copy-paste commands that walk the whole cabinet. Idempotent: a second run re-sends the same
// versions, which the service ignores, and prints the same links: the review link, which goes out
// only once (as a review_request event), is kept in the data folder (demo.json, private like the
// rest of it) when the stack receives its own events. `--fresh` (scripts/start.ts) starts over.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Webhook } from 'standardwebhooks';
import { sign } from '../lib/domain/signature.js';
import { highlight } from './console.js';
import type { Inbox } from './inbox.js';

const companyId = 1;
const phone = '79161234567';
const upcomingId = 101;
const pastId = 102;

function day(offsetDays: number, hour: number): string {
  return `${dateIn(offsetDays)}T${String(hour).padStart(2, '0')}:00:00+03:00`;
}

function dateIn(offsetDays: number): string {
  return new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);
}

/** Anna works 10:00 to 20:00 every day of the next two weeks: free times to move the appointment into. */
const workingDates = Array.from({ length: 15 }, (_, i) => ({ date: dateIn(i), is_working: 1, slots: [{ from: '10:00', to: '20:00' }] }));

const changed = '2026-01-01T00:00:00+03:00';
const services = [
  { id: 11, title: "Men's haircut", cost: 1500, discount: 0, amount: 1 },
  { id: 12, title: 'Beard trim', cost: 700, discount: 0, amount: 1 },
];
const client = { id: 501, name: 'Ivan Demo', phone: `+${phone}`, email: 'ivan@example.com' };

const events = [
  {
    resource: 'company',
    resource_id: companyId,
    data: {
      title: 'Demo Barbershop',
      city: 'Moscow',
      address: 'Tverskaya 1',
      timezone: 3,
      timezone_name: 'Europe/Moscow',
      country_code: 'RU',
      phone: '+74950000000',
      currency_short_title: 'RUB',
      allow_delete_record: true,
      allow_delete_record_delay_step: 3600,
      allow_change_record: true,
      allow_change_record_delay_step: 3600,
      timeslot_step: 1800,
      last_change_date: changed,
    },
  },
  {
    resource: 'staff',
    resource_id: 21,
    data: {
      name: 'Anna Petrova',
      specialization: 'Senior barber',
      position: { id: 1, title: 'Barber' },
      show_rating: 1,
      rating: 4.8,
      votes_count: 25,
      comments_count: 9,
      last_change_date: changed,
    },
  },
  { resource: 'schedule', resource_id: 21, data: { staff_id: 21, dates: workingDates, last_change_date: changed } },
  ...services.map((s) => ({
    resource: 'service',
    resource_id: s.id,
    data: { title: s.title, price_min: s.cost, price_max: s.cost, seance_length: 1800, last_change_date: changed },
  })),
  {
    resource: 'record',
    resource_id: upcomingId,
    data: {
      staff_id: 21,
      services,
      client,
      datetime: day(7, 14),
      length: 3600,
      online: true,
      visit_attendance: 0,
      last_change_date: changed,
    },
  },
  {
    resource: 'record',
    resource_id: pastId,
    data: {
      staff_id: 21,
      services: [services[0]],
      client,
      datetime: day(-3, 11),
      length: 1800,
      online: true,
      visit_attendance: 1,
      last_change_date: changed,
    },
  },
];

export interface DemoOptions {
  base: string;
  partnerToken: string;
  webhookSecret: string;
  dataDir: string;
  /** The stack's own inbox, when it receives the events (no CABINET_EVENTS_URL). */
  inbox?: Inbox;
}

interface Kept {
  reviewToken?: string;
}

const keptFile = (dataDir: string) => join(dataDir, 'demo.json');

function kept(dataDir: string): Kept {
  try {
    return JSON.parse(readFileSync(keptFile(dataDir), 'utf8')) as Kept;
  } catch {
    return {};
  }
}

/** For `--fresh`: the links of the last walkthrough die with its data. */
export function forgetDemo(dataDir: string): void {
  rmSync(keptFile(dataDir), { force: true });
}

/** The review link of the past visit: kept from an earlier run, or the event this run caused. */
async function reviewToken(options: DemoOptions): Promise<string | undefined> {
  const known = kept(options.dataDir).reviewToken;
  if (known || !options.inbox) return known;
  for (let waited = 0; waited < 20_000; waited += 250) {
    const token = options.inbox.lastReviewToken(pastId);
    if (token) {
      writeFileSync(keptFile(options.dataDir), JSON.stringify({ reviewToken: token }), { mode: 0o600 });
      return token;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return undefined;
}

export async function loadDemo(options: DemoOptions): Promise<string> {
  const { base, partnerToken, webhookSecret } = options;
  // The link hash is the service's to mint (under its internal key): the webhook's reply gives it.
  let hash = '';
  for (const event of events) {
    const body = JSON.stringify({ company_id: companyId, status: 'update', ...event });
    const response = await fetch(`${base}/v1/webhooks/altegio`, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json', 'x-cabinet-signature': sign(webhookSecret, body) },
    });
    if (!response.ok) throw new Error(`demo data was refused: ${response.status} ${await response.text()}`);
    const reply = (await response.json()) as { data?: { record_hash?: string } };
    if (event.resource_id === upcomingId && event.resource === 'record') hash = reply.data?.record_hash ?? hash;
  }
  const auth = `-H 'Authorization: Bearer ${partnerToken}'`;
  const json = `-H 'Content-Type: application/json'`;
  const token = await reviewToken(options);
  const works = token
    ? (await fetch(`${base}/v1/master_record_review/${token}`, { headers: { authorization: `Bearer ${partnerToken}` } })).status === 200
    : false;
  const review =
    token && works
      ? [
          '# 7. Review the past visit: open this link in your browser (it went out as a review_request event; also on the local inbox):',
          `#    ${base}/review/${token}`,
          '#    or through the API:',
          `curl -s ${base}/v1/master_record_review/${token} ${auth}`,
          `curl -s -X POST ${base}/v1/master_record_review/${token} ${auth} ${json} -d '{"rating":5,"text":"Great"}'`,
        ]
      : [
          token
            ? '# 7. The review link kept from an earlier walkthrough no longer works (expired, or the data ' +
              'is gone): `npm start -- --demo --fresh` starts over.'
            : '# 7. Review the past visit: its link went out as a review_request event, sent to your CABINET_EVENTS_URL',
          '#    (its data.record_token). Then:',
          `curl -s ${base}/v1/master_record_review/RECORD-TOKEN ${auth}`,
          `curl -s -X POST ${base}/v1/master_record_review/RECORD-TOKEN ${auth} ${json} -d '{"rating":5,"text":"Great"}'`,
        ];
  return [
    'Demo loaded: "Demo Barbershop" (company 1), Anna Petrova (staff 21), two services, and Ivan Demo',
    `(+${phone}) with an upcoming appointment (${upcomingId}) and a past, visited one (${pastId}).`,
    '',
    '# 1. Open the upcoming appointment from its link: open this link in your browser (the page the customer gets),',
    `#    ${base}/r/${upcomingId}/${hash}`,
    '#    or read it through the API (note cancel_deadline and can_cancel):',
    `curl -s ${base}/v1/user/records/${upcomingId}/${hash} ${auth}`,
    `# 2. Ask for a login code; with no CABINET_SMS_URL the SMS is printed in this terminal as an ` +
      `[sms] line, and listed on ${base}/_local/inbox:`,
    `curl -s -X POST ${base}/v1/book_code/${companyId} ${auth} ${json} -d '{"phone":"+${phone}","fullname":"Ivan Demo"}'`,
    '# 3. Log in with it (put the code from the SMS), and keep the user_token:',
    `U=$(curl -s -X POST ${base}/v1/user/auth ${auth} ${json} -d ` +
      `'{"phone":"${phone}","code":"PUT-CODE-HERE"}' | sed ` +
      `'s/.*"user_token":"\\([0-9a-f]*\\)".*/\\1/'); echo $U`,
    '# 4. The signed-in client: who am I, and my appointments:',
    `curl -s ${base}/v1/booking/user/data -H "Authorization: Bearer ${partnerToken}, User $U"`,
    `curl -s ${base}/v1/user/records -H "Authorization: Bearer ${partnerToken}, User $U"`,
    `# 5. Move the upcoming appointment: list the free times of its day, move it to 16:00 (the location's wall clock), open it again:`,
    `curl -s "${base}/v1/book_times/${companyId}/21/${dateIn(7)}?record_id=${upcomingId}&record_hash=${hash}" ${auth}`,
    `curl -s -X PUT ${base}/v1/book_record/${companyId}/${upcomingId} -H "Authorization: Bearer ${partnerToken}, User ` +
      `$U" ${json} -d '{"datetime":"${dateIn(7)} 16:00:00"}'`,
    `curl -s ${base}/v1/book_record/${companyId}/${upcomingId}/${hash} ${auth}`,
    '# 6. Cancel the upcoming appointment (with the user token; the hash link works as well):',
    `curl -s -X DELETE ${base}/v1/user/records/${upcomingId}/ -H "Authorization: Bearer ${partnerToken}, User $U"`,
    ...review,
    '',
    `The SMS messages${options.inbox ? ' and events' : ''} are also listed ` +
      `on ${base}/_local/inbox. Walked through it before? \`npm start -- --demo --fresh\` starts over.`,
  ].join('\n');
}

/**
 * For the demo without CABINET_EVENTS_URL: a subscriber on 127.0.0.1 that prints what it gets and
 * lists it on the inbox, as a subscriber should take it: only an event signed with the events secret.
 */
export async function startConsoleSubscriber(inbox: Inbox, eventsSecret: string): Promise<{ url: string; close: () => void }> {
  const { createServer } = await import('node:http');
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      let event: Record<string, unknown>;
      try {
        const signed = {
          'webhook-id': String(request.headers['webhook-id'] ?? ''),
          'webhook-timestamp': String(request.headers['webhook-timestamp'] ?? ''),
          'webhook-signature': String(request.headers['webhook-signature'] ?? ''),
        };
        event = new Webhook(eventsSecret).verify(body, signed) as Record<string, unknown>;
      } catch {
        response.writeHead(400).end();
        return;
      }
      inbox.takeEvent(event);
      console.log(highlight(`[event] ${String(event.resource)} ${String(event.status)} ${body}`));
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}/events`, close: () => server.close() };
}
