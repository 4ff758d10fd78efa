// The review pages (docs/contract.md section 10, over 3.7 and 3.8): the form (the visit, its team
// member, five stars as a radio group, a text), the thanks, and "already reviewed". Pure templates.
import type { ReviewContext } from '../domain/reviews.js';
import { zoneOf } from '../domain/dates.js';
import { startOf } from '../domain/schedule.js';
import type { Reply } from '../http/response.js';
import { html } from './html.js';
import { formatDate, t, type Lang } from './i18n.js';
import { pageReply, withLang } from './layout.js';
import { reviewPath } from '../links.js';

function visit(context: ReviewContext, lang: Lang) {
  const zone = zoneOf(context.company, context.record.datetime);
  const start = startOf(context.record.datetime, zone) ?? NaN;
  const staff = context.staff ?? context.record.staff;
  return html`<section><p><strong>${context.company?.title ?? ''}</strong></p>
${Number.isFinite(start) ? html`<p>${formatDate(lang, start, zone)}</p>` : ''}
${staff?.name ? html`<p>${t(lang).staff}: ${staff.name}</p>` : ''}</section>`;
}

export function reviewFormPage(context: ReviewContext, token: string, lang: Lang): Reply {
  const m = t(lang);
  const path = reviewPath(token);
  if (context.review.submitted) return alreadyReviewedPage(token, lang);
  const stars = m.stars.map((label, i) => html`<label><input type="radio" name="rating" value="${i + 1}" required> ${label}</label>`);
  const body = html`<h1>${m.reviewTitle}</h1>
${visit(context, lang)}
<form class="card" method="post" action="${withLang(path, lang)}">
<fieldset class="stars"><legend>${m.rating}</legend>${stars}</fieldset>
<label class="text" for="text">${m.comment}</label>
<textarea id="text" name="text" rows="5" maxlength="1000"></textarea>
<p><button class="button" type="submit">${m.send}</button></p>
</form>`;
  return pageReply(200, { lang, title: m.reviewTitle, body, self: path });
}

export function thanksPage(token: string, lang: Lang): Reply {
  const m = t(lang);
  return pageReply(200, {
    lang,
    title: m.thanksTitle,
    body: html`<h1>${m.thanksTitle}</h1><section><p>${m.thanks}</p></section>`,
    self: reviewPath(token),
  });
}

export function alreadyReviewedPage(token: string, lang: Lang): Reply {
  const m = t(lang);
  return pageReply(200, {
    lang,
    title: m.alreadyTitle,
    body: html`<h1>${m.alreadyTitle}</h1><section><p>${m.already}</p></section>`,
    self: reviewPath(token),
  });
}
