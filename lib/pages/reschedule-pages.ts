// Moving an appointment from its page (docs/contract.md sections 9 and 10): a free date, then a free
// time, then the move. The free dates and times are the API's (lib/free-times.ts: the team member's
// times for the record's own length, the record never blocking itself) and the move is the API's
// (lib/reschedule.ts, taken by lib/pages/reschedule-move.ts): the page adds no rule. A GET only
// shows; the times' form posts.
import { clock } from '../clock.js';
import { formatAt } from '../domain/dates.js';
import type { FreeTime } from '../domain/schedule.js';
import { datesBetween, freeDays } from '../free-times.js';
import type { Reply } from '../http/response.js';
import type { Appointment } from './appointment.js';
import { html } from './html.js';
import { formatDate, formatDay, t, type Lang } from './i18n.js';
import { pageReply, withLang } from './layout.js';
import { appointmentPage, calendarAction, when } from './record-pages.js';

/** How far ahead the dates are offered: four weeks from today at the location. */
const daysAhead = 28;

/** The free times of each date from `from` to `to`, less the appointment's own start (choosing it moves nothing). */
async function choices(a: Appointment, from: string, to: string): Promise<Map<string, FreeTime[]>> {
  const found = new Map<string, FreeTime[]>();
  if (!a.company || !a.view.staff.id) return found;
  const ask = { company: a.company, staffId: a.view.staff.id, from, to, lengthS: a.view.length, ignoreRecordId: a.view.id };
  for (const [date, day] of await freeDays(ask))
    found.set(
      date,
      day.times.filter((time) => time.start !== a.start),
    );
  return found;
}

const whoAndWhere = (a: Appointment) => [a.view.staff.name, a.view.location.title].filter(Boolean).join(', ');

const chooserPath = (a: Appointment) => `${a.path}/reschedule`;

async function datesBody(a: Appointment, lang: Lang) {
  const m = t(lang);
  const today = formatAt(clock.now(), a.zone).slice(0, 10);
  const dates = datesBetween(today, addDays(today, daysAhead - 1));
  const free = await choices(a, dates[0]!, dates.at(-1)!);
  const open = dates.filter((date) => (free.get(date) ?? []).length > 0);
  const links = open.map(
    (date) =>
      html`<li><a class="button secondary" href="${withLang(`${chooserPath(a)}?date=${date}`, lang)}">${formatDay(lang, date)}</a></li>`,
  );
  return html`<section><h2>${m.freeDates}</h2>${open.length ? html`<ul class="dates">${links}</ul>` : html`<p>${m.noDates}</p>`}</section>`;
}

function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

async function timesBody(a: Appointment, lang: Lang, date: string) {
  const m = t(lang);
  const times = (await choices(a, date, date)).get(date) ?? [];
  const again = html`<p><a class="link" href="${withLang(chooserPath(a), lang)}">${m.otherDate}</a></p>`;
  if (!times.length) return html`<section><p>${m.noTimes}</p>${again}</section>`;
  const radios = times.map(
    (time) => html`<label><input type="radio" name="datetime" value="${time.datetime}" required> ${time.time}</label>`,
  );
  const day = formatDate(lang, Date.parse(`${date}T12:00:00Z`), { offsetMinutes: 0 });
  return html`<form class="card" method="post" action="${withLang(chooserPath(a), lang)}">
<fieldset class="times"><legend>${m.timesOn(day)}</legend>${radios}</fieldset>
<p><button class="button" type="submit">${m.moveYes}</button></p>
</form>${again}`;
}

/**
 * The chooser: the dates with a free time, or with `date` that date's free times as a form. An
 * appointment that may not move shows its own page, which says why. `taken`: the time just posted
 * was taken meanwhile (433), said above the times again.
 */
export async function rescheduleChoosePage(a: Appointment, lang: Lang, date: string | undefined, taken = false): Promise<Reply> {
  const m = t(lang);
  if (a.state !== 'upcoming' || !a.view.can_reschedule) return appointmentPage(a, lang);
  const title = taken ? m.takenTitle : date ? m.chooseTimeTitle : m.chooseDateTitle;
  const body = html`<h1>${title}</h1>
${taken ? html`<p role="alert">${m.timeTaken}</p>` : ''}
<section><p>${m.nowBooked}: <strong>${when(a, lang)}</strong></p><p>${whoAndWhere(a)}</p></section>
${date ? await timesBody(a, lang, date) : await datesBody(a, lang)}
<p><a class="link" href="${withLang(a.path, lang)}">${m.back}</a></p>`;
  const self = date ? `${chooserPath(a)}?date=${date}` : chooserPath(a);
  return pageReply(taken ? 422 : 200, { lang, title, body, self });
}

/** The time just posted was taken meanwhile: that date's free times again (the date as the free time offered it, wall clock). */
export function timeTakenPage(a: Appointment, lang: Lang, datetime: string): Promise<Reply> {
  return rescheduleChoosePage(a, lang, datetime.trim().slice(0, 10), true);
}

export function movedPage(a: Appointment, lang: Lang): Reply {
  const m = t(lang);
  const body = html`<h1>${m.movedTitle}</h1>
<section><p>${m.movedTo}: <strong>${when(a, lang)}</strong></p><p>${whoAndWhere(a)}</p>
<p><a class="link" href="${withLang(a.path, lang)}">${m.back}</a></p></section>
<section>${calendarAction(a, lang)}<p class="note">${m.movedCalendar}</p></section>`;
  return pageReply(200, { lang, title: m.movedTitle, body, self: a.path });
}
