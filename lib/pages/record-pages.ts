// The appointment's pages (docs/contract.md section 10): the appointment with what may be done, the
// cancel confirmation, and the cancelled result (moving it: reschedule-pages.ts). Pure templates over an
// Appointment.
import { parseInstant } from '../schemas/datetime.js';
import type { Reply } from '../http/response.js';
import { calendarEventOf, type Appointment } from './appointment.js';
import { googleCalendarLink, icsOf } from './calendar.js';
import { html, type Html } from './html.js';
import { formatDate, formatLength, formatMoment, formatMoney, formatTime, t, type Lang } from './i18n.js';
import { pageHeaders, pageReply, withLang } from './layout.js';

export function when(a: Appointment, lang: Lang): string {
  return `${formatDate(lang, a.start, a.zone)}, ${formatTime(lang, a.start, a.zone)}–${formatTime(lang, a.end, a.zone)}`;
}

const mapLink = (lat: number, lng: number) => `https://www.openstreetmap.org/?mlat=${lat}&mlon=${lng}#map=17/${lat}/${lng}`;

/** The facts of the appointment: when, how long, who, what for how much, where. */
function details(a: Appointment, lang: Lang): Html {
  const m = t(lang);
  const { view } = a;
  const money = (amount: number) => formatMoney(lang, amount, a.currency.iso, a.currency.sign);
  const total = view.services.reduce((sum, s) => sum + s.cost, 0);
  const { location } = view;
  const phone = location.phone.replace(/[^\d+]/g, '');
  const hasPlace = location.coordinate_lat !== 0 || location.coordinate_lng !== 0;
  return html`<section><dl>
<dt>${m.when}</dt><dd>${when(a, lang)}</dd>
<dt>${m.length}</dt><dd>${formatLength(lang, view.length)}</dd>
${
  view.staff.name
    ? html`<dt>${m.staff}</dt><dd>${view.staff.name}${view.staff.position.title ? html`, ${view.staff.position.title}` : ''}</dd>`
    : ''
}
${
  view.services.length
    ? html`<dt>${m.services}</dt><dd><ul>${view.services.map((s) => html`<li><span>${s.title}</span><span>${money(s.cost)}</span></li>`)}
${view.services.length > 1 ? html`<li><strong>${m.total}</strong><strong>${money(total)}</strong></li>` : ''}</ul></dd>`
    : ''
}
<dt>${m.where}</dt><dd>${location.title}${location.address ? html`<br>${location.address}` : ''}
${
  hasPlace
    ? html`<br><a class="link" href="${mapLink(location.coordinate_lat, location.coordinate_lng)}" rel="noreferrer">${m.map}</a>`
    : ''
}
${phone ? html`<br><a class="link" href="tel:${phone}">${m.call}: ${location.phone}</a>` : ''}</dd>
</dl></section>`;
}

/** A change the view allows until a deadline: the deadline in words and the link to its page, or why not. */
interface Change {
  allowed: boolean;
  deadline: string | null;
  /** The location takes it online at all (else: "call the salon", not "too late"). */
  online: boolean;
  until: (deadline: string) => string;
  page: string;
  label: string;
  tooLate: string;
  forbidden: string;
}

function changeAction(a: Appointment, lang: Lang, change: Change): Html {
  const deadline = change.deadline === null ? null : parseInstant(change.deadline);
  if (change.allowed && deadline !== null) {
    return html`<p>${change.until(formatMoment(lang, deadline, a.zone))}</p>
<p><a class="button secondary" href="${withLang(`${a.path}/${change.page}`, lang)}">${change.label}</a></p>`;
  }
  return html`<p>${change.online ? change.tooLate : change.forbidden}</p>`;
}

const cancelAction = (a: Appointment, lang: Lang): Html =>
  changeAction(a, lang, {
    allowed: a.view.can_cancel,
    deadline: a.view.cancel_deadline,
    online: a.view.location.allow_delete_record,
    until: t(lang).cancelUntil,
    page: 'cancel',
    label: t(lang).cancel,
    tooLate: t(lang).cancelTooLate,
    forbidden: t(lang).cancelForbidden,
  });

/** Moving it, as the view says (`can_reschedule`, `reschedule_deadline`). */
const rescheduleAction = (a: Appointment, lang: Lang): Html =>
  changeAction(a, lang, {
    allowed: a.view.can_reschedule,
    deadline: a.view.reschedule_deadline,
    online: a.view.location.allow_change_record,
    until: t(lang).rescheduleUntil,
    page: 'reschedule',
    label: t(lang).reschedule,
    tooLate: t(lang).rescheduleTooLate,
    forbidden: t(lang).rescheduleForbidden,
  });

export function calendarAction(a: Appointment, lang: Lang): Html {
  const m = t(lang);
  return html`<h2>${m.calendar}</h2>
<p><a class="button secondary" href="${withLang(`${a.path}/calendar.ics`, lang)}" download="appointment.ics">${m.ics}</a>
<a class="button secondary" href="${googleCalendarLink(calendarEventOf(a))}" rel="noreferrer">${m.google}</a></p>`;
}

/** What an upcoming appointment offers, in order. Each is a sentence with its deadline and a link to its own page. */
const upcomingActions = [rescheduleAction, cancelAction, calendarAction];

export function appointmentPage(a: Appointment, lang: Lang): Reply {
  const m = t(lang);
  const notes: Record<Appointment['state'], string | null> = {
    upcoming: null,
    cancelled: m.cancelledNote,
    visited: m.visitedNote,
    past: m.pastNote,
  };
  const note = notes[a.state];
  const body = html`<h1>${m.appointment} <span class="state ${a.state}">${m[a.state]}</span></h1>
${note ? html`<p>${note}</p>` : ''}
${details(a, lang)}
${a.state === 'upcoming' ? html`<section><h2>${m.actions}</h2>${upcomingActions.map((action) => action(a, lang))}</section>` : ''}
${
  a.state === 'cancelled'
    ? html`<section><p>${m.calendarCancelled}</p><p><a class="button secondary" href="${withLang(`${a.path}/calendar.ics`, lang)}"
    download="appointment.ics">${m.ics}</a></p></section>`
    : ''
}`;
  return pageReply(200, { lang, title: `${m.appointment}: ${a.view.location.title}`, body, self: a.path });
}

/** The confirmation step: a GET shows it and changes nothing; only its form's POST cancels. */
export function cancelConfirmPage(a: Appointment, lang: Lang): Reply {
  const m = t(lang);
  if (a.state !== 'upcoming' || !a.view.can_cancel) return appointmentPage(a, lang);
  const body = html`<h1>${m.confirmTitle}</h1>
<section><p><strong>${when(a, lang)}</strong></p><p>${a.view.services
    .map((s) => s.title)
    .join(', ' + '')}</p><p>${a.view.location.title}</p></section>
<form class="card" method="post" action="${withLang(`${a.path}/cancel`, lang)}">
<button class="button danger" type="submit">${m.confirmYes}</button>
<a class="button secondary" href="${withLang(a.path, lang)}">${m.confirmNo}</a>
</form>`;
  return pageReply(200, { lang, title: m.confirmTitle, body, self: `${a.path}/cancel` });
}

export function cancelledPage(a: Appointment, lang: Lang): Reply {
  const m = t(lang);
  const body = html`<h1>${m.cancelledTitle}</h1>
<section><p><strong>${when(a, lang)}</strong>, ${a.view.location.title}</p><p>${m.cancelledDone}</p>
<p><a class="link" href="${withLang(a.path, lang)}">${m.back}</a></p></section>`;
  return pageReply(200, { lang, title: m.cancelledTitle, body, self: a.path });
}

/** The calendar file, with the headers of every page answer. */
export function calendarReply(a: Appointment): Reply {
  const headers = {
    ...pageHeaders,
    'content-type': 'text/calendar; charset=utf-8',
    'content-disposition': `attachment; filename="appointment-${a.view.id}.ics"`,
  };
  return { status: 200, body: null, text: icsOf(calendarEventOf(a)), headers };
}
