// How the chain (lib/http/handler.ts) answers for a page: an error is a page in the customer's
// language, with the contract's status and the same sentence for every wrong link, and a form post
// from another site is refused before anything is read.
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { config } from '../config.js';
import { ErrorCode } from '../domain/refusals.js';
import { Forbidden, type HttpError } from '../errors.js';
import type { PageMode } from '../http/handler.js';
import type { Reply } from '../http/response.js';
import { html } from './html.js';
import { chooseLang, t, type Lang, type Messages } from './i18n.js';
import { pageReply, withLang } from './layout.js';
import { fromOwnPage } from './origin.js';

const header = (event: APIGatewayProxyEventV2, name: string) =>
  Object.entries(event.headers ?? {}).find(([key]) => key.toLowerCase() === name)?.[1];

export function langOf(event: APIGatewayProxyEventV2): Lang {
  return chooseLang(event.queryStringParameters?.lang, header(event, 'accept-language'));
}

/** What the customer reads for an error: a refusal's code becomes its sentence. */
function explain(error: HttpError, m: Messages): { title: string; text: string } {
  const code = error.errors?.[0]?.code;
  switch (error.status) {
    case 403:
      return { title: m.forbiddenTitle, text: m.forbidden };
    case 400:
    case 413:
      return { title: m.refusedTitle, text: m.badRequest };
    case 429:
    case 503:
      return { title: m.busyTitle, text: m.busy };
    case 422:
      if (code === ErrorCode.cancelForbidden) return { title: m.refusedTitle, text: m.cancelForbidden };
      if (code === ErrorCode.cancelTooLate) return { title: m.refusedTitle, text: m.cancelTooLate };
      if (code === ErrorCode.moveForbidden) return { title: m.refusedTitle, text: m.rescheduleForbidden };
      if (code === ErrorCode.moveTooLate) return { title: m.refusedTitle, text: m.rescheduleTooLate };
      if (code === ErrorCode.timeNotFree) return { title: m.takenTitle, text: m.timeTaken };
      if (code === ErrorCode.reviewAlreadySubmitted) return { title: m.alreadyTitle, text: m.already };
      if (code === ErrorCode.ratingOutOfRange || error.errors?.[0]?.message.startsWith('rating'))
        return { title: m.refusedTitle, text: m.ratingRange };
      return { title: m.refusedTitle, text: m.invalid };
    default:
      return error.status >= 500 ? { title: m.errorTitle, text: m.error } : { title: m.notFoundTitle, text: m.notFound };
  }
}

/** A refused change links back to the page it came from (the link itself was right: 422 only); a time taken, to the dates. */
function backTo(
  event: APIGatewayProxyEventV2,
  status: number,
  code: number | undefined,
  m: Messages,
): { path: string; label: string } | null {
  if (status !== 422) return null;
  const chooser = /^\/r\/\d+\/[^/]+\/reschedule$/.exec(event.rawPath)?.[0];
  if (chooser && code === ErrorCode.timeNotFree) return { path: chooser, label: m.otherDate };
  const appointment = /^\/r\/\d+\/[^/]+/.exec(event.rawPath)?.[0];
  if (appointment) return { path: appointment, label: m.back };
  const review = /^\/review\/[^/]+/.exec(event.rawPath)?.[0];
  return review ? { path: review, label: m.backToReview } : null;
}

export function errorPage(error: HttpError, event: APIGatewayProxyEventV2): Reply {
  const lang = langOf(event);
  const m = t(lang);
  const { title, text } = explain(error, m);
  const back = backTo(event, error.status, error.errors?.[0]?.code, m);
  const backLink = back ? html`<p><a class="link" href="${withLang(back.path, lang)}">${back.label}</a></p>` : '';
  const body = html`<h1>${title}</h1><section><p>${text}</p>${backLink}</section>`;
  const reply = pageReply(error.status, { lang, title, body });
  return { ...reply, headers: { ...reply.headers, ...error.headers } };
}

function refuseOtherSites(event: APIGatewayProxyEventV2): void {
  const facts = {
    secFetchSite: header(event, 'sec-fetch-site'),
    origin: header(event, 'origin'),
    host: header(event, 'host'),
    proto: header(event, 'x-forwarded-proto'),
    publicUrl: config.publicUrl,
  };
  if (!fromOwnPage(facts)) throw new Forbidden();
}

/** A page that only shows. */
export const showMode: PageMode = { errorPage };

/** A page's form post: refused from another site. */
export const postMode: PageMode = { errorPage, guard: refuseOtherSites };
