// The local stack's inbox (`/_local/inbox`, served by scripts/front.ts, never deployed): the last
// SMS messages the local stand-in "sent" and the events the stack delivered to its own demo
// subscriber, so a newcomer copies the login code and the review link from a page instead of the
// logs. It lives in the `npm start` process only, in memory, and shows at most the last 50 of each.
export interface InboxSms {
  at: string;
  to: string;
  purpose: string;
  text: string;
  /** The code the text carries, for the copy button. */
  code: string | null;
}

export interface InboxEvent {
  at: string;
  resource: string;
  status: string;
  resourceId: unknown;
  body: Record<string, unknown>;
}

const kept = 50;

export class Inbox {
  readonly sms: InboxSms[] = [];
  readonly events: InboxEvent[] = [];
  /** Whether the stack itself receives the events (the demo without CABINET_EVENTS_URL). */
  receivesEvents = false;

  /** A `[sms] to +79161234567 (login): 123456 is your login code…` line, as lib/sms/sender.ts prints it. */
  takeSmsLine(line: string): void {
    const match = /^\[sms\] to (\S+) \(([\w-]+)\): (.*)$/.exec(line.trim());
    if (!match) return;
    const [, to, purpose, text] = match as unknown as [string, string, string, string];
    this.sms.unshift({ at: new Date().toISOString(), to, purpose, text, code: /\b\d{4,8}\b/.exec(text)?.[0] ?? null });
    this.sms.length = Math.min(this.sms.length, kept);
  }

  takeEvent(body: Record<string, unknown>): void {
    this.events.unshift({
      at: new Date().toISOString(),
      resource: String(body.resource ?? ''),
      status: String(body.status ?? ''),
      resourceId: body.resource_id,
      body,
    });
    this.events.length = Math.min(this.events.length, kept);
  }

  /** The newest review link, for the demo's printed walkthrough. */
  lastReviewToken(recordId?: number): string | undefined {
    const event = this.events.find((e) => e.resource === 'review_request' && (recordId === undefined || e.resourceId === recordId));
    const token = (event?.body.data as { record_token?: unknown } | undefined)?.record_token;
    return typeof token === 'string' ? token : undefined;
  }
}

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function copyable(text: string): string {
  return `<code>${escape(text)}</code> <button type="button" data-copy="${escape(text)}">copy</button>`;
}

/** The customer's pages an event links to (`data.links`: the appointment's, the review's), to open here. */
function pageLinks(e: InboxEvent): string {
  const links = (e.body.data as { links?: Record<string, unknown> } | undefined)?.links ?? {};
  const names: Record<string, string> = { manage: 'appointment page', review: 'review page' };
  return Object.entries(links)
    .filter((entry): entry is [string, string] => typeof entry[1] === 'string' && /^https?:\/\//.test(entry[1]))
    .map(
      ([name, url]) =>
        `<div class="page">${escape(names[name] ?? name)}: <a href="${escape(url)}" target="_blank" ` +
        `rel="noreferrer">${escape(url)}</a></div>`,
    )
    .join('');
}

export function inboxPage(inbox: Inbox, base: string): string {
  const sms = inbox.sms.length
    ? inbox.sms
        .map(
          (m) =>
            `<tr><td>${escape(m.at.slice(11, 19))}</td><td>${escape(m.to)}</td><td>${escape(m.purpose)}</td>` +
            `<td class="code">${m.code ? copyable(m.code) : ''}</td><td>${escape(m.text)}</td></tr>`,
        )
        .join('\n')
    : '<tr><td colspan="5">No SMS yet. Ask for a login code: <code>POST /v1/book_code/{company_id}</code>.</td></tr>';
  const events = inbox.events.length
    ? inbox.events
        .map((e) => {
          const token = e.resource === 'review_request' ? (e.body.data as { record_token?: unknown } | undefined)?.record_token : undefined;
          const link =
            typeof token === 'string'
              ? `<div class="review">review link: ${copyable(`${base}/v1/master_record_review/${token}`)}</div>`
              : '';
          return (
            `<tr><td>${escape(e.at.slice(11, 19))}</td><td>${escape(e.resource)}</td><td>${escape(e.status)}</td>` +
            `<td>${escape(String(e.resourceId ?? ''))}</td><td>${pageLinks(e)}${link}` +
            `<details><summary>body</summary><pre>${escape(JSON.stringify(e.body, null, 2))}</pre></details></td></tr>`
          );
        })
        .join('\n')
    : inbox.receivesEvents
      ? '<tr><td colspan="5">No events yet.</td></tr>'
      : '<tr><td colspan="5">Events go to your CABINET_EVENTS_URL, not here. ' +
        'Start with <code>npm start -- --demo</code> and no CABINET_EVENTS_URL to see them here.</td></tr>';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>cabinet: local inbox</title>
<style>body{font:14px system-ui,sans-serif;margin:2em;color:#222}table{border-collapse:collapse;width:100%;margin-bottom:2em}
td,th{border-bottom:1px solid #ddd;padding:.4em;text-align:left;vertical-align:top}code{background:#f3f3f3;padding:.1em .3em}
.code code{font-size:1.4em;font-weight:bold}pre{white-space:pre-wrap;margin:0}small{color:#666}</style></head>
<body>
<h1>Local inbox</h1>
<p><small>Only on the local stack (<code>npm start</code>), never deployed: the last ${kept} SMS messages and events, newest first.
<a href="/_local/inbox">Reload</a> · <a href="/_local/inbox.json">as JSON</a> · <a href="/docs">API reference</a></small></p>
<h2>SMS</h2>
<table id="sms"><thead><tr><th>time</th><th>to</th><th>purpose</th><th>code</th><th>text</th></tr></thead><tbody>
${sms}
</tbody></table>
<h2>Events</h2>
<table id="events"><thead><tr><th>time</th><th>resource</th><th>status</th><th>id</th><th></th></tr></thead><tbody>
${events}
</tbody></table>
<script>for (const b of document.querySelectorAll('button[data-copy]'))
  b.addEventListener('click', () => navigator.clipboard.writeText(b.dataset.copy).then(() => { b.textContent = 'copied'; }));</script>
</body></html>
`;
}
