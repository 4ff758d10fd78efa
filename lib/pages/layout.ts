// The shell every page shares: one small stylesheet inline (allowed by its hash, so the policy
// names no source at all), the headers of docs/contract.md section 10, and the language switch.
// Readable before any script runs: there is none.
import { createHash } from 'node:crypto';
import type { Reply } from '../http/response.js';
import { Html, html } from './html.js';
import { t, type Lang } from './i18n.js';

// System fonts, one column, targets at least 44 px tall, contrast above 4.5:1, wraps at 360 px.
const css = `*{box-sizing:border-box}
body{margin:0;font:17px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1b1b1f;background:#f4f4f6}
main{max-width:36rem;margin:0 auto;padding:1rem}
header{display:flex;justify-content:flex-end;max-width:36rem;margin:0 auto;padding:.5rem 1rem 0}
h1{font-size:1.5rem;line-height:1.25;margin:.5rem 0 1rem}
h2{font-size:1.1rem;margin:1.5rem 0 .5rem}
section,form.card{background:#fff;border-radius:12px;padding:1rem;margin:0 0 1rem;box-shadow:0 1px 2px #0002}
section>:first-child,form.card>:first-child{margin-top:0}section>:last-child,form.card>:last-child{margin-bottom:0}
dl{margin:0}dt{font-weight:600;margin-top:.75rem}dt:first-child{margin-top:0}dd{margin:0;overflow-wrap:anywhere}
ul{margin:0;padding:0;list-style:none}
li{display:flex;justify-content:space-between;gap:1rem;padding:.25rem 0}li>:last-child{white-space:nowrap}
a{color:#0b57d0;overflow-wrap:anywhere}
button,input,textarea{min-height:44px}
.lang,.link{display:inline-flex;align-items:center;min-height:44px}.lang{padding:0 .25rem}
.state{display:inline-block;padding:.1rem .6rem;border-radius:999px;font-size:.9rem;font-weight:600;background:#e6f0ff;color:#0b3d91}
.state.cancelled{background:#fde8e8;color:#8a1c1c}.state.visited,.state.past{background:#e7f5ea;color:#17522a}
.button{display:inline-flex;align-items:center;justify-content:center;padding:.6rem 1.1rem;border-radius:10px;
border:2px solid #0b57d0;background:#0b57d0;
color:#fff;font:inherit;font-weight:600;text-decoration:none;cursor:pointer;margin:.25rem .5rem .25rem 0}
.button.secondary{background:#fff;color:#0b57d0}.button.danger{background:#b3261e;border-color:#b3261e}
a:focus-visible,button:focus-visible,input:focus-visible,textarea:focus-visible{outline:3px solid #e8a200;outline-offset:2px}
fieldset{border:0;margin:0 0 1rem;padding:0}legend{font-weight:600;margin-bottom:.5rem}
.stars label{display:flex;align-items:center;gap:.5rem;min-height:44px}
.stars input,.times input{width:24px;height:24px;min-height:24px;margin:0}
.times{display:grid;grid-template-columns:repeat(auto-fill,minmax(6rem,1fr));gap:0 1rem}
.times legend{grid-column:1/-1}.times label{display:flex;align-items:center;gap:.5rem;min-height:44px}
ul.dates{display:grid;grid-template-columns:repeat(auto-fill,minmax(9rem,1fr));gap:.5rem}
ul.dates li{display:block;padding:0}ul.dates .button{width:100%;margin:0}
label.text{display:block;font-weight:600;margin-bottom:.25rem}
textarea{width:100%;font:inherit;padding:.5rem;border:1px solid #6b6b75;border-radius:8px}
p.note{color:#44444c}`;

const styleHash = createHash('sha256').update(css).digest('base64');

/** No source but the page itself; no framing; forms post only to cabinet. */
const policy =
  `default-src 'none'; style-src 'sha256-${styleHash}'; img-src 'self'; form-action 'self'; ` + `frame-ancestors 'none'; base-uri 'none'`;

/** Headers of every answer a page function gives: pages, the calendar file and the error pages. */
export const pageHeaders: Record<string, string> = {
  'cache-control': 'no-store',
  'referrer-policy': 'no-referrer',
  'x-robots-tag': 'noindex, nofollow',
  'content-security-policy': policy,
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  'content-language': 'en',
};

export interface PageParts {
  lang: Lang;
  title: string;
  body: Html;
  /** This page's own path, for the link to it in the other language; none on error pages. */
  self?: string;
}

/** `path` with the language kept: every link and form of a page carries it on. */
export function withLang(path: string, lang: Lang): string {
  return `${path}${path.includes('?') ? '&' : '?'}lang=${lang}`;
}

export function pageReply(status: number, { lang, title, body, self }: PageParts): Reply {
  const other: Lang = lang === 'en' ? 'ru' : 'en';
  const page = html`<!doctype html>
<html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="robots" content="noindex,nofollow"><title>${title}</title><style>${new Html(css)}</style></head>
<body>${
    self
      ? html`<header><a href="${withLang(self, other)}" lang="${other}" hreflang="${other}" class="lang">${t(lang).otherLang}</a></header>`
      : ''
  }
<main>${body}</main></body></html>`;
  return {
    status,
    body: null,
    text: page.text,
    headers: { ...pageHeaders, 'content-type': 'text/html; charset=utf-8', 'content-language': lang },
  };
}
